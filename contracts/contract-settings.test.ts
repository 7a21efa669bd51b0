import { describe, expect, it } from 'vitest';
import { isLoopbackUrl, isThisMachineUrl } from './contract-settings.ts';

describe('isLoopbackUrl', () => {
  it('counts 127.0.0.0/8, ::1 and localhost as loopback', () => {
    for (const url of [
      'http://127.0.0.1:4010',
      'http://127.8.9.10',
      'http://[::1]:80',
      'http://localhost:3000',
      'http://api.localhost',
    ]) {
      expect(isLoopbackUrl(url), url).toBe(true);
    }
  });

  it('counts every other host as remote', () => {
    for (const url of [
      'https://backend.flashback.tech',
      'http://0.0.0.0:4010',
      'http://10.0.0.1',
      'http://localhost.example.com',
      'http://128.0.0.1',
    ]) {
      expect(isLoopbackUrl(url), url).toBe(false);
    }
  });
});

describe('isThisMachineUrl', () => {
  it.each([
    'http://127.0.0.1:4010',
    'http://127.8.9.10',
    'http://0.0.0.0:3000',
    'http://0:3000',
    'http://[::1]:80',
    'http://[::]:80',
    'http://[::ffff:127.0.0.1]:80',
    'http://[::ffff:7f00:1]:80',
    'http://[0:0:0:0:0:ffff:7f00:1]:80',
    'http://[::ffff:0.0.0.0]:80',
    'http://localhost:3000',
    'http://LOCALHOST.:3000',
    'http://api.localhost',
  ])('counts %s as this machine, without asking a resolver', async (url) => {
    const lookup = () => Promise.reject(new Error('no resolver may be asked about an address of this machine'));
    expect(await isThisMachineUrl(url, { lookup })).toBe(true);
  });

  it.each([
    'https://192.0.2.10',
    'http://10.0.0.1',
    'http://128.0.0.1',
    'http://[::ffff:10.0.0.1]',
    'http://[::7f00:1]',
    'http://[fd00::2]',
  ])('counts the address %s as remote, without asking a resolver', async (url) => {
    const lookup = () => Promise.reject(new Error('an address is not looked up'));
    expect(await isThisMachineUrl(url, { lookup })).toBe(false);
  });

  it('counts a name as this machine only when every address it resolves to is', async () => {
    const resolvesTo =
      (...addresses: string[]) =>
      async () =>
        addresses.map((address) => ({ address }));
    expect(await isThisMachineUrl('http://dev.box:3000', { lookup: resolvesTo('127.0.0.1', '::1') })).toBe(true);
    expect(await isThisMachineUrl('http://dev.box:3000', { lookup: resolvesTo('127.0.0.1', '192.0.2.7') })).toBe(false);
    expect(await isThisMachineUrl('http://dev.box:3000', { lookup: resolvesTo() })).toBe(false);
  });

  it('counts a name that does not resolve, or not in time, as remote', async () => {
    const fails = () => Promise.reject(Object.assign(new Error('getaddrinfo ENOTFOUND'), { code: 'ENOTFOUND' }));
    expect(await isThisMachineUrl('http://nowhere.invalid', { lookup: fails })).toBe(false);
    const never = () => new Promise<never>(() => undefined);
    expect(await isThisMachineUrl('http://hangs.invalid', { lookup: never, timeoutMs: 1 })).toBe(false);
  });
});
