import type { HandsetVendor } from '../../../../provisioning/model/index.js';
import type { Lang } from '../../lib/i18n.js';

/** Vendors by the names their phones carry (proper names), a softphone in the reader's words. */
export function vendorName(v: HandsetVendor, lang: Lang): { text: string; name: boolean } {
  switch (v) {
    case 'yealink': return { text: 'Yealink', name: true };
    case 'grandstream': return { text: 'Grandstream', name: true };
    case 'polycom': return { text: 'Polycom', name: true };
    case 'softphone': return { text: lang === 'ja' ? 'ソフトフォン（スマートフォン・PC）' : 'Softphone (smartphone, PC)', name: false };
  }
}
