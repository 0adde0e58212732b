import type { Carrier } from '../carriers/carrier.js';
import type { Clock } from '../platform/clock.js';
import type { Store } from '../store/store.js';
import type { SecretBox } from '../platform/secrets.js';
import type { RetryPolicy } from './retry.js';

/** Where carriers send calls for our numbers and handsets: all under the public URL. */
export interface WebhookUrls {
  voiceUrl: string;
  voiceFallbackUrl: string;
  statusCallback: string;
  /** The SIP domain's voice URL: calls from handsets. */
  outboundUrl: string;
  intercept(reason: 'closed' | 'suspended'): string;
}

export function webhookUrls(publicUrl: string, fallbackUrl?: string): WebhookUrls {
  const base = publicUrl.replace(/\/$/, '');
  return {
    voiceUrl: `${base}/twilio/voice/inbound`,
    voiceFallbackUrl: fallbackUrl ?? `${base}/twilio/voice/fallback`,
    statusCallback: `${base}/twilio/status`,
    outboundUrl: `${base}/twilio/voice/outbound`,
    intercept: (reason) => `${base}/twilio/voice/intercept?reason=${reason}`,
  };
}

/** Finds the (rate-limited) adapter of a carrier. */
export interface CarrierDirectory {
  get(carrierId: string): Promise<Carrier>;
  /** Forget a cached adapter, e.g. after its credentials changed. */
  invalidate(carrierId: string): void;
}

export interface Logger {
  info(obj: object, msg?: string): void;
  warn(obj: object, msg?: string): void;
  error(obj: object, msg?: string): void;
}

/** Everything the reconcilers need, passed explicitly. */
export interface EngineDeps {
  store: Store;
  secrets: SecretBox;
  carriers: CarrierDirectory;
  clock: Clock;
  urls: WebhookUrls;
  agingDays: number;
  etocGraceDays: number;
  retry: RetryPolicy;
  /** This process's identity in job leases. */
  owner: string;
  leaseMs: number;
  logger: Logger;
}
