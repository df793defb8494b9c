import { describe, expect, it } from 'vitest';
import { createUrlGuard, isInternalAddress, parseAllowList, type Lookup } from './ssrf-guard.js';

const dns = (table: Record<string, string[]>): Lookup => async (host) => {
  const found = table[host];
  if (!found) throw new Error('ENOTFOUND');
  return found.map((address) => ({ address, family: address.includes(':') ? 6 : 4 }));
};

describe('SSRF guard', () => {
  it.each(['127.0.0.1', '10.0.0.1', '172.31.255.255', '192.168.0.1', '169.254.169.254', '0.0.0.0', '100.64.0.1', '::1', '::', 'fd00::1', 'fe80::1', '::ffff:10.0.0.1'])(
    '%s is internal',
    (ip) => expect(isInternalAddress(ip)).toBe(true),
  );
  it.each(['8.8.8.8', '172.32.0.1', '93.184.216.34', '2606:4700::1111'])('%s is public', (ip) => expect(isInternalAddress(ip)).toBe(false));

  it('resolves host names and refuses one that resolves to an internal address, or to several with one internal', async () => {
    const guard = createUrlGuard(parseAllowList(''), dns({ 'api.example': ['93.184.216.34'], 'sneaky.example': ['93.184.216.34', '10.0.0.5'], 'meta.example': ['169.254.169.254'] }));
    expect(await guard.resolve(new URL('https://api.example/v1'))).toEqual({ address: '93.184.216.34', family: 4 });
    await expect(guard.resolve(new URL('https://sneaky.example/v1'))).rejects.toThrow(/baseURL: sneaky\.example resolves to 10\.0\.0\.5/);
    await expect(guard.resolve(new URL('http://meta.example/'))).rejects.toThrow(/169\.254\.169\.254/);
    await expect(guard.resolve(new URL('http://nowhere.example/'))).rejects.toThrow(/baseURL: the host nowhere\.example could not be resolved/);
    await expect(guard.resolve(new URL('file:///etc/passwd'))).rejects.toThrow(/baseURL: must be an http or https URL/);
  });

  it('returns the address it checked, so a rebinding answer on the next lookup is never used', async () => {
    let calls = 0;
    const rebinding: Lookup = async () => [{ address: calls++ === 0 ? '93.184.216.34' : '127.0.0.1', family: 4 }];
    const guard = createUrlGuard(parseAllowList(''), rebinding);
    expect((await guard.resolve(new URL('https://rebind.example/'))).address).toBe('93.184.216.34');
    await expect(guard.resolve(new URL('https://rebind.example/'))).rejects.toThrow(/127\.0\.0\.1/);
  });

  it('allows what SIGHTLINE_LLM_ALLOWED_HOSTS names: host names, addresses and CIDRs', async () => {
    const guard = createUrlGuard(parseAllowList(' ollama.internal, 10.20.0.0/16 ,[::1], 127.0.0.1'), dns({ 'ollama.internal': ['192.168.7.7'], 'vllm.internal': ['10.20.3.4'] }));
    expect((await guard.resolve(new URL('http://ollama.internal:11434/v1'))).address).toBe('192.168.7.7');
    expect((await guard.resolve(new URL('http://vllm.internal/v1'))).address).toBe('10.20.3.4');
    expect((await guard.resolve(new URL('http://[::1]:8000/v1'))).address).toBe('::1');
    await expect(guard.resolve(new URL('http://10.21.0.1/v1'))).rejects.toThrow(/SIGHTLINE_LLM_ALLOWED_HOSTS/);
  });

  it('refuses a malformed allow-list entry by name', () => {
    expect(() => parseAllowList('10.0.0.0/33')).toThrow(/10\.0\.0\.0\/33/);
    expect(() => parseAllowList('http://x')).toThrow(/"http:\/\/x"/);
  });
});
