/** An error answered in Twilio's own body shape: `{code, message, more_info, status}`. */
export class TwilioFault extends Error {
  constructor(
    readonly status: number,
    readonly code: number,
    message: string,
  ) {
    super(message);
    this.name = 'TwilioFault';
  }
}

export interface TwilioErrorBody {
  code: number;
  message: string;
  more_info: string;
  status: number;
}

export function errorBody(fault: TwilioFault): TwilioErrorBody {
  return {
    code: fault.code,
    message: fault.message,
    more_info: `https://www.twilio.com/docs/errors/${fault.code}`,
    status: fault.status,
  };
}

export const notFound = (path: string) => new TwilioFault(404, 20404, `The requested resource ${path} was not found`);
export const unauthorized = () => new TwilioFault(401, 20003, 'Authenticate');
/** Error 20429's body as Twilio's error page words it: the account sent too many concurrent requests. */
export const tooManyRequests = () => new TwilioFault(429, 20429, 'Too Many Requests');
export const unavailable = () => new TwilioFault(503, 20503, 'Service Unavailable');
