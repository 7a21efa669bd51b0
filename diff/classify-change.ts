// Reads each structural change where it sits (an operation, a parameter, a request or response body, a header,
// the security it asks for) and classifies it twice: for clients (frontends built against BASE) and for
// implementations (backends built to BASE). Schema keywords are judged in schema-change.ts; this module knows the
// OpenAPI around them.
import { isPlainObject, toPointer } from '../engine/index.ts';
import { type Effect, type SchemaChangeInput, schemaChange } from './schema-change.ts';
import type { StructuralChange } from './structural-diff.ts';

export type Side = 'clients' | 'implementations';
export const SIDES: readonly Side[] = ['clients', 'implementations'];

/**
 * breaking: it breaks that side; compatible: it does not; unknown: the text cannot tell (a pattern replaced by
 * another), and the execution check decides (diff/execute-versions.ts).
 */
export type Verdict = 'breaking' | 'compatible' | 'unknown';

export interface DocumentChange {
  /** A stable name for the kind of change, e.g. "request-body-enum-value-added"; the allow-list names it. */
  readonly kind: string;
  /** The operation it concerns, as "POST /mfa/enable"; absent for a change to the whole document. */
  readonly operation?: string;
  /** Where, as the operation sees it ($refs followed): a JSON pointer into the document. */
  readonly where: string;
  /** One sentence: where and what. */
  readonly sentence: string;
  readonly clients: Verdict;
  readonly implementations: Verdict;
  /**
   * Where the change sits in each file, $refs followed to where it is written; on the side that lacks it, the
   * nearest place that holds it (the enum a value was added to).
   */
  readonly base: string;
  readonly head: string;
}

type Json = Record<string, unknown>;
/** A change as each location finds it, before it is placed in the two files. */
type Found = Omit<DocumentChange, 'base' | 'head'>;
type Segments = readonly (string | number)[];

const METHODS = new Set(['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace']);
const OPERATION_ANNOTATIONS = new Set(['summary', 'description', 'tags', 'externalDocs', 'deprecated', 'x-codeSamples']);
const PARAMETER_ANNOTATIONS = new Set(['description', 'example', 'examples', 'deprecated']);

/** Follows local $refs ("#/components/…") in a bundled document; an external or unresolvable one stops the walk. */
function deref(document: Json, value: unknown, seen = 0): unknown {
  if (!isPlainObject(value) || typeof value.$ref !== 'string' || seen > 50) return value;
  const ref = value.$ref;
  if (!ref.startsWith('#/')) return value;
  let node: unknown = document;
  for (const raw of ref.slice(2).split('/')) {
    const segment = decodeURIComponent(raw).replaceAll('~1', '/').replaceAll('~0', '~');
    node = isPlainObject(node) || Array.isArray(node) ? (node as Json)[segment] : undefined;
  }
  return deref(document, node, seen + 1);
}

/** The value at a path of the operations' view of a document, $refs followed; parameters found by name and place. */
function valueAt(document: Json, segments: Segments, parameter?: { name: string; in: string }): unknown {
  let node: unknown = document;
  for (const [at, segment] of segments.entries()) {
    node = deref(document, node);
    if (Array.isArray(node) && segments[at - 1] === 'parameters' && at === 4 && parameter) {
      // Path-level parameters count as the operation's own, as the structural diff folds them in.
      const item = deref(document, (document.paths as Json | undefined)?.[String(segments[1])]) as Json | undefined;
      const all = [...node, ...((item?.parameters as unknown[]) ?? [])].map((p) => deref(document, p) as Json);
      node = all.find((p) => p?.name === parameter.name && p?.in === parameter.in);
      continue;
    }
    node = isPlainObject(node) || Array.isArray(node) ? (node as Json)[String(segment)] : undefined;
  }
  return deref(document, node);
}

/** What a structural change inside a schema does, read at `segments` below the schema, in one direction. */
function schemaChangeAt(
  change: StructuralChange,
  segments: Segments,
  direction: 'request' | 'response',
  holder?: SchemaChangeInput['holder'],
): ReturnType<typeof schemaChange> {
  return schemaChange({
    action: change.action,
    segments,
    direction,
    ...(change.before === undefined ? {} : { before: change.before }),
    ...(change.after === undefined ? {} : { after: change.after }),
    ...(holder ? { holder } : {}),
  });
}

