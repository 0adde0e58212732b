/** The user and host of a SIP URI such as `sip:0312345678@x.sip.twilio.com;transport=udp`. */
export interface SipAddress {
  user: string;
  domain: string;
}

const SIP_URI = /^sips?:([^@;?]+)@([^;?:>]+)/i;

/** Parses a SIP URI; null when the text is not one (e.g. a plain E.164 caller). */
export function parseSipUri(uri: string | null | undefined): SipAddress | null {
  const m = SIP_URI.exec((uri ?? '').trim().replace(/^<|>$/g, ''));
  if (!m) return null;
  return { user: decodeURIComponent(m[1]!), domain: m[2]!.toLowerCase() };
}
