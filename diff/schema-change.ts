// What a change inside a schema does to the set of values the schema accepts: it widens it, narrows it, does
// both, leaves it alone (an annotation), or cannot be told from the text (a pattern replaced by another). Which
// side that breaks depends on the direction (diff/classify-change.ts): a narrowed request breaks the clients that
// send it, a widened one the implementations that read it; a response the other way round.

export type Effect = 'widen' | 'narrow' | 'both' | 'none' | 'unknown';

export interface SchemaChangeInput {
  readonly action: 'add' | 'remove' | 'replace';
  /** The segments below the schema: ["properties", "mfaType", "enum", 3]. */
  readonly segments: readonly (string | number)[];
  readonly before?: unknown;
  readonly after?: unknown;
  readonly direction: 'request' | 'response';
  /** The schema that holds a property added or removed, in BASE and in HEAD, $refs followed. */
  readonly holder?: { readonly base?: unknown; readonly head?: unknown };
}

export interface SchemaChange {
  readonly effect: Effect;
  /** The kind without its area: "enum-value-added", "property-removed". */
  readonly kind: string;
  /** Where in the schema, as a reader names it: "mfaType", "items[]", "oneOf[1].code"; "" for the schema itself. */
  readonly subject: string;
  /** What changed, as a phrase: "enum value SMS added". */
  readonly phrase: string;
}

/** Keywords whose next segment is a schema. */
const SCHEMA_KEYWORDS = new Set([
  'items',
  'additionalProperties',
  'not',
  'contains',
  'propertyNames',
  'if',
  'then',
  'else',
  'unevaluatedItems',
  'unevaluatedProperties',
]);
/** Keywords whose next segment is a name, then a schema. */
const NAMED_SCHEMA_KEYWORDS = new Set(['properties', 'patternProperties', 'dependentSchemas', '$defs', 'definitions']);
/** Keywords whose next segment is an index, then a schema. */
const LISTED_SCHEMA_KEYWORDS = new Set(['oneOf', 'anyOf', 'allOf', 'prefixItems']);
/** Keywords that describe and never constrain: a change to them is compatible on both sides. */
const ANNOTATIONS = new Set([
  'description',
  'title',
  'example',
  'examples',
  'deprecated',
  'default',
  'externalDocs',
  'xml',
  '$comment',
  'x-enumDescriptions',
]);
const LOWER_BOUNDS = new Set(['minimum', 'exclusiveMinimum', 'minLength', 'minItems', 'minProperties', 'minContains']);
const UPPER_BOUNDS = new Set(['maximum', 'exclusiveMaximum', 'maxLength', 'maxItems', 'maxProperties', 'maxContains']);

const show = (value: unknown): string => (typeof value === 'string' ? value : JSON.stringify(value));

/** Splits the segments into where in the schema (a reader's name for it) and the keyword that changed. */
function locate(segments: readonly (string | number)[]): {
  subject: string;
  rest: readonly (string | number)[];
  insideNot: boolean;
} {
  let subject = '';
  let insideNot = false;
  let at = 0;
  const join = (part: string) => {
    subject = subject === '' || part.startsWith('[') ? `${subject}${part}` : `${subject}.${part}`;
  };
  while (at < segments.length) {
    const keyword = String(segments[at]);
    const next = segments[at + 1];
    if (SCHEMA_KEYWORDS.has(keyword) && next !== undefined) {
      if (keyword === 'not' || keyword === 'if' || keyword === 'then' || keyword === 'else') insideNot = true;
      join(keyword === 'items' ? '[]' : keyword === 'additionalProperties' ? '{*}' : `(${keyword})`);
      at += 1;
    } else if (NAMED_SCHEMA_KEYWORDS.has(keyword) && next !== undefined && segments[at + 2] !== undefined) {
      join(keyword === 'properties' ? String(next) : `(${keyword} ${String(next)})`);
      at += 2;
    } else if (LISTED_SCHEMA_KEYWORDS.has(keyword) && typeof next === 'number' && segments[at + 2] !== undefined) {
      join(`${keyword}[${next}]`);
      at += 2;
    } else break;
  }
  return { subject, rest: segments.slice(at), insideNot };
}

/** The set of types a `type` keyword (and OpenAPI 3.0's nullable) admits; integer is inside number. */
function typeSet(value: unknown): Set<string> {
  if (typeof value === 'string') return new Set([value]);
  if (Array.isArray(value)) return new Set(value.map(String));
  return new Set();
}

function compareSets(before: Set<string>, after: Set<string>, covers = (_a: string, _b: string) => false): Effect {
  const admitted = (set: Set<string>, value: string) => set.has(value) || [...set].some((other) => covers(other, value));
  const added = [...after].some((value) => !admitted(before, value));
  const removed = [...before].some((value) => !admitted(after, value));
  return added && removed ? 'both' : added ? 'widen' : removed ? 'narrow' : 'none';
}

