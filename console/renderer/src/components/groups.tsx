import { SUPPORT_LINE_TITLES, type GroupList, type SupportGroup } from '@tillscope/shared';
import { useState } from 'preact/hooks';
import type { ApiClient } from '../api/client';
import { useI18n } from '../i18n/locale';
import { GroupEditor } from './group-editor';
import { PartFrame, SavedNote } from './service-common';
import { useLoad } from './use-load';
import { UserGroupsEditor } from './user-groups';

/**
 * Support groups: each with its title in both languages, its line (first, second, third, vendor),
 * whether it is archived (no new tickets, hidden from pickers, history kept) and its engineers.
 * Admins add and edit groups and set an engineer's groups; engineers read.
 */
export function GroupsPanel({ api, admin }: { api: ApiClient; admin: boolean }) {
  const state = useLoad(() => api.groups(), api);
  return (
    <PartFrame testid="svc-groups" title="svc.groups.title" hint="svc.groups.hint" readOnly={!admin} state={state}>
      {(list) => <GroupTable list={list} admin={admin} api={api} onChanged={state.reload} />}
    </PartFrame>
  );
}

function GroupTable({ list, admin, api, onChanged }: { list: GroupList; admin: boolean; api: ApiClient; onChanged: () => void }) {
  const { t, l } = useI18n();
  const [editing, setEditing] = useState<SupportGroup | 'new' | null>(null);
  const [saved, setSaved] = useState(false);
  const done = () => {
    setEditing(null);
    setSaved(true);
    onChanged();
  };
  return (
    <>
      {admin ? (
        <div class="actions">
          <button type="button" class="btn btn-small" data-testid="svc-group-new" onClick={() => setEditing('new')}>
            {t('svc.groups.new')}
          </button>
          <SavedNote shown={saved} testid="svc-group-saved" />
        </div>
      ) : null}
      {editing ? (
        <GroupEditor
          key={editing === 'new' ? 'new' : editing.id}
          api={api}
          group={editing === 'new' ? null : editing}
          takenIds={list.groups.map((g) => g.id)}
          onSaved={done}
          onCancel={() => setEditing(null)}
        />
      ) : null}
      <div class="table-scroll">
        <table class="host-table" data-testid="svc-groups-table">
          <thead>
            <tr>
              <th>{t('svc.groups.id')}</th>
              <th>{t('svc.groups.name')}</th>
              <th>{t('svc.groups.line')}</th>
              <th>{t('svc.groups.members')}</th>
              {admin ? <th /> : null}
            </tr>
          </thead>
          <tbody>
            {list.groups.map((group) => (
              <tr key={group.id} data-group-id={group.id} data-archived={group.archived ? 'true' : undefined} class={group.archived ? 'muted' : ''}>
                <td class="mono">{group.id}</td>
                <td>
                  {l(group.title)}
                  {group.archived ? <span class="badge"> {t('svc.groups.archived')}</span> : null}
                </td>
                <td>{l(SUPPORT_LINE_TITLES[group.line])}</td>
                <td data-col="members">{group.members.length ? group.members.join(', ') : <span class="muted">{t('svc.groups.noMembers')}</span>}</td>
                {admin ? (
                  <td>
                    <button type="button" class="btn btn-small" data-testid="svc-group-edit" onClick={() => setEditing(group)}>
                      {t('svc.edit')}
                    </button>
                  </td>
                ) : null}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {admin ? <UserGroupsEditor api={api} groups={list.groups} onSaved={onChanged} /> : null}
    </>
  );
}
