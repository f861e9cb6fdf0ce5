import { RoutingGroup, StoreId } from '@tillscope/shared';

export type StatusFilter = 'active' | 'resolved' | 'all';

/**
 * What the queue shows. `status`, `group`, `storeId` and `mine` go to the server
 * (GET /api/tickets); `unassigned` and `overdue` are applied in the renderer.
 */
export interface QueueFilter {
  status: StatusFilter;
  group: RoutingGroup | null;
  storeId: string | null;
  mine: boolean;
  unassigned: boolean;
  overdue: boolean;
}

export const DEFAULT_FILTER: Readonly<QueueFilter> = Object.freeze({
  status: 'active',
  group: null,
  storeId: null,
  mine: false,
  unassigned: false,
  overdue: false,
});

export const STATUSES: readonly StatusFilter[] = ['active', 'resolved', 'all'];

/** Reads a filter from URL parameters. Anything unknown or malformed falls back to the default. */
export function parseFilter(params: URLSearchParams): QueueFilter {
  const status = params.get('status');
  const group = RoutingGroup.safeParse(params.get('group'));
  const store = StoreId.safeParse(params.get('store'));
  return {
    status: STATUSES.includes(status as StatusFilter) ? (status as StatusFilter) : DEFAULT_FILTER.status,
    group: group.success ? group.data : null,
    storeId: store.success ? store.data : null,
    mine: params.get('mine') === '1',
    unassigned: params.get('unassigned') === '1',
    overdue: params.get('overdue') === '1',
  };
}

/** Writes only what differs from the default, in a fixed order, so equal views have equal URLs. */
export function filterToParams(filter: QueueFilter): URLSearchParams {
  const params = new URLSearchParams();
  if (filter.status !== DEFAULT_FILTER.status) params.set('status', filter.status);
  if (filter.group) params.set('group', filter.group);
  if (filter.storeId) params.set('store', filter.storeId);
  if (filter.mine) params.set('mine', '1');
  if (filter.unassigned) params.set('unassigned', '1');
  if (filter.overdue) params.set('overdue', '1');
  return params;
}

/** The first page of a ticket list: a screenful and more, quick to fetch, check and draw. */
export const QUEUE_FIRST_PAGE_SIZE = 200;
/** Every next page: few requests for a whole queue, each well within the API's 50 ms budget. */
export const QUEUE_PAGE_SIZE = 500;

/** One page of a list: `after` is the previous page's `nextCursor`. */
export interface PageRequest {
  after?: string | null;
  limit?: number;
}

/** The query string for GET /api/tickets (TicketListQuery), for one page. */
export function filterToApiQuery(filter: QueueFilter, page: PageRequest = {}): string {
  const params = new URLSearchParams({ status: filter.status });
  if (filter.group) params.set('group', filter.group);
  if (filter.storeId) params.set('storeId', filter.storeId);
  if (filter.mine) params.set('mine', '1');
  if (page.after) params.set('after', page.after);
  if (page.limit !== undefined) params.set('limit', String(page.limit));
  return params.toString();
}

export function sameFilter(a: QueueFilter, b: QueueFilter): boolean {
  return sameServerFilter(a, b) && a.unassigned === b.unassigned && a.overdue === b.overdue;
}

export function sameServerFilter(a: QueueFilter, b: QueueFilter): boolean {
  return a.status === b.status && a.group === b.group && a.storeId === b.storeId && a.mine === b.mine;
}

/**
 * What to load from the server for `filter`. The active queue (ten thousand tickets at most on a
 * bad day) is loaded whole, page by page, and every other filter is applied to it in the renderer,
 * so choosing a group, a store or "mine" answers at once without a round trip. Resolved and all
 * tickets (hundreds of thousands) are filtered by the server and loaded a page at a time.
 */
export function loadQueryFor(filter: QueueFilter): QueueFilter {
  if (filter.status === 'active') return { ...DEFAULT_FILTER, status: 'active' };
  return { ...DEFAULT_FILTER, status: filter.status, group: filter.group, storeId: filter.storeId, mine: filter.mine };
}
