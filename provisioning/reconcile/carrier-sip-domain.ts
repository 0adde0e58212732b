import { message } from '../model/messages.js';
import { raiseAlert } from '../alerts/alerts.js';
import { CarrierError, SIP_DOMAIN_HELD_ELSEWHERE, type CarrierAdapter } from '../carriers/carrier.js';
import { recordSipDomain } from '../carriers/registry.js';
import type { EngineDeps } from './engine-deps.js';

/**
 * A carrier's SIP domain, made or adopted, and its name recorded on the carrier (handsets register
 * there). A name held elsewhere (another account, or Twilio's reservation after a member deleted
 * ours) is no failure a retry mends: a critical alert says what to set, and the answer is
 * `held_elsewhere` so the caller goes on without handsets on that carrier. `step` runs the call
 * (a job's recorded step; undefined when that step was done before).
 */
export async function ensureCarrierSipDomain(
  deps: EngineDeps,
  carrier: CarrierAdapter,
  step: (make: () => Promise<{ domain: string }>) => Promise<{ domain: string } | undefined> = (make) => make(),
): Promise<{ domain: string | null } | 'held_elsewhere'> {
  try {
    const made = await step(() => carrier.ensureSipDomain({ voiceUrl: deps.urls.outboundUrl, voiceFallbackUrl: deps.urls.voiceFallbackUrl, statusCallback: deps.urls.statusCallback }));
    if (made) await recordSipDomain(deps.store, carrier.carrierId, made.domain, deps.clock.now());
    return { domain: made?.domain ?? null };
  } catch (err) {
    if (!(err instanceof CarrierError) || err.code !== SIP_DOMAIN_HELD_ELSEWHERE) throw err;
    // Named, not by id: a viewer's board does not hold the carriers to look a name up.
    const name = (await deps.store.get('carriers', carrier.carrierId))?.name ?? carrier.carrierId;
    await raiseAlert(deps.store, deps.clock.now(), { severity: 'critical', kind: 'sip_domain_held_elsewhere', carrierId: carrier.carrierId, shelterId: null, text: message('alert.sip_domain_held_elsewhere', { carrier: name, setting: 'ORCH_DEPLOYMENT_ID' }), detail: err.message });
    return 'held_elsewhere';
  }
}
