import twilio from 'twilio';
import type RequestClient from 'twilio/lib/base/RequestClient.js';
import type { RequestGate } from '../request-gate.js';
import { errorAnswer } from './carrier-error.js';

const TWILIO_API = 'https://api.twilio.com';

/**
 * The SDK's own RequestClient with three changes: requests for https://api.twilio.com go to
 * `baseUrl` instead (the simulator in tests and drill); each request passes the carrier's gate
 * (the deployment-wide limit, which also waits out a 429); and an error answer becomes a
 * CarrierError here, where the status, the headers (`Retry-After`) and the raw body are still seen.
 * Auth, form encoding and paging stay the SDK's.
 */
export class BaseUrlRequestClient extends twilio.RequestClient {
  private readonly baseUrl: string | undefined;

  constructor(baseUrl: string | undefined, opts: RequestClient.RequestClientOptions = {}, private readonly gate?: RequestGate) {
    // Plain-http bases are the simulator on loopback: one connection per request there, so no
    // reused keep-alive socket can race the server closing it (seen as requests stuck until timeout).
    super(baseUrl?.startsWith('http://') ? { ...opts, keepAlive: false } : opts);
    this.baseUrl = baseUrl?.replace(/\/+$/, '');
  }

  override async request<TData>(opts: RequestClient.RequestOptions<TData>) {
    const uri = this.baseUrl && opts.uri.startsWith(TWILIO_API) ? this.baseUrl + opts.uri.slice(TWILIO_API.length) : opts.uri;
    const send = () => super.request<TData>({ ...opts, uri });
    const response = this.gate ? await this.gate(send) : await send();
    if (response.statusCode >= 400) throw errorAnswer(response.statusCode, response.body, (response.headers ?? {}) as Record<string, unknown>);
    return response;
  }
}
