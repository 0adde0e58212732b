import { MESSAGES, combine, type Say } from './speech.js';
import { numberToReach, type NetworkView } from './network-view.js';

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
  | { step: 'ask'; attempt: number; prompts: Say[]; numDigits: 4; timeoutSeconds: number; action: string }
  | { step: 'connect'; shelterId: string; dial: string; messages: Say[] }
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
    numDigits: 4,
    timeoutSeconds: DIRECTORY_GATHER_SECONDS,
    action: `${DIRECTORY_PATH}?attempt=${attempt + 1}`,
  });
  if (attempt === 0) return ask(MESSAGES.directoryPrompt);

  const target = view.shortCodeShelter;
  const code = call.digits ?? '';
  const number = target && target.open && target.shortCode === code ? numberToReach(target, view.called?.carrierId ?? null) : null;
  if (target && number) return { step: 'connect', shelterId: target.id, dial: number.e164, messages: MESSAGES.directoryConnecting };
  if (attempt >= DIRECTORY_MAX_ATTEMPTS) return { step: 'goodbye', messages: combine(MESSAGES.directoryUnknown, MESSAGES.directoryGoodbye) };
  return ask(combine(MESSAGES.directoryUnknown, MESSAGES.directoryPrompt));
}
