import type { Carrier as CarrierDoc, WorkOrder } from '../model/index.js';
import type { Clock } from '../platform/clock.js';
import type { SecretBox } from '../platform/secrets.js';
import type { Store } from '../store/store.js';
import type { CarrierAdapter } from './carrier.js';
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

const label = (domain: string) => domain.replace(/\.sip\.twilio\.com$/, '');

/**
 * The SIP domain a Twilio member's adapter makes when its account has none of ours: this deployment's
 * name; and the names it adopts when the account has one: the one recorded on the carrier and the one
 * from before deployment ids. So a domain on the account is kept whatever the deployment id, and the
 * alert's advice holds: where our name is held elsewhere (or reserved after a member deleted it),
 * another ORCH_DEPLOYMENT_ID gives the next domain another name.
 */
export function twilioSipDomainLabels(doc: Pick<CarrierDoc, 'id' | 'twilio'>, deploymentId: string | undefined): { make: string; adopt: string[] } {
  const recorded = doc.twilio?.sipDomain;
  const make = deploymentId ? twilioDomainName(deploymentId, doc.id) : (recorded ?? `${legacyTwilioDomainLabel(doc.id)}.sip.twilio.com`);
  return { make: label(make), adopt: [...(recorded ? [label(recorded)] : []), legacyTwilioDomainLabel(doc.id)].filter((l) => l !== label(make)) };
}

/** Builds each carrier's adapter from its document; the only place that decrypts a member's auth token. */
export function carrierAdapterFactory(deps: { store: Store; clock: Clock; secrets: SecretBox; deploymentId?: string; workOrderDeadlineMs?: number; workOrderPollMs?: number; onWorkOrderExpired?: (o: WorkOrder) => Promise<void> }) {
  return (doc: CarrierDoc, limits: { gate: RequestGate }): CarrierAdapter => {
    if (doc.kind === 'twilio') {
      if (!doc.twilio) throw new Error(`carrier ${doc.id} is a twilio carrier without Twilio credentials`);
      const domain = twilioSipDomainLabels(doc, deps.deploymentId);
      return createTwilioCarrier({
        carrierId: doc.id,
        accountSid: doc.twilio.accountSid,
        authToken: deps.secrets.open(doc.twilio.authTokenEncrypted),
        ...(doc.twilio.apiBaseUrl ? { apiBaseUrl: doc.twilio.apiBaseUrl } : {}),
        sipDomainName: domain.make,
        adoptSipDomainNames: domain.adopt,
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
