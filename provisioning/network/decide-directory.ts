import { MESSAGES, combine, type Say } from './speech.js';
import { lineOnCarrier, numberToReach, type NetworkView } from './network-view.js';
import { dialledReaches, parseShortCode } from '../numbers/short-code-scheme.js';

/** A call to the directory hotline; `digits` is what the caller keyed in, if anything yet. */
export interface DirectoryCall {
  from: string;
  to: string;
  digits: string | null;
}

export const DIRECTORY_PATH = '/twilio/voice/directory';
export const DIRECTORY_MAX_ATTEMPTS = 3;
export const DIRECTORY_GATHER_SECONDS = 8;

export type DirectoryDecision =
  | { step: 'ask'; attempt: number; prompts: Say[]; numDigits: 7; finishOnKey: '#'; timeoutSeconds: number; action: string }
  /** `callerId`: the calling handset's shelter line when a shelter phone dialled the directory code (null: the caller's own number). */
  | { step: 'connect'; shelterId: string; dial: string; callerId: string | null; messages: Say[] }
  | { step: 'goodbye'; messages: Say[] };

/**
 * `attempt` is how many codes the caller has been asked for so far (0 on the first request).
 * A wrong or missing code is asked again, up to three attempts, then a goodbye.
 */
export function decideDirectory(call: DirectoryCall, view: NetworkView, attempt: number): DirectoryDecision {
  if (!Number.isInteger(attempt) || attempt < 0) throw new RangeError(`attempt must be a non-negative integer, got ${attempt}`);
  const ask = (prompts: Say[]): DirectoryDecision => ({
    step: 'ask',
    attempt: attempt + 1,
    prompts,
    numDigits: 7,
    finishOnKey: '#',
    timeoutSeconds: DIRECTORY_GATHER_SECONDS,
    action: `${DIRECTORY_PATH}?attempt=${attempt + 1}`,
  });
  if (attempt === 0) return ask(MESSAGES.directoryPrompt);

  const target = view.shortCodeShelter;
  const dialled = parseShortCode((call.digits ?? '').replace(/#$/, ''));
  // The hotline is national: 4 digits reach the caller's prefecture when the hotline number is a
  // shelter's, otherwise only a code no other prefecture uses; the long form always works.
  // A shelter handset (directory code 9000000) counts as in its shelter's prefecture, like the hotline number of a shelter.
  const reaches = dialled !== null && target !== null && target.open && dialledReaches(dialled, target, view.shelter?.prefecture ?? null, view.shortCodeUnique);
  const carrierId = view.caller?.carrierId ?? view.called?.carrierId ?? null;
  const number = reaches ? numberToReach(target, carrierId) : null;
  const callerLine = view.caller && view.shelter ? lineOnCarrier(view.shelter, view.caller.carrierId) : null;
  if (target && number) return { step: 'connect', shelterId: target.id, dial: number.e164, callerId: callerLine?.e164 ?? null, messages: MESSAGES.directoryConnecting };
  if (attempt >= DIRECTORY_MAX_ATTEMPTS) return { step: 'goodbye', messages: combine(MESSAGES.directoryUnknown, MESSAGES.directoryGoodbye) };
  return ask(combine(MESSAGES.directoryUnknown, MESSAGES.directoryPrompt));
}
