import { BlockList, isIP } from 'node:net';

/** The peers whose `X-Forwarded-For`, `-Host` and `-Proto` headers Sightline believes. */
export interface TrustedProxies {
  trusts(address: string | undefined): boolean;
}

type Range = [network: string, prefix: number];
const NAMED: Record<string, Range[]> = {
  loopback: [['127.0.0.0', 8], ['::1', 128]],
  private: [['10.0.0.0', 8], ['172.16.0.0', 12], ['192.168.0.0', 16], ['fc00::', 7]],
};

const family = (ip: string): 'ipv4' | 'ipv6' => (isIP(ip) === 4 ? 'ipv4' : 'ipv6');

/** Trusts nobody: forwarded headers are ignored, the TCP peer is the client. The default. */
export const NO_TRUSTED_PROXIES: TrustedProxies = { trusts: () => false };

/**
 * Parses `SIGHTLINE_TRUSTED_PROXIES`: a comma-separated list of IP addresses, CIDR ranges
 * (`10.0.0.0/8`, `fd00::/8`) and the names `loopback` and `private`. Empty or unset trusts
 * nobody. A wrong entry throws, naming it, so a typo fails the start instead of trusting less.
 */
export function parseTrustedProxies(setting: string | undefined): TrustedProxies {
  const entries = (setting ?? '').split(',').map((s) => s.trim()).filter(Boolean);
  if (entries.length === 0) return NO_TRUSTED_PROXIES;
  const list = new BlockList();
  for (const entry of entries) {
    const named = NAMED[entry.toLowerCase()];
    const [network = '', bits] = entry.split('/');
    const prefix = bits === undefined ? undefined : Number(bits);
    const max = isIP(network) === 4 ? 32 : 128;
    if (named) {
      for (const [ip, p] of named) list.addSubnet(ip, p, family(ip));
    } else if (isIP(network) && prefix === undefined) {
      list.addAddress(network, family(network));
    } else if (isIP(network) && bits !== '' && Number.isInteger(prefix) && prefix! >= 0 && prefix! <= max) {
      list.addSubnet(network, prefix!, family(network));
    } else {
      throw new Error(`SIGHTLINE_TRUSTED_PROXIES: "${entry}" is not an IP address, a CIDR range (like 10.0.0.0/8), "loopback" or "private"`);
    }
  }
  return { trusts: (address) => address !== undefined && isIP(address) !== 0 && list.check(address, family(address)) };
}
