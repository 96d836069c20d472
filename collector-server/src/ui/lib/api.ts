/** The staff API client: same origin, session cookie, CSRF header on every state change. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly retryAfter: number | null,
  ) {
    super(message);
  }
}

let csrfToken = '';

export function setCsrfToken(token: string): void {
  csrfToken = token;
}

interface Options {
  method?: string;
  body?: unknown;
  etag?: string;
}

export interface Answer<T> {
  status: number;
  data: T | null;
  etag: string | null;
}

export async function request<T>(path: string, options: Options = {}): Promise<Answer<T>> {
  const method = options.method ?? 'GET';
  const headers: Record<string, string> = { Accept: 'application/json' };
  if (options.body !== undefined) headers['Content-Type'] = 'application/json';
  if (method !== 'GET' && method !== 'HEAD' && csrfToken) headers['X-CSRF-Token'] = csrfToken;
  if (options.etag) headers['If-None-Match'] = options.etag;
  const res = await fetch(path, {
    method,
    headers,
    credentials: 'same-origin',
    body: options.body === undefined ? null : JSON.stringify(options.body),
  });
  const etag = res.headers.get('ETag');
  if (res.status === 304 || res.status === 204) return { status: res.status, data: null, etag };
  const text = await res.text();
  let json: unknown = null;
  try {
    json = text ? JSON.parse(text) : null;
  } catch {
    json = null;
  }
  if (!res.ok) {
    const err = (json as { error?: { code?: string; message?: string } } | null)?.error;
    // A session that ended (expired, signed out elsewhere) sends the user back to sign in.
    if (res.status === 401 && err?.code === 'UNAUTHENTICATED' && !path.endsWith('/moderation/context')) {
      location.reload();
    }
    const retry = Number(res.headers.get('Retry-After'));
    throw new ApiError(
      res.status,
      err?.code ?? 'INTERNAL',
      err?.message ?? `Request failed (${res.status})`,
      Number.isFinite(retry) && retry > 0 ? retry : null,
    );
  }
  return { status: res.status, data: json as T, etag };
}

export async function getJson<T>(path: string): Promise<T> {
  const answer = await request<T>(path);
  return answer.data as T;
}

export async function postJson<T>(path: string, body: unknown = {}): Promise<T> {
  const answer = await request<T>(path, { method: 'POST', body });
  return answer.data as T;
}
