import type { Carrier as CarrierDoc, WorkOrder } from '../model/index.js';
import type { Clock } from '../platform/clock.js';
import type { SecretBox } from '../platform/secrets.js';
import type { Store } from '../store/store.js';
import type { Carrier } from './carrier.js';
import { createTwilioCarrier } from './twilio/index.js';
import { createApiCarrier } from './api/api-carrier.js';
import type { RequestGate } from './request-gate.js';

/** The SIP domain a carrier's handsets register with (Twilio: one domain per member account). */
export function sipDomainFor(doc: Pick<CarrierDoc, 'id' | 'kind'>): string {
  return doc.kind === 'twilio' ? `${twilioDomainLabel(doc.id)}.sip.twilio.com` : `${doc.id}.sip.shelter-line.jp`;
}

function twilioDomainLabel(carrierId: string): string {
  return `shelter-line-${carrierId.toLowerCase().replace(/[^a-z0-9-]/g, '-')}`.replace(/-+$/, '');
}

/** Builds each carrier's adapter from its document; the only place that decrypts a member's auth token. */
export function carrierAdapterFactory(deps: { store: Store; clock: Clock; secrets: SecretBox; workOrderDeadlineMs?: number; workOrderPollMs?: number; onWorkOrderExpired?: (o: WorkOrder) => Promise<void> }) {
  return (doc: CarrierDoc, limits: { gate: RequestGate }): Carrier => {
    if (doc.kind === 'twilio') {
      if (!doc.twilio) throw new Error(`carrier ${doc.id} is a twilio carrier without Twilio credentials`);
      return createTwilioCarrier({
        carrierId: doc.id,
        accountSid: doc.twilio.accountSid,
        authToken: deps.secrets.open(doc.twilio.authTokenEncrypted),
        ...(doc.twilio.apiBaseUrl ? { apiBaseUrl: doc.twilio.apiBaseUrl } : {}),
        sipDomainName: twilioDomainLabel(doc.id),
        gate: limits.gate,
      });
    }
    return createApiCarrier({
      carrierId: doc.id, store: deps.store, clock: deps.clock, secrets: deps.secrets, callControl: doc.callControl ?? 'json',
      ...(deps.workOrderDeadlineMs ? { deadlineMs: deps.workOrderDeadlineMs } : {}),
      ...(deps.workOrderPollMs ? { pollMs: deps.workOrderPollMs } : {}),
      ...(deps.onWorkOrderExpired ? { onExpired: deps.onWorkOrderExpired } : {}),
    });
  };
}
