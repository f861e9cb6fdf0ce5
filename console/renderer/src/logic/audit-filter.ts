import { ActionState, CommandVerb, type AuditQuery } from '@tillscope/shared';

/** The audit page's filters as the URL keeps them ('' = any). Dates are calendar days (YYYY-MM-DD) in the browser's zone. */
export interface AuditFilter {
  storeId: string;
  /** a register by its name (pos-1), typed in the form */
  registerId: string;
  /** one register by its agent id, from the register page's link */
  agentId: string;
  verb: CommandVerb | '';
  engineer: string;
  state: ActionState | '';
  from: string;
  to: string;
}

export const EMPTY_AUDIT_FILTER: AuditFilter = { storeId: '', registerId: '', agentId: '', verb: '', engineer: '', state: '', from: '', to: '' };

const DAY = /^\d{4}-\d{2}-\d{2}$/;
const TEXT = /^[A-Za-z0-9_.@-]{1,64}$/;

/** Reads the filters from a URL query; anything malformed is dropped (the page shows everything rather than an error). */
export function parseAuditFilter(params: URLSearchParams): AuditFilter {
  const text = (key: string) => { const v = params.get(key) ?? ''; return TEXT.test(v) ? v : ''; };
  const day = (key: string) => { const v = params.get(key) ?? ''; return DAY.test(v) && !Number.isNaN(Date.parse(v)) ? v : ''; };
  const verb = CommandVerb.safeParse(params.get('verb'));
  const state = ActionState.safeParse(params.get('state'));
  return {
    storeId: text('store'), registerId: text('register'), agentId: text('agent'), engineer: text('engineer'),
    verb: verb.success ? verb.data : '', state: state.success ? state.data : '', from: day('from'), to: day('to'),
  };
}

export function auditFilterToParams(filter: AuditFilter): URLSearchParams {
  const params = new URLSearchParams();
  const pairs: [string, string][] = [['store', filter.storeId], ['register', filter.registerId], ['agent', filter.agentId], ['verb', filter.verb], ['engineer', filter.engineer], ['state', filter.state], ['from', filter.from], ['to', filter.to]];
  for (const [key, value] of pairs) if (value) params.set(key, value);
  return params;
}

/** Local midnight of a calendar day, as the ISO instant the API filters by. */
const dayStart = (day: string) => new Date(`${day}T00:00:00`).toISOString();

/** The API query of the filters: `to` is the whole day (the API's `to` is excluded: the next day's start). */
export function auditFilterToQuery(filter: AuditFilter): Partial<AuditQuery> {
  const nextDay = (day: string) => { const d = new Date(`${day}T00:00:00`); d.setDate(d.getDate() + 1); return d.toISOString(); };
  return {
    ...(filter.storeId ? { storeId: filter.storeId } : {}),
    ...(filter.registerId ? { registerId: filter.registerId } : {}),
    ...(filter.agentId ? { agentId: filter.agentId } : {}),
    ...(filter.verb ? { verb: filter.verb } : {}),
    ...(filter.engineer ? { engineer: filter.engineer } : {}),
    ...(filter.state ? { state: filter.state } : {}),
    ...(filter.from ? { from: dayStart(filter.from) } : {}),
    ...(filter.to ? { to: nextDay(filter.to) } : {}),
  };
}