const numberCovers = (wide: string, narrow: string) => wide === 'number' && narrow === 'integer';

/** A bound added narrows (a lower bound) and removed widens; moved, it narrows or widens by where it went. */
function boundEffect(keyword: string, action: SchemaChangeInput['action'], before: unknown, after: unknown): Effect {
  if (typeof before === 'boolean' || typeof after === 'boolean') {
    // OpenAPI 3.0's exclusiveMinimum: true makes the bound exclusive.
    return after === true ? 'narrow' : before === true ? 'widen' : 'none';
  }
  if (action === 'add') return 'narrow';
  if (action === 'remove') return 'widen';
  if (typeof before !== 'number' || typeof after !== 'number') return 'unknown';
  const raised = after > before;
  return after === before ? 'none' : LOWER_BOUNDS.has(keyword) === raised ? 'narrow' : 'widen';
}

/** What one structural change inside a schema does to the values it accepts. */
export function schemaChange(input: SchemaChangeInput): SchemaChange {
  const { action, before, after } = input;
  const { subject, rest, insideNot } = locate(input.segments);
  const [head, index] = rest;
  const keyword = head === undefined ? '' : String(head);
  const element = typeof index === 'number';
  const result = (effect: Effect, kind: string, phrase: string): SchemaChange => ({
    // Under not, if, then or else a narrowing can widen what the whole schema accepts: the text cannot tell.
    effect: insideNot && effect !== 'none' ? 'unknown' : effect,
    kind,
    subject,
    phrase,
  });
  const verb = action === 'add' ? 'added' : action === 'remove' ? 'removed' : 'changed';

  if (keyword === '') {
    // The schema itself: none before accepts anything, so adding one narrows.
    return result(action === 'add' ? 'narrow' : action === 'remove' ? 'widen' : 'unknown', `schema-${verb}`, `schema ${verb}`);
  }
  if (ANNOTATIONS.has(keyword) || keyword.startsWith('x-')) {
    return result('none', `${keyword === 'examples' ? 'example' : keyword}-${verb}`, `${keyword} ${verb}`);
  }
  if (keyword === 'properties' && rest.length === 2) return propertyChange(input, String(index), subject, result);
  if (keyword === 'properties' && rest.length === 1) {
    return result(
      action === 'add' ? 'widen' : action === 'remove' ? 'narrow' : 'unknown',
      `properties-${verb}`,
      `properties ${verb}`,
    );
  }
  if (keyword === 'enum' || keyword === 'required' || (keyword === 'type' && element)) {
    const noun = keyword === 'enum' ? 'enum value' : keyword === 'required' ? 'required property' : 'type';
    // An element of the list: a required name added narrows, an enum value or a type added widens.
    const addNarrows = keyword === 'required';
    if (element && action !== 'replace') {
      const value = action === 'add' ? after : before;
      const widens = (action === 'add') !== addNarrows;
      const kind =
        keyword === 'enum' ? `enum-value-${verb}` : keyword === 'required' ? `required-property-${verb}` : `type-${verb}`;
      return result(widens ? 'widen' : 'narrow', kind, `${noun} ${show(value)} ${verb}`);
    }
    if (element || action === 'replace') {
      const [was, is] = element ? [[before], [after]] : [before, after];
      const effect = compareSets(typeSet(was), typeSet(is), keyword === 'type' ? numberCovers : undefined);
      const flipped =
        addNarrows && (effect === 'widen' || effect === 'narrow') ? (effect === 'widen' ? 'narrow' : 'widen') : effect;
      return result(flipped, `${keyword}-changed`, `${keyword} ${show(was)} became ${show(is)}`);
    }
    // The whole list added or removed: a constraint where there was none, or none where there was one.
    const effect = action === 'add' ? 'narrow' : 'widen';
    return result(effect, `${keyword}-${verb}`, `${keyword} ${show(action === 'add' ? after : before)} ${verb}`);
  }
  if (keyword === 'type') {
    if (action === 'add') return result('narrow', 'type-added', `type ${show(after)} added`);
    if (action === 'remove') return result('widen', 'type-removed', `type ${show(before)} removed`);
    return result(
      compareSets(typeSet(before), typeSet(after), numberCovers),
      'type-changed',
      `type ${show(before)} became ${show(after)}`,
    );
  }
  if (keyword === 'nullable') {
    return result(
      after === true ? 'widen' : before === true ? 'narrow' : 'none',
      'nullable-changed',
      `nullable ${show(before ?? false)} became ${show(after ?? false)}`,
    );
  }
  if (keyword === 'const') {
    return result(
      action === 'add' ? 'narrow' : action === 'remove' ? 'widen' : 'both',
      `const-${verb}`,
      `const ${verb} (${show(before ?? after)}${action === 'replace' ? ` to ${show(after)}` : ''})`,
    );
  }
  if (keyword === 'format' || keyword === 'pattern') {
    // A format or a pattern replaced by another may accept more, less or other values: only sending shows which.
    const effect = action === 'add' ? 'narrow' : action === 'remove' ? 'widen' : 'unknown';
    const phrase =
      action === 'replace' ? `${keyword} ${show(before)} became ${show(after)}` : `${keyword} ${show(before ?? after)} ${verb}`;
    return result(effect, `${keyword}-${verb}`, phrase);
  }
  if (LOWER_BOUNDS.has(keyword) || UPPER_BOUNDS.has(keyword)) {
    const effect = boundEffect(keyword, action, before, after);
    const moved = action !== 'replace' ? verb : effect === 'narrow' ? 'tightened' : effect === 'widen' ? 'loosened' : verb;
    const phrase =
      action === 'replace' ? `${keyword} ${show(before)} became ${show(after)}` : `${keyword} ${show(before ?? after)} ${verb}`;
    return result(effect, `${keyword}-${moved}`, phrase);
  }
  if (keyword === 'multipleOf') {
    let effect: Effect = action === 'add' ? 'narrow' : action === 'remove' ? 'widen' : 'both';
    if (action === 'replace' && typeof before === 'number' && typeof after === 'number') {
      effect = Number.isInteger(after / before) ? 'narrow' : Number.isInteger(before / after) ? 'widen' : 'both';
    }
    return result(effect, `multipleOf-${verb}`, `multipleOf ${show(before ?? after)} ${verb}`);
  }
  if (keyword === 'uniqueItems') {
    return result(
      after === true ? 'narrow' : before === true ? 'widen' : 'none',
      'uniqueItems-changed',
      `uniqueItems ${show(before ?? false)} became ${show(after ?? false)}`,
    );
  }
  if (keyword === 'additionalProperties' && rest.length === 1) {
    const effect =
      after === false || (action === 'add' && after !== true)
        ? 'narrow'
        : before === false || action === 'remove'
          ? 'widen'
          : 'unknown';
    return result(
      effect,
      `additionalProperties-${verb}`,
      `additionalProperties ${show(before ?? true)} became ${show(after ?? true)}`,
    );
  }
  if ((keyword === 'items' || keyword === 'contains' || keyword === 'propertyNames') && rest.length === 1) {
    return result(
      action === 'add' ? 'narrow' : action === 'remove' ? 'widen' : 'unknown',
      `${keyword}-${verb}`,
      `${keyword} ${verb}`,
    );
  }
  if (keyword === 'oneOf' || keyword === 'anyOf' || keyword === 'allOf') {
    // A branch of oneOf or anyOf admits more values; one of allOf admits fewer. The whole list added constrains.
    if (element && action !== 'replace') {
      const widens = (action === 'add') === (keyword !== 'allOf');
      return result(widens ? 'widen' : 'narrow', `${keyword}-branch-${verb}`, `${keyword} branch ${verb}`);
    }
    return result(
      action === 'add' ? 'narrow' : action === 'remove' ? 'widen' : 'unknown',
      `${keyword}-${verb}`,
      `${keyword} ${verb}`,
    );
  }
  // readOnly and writeOnly move a property between directions, discriminator changes which branch judges, and
  // the rest (not, if/then/else, dependent*, unevaluated*, $ref) do not order: the execution check judges them.
  return result('unknown', `${keyword}-${verb}`, `${keyword} ${verb}`);
}

/**
 * A property added to or removed from `properties`. A request property added must now be read (implementations);
 * one removed is no longer read, or is refused where additionalProperties is false (clients). A response property
 * removed breaks the clients that read it; one added changes nothing unless BASE closed the object.
 */
function propertyChange(
  input: SchemaChangeInput,
  name: string,
  parent: string,
  result: (effect: Effect, kind: string, phrase: string) => SchemaChange,
): SchemaChange {
  const closed = (schema: unknown) =>
    schema !== null && typeof schema === 'object' && (schema as Record<string, unknown>).additionalProperties === false;
  const named = (effect: Effect, kind: string, phrase: string) => ({ ...result(effect, kind, phrase), subject: parent });
  if (input.action === 'replace') return named('unknown', 'property-changed', `property ${name} replaced`);
  if (input.action === 'add') {
    if (input.direction === 'request') return named('widen', 'property-added', `property ${name} added`);
    return named(closed(input.holder?.base) ? 'widen' : 'none', 'property-added', `property ${name} added`);
  }
  if (input.direction === 'request') return named('narrow', 'property-removed', `property ${name} removed`);
  return named('widen', 'property-removed', `property ${name} removed`);
}
