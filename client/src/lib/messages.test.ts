import { describe, expect, it } from 'vitest';
import { MESSAGE_TEXTS, message, type MessageCode } from '../../../provisioning/model/index.js';
import { messageParts, messageText } from './messages.js';
import { LATIN_ALLOWED } from '../../../test/e2e/page-words.js';

// The same rule as the JA walk in the browser (test/e2e/first-hour): three Latin words in a row make a sentence.
const LATIN_SENTENCE = /[A-Za-z][A-Za-z'’]+(?:[\s,.:;!?()/–—-]+[A-Za-z][A-Za-z'’]+){2,}/;
// Code-valued parameters as the server sends them (abuse limits, certifications, work-order actions, job kinds).
const CODED: Record<string, string[]> = {
  limit: ['handset-concurrent', 'handset-calls-per-hour', 'shelter-concurrent', 'shelter-calls-per-hour', 'shelter-minutes-per-day', 'handset-navi-dial-minutes-per-day'],
  certification: ['etoc', 'numberUsePlan'],
  action: ['route_number', 'reset_number', 'intercept_number', 'create_credential', 'delete_credential'],
  kind: ['open_shelter', 'failover'],
};

describe('what the server says, in Japanese', () => {
  const codes = Object.keys(MESSAGE_TEXTS) as MessageCode[];
  it.each(codes)('%s reads as Japanese with every coded parameter worded', (code) => {
    const keys = [...MESSAGE_TEXTS[code].matchAll(/\{(\w+)\}/g)].map(([, k]) => k!);
    const variants = Math.max(1, ...keys.map((k) => CODED[k]?.length ?? 1));
    for (let i = 0; i < variants; i++) {
      const params = Object.fromEntries(keys.map((k) => [k, CODED[k] ? CODED[k][i % CODED[k].length]! : 7]));
      const ja = messageText(message(code, params), 'ja');
      expect({ code, ja, sentence: LATIN_SENTENCE.test(ja) }).toEqual({ code, ja, sentence: false });
      // Stricter, as the board's walk: no Latin word outside the parameters (names, a person's reason) and the allow-list.
      const ours = messageParts(message(code, params), 'ja').filter((p): p is string => typeof p === 'string').join('');
      expect({ code, latin: (ours.match(/[A-Za-z]+/g) ?? []).filter((w) => !(w in LATIN_ALLOWED)) }).toEqual({ code, latin: [] });
      for (const k of Object.keys(CODED)) if (params[k] !== undefined) expect(ja).not.toContain(String(params[k]));
      expect(messageText(message(code, params), 'en')).not.toMatch(/[\u3040-\u30ff]{3}/); // and English has no kana
    }
  });
});
