import { request as httpRequest, type IncomingMessage } from 'node:http';
import { request as httpsRequest } from 'node:https';
import type { LookupFunction } from 'node:net';
import { Readable } from 'node:stream';
import type { UrlGuard } from './ssrf-guard.js';

/** The slice of `fetch` the provider adapters use. */
export type HttpFetch = (url: URL, init: { method: string; headers: Record<string, string>; body?: string; signal?: AbortSignal }) => Promise<Response>;

/**
 * A fetch that checks the URL with the SSRF guard and then connects to the address the guard
 * checked — not to whatever a second DNS lookup returns (DNS rebinding). The host name is kept for
 * the Host header and TLS (SNI and certificate checks), so HTTPS providers work unchanged.
 * Built on node:http because the global fetch offers no way to pin the connected address.
 */
export function createPinnedFetch(guard: UrlGuard): HttpFetch {
  return async (url, init) => {
    const target = await guard.resolve(url);
    const lookup: LookupFunction = (_host, options, callback) => {
      if (options.all) (callback as unknown as (e: null, a: { address: string; family: number }[]) => void)(null, [target]);
      else callback(null, target.address, target.family);
    };
    const send = url.protocol === 'https:' ? httpsRequest : httpRequest;
    return new Promise<Response>((resolve, reject) => {
      const req = send(url, { method: init.method, headers: init.headers, lookup, signal: init.signal }, (res: IncomingMessage) => {
        const headers = new Headers();
        for (const [k, v] of Object.entries(res.headers)) {
          if (Array.isArray(v)) for (const one of v) headers.append(k, one);
          else if (v !== undefined) headers.set(k, v);
        }
        const status = res.statusCode ?? 502;
        const body = status === 204 || status === 304 ? null : (Readable.toWeb(res) as ReadableStream<Uint8Array>);
        resolve(new Response(body, { status, headers }));
      });
      req.once('error', reject);
      req.end(init.body);
    });
  };
}
