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
