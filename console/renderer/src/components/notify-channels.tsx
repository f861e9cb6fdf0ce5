import { ChannelKind, type NotifyChannel } from '@tillscope/shared';
import { useState } from 'preact/hooks';
import type { ApiClient } from '../api/client';
import { useI18n } from '../i18n/locale';
import type { StringKey } from '../i18n/strings';
import { channelToForm, formToChannel, type ChannelForm } from '../logic/notify-form';
import { ErrorBanner } from './common';
import { useNotifyEditor } from './notify-editor';
import { FormErrors, SaveCancel } from './service-common';

const KIND_TITLES: Record<ChannelKind, StringKey> = { telegram: 'ntf.kind.telegram', email: 'ntf.kind.email', webhook: 'ntf.kind.webhook' };

/** Where a channel sends, in a few words (a chat, mail addresses, a URL). */
export function channelTarget(channel: NotifyChannel): string {
  switch (channel.kind) {
    case 'telegram':
      return channel.config.chatId;
    case 'email':
      return channel.config.to.join(', ');
    case 'webhook':
      return channel.config.url;
  }
}

export function SecretState({ channel }: { channel: NotifyChannel }) {
  const { t } = useI18n();
  const { set, last4 } = channel.secret;
  return <span data-testid="ntf-secret-state">{!set ? t('ntf.ch.secretNone') : last4 ? t('ntf.ch.secretSetEnd', { last4 }) : t('ntf.ch.secretSet')}</span>;
}

