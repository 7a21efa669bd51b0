import { describe, expect, it } from 'vitest';
import { BodyCopy } from './body-copy.ts';

describe('a body’s copy for the checks', () => {
  it('keeps every byte of a body within the limit, whatever its chunks', () => {
    const copy = new BodyCopy(10);
    for (const part of ['ab', 'cde', '', 'fghij']) copy.add(Buffer.from(part));
    expect(copy.captured()).toEqual({ bytes: Buffer.from('abcdefghij'), size: 10, truncated: false });
    expect(copy.overLimit).toBe(false);
  });

  it('shrinks to a 4 KiB prefix once the body passes the limit, and counts every byte that came', () => {
    const copy = new BodyCopy(64 * 1024);
    const chunk = Buffer.alloc(16 * 1024, 97);
    for (let i = 0; i < 100; i++) copy.add(chunk);
    const captured = copy.captured();
    expect(captured.size).toBe(100 * chunk.length);
    expect(captured.truncated).toBe(true);
    expect(captured.bytes).toEqual(Buffer.alloc(4096, 97));
    expect(copy.overLimit).toBe(true);
  });

  it('keeps small bodies apart: copies made one after the other hold their own bytes', () => {
    const copies = ['{"a":1}', '{"b":22}', '{"c":333}'].map((body) => {
      const copy = new BodyCopy(100);
      copy.add(Buffer.from(body));
      return copy;
    });
    for (const copy of copies) copy.add(Buffer.from('!'));
    expect(copies.map((copy) => copy.captured().bytes.toString())).toEqual(['{"a":1}!', '{"b":22}!', '{"c":333}!']);
  });

  it('owns its bytes: a change to a chunk after it was copied does not reach the copy', () => {
    const copy = new BodyCopy(100);
    const chunk = Buffer.from('{"ok":true}');
    copy.add(chunk);
    chunk.fill(0);
    expect(copy.captured().bytes.toString()).toBe('{"ok":true}');
  });
});
