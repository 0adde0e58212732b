export { createTwilioSimulator } from './simulator.js';
export type { TwilioSimulatorOptions } from './simulator.js';
export type { TwilioSimulator, SimulatorSnapshot, RateLimit, AccountConcurrency } from './simulator-interface.js';
export type { Exchange } from './rest-handler.js';
export type { CallResult, CalleeLeg, PlayedAudio, WebhookResult } from './caller.js';
export { restRoutes } from './rest-routes.js';
