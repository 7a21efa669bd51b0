import { createServer } from 'node:http';
import { describe, expect, it } from 'vitest';
import { closeServer, ListenError, listenOn, parsePort } from './server-lifecycle.ts';

describe('server lifecycle', () => {
  it('reads ports from 0 to 65535 and names anything else', () => {
    expect(parsePort('0')).toBe(0);
    expect(parsePort('65535')).toBe(65535);
    expect(() => parsePort('65536')).toThrow('The port must be a whole number from 0 to 65535; got "65536".');
    expect(() => parsePort('-1')).toThrow(RangeError);
  });

  it('says which port is busy, in one sentence', async () => {
    const first = createServer();
    const url = await listenOn(first, '127.0.0.1', 0);
    const port = Number(new URL(url).port);
    const second = createServer();
    try {
      const attempt = listenOn(second, '127.0.0.1', port);
      await expect(attempt).rejects.toThrow(ListenError);
      await expect(attempt).rejects.toThrow(
        `Port ${port} on 127.0.0.1 is already in use; pass --port or set PORT to another one.`,
      );
    } finally {
      await closeServer(first);
    }
  });
});
