import { ChannelKind, NotifyTrigger, UpsertChannelRequest, UpsertRuleRequest, type NotifyChannel, type NotifyRule } from '@tillscope/shared';
import type { StringKey } from '../i18n/strings';

// The notification editors' forms: every field a string or a flag as the inputs hold them, turned
// into the shared request (checked with its schema) or a list of problems, each naming its field.

export interface ChannelForm {
  kind: ChannelKind;
  name: string;
  enabled: boolean;
  perMinute: string;
  chatId: string;
  host: string;
  port: string;
  secure: boolean;
  user: string;
  from: string;
  /** addresses separated by commas, semicolons, spaces or new lines */
  to: string;
  url: string;
  /** a new secret; empty keeps the stored one (a new channel: none) */
  secret: string;
  clearSecret: boolean;
}

export interface FormProblem {
  field: StringKey;
  key: StringKey;
}

export type FormResult<T> = { ok: true; body: T } | { ok: false, problems: FormProblem[] };

export function channelToForm(channel: NotifyChannel | null, kind: ChannelKind = 'telegram'): ChannelForm {
  const form: ChannelForm = {
    kind: channel?.kind ?? kind, name: channel?.name ?? '', enabled: channel?.enabled ?? true, perMinute: String(channel?.perMinute ?? 20),
    chatId: '', host: '', port: '587', secure: false, user: '', from: '', to: '', url: '', secret: '', clearSecret: false,
  };
  if (channel?.kind === 'telegram') form.chatId = channel.config.chatId;
  if (channel?.kind === 'email') Object.assign(form, { ...channel.config, port: String(channel.config.port), to: channel.config.to.join(', ') });
  if (channel?.kind === 'webhook') form.url = channel.config.url;
  return form;
}

/** Which field each schema path is about, for the problem list. */
const CHANNEL_FIELDS: Record<string, StringKey> = {
  name: 'ntf.ch.name', perMinute: 'ntf.ch.perMinute', secret: 'ntf.ch.secret',
  'config.chatId': 'ntf.ch.chatId', 'config.host': 'ntf.ch.host', 'config.port': 'ntf.ch.port', 'config.user': 'ntf.ch.user',
  'config.from': 'ntf.ch.from', 'config.to': 'ntf.ch.to', 'config.url': 'ntf.ch.url',
};

function configOf(form: ChannelForm): unknown {
  switch (form.kind) {
    case 'telegram':
      return { chatId: form.chatId.trim() };
    case 'email':
      return { host: form.host.trim(), port: Number(form.port), secure: form.secure, user: form.user.trim(), from: form.from.trim(), to: form.to.split(/[\s,;]+/).filter(Boolean) };
    case 'webhook':
      return { url: form.url.trim() };
  }
}

/** The request of a channel form; `secret` is sent only when typed (or cleared on purpose). */
export function formToChannel(form: ChannelForm): FormResult<UpsertChannelRequest> {
  const secret = form.clearSecret ? '' : form.secret || undefined;
  const parsed = UpsertChannelRequest.safeParse({ kind: form.kind, name: form.name, enabled: form.enabled, perMinute: Number(form.perMinute), config: configOf(form), secret });
  if (parsed.success) return { ok: true, body: parsed.data };
  const seen = new Set<StringKey>();
  const problems: FormProblem[] = [];
  for (const issue of parsed.error.issues) {
    const path = issue.path.filter((part) => typeof part === 'string').join('.');
    const field = CHANNEL_FIELDS[path] ?? CHANNEL_FIELDS[path.split('.').slice(0, 2).join('.')] ?? 'ntf.ch.name';
    if (seen.has(field)) continue;
    seen.add(field);
    problems.push({ field, key: 'ntf.err.invalid' });
  }
  return { ok: false, problems };
}

export interface RuleForm {
  channelId: string;
  /** '' for every group */
  group: string;
  triggers: NotifyTrigger[];
  quietOn: boolean;
  from: string;
  to: string;
  timeZone: string;
  p1Overrides: boolean;
  enabled: boolean;
}

export function ruleToForm(rule: NotifyRule | null, channelId: number | null): RuleForm {
  return {
    channelId: String(rule?.channelId ?? channelId ?? ''), group: rule?.group ?? '', triggers: rule?.triggers ?? [...NotifyTrigger.options],
    quietOn: rule?.quiet != null, from: rule?.quiet?.from ?? '22:00', to: rule?.quiet?.to ?? '08:00', timeZone: rule?.quiet?.timeZone ?? 'Europe/Moscow',
    p1Overrides: rule?.quiet?.p1Overrides ?? true, enabled: rule?.enabled ?? true,
  };
}

export function formToRule(form: RuleForm): FormResult<UpsertRuleRequest> {
  const problems: FormProblem[] = [];
  if (!/^\d+$/.test(form.channelId)) problems.push({ field: 'ntf.rule.channel', key: 'ntf.err.pick' });
  if (form.triggers.length === 0) problems.push({ field: 'ntf.rule.triggers', key: 'ntf.err.pick' });
  const quiet = form.quietOn ? { from: form.from, to: form.to, timeZone: form.timeZone.trim(), p1Overrides: form.p1Overrides } : null;
  const parsed = UpsertRuleRequest.safeParse({ channelId: Number(form.channelId), group: form.group || null, triggers: form.triggers, quiet, enabled: form.enabled });
  if (!parsed.success) {
    for (const issue of parsed.error.issues) {
      const path = issue.path.join('.');
      const field: StringKey | null = path.startsWith('quiet.from') ? 'ntf.rule.from' : path.startsWith('quiet.to') ? 'ntf.rule.to' : path.startsWith('quiet.timeZone') ? 'ntf.rule.zone' : null;
      if (field && !problems.some((p) => p.field === field)) problems.push({ field, key: 'ntf.err.invalid' });
    }
    if (problems.length === 0) problems.push({ field: 'ntf.rule.channel', key: 'ntf.err.invalid' });
  }
  return problems.length || !parsed.success ? { ok: false, problems } : { ok: true, body: parsed.data };
}
