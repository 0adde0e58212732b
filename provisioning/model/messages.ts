import { z } from 'zod';
import { MESSAGE_WORDS, type MessageWordsCode } from './message-words.js';

/**
 * What the server tells a person, as a code and its parameters: the board words it in Japanese or
 * English, the API and the logs in English, both from one table (message-words.ts).
 * Parameters are names, numbers and ids, never our sentences; `detail` carries a carrier's own words.
 */
export const MESSAGE_TEXTS = Object.fromEntries(Object.entries(MESSAGE_WORDS).map(([code, w]) => [code, w.en])) as { readonly [C in MessageWordsCode]: (typeof MESSAGE_WORDS)[C]['en'] };

export const MessageCode = z.enum(Object.keys(MESSAGE_TEXTS) as [keyof typeof MESSAGE_TEXTS, ...(keyof typeof MESSAGE_TEXTS)[]]);
export type MessageCode = z.infer<typeof MessageCode>;

export const Message = z.object({
  code: MessageCode,
  params: z.record(z.string(), z.union([z.string(), z.number()])).default({}),
});
export type Message = z.infer<typeof Message>;

export const message = (code: MessageCode, params: Record<string, string | number> = {}): Message => ({ code, params });

/** The English line of a message, for the API's readable fields and the logs. */
export function messageText(m: Message): string {
  return MESSAGE_TEXTS[m.code].replace(/\{(\w+)\}/g, (_, k: string) => String(m.params[k] ?? `{${k}}`));
}
