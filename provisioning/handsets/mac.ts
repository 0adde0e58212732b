import { createHash } from 'node:crypto';

export type MacResult = { ok: true; mac: string } | { ok: false; reason: string };

// Colon or dash pairs, Cisco dotted quads, or 12 bare hex digits; one separator style per address.
const NOTATIONS: readonly RegExp[] = [
  /^([0-9a-f]{2})(?::([0-9a-f]{2})){5}$/i,
  /^([0-9a-f]{2})(?:-([0-9a-f]{2})){5}$/i,
  /^[0-9a-f]{4}\.[0-9a-f]{4}\.[0-9a-f]{4}$/i,
  /^[0-9a-f]{12}$/i,
];

/** Normalises a handset MAC in any common notation to 12 lower-case hex digits, or says why not. */
export function normalizeMac(input: string): MacResult {
  if (typeof input !== 'string') return { ok: false, reason: 'a MAC address must be a string' };
  const text = input.trim();
  if (text === '') return { ok: false, reason: 'the MAC address is empty' };
  if (!NOTATIONS.some((re) => re.test(text))) {
    return {
      ok: false,
      reason: `"${input}" is not a MAC address: expected 6 hex pairs such as 80:5E:C0:11:22:33, 80-5e-c0-11-22-33, 805e.c011.2233 or 805EC0112233`,
    };
  }
  const mac = text.replace(/[:.-]/g, '').toLowerCase();
  if (mac === '000000000000') return { ok: false, reason: 'the all-zero MAC address names no device' };
  if (mac === 'ffffffffffff') return { ok: false, reason: 'the broadcast MAC address names no device' };
  // The I/G bit (lowest bit of the first octet) marks group addresses, which no handset owns.
  if (parseInt(mac.slice(0, 2), 16) & 0x01) {
    return { ok: false, reason: `${formatMac(mac)} is a multicast (group) address, not a device's address` };
  }
  return { ok: true, mac };
}

/** 12 hex digits as the colon notation people read on a handset's label. */
export function formatMac(mac: string): string {
  return mac.match(/.{2}/g)?.join(':') ?? mac;
}

// Yealink puts the MAC last as colon pairs; Grandstream after "DevId"; some vendors (Cisco, Snom) in parentheses.
const UA_MAC_PATTERNS: readonly RegExp[] = [
  /\bDevId\s+([0-9a-f]{12})\b/i,
  /(?:^|[\s(;])((?:[0-9a-f]{2}:){5}[0-9a-f]{2})(?=$|[\s);])/i,
  /(?:^|[\s(;])((?:[0-9a-f]{2}-){5}[0-9a-f]{2})(?=$|[\s);])/i,
  /\(([0-9a-f]{12})\)/i,
];

/**
 * The MAC a provisioning request's User-Agent names, as 12 lower hex, or null when it names none
 * (Polycom and softphones never do). Not validated beyond its shape: any named MAC that differs
 * from the handset's is a refusal, whatever it is.
 */
export function macFromUserAgent(ua: string): string | null {
  for (const re of UA_MAC_PATTERNS) {
    const m = re.exec(ua);
    if (m?.[1]) return m[1].replace(/[:-]/g, '').toLowerCase();
  }
  return null;
}

/**
 * A stable pseudo-MAC for a softphone, derived from its handset id: unicast and locally
 * administered (first octet xxxxxx10), so it can never collide with a vendor-assigned address.
 */
export function pseudoMacFor(seed: string): string {
  if (!seed) throw new Error('a pseudo-MAC needs a non-empty seed such as the handset id');
  const bytes = createHash('sha256').update(`softphone:${seed}`, 'utf8').digest().subarray(0, 6);
  bytes[0] = ((bytes[0] ?? 0) & 0xfc) | 0x02;
  return Buffer.from(bytes).toString('hex');
}
