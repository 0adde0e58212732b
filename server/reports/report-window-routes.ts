import express, { Router, type NextFunction, type Request, type Response } from 'express';
import { rateLimit } from 'express-rate-limit';
import { ReportInput, type ReportReceipt } from '../../provisioning/model/index.js';
import { submitReport, type ReportPolicy } from '../../provisioning/reports/index.js';
import type { Clock } from '../../provisioning/platform/clock.js';
import type { Store } from '../../provisioning/store/store.js';
import type { Logger } from 'pino';
import { problem, sendProblem, toProblem, validationProblem } from '../http/problem.js';
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

/** 申告窓口: the public page and its form (or JSON) endpoint; no sign-in, rate-limited per address. */
export function createReportWindowRouter(deps: ReportWindowDeps): Router {
  const router = Router();
  const limiter = rateLimit({
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
  });

  // Every answer on this path may be one of its pages (the form, the receipt, a 429, the form with errors).
  router.use(REPORT_PATH, (_req: Request, res: Response, next: NextFunction) => {
    res.setHeader('Content-Security-Policy', REPORT_PAGE_CSP);
    next();
  });

  router.get(REPORT_PATH, (_req: Request, res: Response) => {
    res.set('Cache-Control', 'no-store').type('html').send(reportFormPage());
  });

  router.post(
    REPORT_PATH,
    limiter,
    express.urlencoded({ extended: false, limit: BODY_LIMIT }),
    express.json({ limit: BODY_LIMIT }),
    async (req: Request, res: Response) => {
      const json = wantsJson(req);
      if (!json && !req.is('application/x-www-form-urlencoded')) {
        throw problem(415, 'unsupported-media-type', 'Unsupported media type', 'send the form (application/x-www-form-urlencoded) or application/json');
      }
      const body: unknown = req.body ?? {};
      const parsed = ReportInput.safeParse(body);
      if (!parsed.success) throw validationProblem(parsed.error, 'body');
      const { report, duplicate } = await submitReport(deps, parsed.data, { at: deps.clock.now(), channel: json ? 'json' : 'form' });
      const receipt: ReportReceipt = {
        id: report.id, receivedAt: report.receivedAt, duplicate,
        message: duplicate ? '同じ内容の申告はすでに受け付けています。' : '申告を受け付けました。ご協力ありがとうございます。',
      };
      res.set('Cache-Control', 'no-store');
      if (json) res.status(duplicate ? 200 : 201).json(receipt);
      else res.status(duplicate ? 200 : 201).type('html').send(reportReceivedPage(receipt));
    },
  );

  router.use(REPORT_PATH, (err: unknown, req: Request, res: Response, next: NextFunction) => {
    if (res.headersSent) return next(err);
    const p = toProblem(err);
    if (p.status >= 500) deps.logger.error({ err }, 'report window failed');
    if (wantsJson(req) || req.method !== 'POST') return sendProblem(res, p);
    // The form comes back with what was typed and each field's problem, in place.
    const typed = (req.body ?? {}) as Record<string, unknown>;
    const values: FormValues = Object.fromEntries(['number', 'calledAt', 'description', 'contact'].map((k) => [k, typeof typed[k] === 'string' ? (typed[k] as string).slice(0, 2000) : ''])) as FormValues;
    const errors = p.errors ?? [{ path: 'body', message: p.detail }];
    res.status(p.status).type('html').send(reportFormPage(values, errors));
  });

  return router;
}
