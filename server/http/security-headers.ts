import type { NextFunction, Request, Response } from 'express';

/**
 * Sent with every answer the server writes: no browser sniffs a JSON or CSV body into a page, no
 * site frames one, no referrer leaves with a path. Answers that are not pages load nothing; the
 * two pages (the board, the report window) replace the policy with their own.
 */
export const SECURITY_HEADERS: Readonly<Record<string, string>> = {
  'X-Content-Type-Options': 'nosniff',
  'X-Frame-Options': 'DENY',
  'Referrer-Policy': 'no-referrer',
  'Content-Security-Policy': "default-src 'none'; frame-ancestors 'none'",
};

export function securityHeaders(_req: Request, res: Response, next: NextFunction): void {
  for (const [k, v] of Object.entries(SECURITY_HEADERS)) res.setHeader(k, v);
  next();
}
