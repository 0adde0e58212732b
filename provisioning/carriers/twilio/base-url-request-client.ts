import twilio from 'twilio';
import type RequestClient from 'twilio/lib/base/RequestClient.js';

const TWILIO_API = 'https://api.twilio.com';

/**
 * The SDK's own RequestClient with one change: requests for https://api.twilio.com go to
 * `baseUrl` instead (the simulator in tests and drill). Auth, form encoding, paging and errors
 * stay the SDK's.
 */
export class BaseUrlRequestClient extends twilio.RequestClient {
  private readonly baseUrl: string | undefined;

  /** `beforeRequest` runs before every HTTP request (the carrier's token bucket: one token per API call). */
  constructor(baseUrl: string | undefined, opts: RequestClient.RequestClientOptions = {}, private readonly beforeRequest?: () => Promise<void>) {
    // Plain-http bases are the simulator on loopback: one connection per request there, so no
    // reused keep-alive socket can race the server closing it (seen as requests stuck until timeout).
    super(baseUrl?.startsWith('http://') ? { ...opts, keepAlive: false } : opts);
    this.baseUrl = baseUrl?.replace(/\/+$/, '');
  }

  override async request<TData>(opts: RequestClient.RequestOptions<TData>) {
    await this.beforeRequest?.();
    const uri = this.baseUrl && opts.uri.startsWith(TWILIO_API) ? this.baseUrl + opts.uri.slice(TWILIO_API.length) : opts.uri;
    return super.request<TData>({ ...opts, uri });
  }
}
