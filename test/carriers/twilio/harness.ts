import { ManualClock } from '../../../provisioning/platform/clock.js';
import { createTwilioCarrier, type TwilioCarrierOptions } from '../../../provisioning/carriers/twilio/index.js';
import { createTwilioSimulator, type TwilioSimulator } from '../../../server/drill/twilio-simulator/index.js';

/** A simulator on a loopback port with one account, and the adapter pointed at it through the SDK. */
export interface Harness {
  sim: TwilioSimulator;
  clock: ManualClock;
  url: string;
  account: { sid: string; authToken: string };
  carrier(overrides?: Partial<TwilioCarrierOptions>): ReturnType<typeof createTwilioCarrier>;
  close(): Promise<void>;
}

export async function startHarness(): Promise<Harness> {
  const clock = new ManualClock('2024-01-09T00:00:00.000Z');
  const sim = createTwilioSimulator({ now: () => clock.now() });
  const server = await sim.listen();
  const account = sim.createAccount({ friendlyName: 'KDDI member tenant' });
  return {
    sim,
    clock,
    url: server.url,
    account,
    carrier: (overrides = {}) =>
      createTwilioCarrier({
        carrierId: 'kddi',
        accountSid: account.sid,
        authToken: account.authToken,
        apiBaseUrl: server.url,
        sipDomainName: 'shelter-line-kddi',
        ...overrides,
      }),
    close: server.close,
  };
}

export const ROUTING = {
  voiceUrl: 'https://line.example.jp/twilio/voice/inbound',
  voiceFallbackUrl: 'https://line.example.jp/twilio/voice/fallback',
  statusCallback: 'https://line.example.jp/twilio/status',
};

export const DOMAIN_SPEC = {
  voiceUrl: 'https://line.example.jp/twilio/voice/outbound',
  voiceFallbackUrl: 'https://line.example.jp/twilio/voice/fallback',
  statusCallback: 'https://line.example.jp/twilio/status',
};