/** What a change means per side, given whether it narrows or widens what one direction accepts. */
function verdicts(effect: Effect, direction: 'request' | 'response'): Pick<DocumentChange, Side> {
  switch (effect) {
    case 'none':
      return { clients: 'compatible', implementations: 'compatible' };
    case 'both':
      return { clients: 'breaking', implementations: 'breaking' };
    case 'unknown':
      return { clients: 'unknown', implementations: 'unknown' };
    default: {
      // A narrowed request refuses what clients send; a widened one asks implementations to accept more. A
      // widened response sends clients what they were not built for; a narrowed one forbids what servers answer.
      const clientsBreak = (effect === 'narrow') === (direction === 'request');
      return clientsBreak
        ? { clients: 'breaking', implementations: 'compatible' }
        : { clients: 'compatible', implementations: 'breaking' };
    }
  }
}

const both = (verdict: Verdict): Pick<DocumentChange, Side> => ({ clients: verdict, implementations: verdict });

/** The two documents the changes come from, bundled (internal $refs only), as they are written. */
export interface Versions {
  readonly base: Json;
  readonly head: Json;
}

/**
 * Every change, classified for both sides. Containers added or removed whole (a path, a response, a set of
 * headers) are opened into one change per member; security is compared per operation as sets of credentials.
 */
export function classifyChanges(changes: readonly StructuralChange[], versions: Versions): DocumentChange[] {
  const out: DocumentChange[] = [];
  const securityDone = new Set<string>();
  for (const change of changes.flatMap((c) => openContainers(c))) {
    const [area, key, method] = change.path;
    let found: Found[];
    let path = change.path;
    if (area === 'paths' && typeof key === 'string' && typeof method === 'string' && METHODS.has(method)) {
      const operation = `${method.toUpperCase()} ${key}`;
      const rest = change.path.slice(3);
      if (rest[0] === 'security') {
        if (securityDone.has(operation)) continue;
        securityDone.add(operation);
        found = securityChange(versions, key, method, operation);
        path = change.path.slice(0, 4);
      } else found = operationChange(change, rest, operation, versions);
    } else if (
      change.path.length === 1 &&
      area === 'paths' &&
      typeof change.before === 'string' &&
      typeof change.after === 'string'
    ) {
      // A path template whose parameter names changed (/a/{id} to /a/{key}): the same URLs on the wire.
      const from = change.before;
      const to = change.after;
      out.push({
        kind: 'path-template-renamed',
        where: toPointer(['paths', to]),
        base: `#${toPointer(['paths', from])}`,
        head: `#${toPointer(['paths', to])}`,
        sentence: `The path ${from} is now written ${to}: the same requests on the wire, but typed clients name the template (the generated paths type, openapi-fetch's calls) and must be renamed.`,
        clients: 'breaking',
        implementations: 'compatible',
      });
      continue;
    } else found = documentChange(change, versions);
    const parameter = parameterIdentity(change, versions);
    const base = sourcePointer(versions.base, path, parameter);
    const head = sourcePointer(versions.head, path, parameter);
    for (const entry of found) {
      // Several fields of one security scheme change as one: it is listed once.
      if (out.some((known) => known.kind === entry.kind && known.where === entry.where && known.sentence === entry.sentence))
        continue;
      out.push({ ...entry, base, head });
    }
  }
  return out;
}

/**
 * An operation's parameters as the structural diff lists them: its own, then its path's that it does not
 * override (by name and place).
 */
function operationParameters(document: Json, path: Segments): Json[] {
  const own = valueAt(document, path.slice(0, 4));
  const shared = valueAt(document, ['paths', String(path[1]), 'parameters']);
  const list = (value: unknown) => (Array.isArray(value) ? value.map((p) => deref(document, p)).filter(isPlainObject) : []);
  const mine = list(own);
  return [...mine, ...list(shared).filter((p) => !mine.some((o) => o.name === p.name && o.in === p.in))];
}

/** The name and place of the parameter a change is in: BASE's element at its index, or the one added. */
function parameterIdentity(change: StructuralChange, versions: Versions): { name: string; in: string } | undefined {
  const { path } = change;
  if (path[0] !== 'paths' || path[3] !== 'parameters' || typeof path[4] !== 'number') return undefined;
  const value = path.length === 5 ? (change.after ?? change.before) : operationParameters(versions.base, path)[path[4]];
  return isPlainObject(value) ? { name: String(value.name), in: String(value.in) } : undefined;
}

