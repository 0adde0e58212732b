import { useI18n } from '../i18n.js';

/** A carrier's or system's own words (English error strings), folded away and marked as English. */
export function TechnicalDetail({ text }: { text: string }) {
  const { t } = useI18n();
  return (
    <details className="tech small">
      <summary>{t('technicalDetail')}</summary>
      <code lang="en" className="break">{text}</code>
    </details>
  );
}
