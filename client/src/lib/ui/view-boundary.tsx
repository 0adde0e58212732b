import { Component, use, type ComponentType, type ReactNode } from 'react';
import { useBoard } from '../board-store.js';
import { useI18n } from '../i18n.js';

/**
 * Like React.lazy, except that a load that failed (the board was offline) is tried again at the
 * next render instead of failing for good: React.lazy keeps the first rejection forever.
 */
export function lazyView<P extends object>(load: () => Promise<ComponentType<P>>): ComponentType<P> {
  let loaded: ComponentType<P> | null = null;
  let pending: Promise<ComponentType<P>> | null = null;
  return function LazyView(props: P) {
    if (!loaded) {
      pending ??= load().then(
        (view) => (loaded = view),
        (err: unknown) => {
          pending = null;
          throw err;
        },
      );
      loaded = use(pending);
    }
    const View = loaded;
    return <View {...props} />;
  };
}

function ViewFailed({ onRetry }: { onRetry(): void }) {
  const { t } = useI18n();
  const live = useBoard().status === 'live';
  return (
    <section role="alert" data-testid="view-failed">
      <h1>{t('viewFailed')}</h1>
      <p>{t(live ? 'viewFailedLive' : 'viewFailedOffline')}</p>
      <button type="button" onClick={onRetry}>{t('tryAgain')}</button>
    </section>
  );
}

/**
 * An error in one view stays in that view: the header, the banner and the navigation keep working.
 * The view is tried again when `resetKey` changes (another view, the connection back) or on request.
 */
export class ViewBoundary extends Component<{ resetKey: string; children: ReactNode }, { failed: boolean; resetKey: string }> {
  override state = { failed: false, resetKey: this.props.resetKey };

  static getDerivedStateFromError() {
    return { failed: true };
  }

  static getDerivedStateFromProps(props: { resetKey: string }, state: { resetKey: string }) {
    return props.resetKey === state.resetKey ? null : { failed: false, resetKey: props.resetKey };
  }

  override render() {
    return this.state.failed ? <ViewFailed onRetry={() => this.setState({ failed: false })} /> : this.props.children;
  }
}
