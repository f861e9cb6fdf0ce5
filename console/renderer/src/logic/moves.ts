import { AssignRequest, EscalateRequest, ReassignRequest, ResumeRequest, WaitRequest } from '@tillscope/shared';
import type { z } from 'zod';
import type { StringKey } from '../i18n/strings';

// The move dialogs' forms: what the engineer typed, checked against the same shared schemas the
// server parses (a reason is required on every move but resume), before anything is sent.

export type MoveForm = 'assign' | 'reassign' | 'escalate' | 'wait' | 'resume';

export interface MoveFields {
  reason: string;
  username: string;
  group: string;
  to: 'third_line' | 'vendor';
  vendor: string;
  reference: string;
  /** a datetime-local value ("2026-12-05T18:00", the browser's zone); '' for none */
  vendorDue: string;
  waitOn: 'store' | 'vendor';
}

export const EMPTY_MOVE_FIELDS: Readonly<MoveFields> = Object.freeze({
  reason: '', username: '', group: '', to: 'third_line', vendor: '', reference: '', vendorDue: '', waitOn: 'store',
});

export type MoveRequest =
  | { kind: 'assign'; body: AssignRequest }
  | { kind: 'reassign'; body: ReassignRequest }
  | { kind: 'escalate'; body: EscalateRequest }
  | { kind: 'wait'; body: WaitRequest }
  | { kind: 'resume'; body: z.input<typeof ResumeRequest> };

/** Field → what to tell the engineer about it. */
export type MoveErrors = Partial<Record<keyof MoveFields, StringKey>>;

const FIELD_ERRORS: Partial<Record<string, [keyof MoveFields, StringKey]>> = {
  reason: ['reason', 'move.reasonRequired'],
  username: ['username', 'move.usernameRequired'],
  group: ['group', 'move.groupRequired'],
  vendor: ['vendor', 'move.vendorRequired'],
  reference: ['reference', 'move.vendorRequired'],
  vendorDueAt: ['vendorDue', 'move.vendorRequired'],
};

/** The local date and time of a datetime-local field as an instant; undefined when empty or not a date. */
export function localDateTimeToIso(value: string): string | undefined {
  if (!value.trim()) return undefined;
  const ms = new Date(value).getTime();
  return Number.isFinite(ms) ? new Date(ms).toISOString() : undefined;
}

function bodyOf(form: MoveForm, f: MoveFields): unknown {
  const reason = f.reason.trim();
  switch (form) {
    case 'assign':
      return { username: f.username.trim(), reason };
    case 'reassign':
      return { group: f.group, reason };
    case 'escalate':
      if (f.to === 'third_line') return { to: 'third_line', reason };
      return {
        to: 'vendor',
        reason,
        ...(f.vendor.trim() ? { vendor: f.vendor.trim() } : {}),
        ...(f.reference.trim() ? { reference: f.reference.trim() } : {}),
        ...(localDateTimeToIso(f.vendorDue) ? { vendorDueAt: localDateTimeToIso(f.vendorDue) } : {}),
      };
    case 'wait':
      return { on: f.waitOn, reason };
    case 'resume':
      return { reason };
  }
}

const SCHEMAS = { assign: AssignRequest, reassign: ReassignRequest, escalate: EscalateRequest, wait: WaitRequest, resume: ResumeRequest } as const;

/**
 * The request for `form`, or what is missing. `currentGroup`: a reassignment must name another group.
 */
export function buildMove(form: MoveForm, fields: MoveFields, currentGroup: string): { ok: true; move: MoveRequest } | { ok: false; errors: MoveErrors } {
  const parsed = SCHEMAS[form].safeParse(bodyOf(form, fields));
  const errors: MoveErrors = {};
  if (!parsed.success) {
    for (const issue of parsed.error.issues) {
      const mapped = FIELD_ERRORS[String(issue.path[0] ?? '')];
      if (mapped) errors[mapped[0]] ??= mapped[1];
    }
    if (Object.keys(errors).length === 0) errors.reason = 'move.reasonRequired';
  }
  if (form === 'reassign' && fields.group === currentGroup) errors.group = 'move.groupRequired';
  if (Object.keys(errors).length > 0 || !parsed.success) return { ok: false, errors };
  return { ok: true, move: { kind: form, body: parsed.data } as MoveRequest };
}
