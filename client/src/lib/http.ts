/** An RFC 9457 problem from the API, kept whole so forms can show the failing fields. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly title: string,
    readonly detail: string,
    readonly errors: Array<{ path?: string; message?: string }> = [],
    /** The problem type URI: the board words it in the reader's language. */
    readonly type?: string,
  ) {
    super(detail || title);
    this.name = 'ApiError';
  }
}

type Method = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

/**
 * One Idempotency-Key per user action until it gets an answer: a double click (the same call while
 * the first is in flight) and a retry after a dropped connection reuse the key, so the server runs
 * the action once and answers both with its first reply.
 */
const keysInFlight = new Map<string, string>();
const NETWORK_RETRIES = 2;

export function actionKey(method: Method, path: string, body: unknown): string {
  return `${method} ${path} ${body === undefined ? '' : JSON.stringify(body)}`;
}

/** Same-origin JSON calls: the session cookie rides along; mutations carry the action's Idempotency-Key. */
export async function api<T>(method: Method, path: string, body?: unknown): Promise<T> {
  const headers: Record<string, string> = { Accept: 'application/json' };
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  const action = actionKey(method, path, body);
  if (method !== 'GET') {
    const key = keysInFlight.get(action) ?? crypto.randomUUID();
    keysInFlight.set(action, key);
    headers['Idempotency-Key'] = key;
  }
  let res: Response | null = null;
  try {
    for (let attempt = 0; res === null; attempt++) {
      try {
        res = await fetch(path, { method, headers, credentials: 'same-origin', ...(body !== undefined ? { body: JSON.stringify(body) } : {}) });
      } catch {
        // No answer: the action may or may not have run. Asking again with the same key is safe.
        if (attempt >= NETWORK_RETRIES) throw new ApiError(0, 'Network error', 'the orchestrator could not be reached', [], 'https://shelter-line.jp/problems/network');
        await new Promise((r) => setTimeout(r, 500 * 2 ** attempt));
      }
    }
  } finally {
    keysInFlight.delete(action);
  }
  if (res.status === 204) return undefined as T;
  const type = res.headers.get('content-type') ?? '';
  const data: unknown = type.includes('json') ? await res.json().catch(() => null) : await res.text();
  if (!res.ok) {
    const p = (data && typeof data === 'object' ? data : {}) as { type?: string; title?: string; detail?: string; errors?: ApiError['errors'] };
    throw new ApiError(res.status, p.title ?? res.statusText, p.detail ?? String(data ?? ''), p.errors ?? [], p.type);
  }
  return data as T;
}
