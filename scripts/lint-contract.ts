import { ContractLoadError, envelopeFor } from '../engine/index.ts';
import { loadContract, loadGapPolicy } from '../openapi/index.ts';
import { runCli } from '../runtime/run-cli.ts';

/** Validates the document (swagger-parser) and the gap policy, and checks that the two fit together. */
export async function lintContract(): Promise<string[]> {
  const contract = await loadContract();
  const policy = loadGapPolicy();
  const problems: string[] = [];
  try {
    envelopeFor(contract, policy);
  } catch (error) {
    if (!(error instanceof ContractLoadError)) throw error;
    problems.push(`${policy.path} /errorEnvelope/schema: ${error.message}`);
  }
  for (const operation of contract.operations) {
    const statuses = new Set(operation.responses.map((r) => r.status));
    for (const rule of Object.values(policy.rules)) {
      const clash = rule.allowedStatuses.filter((status) => statuses.has(status));
      if (clash.length > 0) {
        problems.push(
          `${policy.path} ${rule.pointer}/allowedStatuses: ${clash.join(', ')} is already documented for ${operation.operationId}; ` +
            'a gap rule may only decide what the document leaves unsaid.',
        );
      }
    }
  }
  return problems;
}

runCli(import.meta.url, async () => {
  const problems = await lintContract();
  return problems.length === 0
    ? { exitCode: 0, lines: ['✔ openapi/flashback.yaml is valid OpenAPI and openapi/gap-policy.yaml fits it'] }
    : { exitCode: 1, lines: problems.map((p) => `✘ ${p}`) };
});
