// Types of fake-llm.mjs.
import type { IncomingHttpHeaders } from 'node:http';

export interface FakeRequest {
  method: string | undefined;
  url: string;
  headers: IncomingHttpHeaders;
  body: any;
}

export interface ScriptedAnswer {
  status: number;
  headers?: Record<string, string>;
  body?: unknown;
}

export interface FakeLlm {
  url: string;
  requests: FakeRequest[];
  /** Answers for the next calls, one function per call, in order. */
  script: ((request: FakeRequest) => ScriptedAnswer | undefined)[];
  close(): Promise<void>;
}

export declare function startFakeLlm(options?: { latencyMs?: number; reply?: (body: any) => string }): Promise<FakeLlm>;
