/**
 * Twilio's list envelope. Pages are cut by `PageSize`; `PageToken` (`PA<sid>` = after that sid,
 * `PB<sid>` = before it) wins over the `Page` index, as on Twilio, so inserts between calls do not
 * shift pages.
 */
export interface PageQuery {
  PageSize?: string;
  Page?: string;
  PageToken?: string;
}

const DEFAULT_PAGE_SIZE = 50;
const MAX_PAGE_SIZE = 1000;

function intParam(value: string | undefined, fallback: number, min: number, max: number): number {
  const n = value === undefined ? NaN : Number(value);
  return Number.isInteger(n) ? Math.min(max, Math.max(min, n)) : fallback;
}

export function pageOf<T extends { sid: string }>(
  all: T[],
  query: PageQuery,
  listUri: string,
  filters: Record<string, string>,
): { items: T[]; envelope: Record<string, unknown> } {
  const size = intParam(query.PageSize, DEFAULT_PAGE_SIZE, 1, MAX_PAGE_SIZE);
  const page = intParam(query.Page, 0, 0, Number.MAX_SAFE_INTEGER);
  let start = page * size;
  const token = query.PageToken ?? '';
  const anchor = all.findIndex((x) => x.sid === token.slice(2));
  if (token.startsWith('PA') && anchor >= 0) start = anchor + 1;
  if (token.startsWith('PB') && anchor >= 0) start = Math.max(0, anchor - size);
  const items = all.slice(start, start + size);
  const uriFor = (p: number, tok?: string) => {
    const q = new URLSearchParams(filters);
    q.set('PageSize', String(size));
    q.set('Page', String(p));
    if (tok) q.set('PageToken', tok);
    return `${listUri}?${q.toString()}`;
  };
  const last = items[items.length - 1];
  const first = items[0];
  const hasNext = last !== undefined && start + items.length < all.length;
  return {
    items,
    envelope: {
      end: items.length > 0 ? start + items.length - 1 : start,
      first_page_uri: uriFor(0),
      next_page_uri: hasNext ? uriFor(page + 1, `PA${last.sid}`) : null,
      page,
      page_size: size,
      previous_page_uri: page > 0 && first ? uriFor(page - 1, `PB${first.sid}`) : null,
      start,
      uri: uriFor(page, token || undefined),
    },
  };
}
