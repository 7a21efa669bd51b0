import { isAbsolute } from 'node:path';

/** What a contract run was asked to do. */
export interface ContractSettings {
  readonly baseUrl: string;
  readonly token?: string | undefined;
  readonly timeoutMs: number;
  readonly strict: boolean;
  readonly allowMutations: boolean;
  readonly documentPath: string;
  /** The gap policy; absent: the kit's own for the kit's document, the default policy for any other. */
  readonly policyPath?: string | undefined;
  /** Credentials by security scheme name (an API key, user:password for basic); CONTRACT_TOKEN serves the rest. */
  readonly credentials?: Readonly<Record<string, string>>;
}

/** The longest a timer can wait in Node.js (2^31 - 1 ms, about 24.8 days); a longer one fires at once. */
export const MAX_TIMEOUT_MS = 2 ** 31 - 1;

/** The first problem with a run's settings as one sentence, or undefined; the CLI and the core both ask it. */
export function settingsProblem(settings: ContractSettings): string | undefined {
  let url: URL;
  try {
    url = new URL(settings.baseUrl);
  } catch {
    return `The base URL "${settings.baseUrl.replace(/\/\/[^/@]*@/, '//…@')}" is not an absolute URL; expected e.g. http://127.0.0.1:4010.`;
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return `The base URL must use http or https; got "${url.protocol}".`;
  if (!Number.isInteger(settings.timeoutMs) || settings.timeoutMs < 1 || settings.timeoutMs > MAX_TIMEOUT_MS) {
    return `The timeout must be a whole number of milliseconds from 1 to ${MAX_TIMEOUT_MS} (the longest a timer can wait); got ${settings.timeoutMs}.`;
  }
  if (!isAbsolute(settings.documentPath) || (settings.policyPath !== undefined && !isAbsolute(settings.policyPath))) {
    return 'The document and gap policy paths must be absolute.';
  }
  return undefined;
}

/** True for hosts whose traffic never leaves this machine: 127.0.0.0/8, ::1 and localhost. */
export function isLoopbackUrl(baseUrl: string): boolean {
  const host = new URL(baseUrl).hostname.replace(/^\[|\]$/g, '').toLowerCase();
  return host === 'localhost' || host.endsWith('.localhost') || host === '::1' || /^127(?:\.\d{1,3}){3}$/.test(host);
}
