import { z } from 'zod';

/**
 * What the server tells a person, as a code and its parameters: the board words it in Japanese or
 * English (client/src/lib/messages.ts); `messageText` gives the English line for the API and logs.
 * Parameters are names, numbers and ids, never sentences; `detail` carries a carrier's own words.
 */
export const MESSAGE_TEXTS = {
  // Alerts
  'alert.carrier_down': 'Carrier {carrier} is down. Shelters with lines on it get replacement lines.',
  'alert.carrier_up': 'Carrier {carrier} is back up.',
  'alert.shelter_no_line': 'Shelter {shelter} has no working line.',
  'alert.shelter_no_emergency': 'Shelter {shelter} has no line that can call 110/118/119: point people to a 特設公衆電話 or a mobile phone.',
  'alert.certification_lapsed': '{carrier}: certification lapsed. New assignments from this carrier are frozen; its numbers in service stay until a coordinator decides.',
  'alert.certification_renewed': '{carrier}: certification renewed; the carrier lends again.',
  'alert.certification_expiring': '{carrier}: the {certification} certification expires in {days} days.',
  'alert.job_failed': 'Job {kind} failed after {attempts} attempts.',
  'alert.sip_domain_held_elsewhere': 'Carrier {carrier}: our SIP domain name is held by another Twilio account (or reserved after a deletion). Set ORCH_DEPLOYMENT_ID to another value and restart (the domain is then made under a new name; handsets take it from their configuration), have the holder delete it, or wait for Twilio to free a deleted name (up to 30 days); until then handsets cannot register on this carrier (its numbers still ring).',
  'alert.number_not_on_account': 'Number {number} is not on the account of carrier {carrier}: set aside (withdrawn); its shelter gets another number. Ask the member to lend it again or withdraw it.',
  'alert.work_order_expired': 'Carrier {carrier} did not complete work order {order} ({action}) in time.',
  'alert.abuse_limit': 'Outbound calls from a handset of shelter {shelter} hit the {limit} limit; further calls are refused except emergency calls.',
  'alert.fraud_restricted': 'Shelter {shelter}: outbound calls restricted to emergency numbers and short codes after credible fraud reports; a coordinator must review.',
  'alert.fraud_suspended': 'Number {number} of shelter {shelter} suspended for fraud; {handsets} handset(s) revoked; no new outbound line until an admin review.',
  // Why a number was chosen (allocation)
  'reason.reclaimed_aging': "reclaimed: this shelter's number before (aging until {until})",
  'reason.reclaimed': "reclaimed: this shelter's number before (its quarantine is over)",
  'reason.area_emergency': "0AB-J {area} in the shelter's number area, emergency-capable",
  'reason.area_plain': "0AB-J {area} in the shelter's number area, not emergency-capable",
  'reason.ip050_fallback': "050 fallback (cannot call 110/118/119): no 0AB-J number of the shelter's area left from a suitable carrier",
  'reason.other_carrier': "different carrier from the shelter's other line(s) ({carriers})",
  'reason.same_carrier_emergency': "same carrier as the shelter's other line(s) ({carriers}): only that carrier has an emergency-capable 0AB-J of the area left",
  'reason.same_carrier_only': "same carrier as the shelter's other line(s) ({carriers}): no other carrier has an eligible number left",
  'reason.least_loaded': 'least-loaded carrier ({lines} line(s))',
  'reason.only_carrier': 'only suitable carrier with a number left ({lines} line(s))',
} as const;

export const MessageCode = z.enum(Object.keys(MESSAGE_TEXTS) as [keyof typeof MESSAGE_TEXTS, ...(keyof typeof MESSAGE_TEXTS)[]]);
export type MessageCode = z.infer<typeof MessageCode>;

export const Message = z.object({
  code: MessageCode,
  params: z.record(z.string(), z.union([z.string(), z.number()])).default({}),
});
export type Message = z.infer<typeof Message>;

export const message = (code: MessageCode, params: Record<string, string | number> = {}): Message => ({ code, params });

/** The English line of a message, for the API's readable fields and the logs. */
export function messageText(m: Message): string {
  return MESSAGE_TEXTS[m.code].replace(/\{(\w+)\}/g, (_, k: string) => String(m.params[k] ?? `{${k}}`));
}
