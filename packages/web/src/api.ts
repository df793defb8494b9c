/** The UI's only way to the server: JSON over /api/ui, with the session cookie and the CSRF header. */

let csrfToken: string | null = null;

/** Set from every session summary the server sends (sign-in, sign-up, GET /session). */
export function setCsrfToken(token: string | null): void {
  csrfToken = token;
}

export class ApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

async function request<T>(method: string, path: string, body?: unknown): Promise<T> {
  const headers: Record<string, string> = { accept: 'application/json' };
  if (method !== 'GET') headers['x-sightline-csrf'] = csrfToken ?? 'anonymous';
  if (body !== undefined) headers['content-type'] = 'application/json';
  const res = await fetch(`/api/ui${path}`, {
    method,
    headers,
    credentials: 'same-origin',
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  let json: unknown = undefined;
  try {
    json = text ? JSON.parse(text) : undefined;
  } catch {
    // not JSON: reported below with the status
  }
  if (!res.ok) {
    const message = (json as { message?: string } | undefined)?.message ?? `${res.status} ${res.statusText}`;
    throw new ApiError(res.status, message);
  }
  return json as T;
}

/** The headers of a JSON write for callers that read the answer themselves (the playground's stream). */
export function writeHeaders(): Record<string, string> {
  return { 'x-sightline-csrf': csrfToken ?? 'anonymous', 'content-type': 'application/json', accept: 'text/event-stream, application/json' };
}

export const api = {
  get: <T>(path: string) => request<T>('GET', path),
  post: <T>(path: string, body: unknown = {}) => request<T>('POST', path, body),
  del: <T>(path: string) => request<T>('DELETE', path),
  put: <T>(path: string, body: unknown) => request<T>('PUT', path, body),
};

/** `?a=1&b=x` from the defined, non-empty entries (arrays repeat the name). */
export function query(params: Record<string, string | number | string[] | undefined | null>): string {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) {
    if (v === undefined || v === null || v === '') continue;
    if (Array.isArray(v)) for (const x of v) q.append(k, x);
    else q.set(k, String(v));
  }
  const s = q.toString();
  return s ? `?${s}` : '';
}