/**
 * Where a path of the operations' view is written in a file: $refs followed to their targets, a parameter
 * found among the operation's or its path's own, an operation without security sent to the document's.
 * A path the file does not have ends at its deepest part that it has.
 */
function sourcePointer(document: Json, segments: Segments, parameter?: { name: string; in: string }): string {
  let node: unknown = document;
  let pointer: (string | number)[] = [];
  const follow = () => {
    for (
      let hops = 0;
      hops < 50 && isPlainObject(node) && typeof node.$ref === 'string' && node.$ref.startsWith('#/');
      hops += 1
    ) {
      pointer = node.$ref
        .slice(2)
        .split('/')
        .map((raw) => decodeURIComponent(raw).replaceAll('~1', '/').replaceAll('~0', '~'));
      node = valueAt(document, pointer);
    }
  };
  const sameParameter = (p: unknown) => {
    const value = deref(document, p) as Json | undefined;
    return value?.name === parameter?.name && value?.in === parameter?.in;
  };
  for (const [at, segment] of segments.entries()) {
    follow();
    if (at === 4 && segments[3] === 'parameters' && parameter) continue;
    if (at === 3 && segment === 'parameters' && parameter && isPlainObject(node)) {
      const own = (Array.isArray(node.parameters) ? node.parameters : []).findIndex(sameParameter);
      if (own >= 0) {
        pointer.push('parameters', own);
        node = (node.parameters as unknown[])[own];
        continue;
      }
      const shared = valueAt(document, ['paths', String(segments[1]), 'parameters']);
      const index = (Array.isArray(shared) ? shared : []).findIndex(sameParameter);
      if (index < 0) break;
      pointer = ['paths', String(segments[1]), 'parameters', index];
      node = (shared as unknown[])[index];
      continue;
    }
    if (
      at === 3 &&
      segment === 'security' &&
      isPlainObject(node) &&
      node.security === undefined &&
      document.security !== undefined
    ) {
      pointer = ['security'];
      node = document.security;
      continue;
    }
    if (!(isPlainObject(node) || Array.isArray(node)) || !(String(segment) in node)) break;
    node = (node as Json)[String(segment)];
    pointer.push(segment);
  }
  follow();
  return `#${toPointer(pointer)}`;
}

/** A container added or removed whole, opened into its members so that each is classified on its own. */
function openContainers(change: StructuralChange): StructuralChange[] {
  if (change.action === 'replace') return [change];
  const value = change.action === 'add' ? change.after : change.before;
  const path = change.path;
  const last = path.at(-1);
  const inOperation = path[0] === 'paths' && path.length >= 3 && METHODS.has(String(path[2]));
  const opens =
    (path.length === 1 && last === 'paths') ||
    (path.length === 2 && path[0] === 'paths') ||
    (inOperation && path.length === 4 && (last === 'parameters' || last === 'responses')) ||
    (inOperation && last === 'content' && path.length <= 6) ||
    (inOperation && last === 'headers' && path.length === 6);
  if (!opens || (!isPlainObject(value) && !Array.isArray(value))) return [change];
  const members = Object.entries(value).filter(
    // A path item's own keys other than its methods (summary, servers) are not operations.
    ([key]) => !(path.length === 2 && !METHODS.has(key)),
  );
  return members.flatMap(([key, member]) =>
    openContainers({
      action: change.action,
      path: [...path, Array.isArray(value) ? Number(key) : key],
      ...(change.action === 'add' ? { after: member } : { before: member }),
    }),
  );
}

