import { builtInGroupTitle, CATALOGUE, type GroupList, type RoutingRule, type RoutingTable } from '@tillscope/shared';
import { useState } from 'preact/hooks';
import type { ApiClient } from '../api/client';
import { useI18n } from '../i18n/locale';
import { errorText } from './common';
import { PartFrame } from './service-common';
import { useLoad } from './use-load';

/** Both lists the routing table needs: the rules, and the groups for their titles and the picker. */
async function loadRouting(api: ApiClient): Promise<{ table: RoutingTable; groups: GroupList }> {
  const [table, groups] = await Promise.all([api.routing(), api.groups()]);
  return { table, groups };
}

/**
 * The routing table: which group each diagnosis opens its tickets in. A rule an admin changed is
 * marked and can be put back to the catalogue's default; engineers read.
 */
export function RoutingPanel({ api, admin }: { api: ApiClient; admin: boolean }) {
  const state = useLoad(() => loadRouting(api), api);
  return (
    <PartFrame testid="svc-routing" title="svc.routing.title" hint="svc.routing.hint" readOnly={!admin} state={state}>
      {(value) => <Rules table={value.table} groups={value.groups} admin={admin} api={api} onChanged={state.reload} />}
    </PartFrame>
  );
}

function Rules({ table, groups, admin, api, onChanged }: { table: RoutingTable; groups: GroupList; admin: boolean; api: ApiClient; onChanged: () => void }) {
  const { t, l } = useI18n();
  const [filter, setFilter] = useState('');
  const titleOf = (id: string) => {
    const group = groups.groups.find((g) => g.id === id);
    return group ? l(group.title) : l(builtInGroupTitle(id));
  };
  const needle = filter.trim().toLowerCase();
  const rules = table.rules.filter((rule) => !needle || `${rule.code} ${l(CATALOGUE[rule.code].title)} ${titleOf(rule.group)}`.toLowerCase().includes(needle));
  return (
    <>
      <div class="filters">
        <label class="field">
          <span>{t('svc.routing.filter')}</span>
          <input data-testid="svc-routing-filter" value={filter} onInput={(e) => setFilter(e.currentTarget.value)} />
        </label>
        <span class="muted small">{t('svc.routing.customCount', { n: table.rules.filter((r) => r.custom).length })}</span>
      </div>
      <div class="table-scroll">
        <table class="host-table" data-testid="svc-routing-table">
          <thead>
            <tr>
              <th>{t('svc.routing.diagnosis')}</th>
              <th>{t('svc.routing.group')}</th>
              <th>{t('svc.routing.default')}</th>
            </tr>
          </thead>
          <tbody>
            {rules.map((rule) => (
              <RuleRow key={rule.code} rule={rule} groups={groups} titleOf={titleOf} admin={admin} api={api} onChanged={onChanged} />
            ))}
          </tbody>
        </table>
      </div>
    </>
  );
}

function RuleRow({ rule, groups, titleOf, admin, api, onChanged }: { rule: RoutingRule; groups: GroupList; titleOf: (id: string) => string; admin: boolean; api: ApiClient; onChanged: () => void }) {
  const i18n = useI18n();
  const { t, l } = i18n;
  const [failure, setFailure] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  // An archived group takes no new tickets: not offered, unless the rule still points at it.
  const offered = groups.groups.filter((g) => !g.archived || g.id === rule.group);
  const route = (group: string | null) => {
    setFailure(null);
    setBusy(true);
    api
      .saveRoute(rule.code, group)
      .then(onChanged, setFailure)
      .finally(() => setBusy(false));
  };
  return (
    <tr data-code={rule.code} data-custom={rule.custom ? 'true' : undefined}>
      <td>
        {l(CATALOGUE[rule.code].title)}
        <div class="mono muted small">{rule.code}</div>
      </td>
      <td>
        {admin ? (
          <select data-testid="svc-route-group" value={rule.group} disabled={busy} aria-label={l(CATALOGUE[rule.code].title)} onChange={(e) => route(e.currentTarget.value)}>
            {offered.map((g) => (
              <option key={g.id} value={g.id}>
                {l(g.title)}
              </option>
            ))}
          </select>
        ) : (
          titleOf(rule.group)
        )}
        {rule.custom ? (
          <span class="badge badge-custom" data-testid="svc-route-custom">
            {' '}
            {t('svc.routing.custom')}
          </span>
        ) : null}
        {failure ? (
          <div class="text-red small" role="alert" data-testid="svc-route-error">
            {errorText(i18n, failure)}
          </div>
        ) : null}
      </td>
      <td class="muted">
        {titleOf(rule.defaultGroup)}
        {admin && rule.custom ? (
          <button type="button" class="btn btn-small btn-ghost" data-testid="svc-route-reset" disabled={busy} onClick={() => route(null)}>
            {t('svc.routing.reset')}
          </button>
        ) : null}
      </td>
    </tr>
  );
}
