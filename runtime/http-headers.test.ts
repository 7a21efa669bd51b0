import { describe, expect, it } from 'vitest';
import { endToEndHeaders, flattenHeaders } from './http-headers.ts';

describe('headers a proxy passes on', () => {
  it('drops the hop-by-hop headers and keeps the rest as they came, repeated ones included', () => {
    const headers = {
      host: 'proxy:4011',
      connection: 'keep-alive',
      'keep-alive': 'timeout=5',
      'transfer-encoding': 'chunked',
      authorization: 'Bearer t',
      'set-cookie': ['a=1', 'b=2'],
      absent: undefined,
    };
    expect(endToEndHeaders(headers)).toEqual({ authorization: 'Bearer t', 'set-cookie': ['a=1', 'b=2'] });
  });

  it('drops the headers the Connection header names, whatever their case and spacing', () => {
    const headers = { connection: 'Close,  X-Trace ,keep-alive', 'x-trace': '1', close: 'x', 'x-kept': '2' };
    expect(endToEndHeaders(headers)).toEqual({ 'x-kept': '2' });
    expect(endToEndHeaders({ connection: 'close', close: 'x', 'x-kept': '2' })).toEqual({ 'x-kept': '2' });
    expect(endToEndHeaders({ connection: ['x-a', 'X-B'], 'x-a': '1', 'x-b': '2', 'x-c': '3' })).toEqual({ 'x-c': '3' });
  });

  it('flattens repeated headers to one value joined by ", " (RFC 9110 section 5.3)', () => {
    expect(flattenHeaders({ accept: ['a/b', 'c/d'], host: 'h', gone: undefined })).toEqual({ accept: 'a/b, c/d', host: 'h' });
  });
});
