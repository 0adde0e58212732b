import { z } from 'zod';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { ensurePrivateDir } from '../provisioning/platform/private-files.js';
import { join, resolve } from 'node:path';
import { createHash, randomBytes } from 'node:crypto';

const Port = z.coerce.number().int().min(0).max(65535);
const DurationDays = z.coerce.number().min(0).max(3650);

/** Every setting the orchestrator reads from the environment, with what it expects. */
export const ConfigSchema = z.object({
  PORT: Port.default(8080).describe('TCP port of the HTTP server'),
  HOST: z.string().min(1).default('127.0.0.1').describe('address to listen on'),
  ORCH_DATA_DIR: z.string().min(1).default('./data').describe('directory for the SQLite file and the generated secret key'),
  ORCH_STORE: z.enum(['sqlite', 'firestore']).default('sqlite').describe('sqlite (embedded default) or firestore'),
  FIRESTORE_PROJECT_ID: z.string().regex(/^[a-z][a-z0-9-]{4,29}$/, 'a Google Cloud project id').default('shelter-line').describe('Firestore project'),
  ORCH_ADMIN_TOKEN: z.string().min(32, 'at least 32 characters').optional().describe('admin bearer token; generated and printed once when unset'),
  ORCH_SECRET_KEY: z
    .string()
    .regex(/^(?:[0-9a-fA-F]{64}|[A-Za-z0-9+/_-]{43}=?)$/, '32 bytes as 64 hex digits or base64')
    .optional()
    .describe('AES-256-GCM key for secrets at rest; generated into the data dir when unset'),
  ORCH_PUBLIC_URL: z.url('an absolute URL such as https://line.example.jp').optional().describe('public base URL Twilio calls back (webhook signatures are checked against it)'),
  ORCH_PROMPT_AUDIO_BASE_URL: z.url('an absolute URL such as https://line.example.jp/prompts').optional().describe('where recorded prompts live as <reason>.wav (premium.wav, 110.wav…): the call-decision API names them as audioUrl; unset: members speak the prompt text'),
  ORCH_AGING_DAYS: DurationDays.default(90).describe('quarantine of a released number before anyone else gets it'),
  ORCH_ETOC_GRACE_DAYS: DurationDays.default(180).describe('how long an ETOC "applied" status lets a carrier lend'),
  ORCH_JOB_LEASE_MS: z.coerce.number().int().min(500).max(600_000).default(30_000).describe('how long a job stays with an instance without a sign of life; after it another instance takes the job over'),
  ORCH_CARRIER_PROBE_MS: z.coerce.number().int().min(1_000).max(300_000).default(5_000).describe('how often every carrier is asked a cheap health question; two failed (or slower than min(this, 5 s)) in a row mark it down, two good ones bring it back'),
  ORCH_WORKER_CONCURRENCY: z.coerce.number().int().min(1).max(256).default(32).describe('jobs one instance runs at once'),
  ORCH_TONE_URL: z.url('an absolute URL of a WAV or MP3 file Twilio can fetch').optional().describe('identification tone (識別音) audio calls play; default: our generated /twilio/tone.wav. Operators may load the official JUSA file here'),
  ORCH_TONE_OUTBOUND: z.enum(['on', 'off']).default('on').describe('play the identification tone on outbound calls (to the handset, and to the called party on answer)'),
  ORCH_TONE_INBOUND: z.enum(['on', 'off']).default('on').describe('play the identification tone to callers of shelter numbers before the phones ring'),
  ORCH_HANDSET_RING_SECONDS: z.coerce.number().int().min(2).max(120).default(20).describe('how long a shelter\'s handsets ring before a call to its number moves on to its line on another carrier (which rings 10 s longer), then voicemail'),
  ORCH_DIRECTORY_NUMBER: z.string().regex(/^\+81[1-9]\d{8,9}$/, 'an E.164 Japanese number such as +81767520000').optional().describe('the directory hotline (避難所案内): a number you pointed at /twilio/voice/directory. Handsets on members using the call-decision API reach it by dialling 9000000; unset, they hear that the directory cannot be reached from their phone'),
  ORCH_REPORTS_CREDIBLE: z.coerce.number().int().min(1).max(100).default(3).describe('credible reports about one number that restrict its shelter\'s outbound calls to emergency numbers and short codes'),
  ORCH_REPORTS_WINDOW_HOURS: z.coerce.number().min(1).max(24 * 30).default(24).describe('…when the reported calls fall within this many hours'),
  ORCH_REPORTS_PER_HOUR: z.coerce.number().int().min(1).max(10_000).default(20).describe('reports the public window (/report) takes from one address per hour'),
  ORCH_TEST_CALLS_PER_SHELTER: z.coerce.number().int().min(1).max(100).default(3).describe('test calls one shelter takes in 15 minutes, from anyone (each rings every handset there)'),
  ORCH_TEST_CALLS_PER_COORDINATOR: z.coerce.number().int().min(1).max(1000).default(20).describe('test calls one coordinator (one token) places in an hour'),
  ORCH_TRUST_PROXY: z.coerce.number().int().min(0).max(5).default(0).describe('proxies in front of the server whose X-Forwarded-For entry is trusted as the client address (per-address limits: sign-in, /report, handset files); 0 = the socket address, as when the server is reached directly'),
  ORCH_DEPLOYMENT_ID: z
    .string()
    .regex(/^[a-z0-9](?:[a-z0-9-]{0,14}[a-z0-9])?$/, '1–16 lower-case letters, digits or "-" (not at either end)')
    .optional()
    .describe('names this deployment on members\' platforms where names are global (Twilio SIP domains: shelter-line-<id>-<carrier>.sip.twilio.com); default: derived from the secret key, so stable and the same on every instance'),
  ORCH_LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info').describe('log level'),
});

