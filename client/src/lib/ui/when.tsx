import { dateTime } from '../format.js';
import { useI18n } from '../i18n.js';

/** A date and time in Japan, as one unbreakable token (a narrow column never splits it). */
export function When({ at }: { at: string | null | undefined }) {
  const { lang } = useI18n();
  if (!at) return <>—</>;
  return <time dateTime={at}>{dateTime(at, lang)}</time>;
}
