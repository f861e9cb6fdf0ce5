import { GroupId, ServiceCategory, StoreId, type Me } from '@tillscope/shared';

export type StatusFilter = 'active' | 'resolved' | 'all';

/**
 * The order of the active queue: 'due' (what must be done first: the running SLA clock's due time,
 * then the priority) or 'priority' (the most severe, then the oldest). Resolved and all tickets are
 * listed in the server's order, by priority (see listOrder).
 */
export type QueueSort = 'due' | 'priority';
export const QUEUE_SORTS: readonly QueueSort[] = ['due', 'priority'];

/**
 * What the queue shows. The active queue is loaded whole and every filter is applied to it in the
 * renderer; for resolved and all tickets (loaded a page at a time) every filter goes to the server
 * (GET /api/tickets, see loadQueryFor). `sort` orders the active queue (see listOrder).
 */
export interface QueueFilter {
  status: StatusFilter;
  sort: QueueSort;
  /** one group; null: every group, or the engineer's own with `myGroups` */
  group: GroupId | null;
  /** the engineer's groups (Me.groups); on by default, no effect for an engineer in no group; off when `group` is set */
  myGroups: boolean;
  category: ServiceCategory | null;
  storeId: string | null;
  mine: boolean;
  unassigned: boolean;
  overdue: boolean;
}

export const DEFAULT_FILTER: Readonly<QueueFilter> = Object.freeze({
  status: 'active',
  sort: 'due',
  group: null,
  myGroups: true,
  category: null,
  storeId: null,
  mine: false,
  unassigned: false,
  overdue: false,
});

/** Nothing but the status: what the active queue is loaded with (loadQueryFor) and what a store's link shows. */
const NO_FILTER: Readonly<QueueFilter> = Object.freeze({ ...DEFAULT_FILTER, myGroups: false });

/** The filter as it applies to `me`: "my groups" means nothing to an engineer in no group. */
export function effectiveFilter(filter: QueueFilter, me: Pick<Me, 'groups'> | null): QueueFilter {
  return filter.myGroups && !(me && me.groups.length > 0) ? { ...filter, myGroups: false } : filter;
}

/** One store's tickets in every group (links from the fleet and from a ticket). */
export function storeFilter(storeId: string): QueueFilter {
  return { ...NO_FILTER, storeId };
}

export const STATUSES: readonly StatusFilter[] = ['active', 'resolved', 'all'];

/** Reads a filter from URL parameters. Anything unknown or malformed falls back to the default. */
export function parseFilter(params: URLSearchParams): QueueFilter {
  const status = params.get('status');
  const sort = params.get('sort');
  const group = GroupId.safeParse(params.get('group'));
  const category = ServiceCategory.safeParse(params.get('category'));
  const store = StoreId.safeParse(params.get('store'));
  return {
    status: STATUSES.includes(status as StatusFilter) ? (status as StatusFilter) : DEFAULT_FILTER.status,
    sort: QUEUE_SORTS.includes(sort as QueueSort) ? (sort as QueueSort) : DEFAULT_FILTER.sort,
    group: group.success ? group.data : null,
    myGroups: !group.success && params.get('mygroups') !== '0',
    category: category.success ? category.data : null,
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
  if (filter.sort !== DEFAULT_FILTER.sort) params.set('sort', filter.sort);
  if (filter.group) params.set('group', filter.group);
  else if (!filter.myGroups) params.set('mygroups', '0');
  if (filter.category) params.set('category', filter.category);
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
  else if (filter.myGroups) params.set('myGroups', '1');
  if (filter.category) params.set('category', filter.category);
  if (filter.storeId) params.set('storeId', filter.storeId);
  if (filter.mine) params.set('mine', '1');
  if (filter.unassigned) params.set('unassigned', '1');
  if (filter.overdue) params.set('overdue', '1');
  if (page.after) params.set('after', page.after);
  if (page.limit !== undefined) params.set('limit', String(page.limit));
  return params.toString();
}

export function sameFilter(a: QueueFilter, b: QueueFilter): boolean {
  return sameServerFilter(a, b) && a.sort === b.sort;
}

/** The order a list loaded for `filter` is held and shown in: the chosen one for the active queue, else the server's. */
export function listOrder(filter: Pick<QueueFilter, 'status' | 'sort'>): QueueSort {
  return filter.status === 'active' ? filter.sort : 'priority';
}

export function sameServerFilter(a: QueueFilter, b: QueueFilter): boolean {
  return (
    a.status === b.status && a.group === b.group && a.myGroups === b.myGroups && a.category === b.category && a.storeId === b.storeId && a.mine === b.mine &&
    a.unassigned === b.unassigned && a.overdue === b.overdue
  );
}

/**
 * What to load from the server for `filter` (already `effectiveFilter`). The active queue (ten
 * thousand tickets at most on a bad day) is loaded whole, page by page, and every other filter is
 * applied to it in the renderer, so choosing a group, a category, a store or "mine" answers at once
 * without a round trip. Resolved and all tickets (hundreds of thousands) are filtered by the server,
 * "unassigned" and "overdue" too, and loaded a page at a time. Store incidents' symptoms are left
 * out either way (the server's default): they are listed on their incident.
 */
export function loadQueryFor(filter: QueueFilter): QueueFilter {
  if (filter.status === 'active') return { ...NO_FILTER, sort: filter.sort };
  const { myGroups, group } = filter;
  return { ...filter, myGroups: myGroups && group === null };
}
