import { GroupId, SERVICE_CATEGORY_TITLES, ServiceCategory, type Me } from '@tillscope/shared';
import { useI18n } from '../i18n/locale';
import { DEFAULT_FILTER, QUEUE_SORTS, STATUSES, type QueueFilter } from '../logic/filters';
import { groupOptions, groupTitle } from '../logic/groups';
import type { GroupsState } from '../state/groups';
import { StoreFilterField } from './common';

export interface CountInfo {
  /** rows the list shows */
  shown: number;
  /** every page is here: `shown` is the whole count */
  complete: boolean;
  /** the server's count, when the list is not complete and the server applied the whole filter */
  total: number | null;
  /** a next page can be asked for (lists loaded a page at a time: resolved, all) */
  more: boolean;
}

/** The group picker's value for "my groups" (a group id never starts with '@'). */
const MY_GROUPS = '@mine';

export interface FilterBarProps {
  filter: QueueFilter;
  me: Me;
  groups: GroupsState;
  onFilter: (f: QueueFilter) => void;
  count: CountInfo;
  onMore: () => void;
}

/** The queue's filters; every one of them is kept in the URL by the app (filterToParams). */
export function FilterBar({ filter, me, groups, onFilter, count, onMore }: FilterBarProps) {
  const { t } = useI18n();
  const set = (patch: Partial<QueueFilter>) => onFilter({ ...filter, ...patch });
  return (
    <div class="filters" data-testid="queue-filters">
      <div class="seg" role="group" aria-label={t('filter.status')}>
        {STATUSES.map((s) => (
          <button type="button" key={s} class={filter.status === s ? 'on' : ''} aria-pressed={filter.status === s} data-testid={`filter-status-${s}`} onClick={() => set({ status: s })}>
            {t(`filter.status.${s}`)}
          </button>
        ))}
      </div>
      {filter.status === 'active' ? (
        <div class="seg" role="group" aria-label={t('filter.sort')}>
          {QUEUE_SORTS.map((sort) => (
            <button type="button" key={sort} class={filter.sort === sort ? 'on' : ''} aria-pressed={filter.sort === sort} data-testid={`sort-${sort}`} onClick={() => set({ sort })}>
              {t(`filter.sort.${sort}`)}
            </button>
          ))}
        </div>
      ) : null}
      <GroupField filter={filter} me={me} groups={groups} onChange={set} />
      <label class="field">
        <span>{t('filter.category')}</span>
        <CategorySelect value={filter.category} onChange={(category) => set({ category })} />
      </label>
      <StoreFilterField storeId={filter.storeId} testid="filter-store" onCommit={(storeId) => set({ storeId })} />
      <Toggle testid="filter-mine" on={filter.mine} label={t('filter.mine')} onChange={(mine) => set({ mine })} />
      <Toggle testid="filter-unassigned" on={filter.unassigned} label={t('filter.unassigned')} onChange={(unassigned) => set({ unassigned })} />
      <Toggle testid="filter-overdue" on={filter.overdue} label={t('filter.overdue')} onChange={(overdue) => set({ overdue })} />
      <button type="button" class="btn btn-ghost btn-small" onClick={() => onFilter({ ...DEFAULT_FILTER })}>
        {t('filter.reset')}
      </button>
      <div class="topbar-spacer" />
      <span class="count" data-testid="queue-count" data-shown={count.shown} data-complete={count.complete ? 'true' : 'false'}>
        {count.complete
          ? t('queue.count', { n: count.shown })
          : count.total === null
            ? t('queue.countSoFar', { n: count.shown })
            : t('queue.countOf', { n: count.shown, total: count.total })}
      </span>
      {count.more ? (
        <button type="button" class="btn btn-small" data-testid="queue-more" onClick={onMore}>
          {t('queue.more')}
        </button>
      ) : null}
    </div>
  );
}

/** "My groups" (for an engineer in a group), every group, or one group from GET /api/groups. */
function GroupField({ filter, me, groups, onChange }: { filter: QueueFilter; me: Me; groups: GroupsState; onChange: (patch: Partial<QueueFilter>) => void }) {
  const { t, l } = useI18n();
  const hasGroups = me.groups.length > 0;
  const options = groupOptions(groups.groups, me.groups);
  // A group named by the URL that the list does not offer (archived, or an admin's) stays choosable.
  const extra = filter.group && !options.some((g) => g.id === filter.group) ? filter.group : null;
  const value = filter.group ?? (filter.myGroups && hasGroups ? MY_GROUPS : '');
  const onSelect = (raw: string) => {
    if (raw === MY_GROUPS) return onChange({ group: null, myGroups: true });
    const group = GroupId.safeParse(raw);
    onChange(group.success ? { group: group.data, myGroups: false } : { group: null, myGroups: false });
  };
  return (
    <label class="field">
      <span>{t('filter.group')}</span>
      <select data-testid="filter-group" value={value} onChange={(e) => onSelect(e.currentTarget.value)}>
        {hasGroups ? <option value={MY_GROUPS}>{t('filter.myGroups')}</option> : null}
        <option value="">{t('filter.group.any')}</option>
        {extra ? <option value={extra}>{l(groupTitle(extra, groups.groups))}</option> : null}
        {options.map((g) => (
          <option key={g.id} value={g.id}>
            {l(g.title)}
          </option>
        ))}
      </select>
      {groups.failed ? (
        <span class="sla-mark" data-testid="groups-fallback" title={t('filter.groupsUnavailable')} aria-label={t('filter.groupsUnavailable')}>
          ⚠
        </span>
      ) : null}
    </label>
  );
}

function CategorySelect({ value, onChange }: { value: ServiceCategory | null; onChange: (category: ServiceCategory | null) => void }) {
  const { t, l } = useI18n();
  return (
    <select data-testid="filter-category" value={value ?? ''} onChange={(e) => onChange(ServiceCategory.safeParse(e.currentTarget.value).data ?? null)}>
      <option value="">{t('filter.category.any')}</option>
      {ServiceCategory.options.map((c) => (
        <option key={c} value={c}>
          {l(SERVICE_CATEGORY_TITLES[c])}
        </option>
      ))}
    </select>
  );
}

function Toggle({ on, label, onChange, testid }: { on: boolean; label: string; onChange: (on: boolean) => void; testid: string }) {
  return (
    <label class={`toggle ${on ? 'on' : ''}`}>
      <input type="checkbox" data-testid={testid} checked={on} onChange={(e) => onChange(e.currentTarget.checked)} />
      {label}
    </label>
  );
}
