// The diff through its real parts: documents on disk, both mocks served on loopback in this process, the suite
// sent across. The pattern case is what a text-only rule cannot tell (one pattern replaced by another); only
// sending a request built from BASE to the mock serving HEAD shows that it breaks clients.
import { execFile, execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse, stringify } from 'yaml';
import { DOCUMENT_PATH, GAP_POLICY_PATH } from '../openapi/index.ts';
import { cliArgs } from '../testing/cli.ts';
import { compareVersions, diffCommand, diffExitCode, formatDiffMarkdown } from './index.ts';

const KIT_TEXT = readFileSync(DOCUMENT_PATH, 'utf8');
const KIT_ROOT = dirname(dirname(DOCUMENT_PATH));
/** The document's own mfaType values, read from it: the tests name none of them. */
const MFA_TYPES = (parse(KIT_TEXT) as { components: { schemas: { MfaType: { enum: string[] } } } }).components.schemas.MfaType
  .enum;
const LAST_MFA_TYPE = MFA_TYPES.at(-1) ?? '';
let folder: string;

/** Writes a version of the kit's document with `edit` applied to its MfaType schema; returns its path. */
function version(name: string, edit: (mfaType: Record<string, unknown>) => void, infoVersion = '1.0.0'): string {
  const document = parse(KIT_TEXT) as {
    info: { version: string };
    components: { schemas: { MfaType: Record<string, unknown> } };
  };
  edit(document.components.schemas.MfaType);
  document.info.version = infoVersion;
  const path = join(folder, `${name}.yaml`);
  writeFileSync(path, stringify(document));
  return path;
}

beforeAll(() => {
  folder = mkdtempSync(join(tmpdir(), 'diff-test-'));
});
afterAll(() => rmSync(folder, { recursive: true, force: true }));

const options = (base: string, head: string) => ({
  base,
  head,
  basePolicy: GAP_POLICY_PATH,
  headPolicy: GAP_POLICY_PATH,
  failOn: 'any' as const,
  execute: true,
  cwd: folder,
});

describe('the execution check', () => {
  it('shows a break that the text cannot tell: a pattern replaced by a narrower one', async () => {
    const base = version('pattern-base', (schema) => {
      schema.pattern = '^[A-Z_]+$';
    });
    const head = version('pattern-head', (schema) => {
      schema.pattern = '^[A-Z]+$';
    });
    const textOnly = await compareVersions({ ...options(base, head), execute: false });
    expect(textOnly.changes.map((change) => [change.kind, change.clients])).toEqual([
      ['request-body-pattern-changed', 'unknown'],
    ]);

    const report = await compareVersions(options(base, head));
    const [change] = report.changes;
    expect(change).toMatchObject({ kind: 'request-body-pattern-changed', clients: 'breaking', decidedBy: 'execution' });
    // The request that shows it: a value BASE allows with an underscore, which HEAD's pattern refuses.
    const refused = MFA_TYPES.filter((value) => value.includes('_'));
    expect(refused.length).toBeGreaterThan(0);
    expect(refused.map((value) => `POST /mfa/enable ${JSON.stringify({ mfaType: value })}`)).toContain(
      change?.shown?.[0]?.request,
    );
    expect(change?.shown?.[0]?.status).toBe(422);
    expect(diffExitCode(report)).toBe(1);
  });

  it('leaves a replaced pattern unknown, and failing, when no request shows it: agreement proves nothing', async () => {
    const base = version('loose-base', (schema) => {
      schema.pattern = '^[A-Z]+';
    });
    const head = version('loose-head', (schema) => {
      schema.pattern = '^[A-Z_]+';
    });
    const report = await compareVersions(options(base, head));
    expect(report.changes).toMatchObject([{ kind: 'request-body-pattern-changed', clients: 'unknown', decidedBy: 'text' }]);
    expect(report.execution?.disagreements).toEqual([]);
    expect(diffExitCode(report)).toBe(1);
  });

  it('confirms a text break with the request that shows it, and agrees with itself on an unchanged document', async () => {
    const base = version('same', () => {});
    const head = version('more', (schema) => {
      (schema.enum as string[]).push('SMS');
    });
    const report = await compareVersions(options(base, head));
    expect(report.changes).toMatchObject([
      {
        kind: 'request-body-enum-value-added',
        clients: 'compatible',
        implementations: 'breaking',
        shown: [{ side: 'implementations', request: 'POST /mfa/enable {"mfaType":"SMS"}', status: 422 }],
      },
    ]);
    const same = await compareVersions(options(base, base));
    expect(same.changes).toEqual([]);
    expect(same.execution?.disagreements).toEqual([]);
    expect(diffExitCode(same)).toBe(0);
  });
});

