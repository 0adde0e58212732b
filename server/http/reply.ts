import type { Response } from 'express';

/** What a route's handler answers: the pipeline writes it, so every surface answers the same way. */
export interface Reply {
  status: number;
  body?: unknown;
  /** Defaults to JSON; set for CSV, TwiML, pages, files. */
  contentType?: string;
  headers?: Record<string, string>;
}

export function sendReply(res: Response, reply: Reply): void {
  for (const [k, v] of Object.entries(reply.headers ?? {})) res.setHeader(k, v);
  res.status(reply.status);
  if (reply.body === undefined) res.end();
  else if (reply.contentType) res.type(reply.contentType).send(reply.body);
  else res.json(reply.body);
}