/** The channels with where they send and whether a secret is set (never the secret itself); add, edit, delete. */
export function ChannelTable({ api, channels, onChanged }: { api: ApiClient; channels: readonly NotifyChannel[]; onChanged: () => void }) {
  const { t } = useI18n();
  const [editing, setEditing] = useState<NotifyChannel | 'new' | null>(null);
  return (
    <section data-testid="ntf-channels">
      <h3>{t('ntf.channels')}</h3>
      <div class="actions">
        <button type="button" class="btn btn-small" data-testid="ntf-channel-new" onClick={() => setEditing('new')}>
          {t('ntf.ch.new')}
        </button>
      </div>
      {editing ? (
        <ChannelEditor
          key={editing === 'new' ? 'new' : editing.id}
          api={api}
          channel={editing === 'new' ? null : editing}
          onDone={() => {
            setEditing(null);
            onChanged();
          }}
          onCancel={() => setEditing(null)}
        />
      ) : null}
      {channels.length === 0 ? <p class="muted">{t('ntf.ch.none')}</p> : (
        <div class="table-scroll">
          <table class="host-table">
            <thead>
              <tr>
                <th>{t('ntf.ch.name')}</th>
                <th>{t('ntf.ch.kind')}</th>
                <th>{t('ntf.ch.target')}</th>
                <th>{t('ntf.ch.secret')}</th>
                <th>{t('ntf.ch.perMinute')}</th>
                <th>{t('ntf.ch.enabled')}</th>
                <th />
              </tr>
            </thead>
            <tbody>
              {channels.map((channel) => (
                <tr key={channel.id} data-channel-id={channel.id}>
                  <td>{channel.name}</td>
                  <td>{t(KIND_TITLES[channel.kind])}</td>
                  <td class="mono">{channelTarget(channel)}</td>
                  <td><SecretState channel={channel} /></td>
                  <td>{channel.perMinute}</td>
                  <td>{channel.enabled ? t('svc.yes') : t('svc.no')}</td>
                  <td>
                    <button type="button" class="btn btn-ghost btn-small" data-testid="ntf-channel-edit" onClick={() => setEditing(channel)}>
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

function TextField({ label, testid, value, onInput, type = 'text', placeholder }: { label: string; testid: string; value: string; onInput: (value: string) => void; type?: string; placeholder?: string }) {
  return (
    <label class="field-wide">
      <span>{label}</span>
      <input data-testid={testid} type={type} value={value} placeholder={placeholder} autoComplete={type === 'password' ? 'new-password' : 'off'} onInput={(e) => onInput(e.currentTarget.value)} />
    </label>
  );
}

/** The fields of the channel's kind. */
function KindFields({ form, set }: { form: ChannelForm; set: (patch: Partial<ChannelForm>) => void }) {
  const { t } = useI18n();
  if (form.kind === 'telegram') return <TextField label={t('ntf.ch.chatId')} testid="ntf-channel-chat" value={form.chatId} placeholder="-1001234567890" onInput={(chatId) => set({ chatId })} />;
  if (form.kind === 'webhook') return <TextField label={t('ntf.ch.url')} testid="ntf-channel-url" value={form.url} placeholder="https://" onInput={(url) => set({ url })} />;
  return (
    <>
      <TextField label={t('ntf.ch.host')} testid="ntf-channel-host" value={form.host} onInput={(host) => set({ host })} />
      <TextField label={t('ntf.ch.port')} testid="ntf-channel-port" value={form.port} onInput={(port) => set({ port })} />
      <label class="opt">
        <input type="checkbox" data-testid="ntf-channel-secure" checked={form.secure} onChange={(e) => set({ secure: e.currentTarget.checked })} />
        <span>{t('ntf.ch.secure')}</span>
      </label>
      <TextField label={t('ntf.ch.user')} testid="ntf-channel-user" value={form.user} onInput={(user) => set({ user })} />
      <TextField label={t('ntf.ch.from')} testid="ntf-channel-from" value={form.from} onInput={(from) => set({ from })} />
      <TextField label={t('ntf.ch.to')} testid="ntf-channel-to" value={form.to} onInput={(to) => set({ to })} />
    </>
  );
}

function ChannelEditor({ api, channel, onDone, onCancel }: { api: ApiClient; channel: NotifyChannel | null; onDone: () => void; onCancel: () => void }) {
  const { t } = useI18n();
  const { form, set, errors, failure, busy, run, submit } = useNotifyEditor<ChannelForm>(() => channelToForm(channel), onDone);
  const [confirming, setConfirming] = useState(false);
  const save = () => submit(formToChannel(form), (body) => api.saveNotifyChannel(channel?.id ?? null, body));
  return (
    <form class="card group-editor" data-testid="ntf-channel-editor" onSubmit={(e) => {
      e.preventDefault();
      save();
    }}>
      <h3>{channel ? t('ntf.ch.editTitle', { name: channel.name }) : t('ntf.ch.new')}</h3>
      <label class="field">
        <span>{t('ntf.ch.kind')}</span>
        <select data-testid="ntf-channel-kind" value={form.kind} disabled={channel !== null} onChange={(e) => set({ kind: ChannelKind.parse(e.currentTarget.value) })}>
          {ChannelKind.options.map((kind) => <option key={kind} value={kind}>{t(KIND_TITLES[kind])}</option>)}
        </select>
      </label>
      <TextField label={t('ntf.ch.name')} testid="ntf-channel-name" value={form.name} onInput={(name) => set({ name })} />
      <KindFields form={form} set={set} />
      <TextField label={t(`ntf.ch.secret.${form.kind}`)} testid="ntf-channel-secret" type="password" value={form.secret} placeholder={channel?.secret.set ? t('ntf.ch.secretKeep') : ''} onInput={(secret) => set({ secret })} />
      {channel?.secret.set ? (
        <label class="opt">
          <input type="checkbox" data-testid="ntf-channel-secret-clear" checked={form.clearSecret} onChange={(e) => set({ clearSecret: e.currentTarget.checked })} />
          <span>{t('ntf.ch.secretClear')}</span>
        </label>
      ) : null}
      <TextField label={t('ntf.ch.perMinute')} testid="ntf-channel-per-minute" value={form.perMinute} onInput={(perMinute) => set({ perMinute })} />
      <label class="opt">
        <input type="checkbox" data-testid="ntf-channel-enabled" checked={form.enabled} onChange={(e) => set({ enabled: e.currentTarget.checked })} />
        <span>{t('ntf.ch.enabled')}</span>
      </label>
      <FormErrors errors={errors} testid="ntf-channel-errors" />
      <ErrorBanner error={failure} testid="ntf-channel-save-error" />
      <SaveCancel busy={busy} testid="ntf-channel-save" onCancel={onCancel} />
      {channel ? (
        <div class="actions">
          <button type="button" class="btn btn-ghost btn-small" data-testid="ntf-channel-delete" disabled={busy}
            onClick={() => (confirming ? run(() => api.deleteNotifyChannel(channel.id)) : setConfirming(true))}>
            {confirming ? t('ntf.ch.confirmDelete', { name: channel.name }) : t('ntf.ch.delete')}
          </button>
        </div>
      ) : null}
    </form>
  );
}
