import {
  applyCredentials,
  buildCases,
  type Contract,
  type ContractCase,
  containsSubset,
  type GapPolicy,
  type GapRuleId,
  isJsonMediaType,
  type OperationContract,
  type ResponseExample,
  type SecuritySchemeContract,
} from '../engine/index.ts';
import { FAULTS, MAX_DELAY_MS } from './choose-delivery.ts';

/**
 * Renders the page served at GET /: each operation, its scenarios (by query and by header) and the refusals a
 * frontend must handle, with a fetch snippet to copy for each. The refusals come from the contract suite's own
 * negative and auth cases, one per gap-policy rule, so the page shows requests the suite also sends.
 */
export function renderIndexPage(contract: Contract, policy: GapPolicy, origin: string): string {
  const cases = buildCases(contract, policy);
  const sections = contract.operations
    .map(
      (operation) =>
        renderOperation(operation, filledPath(operation, cases), origin) + renderRefusals(operation, cases, policy, origin),
    )
    .join('\n');
  const faults = Object.entries(FAULTS)
    .map(([name, what]) => `<li><code>?__fault=${escapeHtml(name)}</code>: ${escapeHtml(what)}</li>`)
    .join('');
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>${escapeHtml(contract.title)} ${escapeHtml(contract.version)} mock</title>
<style>
body { font: 15px/1.5 system-ui, sans-serif; margin: 2rem auto; max-width: 72rem; padding: 0 1rem; color: #222; }
code, pre { font: 13px ui-monospace, monospace; }
/* Snippets wrap instead of widening the table: the page fits the window, however long a URL is. */
pre { background: #f5f5f5; padding: .75rem; margin: .25rem 0; white-space: pre-wrap; overflow-wrap: anywhere; }
table { border-collapse: collapse; width: 100%; table-layout: fixed; }
td, th { border-bottom: 1px solid #ddd; padding: .5rem; text-align: left; vertical-align: top; overflow-wrap: anywhere; }
th:nth-child(1) { width: 22%; } th:nth-child(2) { width: 6%; } th:nth-child(3) { width: 22%; }
button { font: inherit; cursor: pointer; }
</style>
</head>
<body>
<h1>${escapeHtml(contract.title)} mock</h1>
<p>Serving version <strong>${escapeHtml(contract.version)}</strong> of the contract (its <code>info.version</code>; every <code>X-Mock-Source</code> names it too).</p>
<p>Every answer is a named example of <code>${escapeHtml(contract.documentPath.split('/').slice(-2).join('/'))}</code> or a rule of the gap policy;
the <code>X-Mock-Source</code> header says which. Any credential of the right form is accepted: a bearer token of one word (RFC 6750), Basic user:password, an API key where the document puts it.
The same answers come in-process, with no server, from the MSW handlers of <code>flashback-contract-kit/msw</code>.</p>
${sections}
${renderNotJudged(contract)}
<h2>Delays, faults and generated bodies</h2>
<ul>
<li><code>?__delay=MS</code> or <code>Prefer: delay=MS</code>: hold the answer (0 to ${MAX_DELAY_MS} ms)</li>
<li><code>?__dynamic=true&amp;__seed=N</code> or <code>Prefer: dynamic=true, seed=N</code>: a body generated from the status's schema instead of an example, the same for the same seed</li>
${faults}
</ul>
<script>
for (const button of document.querySelectorAll('button[data-copy]')) {
  button.addEventListener('click', () => navigator.clipboard.writeText(document.getElementById(button.dataset.copy).textContent));
}
</script>
</body>
</html>
`;
}

function renderOperation(operation: OperationContract, path: string, origin: string): string {
  const row = (id: string, forms: string, label: string, status: number, what: string, snippet: string): string =>
    `<tr><td>${label}<br>${forms}</td><td>${status}</td><td>${escapeHtml(what)}</td>
<td><pre id="${escapeHtml(id)}">${escapeHtml(snippet)}</pre><button data-copy="${escapeHtml(id)}">Copy</button></td></tr>`;
  const examples = operation.responses.flatMap((response) => response.examples);
  const rows = examples.map((example, index) =>
    row(
      `${operation.operationId}-${index}`,
      `<code>?__example=${escapeHtml(example.name)}</code><br><code>Prefer: example=${escapeHtml(example.name)}</code>`,
      `<code>${escapeHtml(example.name)}</code>`,
      example.status,
      example.summary ?? '',
      fetchSnippet(
        operation,
        path,
        new URLSearchParams({ __example: example.name }),
        example.contentType,
        requestBodyFor(operation, example),
        origin,
      ),
    ),
  );
  // A documented status without an example (a 204, a 404 described in words) is a scenario too: by code.
  const withoutExamples = operation.responses.filter(
    (response, index, all) => response.examples.length === 0 && all.findIndex((other) => other.key === response.key) === index,
  );
  withoutExamples.forEach((response, index) => {
    rows.push(
      row(
        `${operation.operationId}-code-${index}`,
        `<code>?__code=${response.status}</code><br><code>Prefer: code=${response.status}</code>`,
        `status ${escapeHtml(response.key)}`,
        response.status,
        response.description,
        fetchSnippet(
          operation,
          path,
          new URLSearchParams({ __code: String(response.status) }),
          response.contentType,
          requestBodyFor(operation),
          origin,
        ),
      ),
    );
  });
  return `<h2><code>${escapeHtml(operation.method.toUpperCase())} ${escapeHtml(operation.path)}</code>: ${escapeHtml(operation.summary)}</h2>
<p>${escapeHtml(operation.description)}</p>
<table><thead><tr><th>Scenario</th><th>Status</th><th>What it shows</th><th>Try it</th></tr></thead><tbody>
${rows.join('\n')}
</tbody></table>`;
}

/** The refusals a frontend must handle: one request per gap-policy rule, as the contract suite sends it. */
function renderRefusals(operation: OperationContract, cases: readonly ContractCase[], policy: GapPolicy, origin: string): string {
  const firstPerRule = new Map<string, ContractCase & { rule: GapRuleId }>();
  for (const c of cases) {
    if (c.operation !== operation || c.rule === undefined) continue;
    // The depth case is an invalid body too, but not the one a frontend recognises: a schema error shows it better.
    const known = firstPerRule.get(c.rule);
    if (!known || (known.stage === 'depth' && c.stage !== 'depth')) firstPerRule.set(c.rule, { ...c, rule: c.rule });
  }
  const rows = [...firstPerRule.values()]
    .map((c, index) => {
      const rule = policy.rules[c.rule];
      const id = `${operation.operationId}-refusal-${index}`;
      const headers: Record<string, string> = { ...c.request.headers };
      const query = new URLSearchParams(c.request.path.split('?')[1] ?? '');
      if (c.request.withCredentials) applyCredentials(c.request.security, anyCredential, { headers, query });
      const init = [
        `method: '${c.request.method}'`,
        `headers: ${JSON.stringify(headers)}`,
        ...(c.request.body === undefined ? [] : [`body: ${bodyLiteral(c.request.body)}`]),
      ];
      const target = `${c.request.path.split('?')[0] ?? ''}${query.size > 0 ? `?${query}` : ''}`;
      // Refusals come in the error envelope, JSON.
      const snippet = `const response = await fetch('${origin}${target}', {\n  ${init.join(',\n  ')},\n});\nconsole.log(response.status, await response.json());`;
      return `<tr><td><code>${escapeHtml(rule.id)}</code></td><td>${rule.mock.status}</td><td>${escapeHtml(rule.when)}</td>
<td><pre id="${escapeHtml(id)}">${escapeHtml(snippet)}</pre><button data-copy="${escapeHtml(id)}">Copy</button></td></tr>`;
    })
    .join('\n');
  return `<h3>Refusals to handle</h3>
<p>Each comes in the error envelope; the request below provokes it.</p>
<table><thead><tr><th>Gap-policy rule</th><th>Status</th><th>When</th><th>Try it</th></tr></thead><tbody>
${rows}
</tbody></table>`;
}

/** A body as JavaScript source: a megabyte of one repeated character is written as the code that makes it. */
function bodyLiteral(body: string): string {
  const repeated = /^"(.)\1*"$/s.exec(body);
  if (body.length > 4096 && repeated) return `JSON.stringify(${JSON.stringify(repeated[1])}.repeat(${body.length - 2}))`;
  return JSON.stringify(body);
}

/** The request body that an example answers (its x-request-match), else the first request example. */
function requestBodyFor(operation: OperationContract, example?: ResponseExample): unknown {
  const requestExamples = operation.requestBody?.examples ?? [];
  const match = example?.requestMatch;
  return (
    requestExamples.find((candidate) => match !== undefined && containsSubset(candidate.value, match))?.value ??
    requestExamples[0]?.value
  );
}

/** A snippet that selects a scenario by query parameter, reading the answer as what it is (JSON or text). */
function fetchSnippet(
  operation: OperationContract,
  path: string,
  scenario: URLSearchParams,
  answerType: string | undefined,
  body: unknown,
  origin: string,
): string {
  const headers: Record<string, string> = {};
  const query = new URLSearchParams(scenario);
  applyCredentials(operation.security, anyCredential, { headers, query });
  const requestType = operation.requestBody?.contentType ?? 'application/json';
  if (body !== undefined) headers['content-type'] = requestType;
  const init = [
    `method: '${operation.method.toUpperCase()}'`,
    `headers: ${JSON.stringify(headers)}`,
    ...(body === undefined
      ? []
      : [
          isJsonMediaType(requestType)
            ? `body: JSON.stringify(${JSON.stringify(body)})`
            : `body: ${JSON.stringify(String(body))}`,
        ]),
  ];
  const read = answerType === undefined ? "''" : isJsonMediaType(answerType) ? 'await response.json()' : 'await response.text()';
  return `const response = await fetch('${origin}${path}?${query}', {\n  ${init.join(',\n  ')},\n});\nconsole.log(response.status, ${read});`;
}

/** The operation's path with its parameters filled, as the suite's valid request has it. */
function filledPath(operation: OperationContract, cases: readonly ContractCase[]): string {
  const valid = cases.find((c) => c.operation === operation && c.kind === 'positive');
  return valid?.request.path.split('?')[0] ?? operation.path;
}

/** The mock takes any credential of the right form: the snippets and the CLI's try line show one. */
export function anyCredential(scheme: SecuritySchemeContract): string {
  return scheme.kind === 'basic' ? 'any-user:any-password' : 'any-token';
}

/** What the document uses that the kit passes over: listed, never hidden. */
function renderNotJudged(contract: Contract): string {
  if (contract.notJudged.length === 0) return '';
  const items = contract.notJudged
    .map(
      (feature) =>
        `<li>${escapeHtml(feature.feature)} at <code>#${escapeHtml(feature.pointer)}</code>: ${escapeHtml(feature.advice)}</li>`,
    )
    .join('');
  return `<h2>Not judged</h2>\n<p>The document uses these, which the mock and the suite pass over:</p>\n<ul>${items}</ul>`;
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}