describe('the gap policy of each version', () => {
  it("reads a copy of the kit's document under the kit's policy, and says so: an unchanged copy breaks nothing", async () => {
    const copy = join(folder, 'copy.yaml');
    writeFileSync(copy, KIT_TEXT);
    const outcome = await diffCommand([DOCUMENT_PATH, copy], {}, folder);
    expect(outcome.lines).toContainEqual(
      expect.stringMatching(/^ {2}note: HEAD \(.*copy\.yaml\) has no gap policy of its own: it is compared under BASE's/),
    );
    expect(outcome.lines.at(-1)).toMatch(/^✔ Nothing breaks: 0 changes/);
    expect(outcome.exitCode).toBe(0);
  });
});

describe('versions without operations', () => {
  it('compare with nothing sent, and say so rather than fail or pass in silence', async () => {
    const base = join(folder, 'empty-1.yaml');
    const head = join(folder, 'empty-2.yaml');
    writeFileSync(base, 'openapi: 3.1.0\ninfo: { title: t, version: "1" }\npaths: {}\n');
    writeFileSync(head, 'openapi: 3.1.0\ninfo: { title: t, version: "2" }\npaths: {}\n');
    const outcome = await diffCommand([base, head], {}, folder);
    expect(outcome.exitCode).toBe(0);
    expect(outcome.lines).toContainEqual(
      expect.stringMatching(/^ {2}nothing was sent for clients: .*documents no operation to check\.$/),
    );
  });
});

describe('the allow-list', () => {
  it('accepts a breaking change on purpose and still reports it; an entry that matches nothing is named', async () => {
    const base = version('allow-base', () => {});
    const head = version('allow-head', (schema) => {
      (schema.enum as string[]).pop();
    });
    const list = join(folder, 'allow.yaml');
    writeFileSync(
      list,
      stringify({
        accepted: [
          {
            kind: 'request-body-enum-value-removed',
            where: `#/components/schemas/MfaType/enum/${MFA_TYPES.length - 1}`,
            reason: `${LAST_MFA_TYPE} is withdrawn`,
          },
          { kind: 'operation-removed', where: '/paths/~1gone/get', reason: 'stale' },
        ],
      }),
    );
    const report = await compareVersions({ ...options(base, head), allowList: list, execute: false });
    expect(report.changes).toMatchObject([
      { kind: 'request-body-enum-value-removed', accepted: `${LAST_MFA_TYPE} is withdrawn` },
    ]);
    expect(report.unusedAllowances).toMatchObject([{ kind: 'operation-removed' }]);
    expect(diffExitCode(report)).toBe(0);
  });

  it('refuses an entry without a reason: exit 2, one sentence with its pointer', async () => {
    const list = join(folder, 'no-reason.yaml');
    writeFileSync(list, stringify({ accepted: [{ kind: 'operation-removed', where: '/paths/~1x/get' }] }));
    const outcome = await diffCommand([DOCUMENT_PATH, DOCUMENT_PATH, '--allow-list', list, '--text-only'], {}, folder);
    expect(outcome.exitCode).toBe(2);
    expect(outcome.lines).toEqual([expect.stringContaining('/accepted/0: "reason" must be a non-empty string')]);
  });
});

describe('flashback-contract diff against git revisions', () => {
  let repo: string;
  const git = (...args: string[]) => execFileSync('git', args, { cwd: repo, stdio: 'pipe' });

  beforeAll(() => {
    repo = mkdtempSync(join(tmpdir(), 'diff-repo-'));
    git('init', '-q', '-b', 'main');
    git('config', 'user.email', 'kit@example.com');
    git('config', 'user.name', 'kit');
    writeFileSync(join(repo, 'api.yaml'), KIT_TEXT);
    git('add', '.');
    git('commit', '-q', '-m', 'base');
    const head = parse(KIT_TEXT) as { info: { version: string }; components: { schemas: { MfaType: { enum: string[] } } } };
    head.info.version = '2.0.0';
    head.components.schemas.MfaType.enum.pop();
    writeFileSync(join(repo, 'api.yaml'), stringify(head));
  });
  afterAll(() => rmSync(repo, { recursive: true, force: true }));

  it('exit 1: a working copy that removes an enum value breaks clients; Markdown renders escaped', async () => {
    const markdown = join(repo, 'summary.md');
    const outcome = await diffCommand(['main:api.yaml', 'api.yaml', '--markdown', markdown, '--text-only'], {}, repo);
    expect(outcome.exitCode).toBe(1);
    expect(outcome.lines[0]).toBe(
      'BASE main:api.yaml (version 1.0.0, the default gap policy) → HEAD api.yaml (version 2.0.0, the default gap policy)',
    );
    expect(outcome.lines).toContain('Breaks clients (frontends built against BASE): 1');
    expect(outcome.lines.at(-1)).toMatch(/^✘ 1 change breaks the contract \(clients 1, implementations 0\)/);
    const written = readFileSync(markdown, 'utf8');
    expect(written).toContain('### Breaks clients (frontends built against BASE): 1');
    expect(written).toContain(
      `| POST /mfa/enable: request body (application/json), mfaType: enum value ${LAST_MFA_TYPE} removed. | breaking | compatible | \`request-body-enum-value-removed\` \`/paths/~1mfa~1enable/post/requestBody/content/application~1json/schema/properties/mfaType/enum/${MFA_TYPES.length - 1}\` |`,
    );
  });

  it('reads, at a revision, the files the document reaches through its $refs, and no others', async () => {
    mkdirSync(join(repo, 'split', 'parts'), { recursive: true });
    const split = parse(KIT_TEXT) as { components: { schemas: Record<string, unknown> } };
    split.components.schemas.MfaType = { $ref: './parts/types.yaml#/MfaType' };
    writeFileSync(join(repo, 'split', 'api.yaml'), stringify(split));
    writeFileSync(
      join(repo, 'split', 'parts', 'types.yaml'),
      stringify({ MfaType: { type: 'string', enum: MFA_TYPES.slice(0, 1) } }),
    );
    // More than the files a revision may write, none of them reached: they are never read.
    for (let i = 0; i < 210; i++) writeFileSync(join(repo, 'split', `unrelated-${i}.json`), '{}');
    git('add', 'split');
    git('commit', '-q', '-m', 'split');
    writeFileSync(
      join(repo, 'split', 'parts', 'types.yaml'),
      stringify({ MfaType: { type: 'string', enum: MFA_TYPES.slice(1, 2) } }),
    );
    const outcome = await diffCommand(['HEAD:split/api.yaml', 'split/api.yaml', '--text-only'], {}, repo);
    expect(outcome.lines).toContainEqual(
      expect.stringContaining(
        `mfaType: enum ${JSON.stringify(MFA_TYPES.slice(0, 1))} became ${JSON.stringify(MFA_TYPES.slice(1, 2))}.`,
      ),
    );
    expect(outcome.exitCode).toBe(1);
  });

  it('exit 0: the same revision against itself', async () => {
    const outcome = await diffCommand(['main:api.yaml', 'HEAD:api.yaml', '--text-only'], {}, repo);
    expect(outcome.exitCode).toBe(0);
    expect(outcome.lines.at(-1)).toMatch(/^✔ Nothing breaks: 0 changes/);
  });

  it('exit 1 only for the side --fail-on names', async () => {
    const outcome = await diffCommand(['main:api.yaml', 'api.yaml', '--text-only', '--fail-on', 'implementations'], {}, repo);
    expect(outcome.exitCode).toBe(0);
  });

  it.each([
    [['nope:api.yaml', 'api.yaml'], 'BASE nope:api.yaml: nope is not a revision of the git repository'],
    [['main:missing.yaml', 'api.yaml'], 'BASE main:missing.yaml: main has no file missing.yaml.'],
    [['--', '--output=x:api.yaml', 'api.yaml'], 'a revision cannot start with "-"'],
    [['http://127.0.0.1:9/api.yaml', 'api.yaml'], 'is a URL; the diff reads files and REVISION:PATH only'],
    [['main:api.yaml'], 'diff takes two versions, BASE and HEAD; got 1.'],
    [['main:api.yaml', 'api.yaml', '--fail-on', 'servers'], '--fail-on takes any, clients, implementations; got "servers".'],
    [['main:api.yaml', 'api.yaml', '--report', ''], '--report was given an empty path.'],
  ])('exit 2 for %j, in one sentence', async (args, sentence) => {
    const outcome = await diffCommand(args, {}, repo);
    expect(outcome.exitCode).toBe(2);
    expect(outcome.lines).toHaveLength(1);
    expect(outcome.lines[0]).toContain(sentence);
  });

  it('exit 2 when a version is not a valid document, naming it as the user did', async () => {
    writeFileSync(join(repo, 'broken.yaml'), 'openapi: 3.1.0\ninfo: {}\npaths: {}\n');
    const outcome = await diffCommand(['main:api.yaml', 'broken.yaml', '--text-only'], {}, repo);
    expect(outcome.exitCode).toBe(2);
    expect(outcome.lines[0]).toMatch(/^✘ Nothing compared: HEAD \(broken\.yaml\) cannot be compared: /);
  });

  it.each([
    ['a missing folder', (dir: string) => ({ args: ['--report', join(dir, 'no', 'such', 'r.json')], env: {} })],
    [
      'a symbolic link as --report',
      (dir: string) => {
        symlinkSync(join(dir, 'victim.txt'), join(dir, 'link.json'));
        return { args: ['--report', join(dir, 'link.json')], env: {} };
      },
    ],
    [
      'a named pipe as GITHUB_STEP_SUMMARY',
      (dir: string) => {
        execFileSync('mkfifo', [join(dir, 'fifo')]);
        return { args: [], env: { GITHUB_STEP_SUMMARY: join(dir, 'fifo') } };
      },
    ],
  ])('exit 2 before comparing when an output cannot be written: %s', async (_name, setUp) => {
    const dir = mkdtempSync(join(tmpdir(), 'diff-out-'));
    try {
      writeFileSync(join(dir, 'victim.txt'), 'untouched');
      const { args, env } = setUp(dir);
      const outcome = await diffCommand(['main:api.yaml', 'api.yaml', '--text-only', ...args], env, repo);
      expect(outcome.exitCode).toBe(2);
      expect(outcome.lines).toEqual([expect.stringMatching(/^✘ Cannot (write --report|append the summary)/)]);
      expect(readFileSync(join(dir, 'victim.txt'), 'utf8')).toBe('untouched');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('the JSON report is the whole report, and formatDiffMarkdown escapes what a document says', async () => {
    const report = join(repo, 'report.json');
    await diffCommand(['main:api.yaml', 'api.yaml', '--text-only', '--report', report], {}, repo);
    const written = JSON.parse(readFileSync(report, 'utf8'));
    expect(written.head.version).toBe('2.0.0');
    expect(written.changes[0]).toMatchObject({ kind: 'request-body-enum-value-removed', clients: 'breaking' });
    const hostile = formatDiffMarkdown({
      ...written,
      changes: [{ ...written.changes[0], sentence: '<img src=x onerror=alert(1)> | *bold*' }],
    });
    expect(hostile).toContain('&lt;img src=x onerror=alert(1)&gt; \\| \\*bold\\*');
    expect(hostile).not.toContain('<img');
    // In a code span Markdown shows text as written: a request is shown as sent, only its pipes escaped.
    const shown = formatDiffMarkdown({
      ...written,
      changes: [
        {
          ...written.changes[0],
          shown: [
            {
              side: 'clients',
              caseKind: 'positive',
              caseId: 'x',
              request: 'POST /x {"a":"A_B|<b>"}',
              status: 422,
              codes: [],
              problems: [],
            },
          ],
        },
      ],
    });
    expect(shown).toContain('shown by `POST /x {"a":"A_B\\|<b>"}` → 422');
  });
});

describe('the flashback-contract bundle', () => {
  it('compares a git revision of the kit with its working copy, policy included, and runs the execution check', async () => {
    // One child process, as users start it: the kit's document at HEAD against the file (the same, unless this
    // tree has uncommitted edits to it, which are then classified: exit 0 or 1, never 2).
    const result = await new Promise<{ code: number | null; stdout: string }>((done) => {
      execFile(
        process.execPath,
        cliArgs('diff', 'HEAD:openapi/flashback.yaml', 'openapi/flashback.yaml'),
        { cwd: KIT_ROOT, timeout: 60_000 },
        (error, stdout) => done({ code: error ? (typeof error.code === 'number' ? error.code : null) : 0, stdout }),
      );
    });
    expect([0, 1]).toContain(result.code);
    expect(result.stdout).toMatch(
      /^BASE HEAD:openapi\/flashback\.yaml \(version [^,]+, HEAD:openapi\/gap-policy\.yaml\) → HEAD openapi\/flashback\.yaml/,
    );
    expect(result.stdout).toMatch(/Execution: \d+ requests built from BASE sent to HEAD's mock/);
  });
});

describe("the README's Markdown example", () => {
  it("is what the diff renders for a HEAD that drops the document's last mfaType (the README's PASSKEY), against main in git", async () => {
    const readme = readFileSync(join(KIT_ROOT, 'README.md'), 'utf8');
    const block = /<!-- diff-markdown:[^\n]*\n```markdown\n([\s\S]*?)```/.exec(readme)?.[1];
    expect(block, 'the README has a diff-markdown block').toBeDefined();
    const repo = mkdtempSync(join(tmpdir(), 'diff-readme-'));
    try {
      const git = (...args: string[]) => execFileSync('git', args, { cwd: repo, stdio: 'pipe' });
      git('init', '-q', '-b', 'main');
      git('config', 'user.email', 'kit@example.com');
      git('config', 'user.name', 'kit');
      mkdirSync(join(repo, 'openapi'));
      writeFileSync(join(repo, 'openapi', 'api.yaml'), KIT_TEXT);
      git('add', '.');
      git('commit', '-q', '-m', 'base');
      const head = parse(KIT_TEXT) as { info: { version: string }; components: { schemas: { MfaType: { enum: string[] } } } };
      head.info.version = '2.0.0';
      head.components.schemas.MfaType.enum.pop();
      writeFileSync(join(repo, 'openapi', 'api.yaml'), stringify(head));
      const markdown = join(repo, 'summary.md');
      const outcome = await diffCommand(['main:openapi/api.yaml', 'openapi/api.yaml', '--markdown', markdown], {}, repo);
      expect(outcome.exitCode).toBe(1);
      // The README's tables are laid out by the formatter (padded cells); Markdown renders them alike.
      const rendered = (text: string) =>
        text
          .replace(/in \d+ ms\./, 'in N ms.')
          .split('\n')
          .map((line) => (line.startsWith('|') ? line.replace(/ *\| */g, '|').replace(/-{3,}/g, '---') : line))
          .join('\n')
          .trimEnd();
      expect(rendered(readFileSync(markdown, 'utf8'))).toBe(rendered(block ?? ''));
    } finally {
      rmSync(repo, { recursive: true, force: true });
    }
  });
});
