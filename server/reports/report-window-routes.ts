import type { Request, Response } from 'express';
import { rateLimit } from 'express-rate-limit';
import { z } from 'zod';
import { ReportInput, ReportReceipt } from '../../provisioning/model/index.js';
import { submitReport, type ReportPolicy } from '../../provisioning/reports/index.js';
import type { Clock } from '../../provisioning/platform/clock.js';
import type { Store } from '../../provisioning/store/store.js';
import type { Logger } from 'pino';
import { problem, sendProblem, toProblem } from '../http/problem.js';
import { surfaceRoute, type Surface } from '../http/surface.js';
import { ClockRateLimitStore } from './clock-rate-limit-store.js';
import { REPORT_PAGE_CSP, reportFormPage, reportReceivedPage, tooManyReportsPage, type FormValues } from './report-page.js';

export const REPORT_PATH = '/report';
/** Far above any valid report (percent-encoded Japanese takes 9 bytes a character), so an oversized text gets a field error rather than a bare 413. */
const BODY_LIMIT = '1mb';
const HOUR_MS = 3_600_000;
export const TOO_MANY_REPORTS = '短時間に多くの申告が送られました。1時間ほどおいてから、もう一度お試しください。お急ぎの場合は警察相談専用電話 #9110 へご相談ください。';

export interface ReportWindowDeps {
  store: Store;
  clock: Clock;
  logger: Logger;
  policy: ReportPolicy;
  perHour: number;
}

const wantsJson = (req: Request): boolean => Boolean(req.is('application/json'));
const HTML = z.string().describe('an HTML page (lang="ja")').meta({ examples: ['<!doctype html><html lang="ja">…</html>'] });
const route = surfaceRoute<ReportWindowDeps>();

/** 申告窓口: the public page and its form (or JSON) endpoint; no sign-in, rate-limited per address. */
export const reportWindowRoutes = [
  route({
    method: 'get', path: REPORT_PATH, access: { kind: 'public' }, tags: ['reports'],
    summary: 'The public reporting window (申告窓口): a plain HTML form, Japanese first, no sign-in and no JavaScript needed',
    responses: { 200: { description: 'the form', schema: HTML, contentType: 'text/html' } },
    handler: async () => ({ status: 200, body: reportFormPage(), contentType: 'html', headers: { 'Cache-Control': 'no-store' } }),
  }),
  route({
    method: 'post', path: REPORT_PATH, access: { kind: 'public', limited: true }, tags: ['reports'],
    summary: 'Send a report about a call received from a number: the form (answered with a page) or JSON (answered with a receipt). Rate-limited per address (ORCH_REPORTS_PER_HOUR, default 20 an hour); the same report sent again is counted once',
    body: ReportInput, form: ReportInput,
    bodyDescription: 'calledAt: a local time in Japan (2024-01-09T10:15, as a datetime-local field sends it) or ISO 8601 with an offset; not in the future. number: a Japanese number in any written form.',
    responses: {
      201: { description: 'received; a receipt (JSON) or the thank-you page (form)', schema: ReportReceipt, also: [{ contentType: 'text/html', schema: HTML }] },
      200: { description: 'the same report was received before: counted once', schema: ReportReceipt, also: [{ contentType: 'text/html', schema: HTML }] },
      400: { description: 'a field is missing or wrong (not a Japanese number, a time in the future, too long); the form comes back with each field\'s problem', also: [{ contentType: 'text/html', schema: HTML }] },
      413: { description: 'the body is larger than 1 MB', also: [{ contentType: 'text/html', schema: HTML }] },
      415: { description: 'neither a form nor JSON', also: [{ contentType: 'text/html', schema: HTML }] },
      429: { description: 'too many reports from this address in an hour; the message is in Japanese and Retry-After says when to try again', also: [{ contentType: 'text/html', schema: HTML }] },
    },
    handler: async ({ body, req, deps }) => {
      const json = wantsJson(req);
      const { report, duplicate } = await submitReport(deps, body, { at: deps.clock.now(), channel: json ? 'json' : 'form' });
      const receipt: ReportReceipt = {
        id: report.id, receivedAt: report.receivedAt, duplicate,
        message: duplicate ? '同じ内容の申告はすでに受け付けています。' : '申告を受け付けました。ご協力ありがとうございます。',
      };
      const headers = { 'Cache-Control': 'no-store' };
      const status = duplicate ? 200 : 201;
      return json ? { status, body: receipt, headers } : { status, body: reportReceivedPage(receipt), contentType: 'html', headers };
    },
  }),
];

export const reportWindow: Surface<ReportWindowDeps, ReportWindowDeps> = {
  routes: reportWindowRoutes,
  context: (deps) => deps,
  guards: (deps) => ({
    perAddress: rateLimit({
      windowMs: HOUR_MS,
      limit: deps.perHour,
      standardHeaders: 'draft-8',
      legacyHeaders: false,
      store: new ClockRateLimitStore(deps.clock, HOUR_MS),
      handler: (req, res) => {
        const retryAfterSeconds = Math.ceil(HOUR_MS / 1000);
        deps.logger.warn({ path: req.path }, 'report window: rate limit reached for an address');
        if (wantsJson(req)) return sendProblem(res, problem(429, 'rate-limited', 'Too many requests', TOO_MANY_REPORTS, { retryAfterSeconds }).problem);
        res.status(429).set('Retry-After', String(retryAfterSeconds)).type('html').send(tooManyReportsPage(TOO_MANY_REPORTS));
      },
    }),
  }),
  bodyLimit: BODY_LIMIT,
  // Every answer on this path may be one of its pages (the form, the receipt, a 429, the form with errors).
  headers: { under: REPORT_PATH, set: { 'Content-Security-Policy': REPORT_PAGE_CSP } },
  errors: {
    under: REPORT_PATH,
    answer(err: unknown, req: Request, res: Response, deps) {
      const p = toProblem(err);
      if (p.status >= 500) deps.logger.error({ err }, 'report window failed');
      if (wantsJson(req) || req.method !== 'POST') return sendProblem(res, p);
      // The form comes back with what was typed and each field's problem, in place.
      const typed = (req.body ?? {}) as Record<string, unknown>;
      const values: FormValues = Object.fromEntries(['number', 'calledAt', 'description', 'contact'].map((k) => [k, typeof typed[k] === 'string' ? (typed[k] as string).slice(0, 2000) : ''])) as FormValues;
      const errors = p.errors ?? [{ path: 'body', message: p.detail }];
      res.status(p.status).type('html').send(reportFormPage(values, errors));
    },
  },
};
