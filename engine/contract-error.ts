/** Thrown when the contract document or the gap policy cannot be used: misuse, not a finding about an implementation. */
export class ContractLoadError extends Error {
  override readonly name = 'ContractLoadError';
}
