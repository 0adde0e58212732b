import type { Carrier as CarrierDoc, WorkOrder } from '../model/index.js';
import type { Clock } from '../platform/clock.js';
import type { SecretBox } from '../platform/secrets.js';
import type { Store } from '../store/store.js';
import type { Carrier } from './carrier.js';
import { createTwilioCarrier } from './twilio/index.js';
import { createApiCarrier } from './api/api-carrier.js';
import type { RequestGate } from './request-gate.js';

/** The SIP domain a carrier's handsets register with (Twilio: one domain per member account, as recorded on it). */
export function sipDomainFor(doc: Pick<CarrierDoc, 'id' | 'kind' | 'twilio'>): string {
  return doc.kind === 'twilio' ? (doc.twilio?.sipDomain ?? `${legacyTwilioDomainLabel(doc.id)}.sip.twilio.com`) : `${doc.id}.sip.shelter-line.jp`;
}

const slug = (carrierId: string) => carrierId.toLowerCase().replace(/[^a-z0-9-]/g, '-').replace(/-+$/, '');

/** The name used before deployment ids: adopted where a member's account already has it. */
function legacyTwilioDomainLabel(carrierId: string): string {
  return `shelter-line-${slug(carrierId)}`;
}

/**
 * A Twilio SIP domain name is global across Twilio (and reserved a while after deletion): ours
 * carries the deployment id, so a staging and a production deployment, or a re-registration, never
 * collide. Twilio's label stays within 63 characters.
 */
export function twilioDomainName(deploymentId: string, carrierId: string): string {
  return `${`shelter-line-${deploymentId}-${slug(carrierId)}`.slice(0, 63).replace(/-+$/, '')}.sip.twilio.com`;
}

/** Builds each carrier's adapter from its document; the only place that decrypts a member's auth token. */
export function carrierAdapterFactory(deps: { store: Store; clock: Clock; secrets: SecretBox; deploymentId?: string; workOrderDeadlineMs?: number; workOrderPollMs?: number; onWorkOrderExpired?: (o: WorkOrder) => Promise<void> }) {
  return (doc: CarrierDoc, limits: { gate: RequestGate }): Carrier => {
    if (doc.kind === 'twilio') {
      if (!doc.twilio) throw new Error(`carrier ${doc.id} is a twilio carrier without Twilio credentials`);
      return createTwilioCarrier({
        carrierId: doc.id,
        accountSid: doc.twilio.accountSid,
        authToken: deps.secrets.open(doc.twilio.authTokenEncrypted),
        ...(doc.twilio.apiBaseUrl ? { apiBaseUrl: doc.twilio.apiBaseUrl } : {}),
        // Recorded on the carrier, else this deployment's name; the name from before deployment ids is adopted where the account has it.
        sipDomainName: (doc.twilio.sipDomain ?? (deps.deploymentId ? twilioDomainName(deps.deploymentId, doc.id) : `${legacyTwilioDomainLabel(doc.id)}.sip.twilio.com`)).replace(/\.sip\.twilio\.com$/, ''),
        adoptSipDomainNames: [legacyTwilioDomainLabel(doc.id)],
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
