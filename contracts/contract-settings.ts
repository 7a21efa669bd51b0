import { lookup } from 'node:dns/promises';
import { BlockList, isIP } from 'node:net';
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

/**
 * True for hosts that only this machine can reach when a server listens there: 127.0.0.0/8, ::1 and localhost.
 * 0.0.0.0 is not among them, as a server listening there is reachable on every interface; where a client's
 * requests go is isThisMachineUrl's question.
 */
export function isLoopbackUrl(baseUrl: string): boolean {
  const host = new URL(baseUrl).hostname.replace(/^\[|\]$/g, '').toLowerCase();
  return host === 'localhost' || host.endsWith('.localhost') || host === '::1' || /^127(?:\.\d{1,3}){3}$/.test(host);
}

// Addresses a connection to which never leaves this machine: the loopback block, ::1, and the unspecified
// addresses 0.0.0.0 and ::, which a connect() sends to this machine. BlockList also matches the IPv4-mapped
// forms (::ffff:127.0.0.1, which the URL parser writes as ::ffff:7f00:1).
const THIS_MACHINE = new BlockList();
THIS_MACHINE.addSubnet('127.0.0.0', 8, 'ipv4');
THIS_MACHINE.addAddress('0.0.0.0', 'ipv4');
THIS_MACHINE.addAddress('::1', 'ipv6');
THIS_MACHINE.addAddress('::', 'ipv6');

/** How long a name may take to resolve before the host is taken as remote (the cautious answer). */
export const LOCAL_LOOKUP_TIMEOUT_MS = 2000;

/** Resolves a name to every address it has; the same shape as node:dns/promises lookup with all: true. */
export type LookupAll = (hostname: string) => Promise<readonly { readonly address: string }[]>;

const lookupAll: LookupAll = (hostname) => lookup(hostname, { all: true });

/** True for an address literal or a name that reaches this machine without asking any resolver. */
function isThisMachineLiteral(host: string): boolean {
  const family = isIP(host);
  if (family !== 0) return THIS_MACHINE.check(host, family === 6 ? 'ipv6' : 'ipv4');
  return host === 'localhost' || host.endsWith('.localhost');
}

/**
 * True when a base URL's requests reach this machine: 127.0.0.0/8, ::1, 0.0.0.0, ::, their IPv4-mapped forms,
 * localhost, and names that resolve only to those (resolved with a bound of `timeoutMs`; a name that does not
 * resolve in time, or not at all, is taken as remote). Unlike isLoopbackUrl, which asks where a server listens
 * (0.0.0.0 there means every interface), this asks where a client's requests go.
 */
export async function isThisMachineUrl(
  baseUrl: string,
  options: { readonly lookup?: LookupAll; readonly timeoutMs?: number } = {},
): Promise<boolean> {
  // A trailing dot names the same host as a fully qualified name ("localhost.").
  const host = new URL(baseUrl).hostname
    .replace(/^\[|\]$/g, '')
    .replace(/\.$/, '')
    .toLowerCase();
  if (isThisMachineLiteral(host)) return true;
  if (isIP(host) !== 0) return false;
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<undefined>((resolve) => {
    timer = setTimeout(resolve, options.timeoutMs ?? LOCAL_LOOKUP_TIMEOUT_MS, undefined);
  });
  try {
    const addresses = await Promise.race([(options.lookup ?? lookupAll)(host).catch(() => undefined), late]);
    return addresses !== undefined && addresses.length > 0 && addresses.every(({ address }) => isThisMachineLiteral(address));
  } finally {
    clearTimeout(timer);
  }
}

/** How an environment variable names a security scheme: CONTRACT_CREDENTIAL_<this> ("api-key" → "API_KEY"). */
export function credentialVariable(schemeName: string): string {
  return schemeName.toUpperCase().replace(/[^A-Z0-9]/g, '_');
}
