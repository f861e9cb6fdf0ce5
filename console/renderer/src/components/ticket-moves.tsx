import type { Me, TicketDetail } from '@tillscope/shared';
import { useState } from 'preact/hooks';
import type { ApiClient } from '../api/client';
import { useI18n } from '../i18n/locale';
import { groupOptions, knownEngineers } from '../logic/groups';
import { buildMove, EMPTY_MOVE_FIELDS, type MoveErrors, type MoveFields, type MoveForm, type MoveRequest } from '../logic/moves';
import { isActiveStatus } from '../logic/queue';
import type { GroupsState } from '../state/groups';

export interface MoveBarProps {
  ticket: TicketDetail;
  api: ApiClient;
  me: Me;
  groups: GroupsState;
  busy: boolean;
  /** runs an action, shows its error, applies the ticket it returns; resolves false when it failed */
  act: (fn: () => Promise<TicketDetail | void>) => Promise<boolean>;
}

function send(api: ApiClient, id: number, move: MoveRequest): Promise<TicketDetail> {
  switch (move.kind) {
    case 'assign':
      return api.assign(id, move.body);
    case 'reassign':
      return api.reassign(id, move.body);
    case 'escalate':
      return api.escalate(id, move.body);
    case 'wait':
      return api.wait(id, move.body);
    case 'resume':
      return api.resume(id, move.body);
  }
}

/** The ticket's moves: assign, reassign to a group, escalate, wait on the store or a vendor, resume; each with a reason. */
export function MoveBar({ ticket, api, me, groups, busy, act }: MoveBarProps) {
  const { t } = useI18n();
  const [form, setForm] = useState<MoveForm | null>(null);
  if (!isActiveStatus(ticket.status)) return null;
  const toggle = (which: MoveForm) => setForm(form === which ? null : which);
  const button = (which: MoveForm, label: string) => (
    <button type="button" class={`btn ${form === which ? 'on' : ''}`} data-testid={`move-${which}`} aria-expanded={form === which} disabled={busy} onClick={() => toggle(which)}>
      {label}
    </button>
  );
  return (
    <>
      <div class="actions" role="group" aria-label={t('move.title')} data-testid="move-bar">
        {button('assign', t('move.assign'))}
        {button('reassign', t('move.reassign'))}
        {button('escalate', t('move.escalate'))}
        {ticket.waitingOn ? button('resume', t('move.resume')) : button('wait', t('move.wait'))}
      </div>
      {form ? (
        <MoveDialog
          key={form}
          form={form}
          ticket={ticket}
          me={me}
          groups={groups}
          busy={busy}
          onCancel={() => setForm(null)}
          onSubmit={(move) => void act(() => send(api, ticket.id, move)).then((ok) => ok && setForm(null))}
        />
      ) : null}
    </>
  );
}

interface DialogProps {
  form: MoveForm;
  ticket: TicketDetail;
  me: Me;
  groups: GroupsState;
  busy: boolean;
  onCancel: () => void;
  onSubmit: (move: MoveRequest) => void;
}

const TITLES = { assign: 'move.assign', reassign: 'move.reassign', escalate: 'move.escalate', wait: 'move.wait', resume: 'move.resume' } as const;

/** One move's form, checked against the shared request schema before it is sent. */
function MoveDialog({ form, ticket, me, groups, busy, onCancel, onSubmit }: DialogProps) {
  const { t } = useI18n();
  const [fields, setFields] = useState<MoveFields>({ ...EMPTY_MOVE_FIELDS, waitOn: ticket.vendor ? 'vendor' : 'store' });
  const [errors, setErrors] = useState<MoveErrors>({});
  const set = (patch: Partial<MoveFields>) => setFields({ ...fields, ...patch });
  const titleId = `move-title-${form}`;
  return (
    <form
      class="action-form move-form"
      role="dialog"
      aria-labelledby={titleId}
      data-testid={`move-form-${form}`}
      noValidate
      onSubmit={(ev) => {
        ev.preventDefault();
        const built = buildMove(form, fields, ticket.group);
        setErrors(built.ok ? {} : built.errors);
        if (built.ok) onSubmit(built.move);
      }}
    >
      <h3 id={titleId}>{t(TITLES[form])}</h3>
      <MoveFieldsFor form={form} fields={fields} errors={errors} set={set} ticket={ticket} me={me} groups={groups} />
      <label class="field field-wide">
        <span>{form === 'resume' ? t('move.reasonOptional') : t('move.reason')}</span>
        <textarea
          data-testid="move-reason"
          rows={2}
          maxLength={1000}
          required={form !== 'resume'}
          aria-invalid={errors.reason ? 'true' : undefined}
          placeholder={t('move.reasonPlaceholder')}
          value={fields.reason}
          onInput={(e) => set({ reason: e.currentTarget.value })}
        />
      </label>
      <FieldError error={errors.reason} testid="move-reason-error" />
      <div class="action-form-buttons">
        <button type="submit" class="btn btn-primary" data-testid="move-submit" disabled={busy}>
          {t('move.confirm')}
        </button>
        <button type="button" class="btn btn-ghost" onClick={onCancel}>
          {t('ticket.cancel')}
        </button>
      </div>
    </form>
  );
}

