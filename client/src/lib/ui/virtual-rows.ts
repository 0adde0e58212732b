import { useLayoutEffect, useRef, useState } from 'react';
import { useWindowVirtualizer } from '@tanstack/react-virtual';

/** A row's height before it is measured; rows are measured as they render. */
const ROW_ESTIMATE_PX = 48;

/**
 * The rows of a long table that are in sight (and a few around), on the window's own scroll, with
 * @tanstack/react-virtual: a list of 22,413 shelters or 44,445 numbers keeps about 30 rows in the
 * page. Render `above`/`below` as spacer rows, give `bodyRef` to the tbody and `measure` to each row.
 */
export function useVirtualRows(count: number, keyOf: (index: number) => string) {
  const bodyRef = useRef<HTMLTableSectionElement>(null);
  const [scrollMargin, setScrollMargin] = useState(0);
  useLayoutEffect(() => {
    const place = () => bodyRef.current && setScrollMargin(bodyRef.current.getBoundingClientRect().top + window.scrollY);
    place();
    window.addEventListener('resize', place);
    return () => window.removeEventListener('resize', place);
  }, []);
  const virtual = useWindowVirtualizer({
    count, estimateSize: () => ROW_ESTIMATE_PX, overscan: 8, scrollMargin, getItemKey: keyOf,
    // On a phone a row may be a card with a margin below it: the space it takes includes that.
    measureElement: (el) => el.getBoundingClientRect().height + (parseFloat(getComputedStyle(el).marginBottom) || 0),
  });
  const shown = virtual.getVirtualItems();
  const above = shown.length > 0 ? shown[0]!.start - scrollMargin : 0;
  const below = shown.length > 0 ? virtual.getTotalSize() - (shown[shown.length - 1]!.end - scrollMargin) : 0;
  return { bodyRef, shown, above, below, measure: virtual.measureElement };
}
