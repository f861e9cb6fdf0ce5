import { NotifyTrigger, type NotifyChannel, type NotifyRule, type SupportGroup } from '@tillscope/shared';
import { useState } from 'preact/hooks';
import type { ApiClient } from '../api/client';
import { useI18n, type I18n } from '../i18n/locale';
import { formToRule, ruleToForm, type RuleForm } from '../logic/notify-form';
import { ErrorBanner } from './common';
import { useNotifyEditor } from './notify-editor';
import { FormErrors, SaveCancel } from './service-common';

interface RuleProps {
  api: ApiClient;
  rules: readonly NotifyRule[];
  channels: readonly NotifyChannel[];
  groups: readonly SupportGroup[];
  onChanged: () => void;
}

function quietText(rule: NotifyRule, i18n: I18n): string {
  if (!rule.quiet) return i18n.t('ntf.rule.noQuiet');
  const { from, to, timeZone, p1Overrides } = rule.quiet;
  return i18n.t('ntf.rule.quietText', { from, to, zone: timeZone }) + (p1Overrides ? i18n.t('ntf.rule.quietP1') : '');
}

/** Which events of which group go to which channel, and when not to disturb. */
export function RuleTable({ api, rules, channels, groups, onChanged }: RuleProps) {
  const i18n = useI18n();
  const { t, l } = i18n;
  const [editing, setEditing] = useState<NotifyRule | 'new' | null>(null);
  const channelName = (id: number) => channels.find((c) => c.id === id)?.name ?? `#${id}`;
  const groupName = (id: string | null) => (id === null ? t('ntf.rule.allGroups') : (groups.find((g) => g.id === id) ? l(groups.find((g) => g.id === id)!.title) : id));
  return (
    <section data-testid="ntf-rules">
      <h3>{t('ntf.rules')}</h3>
      {channels.length ? (
        <div class="actions">
          <button type="button" class="btn btn-small" data-testid="ntf-rule-new" onClick={() => setEditing('new')}>
            {t('ntf.rule.new')}
          </button>
        </div>
      ) : null}
      {editing ? (
        <RuleEditor
          key={editing === 'new' ? 'new' : editing.id}
          api={api}
          rule={editing === 'new' ? null : editing}
          channels={channels}
          groups={groups}
          onDone={() => {
            setEditing(null);
            onChanged();
          }}
          onCancel={() => setEditing(null)}
        />
      ) : null}
      {rules.length === 0 ? <p class="muted">{t('ntf.rule.none')}</p> : (
        <div class="table-scroll">
          <table class="host-table">
            <thead>
              <tr>
                <th>{t('ntf.rule.channel')}</th>
                <th>{t('ntf.rule.group')}</th>
                <th>{t('ntf.rule.triggers')}</th>
                <th>{t('ntf.rule.quiet')}</th>
                <th>{t('ntf.rule.enabled')}</th>
                <th />
              </tr>
            </thead>
            <tbody>
              {rules.map((rule) => (
                <tr key={rule.id} data-rule-id={rule.id}>
                  <td>{channelName(rule.channelId)}</td>
                  <td>{groupName(rule.group)}</td>
                  <td>{rule.triggers.map((trigger) => t(`ntf.trigger.${trigger}`)).join(', ')}</td>
                  <td data-col="quiet">{quietText(rule, i18n)}</td>
                  <td>{rule.enabled ? t('svc.yes') : t('svc.no')}</td>
                  <td>
                    <button type="button" class="btn btn-ghost btn-small" data-testid="ntf-rule-edit" onClick={() => setEditing(rule)}>
                      {t('svc.edit')}
                    </button>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}

function RuleEditor({ api, rule, channels, groups, onDone, onCancel }: Omit<RuleProps, 'rules' | 'onChanged'> & { rule: NotifyRule | null; onDone: () => void; onCancel: () => void }) {
  const { t, l } = useI18n();
  const { form, set, errors, failure, busy, run, submit } = useNotifyEditor<RuleForm>(() => ruleToForm(rule, channels[0]?.id ?? null), onDone);
  const save = () => submit(formToRule(form), (body) => api.saveNotifyRule(rule?.id ?? null, body));
  const toggle = (trigger: NotifyTrigger, on: boolean) => set({ triggers: NotifyTrigger.options.filter((x) => (x === trigger ? on : form.triggers.includes(x))) });
  return (
    <form class="card group-editor" data-testid="ntf-rule-editor" onSubmit={(e) => {
      e.preventDefault();
      save();
    }}>
      <h3>{rule ? t('ntf.rule.editTitle', { id: rule.id }) : t('ntf.rule.new')}</h3>
      <label class="field">
        <span>{t('ntf.rule.channel')}</span>
        <select data-testid="ntf-rule-channel" value={form.channelId} onChange={(e) => set({ channelId: e.currentTarget.value })}>
          {channels.map((c) => <option key={c.id} value={String(c.id)}>{c.name}</option>)}
        </select>
      </label>
      <label class="field">
        <span>{t('ntf.rule.group')}</span>
        <select data-testid="ntf-rule-group" value={form.group} onChange={(e) => set({ group: e.currentTarget.value })}>
          <option value="">{t('ntf.rule.allGroups')}</option>
          {groups.filter((g) => !g.archived || g.id === form.group).map((g) => <option key={g.id} value={g.id}>{l(g.title)}</option>)}
        </select>
      </label>
      <fieldset class="field-wide">
        <legend>{t('ntf.rule.triggers')}</legend>
        {NotifyTrigger.options.map((trigger) => (
          <label key={trigger} class="opt">
            <input type="checkbox" data-testid={`ntf-rule-trigger-${trigger}`} checked={form.triggers.includes(trigger)} onChange={(e) => toggle(trigger, e.currentTarget.checked)} />
            <span>{t(`ntf.trigger.${trigger}`)}</span>
          </label>
        ))}
      </fieldset>
      <label class="opt">
        <input type="checkbox" data-testid="ntf-rule-quiet" checked={form.quietOn} onChange={(e) => set({ quietOn: e.currentTarget.checked })} />
        <span>{t('ntf.rule.quietOn')}</span>
      </label>
      {form.quietOn ? (
        <>
          <label class="field">
            <span>{t('ntf.rule.from')}</span>
            <input data-testid="ntf-rule-from" type="time" value={form.from} onInput={(e) => set({ from: e.currentTarget.value })} />
          </label>
          <label class="field">
            <span>{t('ntf.rule.to')}</span>
            <input data-testid="ntf-rule-to" type="time" value={form.to} onInput={(e) => set({ to: e.currentTarget.value })} />
          </label>
          <label class="field">
            <span>{t('ntf.rule.zone')}</span>
            <input data-testid="ntf-rule-zone" value={form.timeZone} placeholder="Europe/Moscow" onInput={(e) => set({ timeZone: e.currentTarget.value })} />
          </label>
          <label class="opt">
            <input type="checkbox" data-testid="ntf-rule-p1" checked={form.p1Overrides} onChange={(e) => set({ p1Overrides: e.currentTarget.checked })} />
            <span>{t('ntf.rule.p1Overrides')}</span>
          </label>
        </>
      ) : null}
      <label class="opt">
        <input type="checkbox" data-testid="ntf-rule-enabled" checked={form.enabled} onChange={(e) => set({ enabled: e.currentTarget.checked })} />
        <span>{t('ntf.rule.enabled')}</span>
      </label>
      <FormErrors errors={errors} testid="ntf-rule-errors" />
      <ErrorBanner error={failure} testid="ntf-rule-save-error" />
      <SaveCancel busy={busy} testid="ntf-rule-save" onCancel={onCancel} />
      {rule ? (
        <div class="actions">
          <button type="button" class="btn btn-ghost btn-small" data-testid="ntf-rule-delete" disabled={busy} onClick={() => run(() => api.deleteNotifyRule(rule.id))}>
            {t('ntf.ch.delete')}
          </button>
        </div>
      ) : null}
    </form>
  );
}
