import { z } from 'zod';
import { HandsetVendor } from '../model/handset.js';

// No control characters anywhere: a CR/LF in a value would start a new key in a .cfg file.
const CONTROL = /[\u0000-\u001f\u007f]/;
const text = (max: number, min = 0) =>
  z
    .string()
    .min(min)
    .max(max)
    .refine((s) => !CONTROL.test(s), 'must not contain control characters such as CR or LF');

/** A SIP user part: printable, no white space and none of the characters that end a SIP URI user. */
const SipUser = z
  .string()
  .min(1)
  .max(64)
  .regex(/^[A-Za-z0-9._~!$*+=%-]+$/, 'a SIP user name uses letters, digits and ._~!$*+=%- only');

/** A registrar host name or IPv4 address: nothing else may reach a config file's server field. */
const Host = z
  .string()
  .min(1)
  .max(253)
  .regex(
    /^(?=.{1,253}$)[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*$/,
    'a registrar is a host name such as shelter-a.sip.twilio.com',
  );

export const SipAccountView = z.object({
  role: z.enum(['primary', 'backup']),
  registrar: Host,
  port: z.number().int().min(1).max(65535),
  transport: z.enum(['udp', 'tcp', 'tls']),
  username: SipUser,
  password: text(128, 1),
  authUsername: SipUser,
});
export type SipAccountView = z.infer<typeof SipAccountView>;

/** Short enough that a phone follows a carrier failover within the hour, long enough not to load the server. */
export const RESYNC_MINUTES = 30;

/** Everything a handset's files say, already decrypted and resolved by the caller. */
export const HandsetProvisioningView = z
  .object({
    handsetId: z.string().min(1).max(128).regex(/^[^/\s]+$/),
    mac: z.string().regex(/^[0-9a-f]{12}$/, 'mac is 12 lower-case hex digits; use normalizeMac first'),
    vendor: HandsetVendor,
    label: text(100),
    shelterName: text(200, 1),
    shortCode: z.string().regex(/^\d{4}$/, 'a short code is 4 digits'),
    displayNumber: z.string().regex(/^[0-9+() -]{3,20}$/, 'a display number looks like 0767-52-0959'),
    accounts: z
      .array(SipAccountView)
      .min(1)
      .max(2)
      .refine((a) => a.filter((x) => x.role === 'primary').length === 1, 'exactly one primary account')
      .refine((a) => a.filter((x) => x.role === 'backup').length <= 1, 'at most one backup account'),
    timezone: z.literal('Asia/Tokyo'),
    language: z.enum(['ja', 'en']),
    provisioningUrl: z.url({ protocol: /^https?$/ }),
    /** How often the phone fetches its file again: a failover's new registrar order reaches it within this. */
    resyncMinutes: z.number().int().min(5).max(1440).default(RESYNC_MINUTES),
  })
  .strict();
export type HandsetProvisioningView = z.infer<typeof HandsetProvisioningView>;
export type HandsetProvisioningViewInput = z.input<typeof HandsetProvisioningView>;

/** Thrown when a view would make an unsafe or meaningless file: a bug upstream, never a handset's fault. */
export class InvalidProvisioningView extends Error {
  constructor(readonly issues: string[]) {
    super(`invalid handset provisioning view: ${issues.join('; ')}`);
    this.name = 'InvalidProvisioningView';
  }
}

export function checkProvisioningView(input: unknown): HandsetProvisioningView {
  const parsed = HandsetProvisioningView.safeParse(input);
  if (parsed.success) return parsed.data;
  throw new InvalidProvisioningView(parsed.error.issues.map((i) => `${i.path.join('.') || 'view'}: ${i.message}`));
}

export function primaryAccount(view: HandsetProvisioningView): SipAccountView {
  const primary = view.accounts.find((a) => a.role === 'primary');
  if (!primary) throw new InvalidProvisioningView(['accounts: exactly one primary account']);
  return primary;
}

export function backupAccount(view: HandsetProvisioningView): SipAccountView | null {
  return view.accounts.find((a) => a.role === 'backup') ?? null;
}

/** Failover on one line needs the backup carrier to accept the primary's credentials. */
export function backupSharesCredentials(view: HandsetProvisioningView): boolean {
  const p = primaryAccount(view);
  const b = backupAccount(view);
  return !!b && b.username === p.username && b.authUsername === p.authUsername && b.password === p.password;
}

/** What the called party sees: the shelter, and the handset's place in it when it has one. */
export function callerName(view: HandsetProvisioningView): string {
  return view.label ? `${view.shelterName} ${view.label}` : view.shelterName;
}

/** The URL of one of this handset's files, under its provisioning directory. */
export function provisioningFileUrl(view: HandsetProvisioningView, fileName: string): string {
  const base = view.provisioningUrl.endsWith('/') ? view.provisioningUrl : `${view.provisioningUrl}/`;
  return new URL(fileName, base).toString();
}

/** The provisioning directory without its scheme, for vendors that take the protocol separately. */
export function provisioningPath(view: HandsetProvisioningView): { https: boolean; path: string } {
  const url = new URL(view.provisioningUrl);
  return { https: url.protocol === 'https:', path: `${url.host}${url.pathname}`.replace(/\/$/, '') };
}

/** Japan keeps no daylight saving: one fixed offset serves every vendor. */
export const JAPAN_UTC_OFFSET_SECONDS = 9 * 3600;
/** NICT's public NTP service, the national time standard. */
export const NTP_SERVER = 'ntp.nict.jp';
