import type { EngineChoice, EngineRequest, EngineResult, PrismEngine } from '../prism/engine.ts';

/**
 * Headers that say how a request travelled, not what it asks. Prism reads none of them (it validates
 * security, content type, accept and documented header parameters), so they stay out of the cache key and
 * one browser's requests share entries with curl's.
 */
const TRANSPORT_HEADERS = new Set([
  'host',
  'connection',
  'keep-alive',
  'content-length',
  'transfer-encoding',
  'user-agent',
  'accept-encoding',
  'accept-language',
  'origin',
  'referer',
  'cache-control',
  'pragma',
  'prefer',
]);

/** Bodies larger than this are answered afresh: keys stay small, and big bodies are rare in a mock. */
const MAX_KEYED_BODY_CHARS = 4096;

/**
 * Remembers Prism's answers. With `dynamic: false` Prism is a pure function of the request and the chosen
 * example, and its fp-ts validation pipeline is most of the mock's cost per request (docs/decisions/0005).
 * The cache holds at most `capacity` entries, least recently used first out, so memory stays flat under any
 * traffic, random traffic included.
 */
export function memoizeAnswers(engine: PrismEngine, capacity = 1000): PrismEngine {
  const answers = new Map<string, Promise<EngineResult>>();
  return {
    answer(request, choice) {
      const key = cacheKey(request, choice);
      if (key === undefined) return engine.answer(request, choice);
      const cached = answers.get(key);
      if (cached) {
        // Re-insert to mark it most recently used: a Map iterates in insertion order.
        answers.delete(key);
        answers.set(key, cached);
        return cached;
      }
      const pending = engine.answer(request, choice);
      answers.set(key, pending);
      if (answers.size > capacity) answers.delete(answers.keys().next().value as string);
      pending.catch(() => answers.delete(key));
      return pending;
    },
  };
}

function cacheKey(request: EngineRequest, choice: EngineChoice): string | undefined {
  const body = request.body === undefined ? '' : JSON.stringify(request.body);
  if (body.length > MAX_KEYED_BODY_CHARS) return undefined;
  const headers = Object.entries(request.headers)
    .filter(([name]) => !TRANSPORT_HEADERS.has(name) && !name.startsWith('sec-') && !name.startsWith('access-control-'))
    .sort(([a], [b]) => (a < b ? -1 : 1));
  const query = Object.entries(request.query).sort(([a], [b]) => (a < b ? -1 : 1));
  return JSON.stringify([
    request.method,
    request.path,
    query,
    headers,
    typeof request.body,
    body,
    choice.exampleKey ?? null,
    choice.status ?? null,
  ]);
}