/** A change inside one operation. */
function operationChange(change: StructuralChange, rest: Segments, operation: string, versions: Versions): Found[] {
  const where = toPointer(change.path);
  const make = (kind: string, phrase: string, verdict: Pick<DocumentChange, Side>): Found[] => [
    { kind, operation, where, sentence: `${operation}: ${phrase}.`, ...verdict },
  ];
  const { action } = change;
  const verb = action === 'add' ? 'added' : action === 'remove' ? 'removed' : 'changed';
  if (rest.length === 0) {
    // A new operation must be implemented; a removed one is gone from under its clients.
    if (action === 'add')
      return make('operation-added', 'operation added', { clients: 'compatible', implementations: 'breaking' });
    if (action === 'remove')
      return make('operation-removed', 'operation removed', { clients: 'breaking', implementations: 'compatible' });
    return make('operation-changed', 'operation replaced', both('breaking'));
  }
  const [section, second, third] = rest;
  if (section === 'parameters' && typeof second === 'number') return parameterChange(change, rest, operation, versions);
  if (section === 'requestBody') return requestBodyChange(change, rest.slice(1), operation, where);
  if (section === 'responses' && second !== undefined) return responseChange(change, rest.slice(1), operation, where, versions);
  if (section === 'operationId') {
    // The generated types key operations by operationId: a frontend that names it no longer compiles.
    return make('operation-id-changed', `operationId ${verb} (${String(change.before)} to ${String(change.after)})`, {
      clients: 'breaking',
      implementations: 'compatible',
    });
  }
  if (section === 'servers')
    return make(`operation-servers-${verb}`, `its servers ${verb}: it answers at another address`, both('breaking'));
  if (section === 'callbacks')
    return make(`callbacks-${verb}`, 'callbacks changed; the kit does not judge callbacks', both('unknown'));
  if (typeof section === 'string' && (OPERATION_ANNOTATIONS.has(section) || section.startsWith('x-'))) {
    return make(
      `operation-${section}-${verb}`,
      `${section} ${verb}${third === undefined ? '' : ` (${toPointer(rest.slice(1))})`}`,
      both('compatible'),
    );
  }
  return make(`operation-${String(section)}-${verb}`, `${toPointer(rest)} ${verb}`, both('unknown'));
}

function parameterChange(change: StructuralChange, rest: Segments, operation: string, versions: Versions): Found[] {
  const index = rest[1] as number;
  const path = change.path;
  // Identify the parameter: an element of BASE keeps BASE's index; one only HEAD has is the value added.
  const identity = (rest.length === 2 ? (change.after ?? change.before) : operationParameters(versions.base, path)[index]) as
    | Json
    | undefined;
  const label = identity ? `${String(identity.in)} parameter ${String(identity.name)}` : `parameter ${index}`;
  const area = identity ? `${String(identity.in)}-parameter` : 'parameter';
  const where = identity
    ? `${toPointer(path.slice(0, 4))}/${String(identity.in)}:${String(identity.name)}${toPointer(rest.slice(2))}`
    : toPointer(path);
  const make = (kind: string, phrase: string, verdict: Pick<DocumentChange, Side>): Found[] => [
    { kind: `${area}-${kind}`, operation, where, sentence: `${operation}: ${label}: ${phrase}.`, ...verdict },
  ];
  const { action } = change;
  if (rest.length === 2) {
    const required = (identity?.required as boolean | undefined) === true;
    if (action === 'add') {
      // A required one is missing from what clients send; any new one must be read by implementations.
      return required
        ? make('added', 'added, required', { clients: 'breaking', implementations: 'breaking' })
        : make('added', 'added, optional', { clients: 'compatible', implementations: 'breaking' });
    }
    if (action === 'remove')
      return make('removed', 'removed: what clients send in it is no longer read', {
        clients: 'breaking',
        implementations: 'compatible',
      });
    return make('changed', 'replaced', both('breaking'));
  }
  const [, , field] = rest;
  if (field === 'required') {
    const nowRequired = change.after === true;
    return make(
      nowRequired ? 'became-required' : 'became-optional',
      nowRequired ? 'became required' : 'became optional',
      verdicts(nowRequired ? 'narrow' : 'widen', 'request'),
    );
  }
  if (field === 'schema') {
    const schema = schemaChangeAt(change, rest.slice(3), 'request');
    return make(
      schema.kind,
      `${schema.subject === '' ? '' : `${schema.subject}: `}${schema.phrase}`,
      verdicts(schema.effect, 'request'),
    );
  }
  if (field === 'name' && identity?.in === 'path') {
    // Renamed with its path template (listed as path-template-renamed): nothing changes on the wire.
    return make(
      'renamed',
      `renamed ${String(change.before)} to ${String(change.after)}, with its path template`,
      both('compatible'),
    );
  }
  if (typeof field === 'string' && (PARAMETER_ANNOTATIONS.has(field) || field.startsWith('x-'))) {
    return make(`${field}-changed`, `${field} changed`, both('compatible'));
  }
  // style, explode, allowReserved, content: the same value is written differently on the wire.
  return make(`${String(field)}-changed`, `${String(field)} changed: the value is sent in another form`, both('breaking'));
}

