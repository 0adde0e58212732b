import { Component, use, type ComponentType, type ReactNode } from 'react';
import { useBoard } from '../board-store.js';
import { useI18n } from '../i18n.js';

/** Forgets each load that failed, so the next render of its view loads afresh: a boundary calls it when it tries again. */
const failedLoads = new Set<() => void>();
function forgetFailedLoads(): void {
  for (const forget of failedLoads) forget();
  failedLoads.clear();
}

/**
 * Like React.lazy, except that a load that failed (the board was offline) is tried again when its
 * boundary tries again, instead of failing for good (React.lazy keeps the first rejection forever).
 * The failed load is kept until then, so the render that meets it throws to the boundary instead of
 * starting another load and waiting on it (which showed 接続中… for as long as the board was offline).
 */
export function lazyView<P extends object>(load: () => Promise<ComponentType<P>>): ComponentType<P> {
  let loaded: ComponentType<P> | null = null;
  let pending: Promise<ComponentType<P>> | null = null;
  return function LazyView(props: P) {
    if (!loaded) {
      const attempt: Promise<ComponentType<P>> = (pending ??= load().then(
        (view) => (loaded = view),
        (err: unknown) => {
          failedLoads.add(() => {
            if (pending === attempt) pending = null;
          });
          throw err;
        },
      ));
      loaded = use(attempt);
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
    if (props.resetKey === state.resetKey) return null;
    forgetFailedLoads();
    return { failed: false, resetKey: props.resetKey };
  }

  override render() {
    return this.state.failed ? <ViewFailed onRetry={() => (forgetFailedLoads(), this.setState({ failed: false }))} /> : this.props.children;
  }
}
