/** Twilio's RFC 2822 date form, e.g. `Wed, 19 Aug 2015 19:48:45 +0000`. */
export function rfc2822(at: Date): string {
  return at.toUTCString().replace(/GMT$/, '+0000');
}
