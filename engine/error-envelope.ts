// The body every refusal the kit sends (mock, proxy, fixtures) comes in, and the schema a refusal is judged by:
// the gap policy's envelope when it names one, else the document's own documented error responses.

import { type Contract, resolvePointer, type SchemaObject } from './contract.ts';
import { ContractLoadError } from './contract-error.ts';
import type { GapPolicy } from './gap-policy.ts';
import { isJsonMediaType } from './media-type.ts';
import { schemaFor } from './schema-dialect.ts';
import { validValue } from './valid-value.ts';

export interface ErrorEnvelope {
  readonly contentType: string;
  /** The schema a refusal is judged by; absent when neither the policy nor the document names one. */
  readonly schema?: SchemaObject;
  /** Where the schema is, "#/components/schemas/EnableMfaError". */
  readonly schemaPointer?: string;
  readonly flagProperty?: string;
  readonly messageProperty?: string;
  /** Where the envelope was decided, for reports: the policy's /errorEnvelope or the document's response. */
  readonly decidedBy: 'policy' | 'document' | 'none';
}

const MESSAGE_NAMES = ['error', 'message', 'detail', 'title', 'description', 'msg'];
const FLAG_NAMES = ['success', 'ok'];

/** The envelope of a contract under a policy; ContractLoadError when the policy names a schema the document lacks. */
export function envelopeFor(contract: Contract, policy: GapPolicy): ErrorEnvelope {
  const dialect = contract.document.openapi.startsWith('3.0') ? '3.0' : '3.1';
  if (policy.errorEnvelope) {
    const { schema: pointer, flagProperty, messageProperty } = policy.errorEnvelope;
    const schema = resolvePointer(contract.document, pointer);
    if (schema === null || typeof schema !== 'object') {
      throw new ContractLoadError(
        `The gap policy's errorEnvelope.schema ${pointer} names no schema in ${contract.documentPath}; expected e.g. #/components/schemas/Error, or leave errorEnvelope out to take the document's own error responses.`,
      );
    }
    return {
      contentType: 'application/json',
      schema: schemaFor(schema, dialect),
      schemaPointer: pointer,
      ...(flagProperty === undefined ? {} : { flagProperty }),
      ...(messageProperty === undefined ? {} : { messageProperty }),
      decidedBy: 'policy',
    };
  }
  // The schema most of the documented 4xx, 5xx and default JSON responses share, if any.
  const counts = new Map<SchemaObject, { count: number; pointer: string; contentType: string }>();
  for (const operation of contract.operations) {
    for (const response of operation.responses) {
      if (response.status < 400 || !response.contentType || !isJsonMediaType(response.contentType)) continue;
      const properties = response.schema.properties;
      if (properties === null || typeof properties !== 'object') continue;
      const known = counts.get(response.schema);
      counts.set(response.schema, {
        count: (known?.count ?? 0) + 1,
        pointer: known?.pointer ?? `#${response.schemaPointer}`,
        contentType: known?.contentType ?? response.contentType,
      });
    }
  }
  const best = [...counts].sort((a, b) => b[1].count - a[1].count)[0];
  if (!best) return { contentType: 'application/json', decidedBy: 'none' };
  const [schema, { pointer, contentType }] = best;
  const properties = schema.properties as Record<string, SchemaObject>;
  const named = (names: string[], type: string): string | undefined =>
    names.find((name) => {
      const property = properties[name];
      return property !== undefined && (property.type === type || (Array.isArray(property.type) && property.type.includes(type)));
    });
  const messageProperty = named(MESSAGE_NAMES, 'string');
  const flagProperty = named(FLAG_NAMES, 'boolean');
  return {
    contentType,
    schema,
    schemaPointer: pointer,
    ...(messageProperty === undefined ? {} : { messageProperty }),
    ...(flagProperty === undefined ? {} : { flagProperty }),
    decidedBy: 'document',
  };
}

/** A refusal's body in the envelope: the sentence in its message property, false in its flag, the rest valid. */
export function envelopeBody(envelope: ErrorEnvelope, sentence: string, status: number): string {
  if (envelope.decidedBy === 'policy' && envelope.flagProperty && envelope.messageProperty) {
    return JSON.stringify({ [envelope.flagProperty]: false, [envelope.messageProperty]: sentence });
  }
  if (!envelope.schema) return JSON.stringify({ error: sentence, status });
  const base = validValue(envelope.schema);
  const body: Record<string, unknown> = base !== null && typeof base === 'object' && !Array.isArray(base) ? { ...base } : {};
  const properties = (envelope.schema.properties ?? {}) as Record<string, SchemaObject>;
  for (const [name, property] of Object.entries(properties)) {
    // RFC 9457's status member, or any integer property so named, carries the status it came with.
    if (name === 'status' && (property.type === 'integer' || property.type === 'number')) body[name] = status;
    else if (MESSAGE_NAMES.includes(name) && property.type === 'string' && name in body) body[name] = sentence;
  }
  if (envelope.messageProperty) body[envelope.messageProperty] = sentence;
  if (envelope.flagProperty) body[envelope.flagProperty] = false;
  return JSON.stringify(body);
}