export type Config = z.infer<typeof ConfigSchema> & {
  dataDir: string;
  secretKey: Buffer;
  publicUrl: string;
  /** ORCH_DEPLOYMENT_ID, or the one derived from the secret key. */
  deploymentId: string;
};

/** A stable id from the secret key every instance shares: a staging and a production deployment differ, restarts agree. */
export function derivedDeploymentId(secretKey: Buffer): string {
  return createHash('sha256').update(secretKey).update('shelter-line deployment id').digest('hex').slice(0, 8);
}

export class ConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ConfigError';
  }
}

/** Reads and checks the environment; a bad value is one line naming the variable and what it expects. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const parsed = ConfigSchema.safeParse(env);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    const name = String(issue.path[0] ?? '?');
    throw new ConfigError(`${name}: ${issue.message} (got ${JSON.stringify(env[name] ?? null)})`);
  }
  const c = parsed.data;
  const dataDir = resolve(c.ORCH_DATA_DIR);
  const secretKey = c.ORCH_SECRET_KEY ? decodeKey(c.ORCH_SECRET_KEY) : loadOrCreateKey(dataDir);
  return {
    ...c,
    dataDir,
    secretKey,
    deploymentId: c.ORCH_DEPLOYMENT_ID ?? derivedDeploymentId(secretKey),
    publicUrl: (c.ORCH_PUBLIC_URL ?? `http://${c.HOST}:${c.PORT}`).replace(/\/$/, ''),
  };
}

function decodeKey(text: string): Buffer {
  return /^[0-9a-fA-F]{64}$/.test(text) ? Buffer.from(text, 'hex') : Buffer.from(text, 'base64');
}

/** Without ORCH_SECRET_KEY a key is made once and kept (mode 600) beside the data, so restarts can decrypt. */
function loadOrCreateKey(dataDir: string): Buffer {
  const file = join(dataDir, 'secret.key');
  if (existsSync(file)) return decodeKey(readFileSync(file, 'utf8').trim());
  ensurePrivateDir(dataDir);
  const key = randomBytes(32);
  writeFileSync(file, key.toString('hex'), { mode: 0o600 });
  return key;
}

/** The configured parts of call routing the Twilio webhooks and the call-decision API both read. */
export function callRoutingOf(config: Pick<Config, 'ORCH_TONE_OUTBOUND' | 'ORCH_TONE_INBOUND' | 'ORCH_HANDSET_RING_SECONDS' | 'ORCH_DIRECTORY_NUMBER'>): { tonePolicy: { outbound: boolean; inbound: boolean }; handsetRingSeconds: number; directoryNumber: string | null } {
  return { tonePolicy: tonePolicyOf(config), handsetRingSeconds: config.ORCH_HANDSET_RING_SECONDS, directoryNumber: config.ORCH_DIRECTORY_NUMBER ?? null };
}

/** Who hears the identification tone, as configured: the Twilio webhooks and the call-decision API read the same. */
export function tonePolicyOf(config: Pick<Config, 'ORCH_TONE_OUTBOUND' | 'ORCH_TONE_INBOUND'>): { outbound: boolean; inbound: boolean } {
  return { outbound: config.ORCH_TONE_OUTBOUND === 'on', inbound: config.ORCH_TONE_INBOUND === 'on' };
}
