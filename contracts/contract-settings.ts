/** What a contract run was asked to do; handed from the CLI to the test file through vitest's provide/inject. */
export interface ContractSettings {
  readonly baseUrl: string;
  readonly token?: string;
  readonly timeoutMs: number;
  readonly strict: boolean;
  readonly allowMutations: boolean;
  readonly documentPath: string;
  readonly policyPath: string;
}

/** What each contract test leaves in its task meta for the reporters: plain JSON, redacted. */
export interface ContractTestMeta {
  readonly caseId: string;
  readonly kind: string;
  readonly check: string;
  readonly violations: readonly import('./violations.ts').Violation[];
  readonly exchange?: import('./call-operation.ts').Exchange;
}

declare module 'vitest' {
  export interface ProvidedContext {
    contractSettings: ContractSettings;
  }
  interface TaskMeta {
    contract?: ContractTestMeta;
  }
}

/** True for hosts whose traffic never leaves this machine: 127.0.0.0/8, ::1 and localhost. */
export function isLoopbackUrl(baseUrl: string): boolean {
  const host = new URL(baseUrl).hostname.replace(/^\[|\]$/g, '').toLowerCase();
  return host === 'localhost' || host.endsWith('.localhost') || host === '::1' || /^127(?:\.\d{1,3}){3}$/.test(host);
}
