import { pino, type DestinationStream, type Logger, type LoggerOptions } from 'pino';

/** Fields that carry secrets wherever they appear in a log object (pino redact paths). */
export const REDACT_PATHS = [
  'req.headers.authorization', 'req.headers.cookie', 'headers.authorization', 'headers.cookie', 'headers["set-cookie"]',
  'authorization', 'cookie', 'token', 'authToken', 'password', 'secret',
  '*.authorization', '*.cookie', '*.token', '*.authToken', '*.password', '*.secret', '*.passwordEncrypted', '*.authTokenEncrypted',
];

const SCRUBS: Array<[RegExp, string]> = [
  // A handset's provisioning URL is its credential: /p/<device token>/<file>.
  [/\/p\/[^/\s?#"]+/g, '/p/[redacted]'],
  [/\b(Bearer|Basic)\s+[A-Za-z0-9._~+/=-]+/gi, '$1 [redacted]'],
  [/\b(__session|sl_session|session)=[^;\s"]+/gi, '$1=[redacted]'],
];

/** Removes provisioning tokens and bearer-looking strings from a text bound for a log. */
export function scrubText(text: string): string {
  let out = text;
  for (const [re, to] of SCRUBS) out = out.replace(re, to);
  return out;
}

function scrubValue(value: unknown, depth = 0): unknown {
  if (typeof value === 'string') return scrubText(value);
  if (depth > 6 || value === null || typeof value !== 'object') return value;
  if (value instanceof Error) return { type: value.name, message: scrubText(value.message), stack: value.stack ? scrubText(value.stack) : undefined };
  if (Array.isArray(value)) return value.map((v) => scrubValue(v, depth + 1));
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) out[k] = scrubValue(v, depth + 1);
  return out;
}

/** The one way the server builds its logger: secrets redacted by path, URLs and strings scrubbed. */
export function loggerOptions(level: string): LoggerOptions {
  return {
    level,
    redact: { paths: REDACT_PATHS, censor: '[redacted]' },
    formatters: { log: (obj) => scrubValue(obj) as Record<string, unknown> },
    hooks: {
      logMethod(args, method) {
        method.apply(this, args.map((a) => (typeof a === 'string' ? scrubText(a) : a)) as Parameters<typeof method>);
      },
    },
  };
}

export function createLogger(level: string, destination?: DestinationStream): Logger {
  return destination ? pino(loggerOptions(level), destination) : pino(loggerOptions(level));
}