function requestBodyChange(change: StructuralChange, rest: Segments, operation: string, where: string): Found[] {
  const make = (kind: string, phrase: string, verdict: Pick<DocumentChange, Side>): Found[] => [
    { kind: `request-body-${kind}`, operation, where, sentence: `${operation}: request body${phrase}.`, ...verdict },
  ];
  const { action } = change;
  const verb = action === 'add' ? 'added' : action === 'remove' ? 'removed' : 'changed';
  const [section, mediaType, field] = rest;
  if (section === undefined) {
    if (action === 'add') {
      const required = isPlainObject(change.after) && change.after.required === true;
      return make('added', required ? ' added, required' : ' added, optional', verdicts(required ? 'both' : 'widen', 'request'));
    }
    return make(
      verb,
      ` ${verb}`,
      action === 'remove' ? { clients: 'breaking', implementations: 'compatible' } : both('breaking'),
    );
  }
  if (section === 'required') {
    const nowRequired = change.after === true;
    return make(
      nowRequired ? 'became-required' : 'became-optional',
      nowRequired ? ' became required' : ' became optional',
      verdicts(nowRequired ? 'narrow' : 'widen', 'request'),
    );
  }
  if (section === 'content' && typeof mediaType === 'string') {
    if (field === undefined) {
      // A media type added must be accepted by implementations; one removed refuses the clients that send it.
      return make(
        `media-type-${verb}`,
        ` (${mediaType}) ${verb}`,
        verdicts(action === 'add' ? 'widen' : action === 'remove' ? 'narrow' : 'both', 'request'),
      );
    }
    if (field === 'schema') {
      const schema = schemaChangeAt(change, rest.slice(3), 'request');
      const at = schema.subject === '' ? '' : `, ${schema.subject}`;
      return make(schema.kind, ` (${mediaType})${at}: ${schema.phrase}`, verdicts(schema.effect, 'request'));
    }
    if (field === 'example' || field === 'examples')
      return make(`example-${verb}`, ` (${mediaType}): example ${verb}`, both('compatible'));
    return make(`${String(field)}-${verb}`, ` (${mediaType}): ${String(field)} ${verb}`, both('unknown'));
  }
  return make(
    `${String(section)}-${verb}`,
    `: ${String(section)} ${verb}`,
    both(String(section) === 'description' || String(section).startsWith('x-') ? 'compatible' : 'unknown'),
  );
}

