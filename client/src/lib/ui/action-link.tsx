import type { AnchorHTMLAttributes } from 'react';
import { useActionsEnabled } from '../board-store.js';
import { useI18n } from '../i18n.js';
import { Link } from '../router.js';

/**
 * A link to a view that acts on the server (printing records what it prints): while the board is
 * not live it is a disabled button that says why, so nobody starts what cannot finish.
 */
export function ActionLink({ to, children, className, ...rest }: AnchorHTMLAttributes<HTMLAnchorElement> & { to: string }) {
  const enabled = useActionsEnabled();
  const { t } = useI18n();
  if (enabled) return <Link to={to} className={className} {...rest}>{children}</Link>;
  return <button type="button" className={className} disabled title={t('offlineDisabled')} aria-label={rest['aria-label']}>{children}</button>;
}
