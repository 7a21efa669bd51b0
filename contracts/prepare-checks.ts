import { relative } from 'node:path';
import { type Contract, loadContract, loadGapPolicy } from '../openapi/index.ts';
import { createValidatorCache } from './compile-validators.ts';
import type { ContractSettings } from './contract-settings.ts';
import type { CheckContext } from './find-violations.ts';

/** Loads the document and the gap policy a run was given, and what every check needs from them. */
export async function prepareChecks(settings: ContractSettings): Promise<{ contract: Contract; context: CheckContext }> {
  const contract = await loadContract(settings.documentPath);
  const policy = loadGapPolicy(settings.policyPath);
  return {
    contract,
    context: {
      policy,
      strict: settings.strict,
      validatorFor: createValidatorCache(),
      documentLabel: relative(process.cwd(), contract.documentPath),
      policyLabel: relative(process.cwd(), policy.path),
    },
  };
}
