/** An RFC 9457 problem from the API, kept whole so forms can show the failing fields. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly title: string,
    readonly detail: string,
    readonly errors: Array<{ path?: string; message?: string }> = [],
  ) {
    super(detail || title);
    this.name = 'ApiError';
  }
}

type Method = 'GET' | 'POST' | 'PATCH' | 'DELETE';

/** Same-origin JSON calls: the session cookie rides along; an Idempotency-Key makes a double click harmless. */
export async function api<T>(method: Method, path: string, body?: unknown): Promise<T> {
  const headers: Record<string, string> = { Accept: 'application/json' };
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  if (method !== 'GET') headers['Idempotency-Key'] = crypto.randomUUID();
  let res: Response;
  try {
    res = await fetch(path, { method, headers, credentials: 'same-origin', ...(body !== undefined ? { body: JSON.stringify(body) } : {}) });
  } catch {
    throw new ApiError(0, 'Network error', 'the orchestrator could not be reached');
  }
  if (res.status === 204) return undefined as T;
  const type = res.headers.get('content-type') ?? '';
  const data: unknown = type.includes('json') ? await res.json().catch(() => null) : await res.text();
  if (!res.ok) {
    const p = (data && typeof data === 'object' ? data : {}) as { title?: string; detail?: string; errors?: ApiError['errors'] };
    throw new ApiError(res.status, p.title ?? res.statusText, p.detail ?? String(data ?? ''), p.errors ?? []);
  }
  return data as T;
}
