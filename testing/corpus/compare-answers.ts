// How the differential judges one request's two answers: the status classes must agree, and each answer must
// carry the response headers the document marks required for its status, as Prism's does. Pure, so that it is
// tested without a server (testing/prism-differential.test.ts).
import type { CorpusRequest, Situation } from './generate-requests.ts';
import { documentedResponse } from './read-operations.ts';

/** An answer as the differential keeps it: the status and the header names, or why none came. */
export type Answer =
  | {
      readonly kind: 'answered';
      readonly status: number;
      readonly headers: Readonly<Record<string, string>>;
      readonly body: string;
    }
  | { readonly kind: 'failed'; readonly reason: string };

export type StatusClass = '1xx' | '2xx' | '3xx' | '4xx' | '5xx' | 'no answer';

/** What went different between Prism's answer and the kit's. */
export type Difference =
  | { readonly kind: 'status-class'; readonly prism: StatusClass; readonly kit: StatusClass }
  | { readonly kind: 'required-header'; readonly header: string; readonly missingFrom: 'kit' | 'prism' }
  /** `Prefer: code=N` for a documented N: Prism answers N, and so must the kit (a class agreeing by chance is not enough). */
  | { readonly kind: 'preferred-status'; readonly asked: number; readonly kit: number }
  /** A success the operation does not document (a 200 where only 204 is), while Prism's answer is documented. */
  | { readonly kind: 'undocumented-success'; readonly prism: number; readonly kit: number };

export interface Comparison {
  readonly situation: Situation;
  /** Both statuses equal. */
  readonly sameStatus: boolean;
  readonly differences: readonly Difference[];
}

export function statusClass(answer: Answer): StatusClass {
  if (answer.kind === 'failed') return 'no answer';
  return `${String(answer.status)[0]}xx` as StatusClass;
}

/** The documented required headers an answer lacks, for the status it has. */
export function missingRequiredHeaders(request: CorpusRequest, answer: Answer): string[] {
  if (answer.kind === 'failed' || !request.operation) return [];
  const documented = documentedResponse(request.operation, answer.status);
  return (documented?.requiredHeaders ?? []).filter((name) => answer.headers[name] === undefined);
}

/** Compares Prism's answer with the kit's for one request. */
export function compareAnswers(request: CorpusRequest, prism: Answer, kit: Answer): Comparison {
  const differences: Difference[] = [];
  const prismClass = statusClass(prism);
  const kitClass = statusClass(kit);
  if (prismClass !== kitClass) differences.push({ kind: 'status-class', prism: prismClass, kit: kitClass });
  else {
    // Headers are compared only where the classes agree: a refusal carries none of a success's headers.
    const prismMissing = new Set(missingRequiredHeaders(request, prism));
    const kitMissing = new Set(missingRequiredHeaders(request, kit));
    for (const header of kitMissing)
      if (!prismMissing.has(header)) differences.push({ kind: 'required-header', header, missingFrom: 'kit' });
    for (const header of prismMissing)
      if (!kitMissing.has(header)) differences.push({ kind: 'required-header', header, missingFrom: 'prism' });
  }
  if (prism.kind === 'answered' && kit.kind === 'answered' && prismClass === kitClass) {
    const asked = /code=(\d{3})/.exec(request.headers.prefer ?? '')?.[1];
    if (
      request.situation === 'prefer-code' &&
      asked !== undefined &&
      prism.status === Number(asked) &&
      kit.status !== prism.status
    )
      differences.push({ kind: 'preferred-status', asked: prism.status, kit: kit.status });
    else if (
      kitClass === '2xx' &&
      request.operation &&
      !documentsSuccess(request, kit.status) &&
      documentsSuccess(request, prism.status)
    )
      differences.push({ kind: 'undocumented-success', prism: prism.status, kit: kit.status });
  }
  const sameStatus = prism.kind === 'answered' && kit.kind === 'answered' && prism.status === kit.status;
  return { situation: request.situation, sameStatus, differences };
}

/** Whether the operation documents this success status, exactly or by its range (2XX); `default` does not count. */
function documentsSuccess(request: CorpusRequest, status: number): boolean {
  const documented = request.operation ? documentedResponse(request.operation, status) : undefined;
  return documented !== undefined && documented.status !== 'default';
}
