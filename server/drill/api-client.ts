/** A small client of our own v1 API: drill mode drives the orchestrator the way a coordinator would. */
export interface ApiClient {
  call<T = unknown>(method: string, path: string, body?: unknown, opts?: { ok?: number[]; contentType?: string }): Promise<{ status: number; body: T }>;
}

export class ApiError extends Error {
  constructor(readonly status: number, readonly method: string, readonly path: string, readonly body: unknown) {
    super(`${method} ${path} answered ${status}: ${JSON.stringify(body).slice(0, 500)}`);
    this.name = 'ApiError';
  }
}

export function apiClient(baseUrl: string, token: string): ApiClient {
  return {
    async call(method, path, body, opts = {}) {
      const isBytes = body instanceof Uint8Array;
      const res = await fetch(baseUrl + path, {
        method,
        headers: {
          authorization: `Bearer ${token}`,
          ...(body !== undefined ? { 'content-type': opts.contentType ?? (isBytes ? 'text/csv' : 'application/json') } : {}),
        },
        ...(body !== undefined ? { body: isBytes ? (body as BodyInit) : JSON.stringify(body) } : {}),
      });
      const text = await res.text();
      const parsed: unknown = text ? safeJson(text) : null;
      const ok = opts.ok ?? [200, 201, 202];
      if (!ok.includes(res.status)) throw new ApiError(res.status, method, path, parsed);
      return { status: res.status, body: parsed as never };
    },
  };
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}