function responseChange(change: StructuralChange, rest: Segments, operation: string, where: string, versions: Versions): Found[] {
  const [status, section, name, field] = rest;
  const label = `response ${String(status)}`;
  const make = (kind: string, phrase: string, verdict: Pick<DocumentChange, Side>): Found[] => [
    { kind: `response-${kind}`, operation, where, sentence: `${operation}: ${label}${phrase}.`, ...verdict },
  ];
  const { action } = change;
  const verb = action === 'add' ? 'added' : action === 'remove' ? 'removed' : 'changed';
  if (section === undefined) {
    if (action === 'add') {
      // A new success answer is one clients were not built to read; a new error falls into what they handle.
      const success = /^[23]/.test(String(status));
      return make('status-added', ' added', { clients: success ? 'breaking' : 'compatible', implementations: 'compatible' });
    }
    if (action === 'remove') return make('status-removed', ' removed', { clients: 'compatible', implementations: 'breaking' });
    return make('status-changed', ' replaced', both('breaking'));
  }
  if (section === 'content' && typeof name === 'string') {
    const mediaType = name;
    if (field === undefined) {
      return make(
        `media-type-${verb}`,
        ` (${mediaType}) ${verb}`,
        verdicts(action === 'add' ? 'widen' : action === 'remove' ? 'narrow' : 'both', 'response'),
      );
    }
    if (field === 'schema') {
      const segments = rest.slice(4);
      const holderPath = change.path.slice(0, -2);
      const schema = schemaChangeAt(change, segments, 'response', {
        base: valueAt(versions.base, holderPath),
        head: valueAt(versions.head, holderPath),
      });
      const at = schema.subject === '' ? '' : `, ${schema.subject}`;
      return make(`body-${schema.kind}`, ` (${mediaType})${at}: ${schema.phrase}`, verdicts(schema.effect, 'response'));
    }
    if (field === 'example' || field === 'examples') {
      // What the mock answers comes from the examples: frontends' tests that assert an answer see another one.
      return make('example-changed', ` (${mediaType}): examples ${verb}, so the mock answers differently`, {
        clients: 'breaking',
        implementations: 'compatible',
      });
    }
    return make(`${String(field)}-${verb}`, ` (${mediaType}): ${String(field)} ${verb}`, both('unknown'));
  }
  if (section === 'headers' && typeof name === 'string') {
    const header = `header ${name}`;
    if (field === undefined) {
      const required = isPlainObject(change.after) && change.after.required === true;
      if (action === 'add') {
        return make('header-added', `: ${header} added${required ? ', required' : ''}`, {
          clients: 'compatible',
          implementations: required ? 'breaking' : 'compatible',
        });
      }
      return make(
        `header-${verb}`,
        `: ${header} ${verb}`,
        action === 'remove' ? { clients: 'breaking', implementations: 'compatible' } : both('breaking'),
      );
    }
    if (field === 'required') {
      const nowRequired = change.after === true;
      return make(
        nowRequired ? 'header-became-required' : 'header-became-optional',
        `: ${header} became ${nowRequired ? 'required' : 'optional'}`,
        verdicts(nowRequired ? 'narrow' : 'widen', 'response'),
      );
    }
    if (field === 'schema') {
      const schema = schemaChangeAt(change, rest.slice(4), 'response');
      return make(`header-${schema.kind}`, `: ${header}: ${schema.phrase}`, verdicts(schema.effect, 'response'));
    }
    return make(`header-${String(field)}-${verb}`, `: ${header}: ${String(field)} ${verb}`, both('compatible'));
  }
  const compatible = section === 'description' || section === 'links' || String(section).startsWith('x-');
  return make(`${String(section)}-${verb}`, `: ${String(section)} ${verb}`, both(compatible ? 'compatible' : 'unknown'));
}

/**
 * Security compared as what credentials satisfy it: each alternative names schemes, each with the scopes it
 * needs (OAuth2, OpenID Connect). Clients break when a set of credentials that satisfied BASE no longer
 * satisfies HEAD (a new scheme, a new scope). Implementations break on any change of that set: a server built to
 * BASE neither enforces a credential HEAD asks for, nor lets in a request HEAD allows without one.
 */
function securityChange(versions: Versions, path: string, method: string, operation: string): Found[] {
  type Alternative = ReadonlyMap<string, readonly string[]>;
  const alternatives = (document: Json): Alternative[] => {
    const security = valueAt(document, ['paths', path, method, 'security']) ?? document.security;
    // No security, or an empty list, asks for nothing: one alternative that needs no credential.
    if (!Array.isArray(security) || security.length === 0) return [new Map()];
    return security.map(
      (requirement) =>
        new Map(
          Object.entries(isPlainObject(requirement) ? requirement : {}).map(([scheme, scopes]) => [
            scheme,
            Array.isArray(scopes) ? scopes.map(String) : [],
          ]),
        ),
    );
  };
  const base = alternatives(versions.base);
  const head = alternatives(versions.head);
  // Credentials that meet `held` meet `wanted` when they carry every scheme wanted, with every scope it wants.
  const meets = (held: Alternative, wanted: Alternative) =>
    [...wanted].every(([scheme, scopes]) => held.has(scheme) && scopes.every((scope) => held.get(scheme)?.includes(scope)));
  const satisfies = (held: Alternative, security: readonly Alternative[]) => security.some((wanted) => meets(held, wanted));
  const clientsBreak = base.some((held) => !satisfies(held, head));
  const headLetsInMore = head.some((held) => !satisfies(held, base));
  const show = (security: readonly Alternative[]) =>
    security
      .map((alternative) =>
        alternative.size === 0
          ? 'none'
          : [...alternative]
              .map(([scheme, scopes]) => (scopes.length === 0 ? scheme : `${scheme} (${scopes.join(' ')})`))
              .join(' and '),
      )
      .join(', or ');
  if (!clientsBreak && !headLetsInMore) {
    return [
      {
        kind: 'security-changed',
        operation,
        where: toPointer(['paths', path, method, 'security']),
        sentence: `${operation}: its security was rewritten (${show(base)} to ${show(head)}) and accepts the same credentials.`,
        ...both('compatible'),
      },
    ];
  }
  return [
    {
      kind: clientsBreak ? 'security-requirement-added' : 'security-requirement-removed',
      operation,
      where: toPointer(['paths', path, method, 'security']),
      sentence: `${operation}: the credentials it asks for changed from ${show(base)} to ${show(head)}.`,
      clients: clientsBreak ? 'breaking' : 'compatible',
      implementations: 'breaking',
    },
  ];
}

