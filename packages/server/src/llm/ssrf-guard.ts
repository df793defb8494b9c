import { lookup as dnsLookup } from 'node:dns/promises';
import { BlockList, isIP } from 'node:net';
import { badRequest } from '@sightline/core';

/**
 * The SSRF guard for provider base URLs: a URL whose host resolves to a loopback, private
 * (RFC 1918, IPv6 ULA), carrier-grade NAT, link-local (the cloud metadata address 169.254.169.254
 * among them) or unspecified address is refused, unless `SIGHTLINE_LLM_ALLOWED_HOSTS` names the host or
 * a CIDR holding the address (how local models are allowed). Checked when a connection is saved
 * and again at every call, where the request then connects to the very address that was checked
 * (pinned-fetch.ts), so a DNS answer that changes in between cannot redirect it.
 */
export interface UrlGuard {
  /** Resolves the URL's host and returns the address to connect to; a 400 naming `field` when refused. */
  resolve(url: URL, field?: string): Promise<{ address: string; family: 4 | 6 }>;
}

export type Lookup = (host: string) => Promise<{ address: string; family: number }[]>;

const BLOCKED = new BlockList();
for (const [net, prefix] of [['0.0.0.0', 8], ['10.0.0.0', 8], ['100.64.0.0', 10], ['127.0.0.0', 8], ['169.254.0.0', 16], ['172.16.0.0', 12], ['192.168.0.0', 16]] as const) {
  BLOCKED.addSubnet(net, prefix, 'ipv4');
}
for (const [net, prefix] of [['::', 128], ['::1', 128], ['fc00::', 7], ['fe80::', 10]] as const) BLOCKED.addSubnet(net, prefix, 'ipv6');

const family = (ip: string): 'ipv4' | 'ipv6' => (isIP(ip) === 6 ? 'ipv6' : 'ipv4');
/** `::ffff:10.0.0.1` is 10.0.0.1 to the network stack. */
const unmap = (ip: string) => /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(ip)?.[1] ?? ip;

/** True for the addresses a provider URL may not reach without the allow-list. */
export function isInternalAddress(ip: string): boolean {
  const a = unmap(ip);
  return BLOCKED.check(a, family(a));
}

export interface AllowList {
  hosts: Set<string>;
  nets: BlockList;
}

/** `SIGHTLINE_LLM_ALLOWED_HOSTS`: comma-separated host names, addresses and CIDRs (`localhost,10.0.0.0/8,::1`). */
export function parseAllowList(text: string | undefined): AllowList {
  const hosts = new Set<string>();
  const nets = new BlockList();
  for (const raw of (text ?? '').split(',')) {
    const entry = raw.trim().toLowerCase().replace(/^\[(.*)\]$/, '$1');
    if (!entry) continue;
    const [net, bits, extra] = entry.split('/');
    if (isIP(net) && extra === undefined) {
      const max = isIP(net) === 6 ? 128 : 32;
      const prefix = bits === undefined ? max : Number(bits);
      if (!Number.isInteger(prefix) || prefix < 0 || prefix > max) throw new Error(`SIGHTLINE_LLM_ALLOWED_HOSTS: "${raw.trim()}" has a bad prefix length (0..${max})`);
      nets.addSubnet(net, prefix, family(net));
    } else if (bits === undefined && /^[a-z0-9.-]+$/.test(entry)) {
      hosts.add(entry);
    } else {
      throw new Error(`SIGHTLINE_LLM_ALLOWED_HOSTS: "${raw.trim()}" is neither a host name, an address nor a CIDR`);
    }
  }
  return { hosts, nets };
}

const systemLookup: Lookup = (host) => dnsLookup(host, { all: true, verbatim: true });

export function createUrlGuard(allow: AllowList, lookup: Lookup = systemLookup): UrlGuard {
  return {
    async resolve(url, field = 'baseURL') {
      if (url.protocol !== 'http:' && url.protocol !== 'https:') throw badRequest(`${field}: must be an http or https URL`);
      const host = url.hostname.toLowerCase().replace(/^\[(.*)\]$/, '$1');
      let addresses: { address: string; family: number }[];
      if (isIP(host)) addresses = [{ address: host, family: isIP(host) }];
      else {
        try {
          addresses = await lookup(host);
        } catch {
          throw badRequest(`${field}: the host ${host} could not be resolved`);
        }
      }
      if (addresses.length === 0) throw badRequest(`${field}: the host ${host} could not be resolved`);
      const hostAllowed = allow.hosts.has(host);
      // Every address must pass: a name resolving to one public and one internal address is refused.
      for (const a of addresses) {
        const ip = unmap(a.address);
        if (!hostAllowed && isInternalAddress(ip) && !allow.nets.check(ip, family(ip))) {
          throw badRequest(`${field}: ${host} resolves to ${ip}, a loopback, private or link-local address; name it in SIGHTLINE_LLM_ALLOWED_HOSTS to allow it`);
        }
      }
      const first = addresses[0];
      return { address: first.address, family: first.family === 6 ? 6 : 4 };
    },
  };
}