function FieldError({ error, testid }: { error: MoveErrors[keyof MoveErrors]; testid: string }) {
  const { t } = useI18n();
  return error ? (
    <p class="field-error" role="alert" data-testid={testid}>
      {t(error)}
    </p>
  ) : null;
}

interface FieldsProps {
  form: MoveForm;
  fields: MoveFields;
  errors: MoveErrors;
  set: (patch: Partial<MoveFields>) => void;
  ticket: TicketDetail;
  me: Me;
  groups: GroupsState;
}

/** What each move asks besides the reason. */
function MoveFieldsFor({ form, fields, errors, set, ticket, me, groups }: FieldsProps) {
  const { t, l } = useI18n();
  switch (form) {
    case 'assign':
      return (
        <>
          <label class="field">
            <span>{t('move.username')}</span>
            <input data-testid="move-username" list="move-engineers" maxLength={64} aria-invalid={errors.username ? 'true' : undefined} value={fields.username} onInput={(e) => set({ username: e.currentTarget.value })} />
            <datalist id="move-engineers">
              {knownEngineers(groups.groups).map((u) => (
                <option key={u} value={u} />
              ))}
            </datalist>
          </label>
          <FieldError error={errors.username} testid="move-username-error" />
        </>
      );
    case 'reassign':
      return (
        <>
          <label class="field">
            <span>{t('move.group')}</span>
            <select data-testid="move-group" aria-invalid={errors.group ? 'true' : undefined} value={fields.group} onChange={(e) => set({ group: e.currentTarget.value })}>
              <option value="">—</option>
              {groupOptions(groups.groups, me.groups)
                .filter((g) => g.id !== ticket.group)
                .map((g) => (
                  <option key={g.id} value={g.id}>
                    {l(g.title)}
                  </option>
                ))}
            </select>
          </label>
          <FieldError error={errors.group} testid="move-group-error" />
        </>
      );
    case 'escalate':
      return <EscalateFields fields={fields} errors={errors} set={set} />;
    case 'wait':
      return (
        <>
          <label class="field">
            <span>{t('move.waitOn')}</span>
            <select data-testid="move-wait-on" value={fields.waitOn} onChange={(e) => set({ waitOn: e.currentTarget.value === 'vendor' ? 'vendor' : 'store' })}>
              <option value="store">{t('move.waitOn.store')}</option>
              <option value="vendor">{t('move.waitOn.vendor')}</option>
            </select>
          </label>
          <p class="muted small">{t('move.waitHint')}</p>
        </>
      );
    case 'resume':
      return null;
  }
}

function EscalateFields({ fields, errors, set }: Pick<FieldsProps, 'fields' | 'errors' | 'set'>) {
  const { t } = useI18n();
  return (
    <>
      <label class="field">
        <span>{t('move.to')}</span>
        <select data-testid="move-to" value={fields.to} onChange={(e) => set({ to: e.currentTarget.value === 'vendor' ? 'vendor' : 'third_line' })}>
          <option value="third_line">{t('move.to.third_line')}</option>
          <option value="vendor">{t('move.to.vendor')}</option>
        </select>
      </label>
      {fields.to === 'vendor' ? (
        <>
          <label class="field">
            <span>{t('move.vendor')}</span>
            <input data-testid="move-vendor" maxLength={100} placeholder={t('move.vendorPlaceholder')} aria-invalid={errors.vendor ? 'true' : undefined} value={fields.vendor} onInput={(e) => set({ vendor: e.currentTarget.value })} />
          </label>
          <FieldError error={errors.vendor} testid="move-vendor-error" />
          <label class="field">
            <span>{t('move.reference')}</span>
            <input data-testid="move-reference" maxLength={100} value={fields.reference} onInput={(e) => set({ reference: e.currentTarget.value })} />
          </label>
          <label class="field">
            <span>{t('move.vendorDue')}</span>
            <input data-testid="move-vendor-due" type="datetime-local" value={fields.vendorDue} onInput={(e) => set({ vendorDue: e.currentTarget.value })} />
          </label>
        </>
      ) : null}
    </>
  );
}
