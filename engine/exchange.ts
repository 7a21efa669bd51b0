// One request and its answer as plain values: what the suite sent and got, or what the proxy saw pass. The
// response checks judge these, whichever tool recorded them.

/** The suite reads at most this much of a body, and the proxy keeps at most this much of a copy. */
export const MAX_BODY_BYTES = 1024 * 1024;

/** How much of a request body a record keeps: an oversized case's 1 MiB stays out of reports and consoles. */
export const RECORDED_BODY_CHARS = 4096;

export interface RecordedRequest {
  readonly method: string;
  readonly url: string;
  /** As sent, with credentials shown as placeholders ($CONTRACT_TOKEN). */
  readonly headers: Readonly<Record<string, string>>;
  /** The body as sent, or its first RECORDED_BODY_CHARS characters when it was longer (see bodySize). */
  readonly body?: string;
  /** Set when the recorded body was cut: how many characters were sent. */
  readonly bodySize?: number;
  /** A request sent as raw bytes on a socket (a malformed request), shown instead of headers and body. */
  readonly raw?: string;
}

export interface RecordedResponse {
  readonly status: number;
  readonly headers: Readonly<Record<string, string>>;
  /** The body as text (UTF-8, decoded from gzip, deflate or br), at most MAX_BODY_BYTES of it: redact before showing it. */
  readonly body: string;
  readonly truncated: boolean;
  readonly durationMs: number;
}

/**
 * Why no answer came. 'unreachable': no connection could be made at all (refused, unknown host, TLS failure),
 * which on a run's first request means there is nothing to judge; 'connection': one was made, then dropped.
 */
export type FailureKind = 'timeout' | 'connection' | 'unreachable';

/** One request and what came back: a response, or the reason none did. Never thrown. */
export interface Exchange {
  readonly request: RecordedRequest;
  readonly response?: RecordedResponse;
  readonly failure?: { readonly kind: FailureKind; readonly message: string };
}