/** A change outside the operations: servers, security schemes, the document's metadata. */
function documentChange(change: StructuralChange, versions: Versions): Found[] {
  const [area, key, field] = change.path;
  const where = toPointer(change.path);
  const verb = change.action === 'add' ? 'added' : change.action === 'remove' ? 'removed' : 'changed';
  const make = (kind: string, sentence: string, verdict: Pick<DocumentChange, Side>): Found[] => [
    { kind, where, sentence, ...verdict },
  ];
  if (area === 'servers') {
    // Only the base path matters to the contract: the kit judges any host, but a path moves every operation.
    type Server = { url?: string; variables?: Record<string, { default?: unknown }> };
    // A server variable stands for its default, as clients and the mock substitute it.
    const substituted = (server: Server) =>
      (server.url ?? '/').replace(/\{([^}]+)\}/g, (whole, name: string) => String(server.variables?.[name]?.default ?? whole));
    const basePaths = (document: Json) =>
      new Set(((document.servers as Server[] | undefined) ?? [{ url: '/' }]).map((server) => basePathOf(substituted(server))));
    const before = basePaths(versions.base);
    const after = basePaths(versions.head);
    const moved = before.size !== after.size || [...before].some((path) => !after.has(path));
    return make(
      moved ? 'servers-base-path-changed' : 'servers-changed',
      moved
        ? `The servers' base paths changed from ${[...before].join(', ')} to ${[...after].join(', ')}: every operation moves.`
        : `A server was ${verb} (${where}); the base paths stay ${[...after].join(', ')}.`,
      both(moved ? 'breaking' : 'compatible'),
    );
  }
  if (area === 'components' && key === 'securitySchemes' && typeof field === 'string') {
    const sub = change.path[3];
    const wire = sub === undefined || sub === 'type' || sub === 'scheme' || sub === 'in' || sub === 'name';
    // Added or removed whole, a scheme matters where an operation asks for it (its security is compared there).
    if (sub === undefined)
      return make(`security-scheme-${verb}`, `The security scheme ${field} was ${verb}.`, both('compatible'));
    if (!wire)
      return make(
        `security-scheme-${String(sub)}-${verb}`,
        `The security scheme ${field}: ${String(sub)} ${verb}.`,
        both('compatible'),
      );
    return [
      {
        kind: 'security-scheme-changed',
        where: toPointer(['components', 'securitySchemes', field]),
        sentence: `The security scheme ${field} changed how credentials are sent (its type, scheme, place or name): every operation that asks for it changes.`,
        ...both('breaking'),
      },
    ];
  }
  if (area === 'components') return []; // seen where an operation uses it, or unused.
  if (area === 'webhooks')
    return make(`webhooks-${verb}`, `A webhook was ${verb} (${where}); the kit does not judge webhooks.`, both('unknown'));
  if (area === 'info' && key === 'version') {
    return make(
      'info-version-changed',
      `The document's version went from ${String(change.before)} to ${String(change.after)}.`,
      both('compatible'),
    );
  }
  if (area === 'jsonSchemaDialect')
    return make('json-schema-dialect-changed', "The document's JSON Schema dialect changed.", both('unknown'));
  return make(`${String(area)}-${verb}`, `${where} ${verb}.`, both('compatible'));
}

/** The path of a server URL, without a trailing slash ("https://x/api/" is "/api"); variables kept as written. */
function basePathOf(url: string): string {
  const path = /^[a-z][a-z0-9+.-]*:\/\/[^/]*(\/.*)?$/i.exec(url)?.[1] ?? (url.startsWith('/') ? url : '/');
  return path.replace(/\/+$/, '') || '/';
}
