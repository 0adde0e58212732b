/** Job progress as a labelled bar that screen readers announce as a percentage. */
export function ProgressBar({ done, total, status, label }: { done: number; total: number; status: string; label: string }) {
  const pct = total === 0 ? (status === 'succeeded' ? 100 : 0) : Math.round((done / total) * 100);
  return (
    <div className={`progress ${status}`} role="progressbar" aria-label={label} aria-valuemin={0} aria-valuemax={100} aria-valuenow={pct} title={`${done}/${total} ${status}`}>
      <span style={{ width: `${pct}%` }} />
      <em>
        {done}/{total}
      </em>
    </div>
  );
}
