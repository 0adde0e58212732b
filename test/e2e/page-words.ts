import type { Page } from 'playwright-core';
import type { Carrier, Shelter } from '../../provisioning/model/index.js';
import type { ApiClient } from '../../server/drill/api-client.js';

/**
 * Latin-script words a Japanese reader may meet on a board where every word should be Japanese,
 * each justified: nothing else in Latin letters passes unless it is a number, an id or a name.
 */
export const LATIN_ALLOWED: Record<string, string> = {
  English: 'the language switch names the language it offers, in that language (its label must contain what it shows, WCAG 2.5.3)',
  CSV: 'the file format Excel users know by this name (CSVで書き出す)',
  QR: 'QRコード is the Japanese word',
  MAC: 'MACアドレス is what the label on a desk phone says',
  IP: 'IP電話 is MIC’s own Japanese term for the 050 numbers',
  URL: '自動設定URL is what a desk phone’s own menu calls the field it is typed into',
  ETOC: 'the certification body’s name (電話事業者認証機構) as its mark shows it',
  JUSA: 'the association’s name, as its members write it in Japanese',
};

/**
 * Every visible Latin-script word on the page, and in its spoken labels, titles and placeholders,
 * that is neither a number, an id, nor a name. Passes: text marked as another language (lang="en"),
 * code, text marked translate="no" (ids, and names the board marks), the proper `names` given (what
 * the data calls its shelters, carriers and people: "ミナ.クル（４F）", "Noto Cloud"), tokens that are
 * ids (3+ digits in a row, an underscore, a MAC address) and the words of `LATIN_ALLOWED`.
 * "0ABJ", "noto-cloud", "admin", "4/4 succeeded" and "30s" all fail.
 */
export function latinWords(page: Page, properNames: string[] = []): Promise<string[]> {
  return page.evaluate(([allowed, given]) => {
    const allow = new Set(allowed);
    const token = /[A-Za-z0-9_:./#@+'’-]*[A-Za-zＡ-Ｚａ-ｚ][A-Za-zＡ-Ｚａ-ｚ0-9_:./#@+'’-]*/g;
    const isId = (t: string) => /\d{3,}|_/.test(t) || /^([0-9a-f]{2}[:-]){5}[0-9a-f]{2}$/i.test(t);
    const bad = (text: string): string[] =>
      [...text.matchAll(token)]
        .map(([t]) => t.replace(/^[-.:/'’]+|[-.:/'’]+$/g, ''))
        .filter((t) => !isId(t) && (t.match(/[A-Za-zＡ-Ｚａ-ｚ]+/g) ?? []).some((w) => !allow.has(w)));
    // A name marked translate="no" somewhere on the page is a name wherever it recurs (in a spoken label, say).
    const marked = [...document.querySelectorAll('[translate="no"]')].map((e) => (e.textContent ?? '').trim());
    const names = [...new Set([...given, ...marked].filter((n) => n.length > 1))].sort((a, b) => b.length - a.length);
    const withoutNames = (text: string) => names.reduce((t, n) => t.split(n).join(' '), text);
    const exempt = (el: Element | null) => !el || !!el.closest('[lang]:not([lang^="ja"]), code, script, style, [translate="no"]');
    const found: string[] = [];
    const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
    while (walker.nextNode()) {
      const node = walker.currentNode;
      const el = node.parentElement;
      if (exempt(el) || !el!.checkVisibility()) continue;
      for (const w of bad(withoutNames(node.textContent ?? ''))) found.push(`${w} ← "${(node.textContent ?? '').trim().slice(0, 80)}"`);
    }
    for (const el of document.querySelectorAll('[aria-label], [title], [placeholder], img[alt]')) {
      if (el.closest('[lang]:not([lang^="ja"])') || (el.closest('[translate="no"]') && el.closest('[translate="no"]') !== el)) continue;
      for (const attr of ['aria-label', 'title', 'placeholder', 'alt']) {
        const v = el.getAttribute(attr);
        if (v) for (const w of bad(withoutNames(v))) found.push(`${w} ← ${attr}="${v.slice(0, 80)}"`);
      }
    }
    return [...new Set(found)];
  }, [Object.keys(LATIN_ALLOWED), properNames] as const);
}

/** The proper names a drill's data holds (shelters and their addresses, carriers), the product's and the map data licence's. */
export async function dataNames(api: ApiClient): Promise<string[]> {
  const shelters = (await api.call<{ items: Shelter[] }>('GET', '/api/v1/shelters?limit=1000')).body.items;
  const carriers = (await api.call<{ items: Carrier[] }>('GET', '/api/v1/carriers')).body.items;
  return [...shelters.flatMap((s) => [s.name, s.address ?? '']), ...carriers.map((c) => c.name), 'Shelter Line', 'CC BY 4.0'];
}
