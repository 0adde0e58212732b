import { createContext, createElement, useContext, useEffect, useState, type ReactNode } from 'react';
import { accessWords } from '../features/access/words.js';
import { auditWords } from '../features/audit/words.js';
import { authWords } from '../features/auth/words.js';
import { carrierWords } from '../features/carriers/words.js';
import { handsetWords } from '../features/handsets/words.js';
import { jobWords } from '../features/jobs/words.js';
import { mapWords } from '../features/map/words.js';
import { numberWords } from '../features/numbers/words.js';
import { overviewWords } from '../features/overview/words.js';
import { printWords } from '../features/print/words.js';
import { reportWords } from '../features/reports/words.js';
import { shelterWords } from '../features/shelters/words.js';
import { commonWords, type Words } from './words.js';

export type Lang = 'ja' | 'en';

/** Each feature's words, beside the feature; a key written in two of them is a type error below. */
const parts = [commonWords, accessWords, auditWords, authWords, carrierWords, handsetWords, jobWords, mapWords, numberWords, overviewWords, printWords, reportWords, shelterWords] as const;
type Shared<T extends readonly Words[], Seen extends PropertyKey = never> = T extends readonly [infer H extends Words, ...infer R extends readonly Words[]]
  ? Extract<keyof H, Seen> | Shared<R, Seen | keyof H>
  : never;
const noKeyInTwoParts: [Shared<typeof parts>] extends [never] ? true : { writtenTwice: Shared<typeof parts> } = true;
void noKeyInTwoParts;

const dict = { ...commonWords, ...accessWords, ...auditWords, ...authWords, ...carrierWords, ...handsetWords, ...jobWords, ...mapWords, ...numberWords, ...overviewWords, ...printWords, ...reportWords, ...shelterWords };

export type MessageKey = keyof typeof dict;

export function translate(lang: Lang, key: MessageKey, params: Record<string, string | number> = {}): string {
  const text = dict[key][lang === 'ja' ? 0 : 1];
  return text.replace(/\{(\w+)\}/g, (_, name: string) => String(params[name] ?? `{${name}}`));
}

interface I18n {
  lang: Lang;
  setLang(lang: Lang): void;
  t(key: MessageKey, params?: Record<string, string | number>): string;
}

const I18nContext = createContext<I18n>({ lang: 'ja', setLang: () => undefined, t: (k, p) => translate('ja', k, p) });

export function I18nProvider({ children }: { children: ReactNode }) {
  const [lang, setLang] = useState<Lang>(() => (localStorage.getItem('sl-lang') === 'en' ? 'en' : 'ja'));
  useEffect(() => {
    localStorage.setItem('sl-lang', lang);
    document.documentElement.lang = lang;
  }, [lang]);
  return createElement(I18nContext.Provider, { value: { lang, setLang, t: (k, p) => translate(lang, k, p) } }, children);
}

export const useI18n = (): I18n => useContext(I18nContext);
