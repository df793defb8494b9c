import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/** One request the stub received. */
export interface StubRequest {
  method: string;
  path: string;
  headers: IncomingHttpHeaders;
  text: string;
  /** The parsed JSON body (undefined when not JSON). */
  body: any;
  at: number;
  /** The status the stub answered with (0 while pending or when the socket was destroyed). */
  status: number;
}

/** What the stub answers; `body` objects are JSON-encoded. */
export interface StubReply {
  status: number;
  headers?: Record<string, string>;
  body?: unknown;
  /** Destroy the socket instead of answering (a network error for the client). */
  destroy?: boolean;
}

export type StubHandler = (req: StubRequest, index: number) => StubReply | Promise<StubReply>;

/** 207 accepting every event of an ingestion batch, as the real server does. */
export const acceptAll: StubHandler = (req) => ({
  status: 207,
  body: { successes: (req.body?.batch ?? []).map((e: { id: string }) => ({ id: e.id, status: 201 })), errors: [] },
});

export interface Stub {
  url: string;
  requests: StubRequest[];
  /** Every event of every ingestion request answered with a 2xx, in arrival order. */
  events(): any[];
  handler: StubHandler;
  close(): Promise<void>;
}

/** A local `node:http` server on a free loopback port that records requests and answers via `handler`. */
export async function startStub(handler: StubHandler = acceptAll): Promise<Stub> {
  const requests: StubRequest[] = [];
  const stub = { handler } as Stub;
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const text = Buffer.concat(chunks).toString();
      let body: unknown;
      try {
        body = JSON.parse(text);
      } catch {
        body = undefined;
      }
      const request: StubRequest = { method: req.method ?? '', path: req.url ?? '', headers: req.headers, text, body, at: Date.now(), status: 0 };
      requests.push(request);
      void Promise.resolve(stub.handler(request, requests.length - 1)).then((reply) => {
        if (reply.destroy) return void req.socket.destroy();
        request.status = reply.status;
        const payload = reply.body === undefined ? '' : typeof reply.body === 'string' ? reply.body : JSON.stringify(reply.body);
        res.writeHead(reply.status, { 'content-type': 'application/json', ...reply.headers });
        res.end(payload);
      });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  stub.url = `http://127.0.0.1:${port}`;
  stub.requests = requests;
  stub.events = () => requests.filter((r) => r.path === '/api/public/ingestion' && r.status >= 200 && r.status < 300).flatMap((r) => r.body?.batch ?? []);
  stub.close = () =>
    new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    });
  return stub;
}
