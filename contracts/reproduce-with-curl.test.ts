import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { reproduceWithCurl } from './reproduce-with-curl.ts';

describe('reproduceWithCurl', () => {
  it('keeps the token as $CONTRACT_TOKEN and quotes everything else for a POSIX shell', () => {
    const command = reproduceWithCurl({
      method: 'POST',
      url: 'http://127.0.0.1:4010/mfa/enable',
      headers: { authorization: 'Bearer $CONTRACT_TOKEN', 'content-type': 'application/json' },
      body: `{"note":"it's"}`,
    });
    expect(command).toBe(
      `curl -sS -i -X POST 'http://127.0.0.1:4010/mfa/enable' -H "authorization: Bearer $CONTRACT_TOKEN" -H 'content-type: application/json' --data-raw '{"note":"it'\\''s"}'`,
    );
  });

  it('produces words a shell splits back into the original arguments', () => {
    const command = reproduceWithCurl({ method: 'POST', url: 'http://h/x', headers: { a: `q'"$x` }, body: `'` });
    const words = execFileSync('sh', ['-c', `printf '%s\\n' ${command.replace(/^curl /, '')}`], {
      encoding: 'utf8',
      env: { CONTRACT_TOKEN: 'unused' },
    });
    expect(words.split('\n').slice(0, -1)).toEqual([
      '-sS',
      '-i',
      '-X',
      'POST',
      'http://h/x',
      '-H',
      `a: q'"$x`,
      '--data-raw',
      `'`,
    ]);
  });
});
