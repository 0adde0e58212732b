export { createTwilioCarrier, listName, type TwilioCarrierOptions } from './twilio-carrier.js';
export { sipPasswordProblem, sipUsernameProblem } from './sip-password.js';
export { toCarrierError } from './carrier-error.js';
export { BaseUrlRequestClient } from './base-url-request-client.js';
