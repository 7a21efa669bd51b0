import { describe, expect, it } from 'vitest';
import { isLoopbackUrl } from './contract-settings.ts';

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
