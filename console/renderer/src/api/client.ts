import {
  type AssignRequest,
  type EscalateRequest,
  GroupList,
  type ReassignRequest,
  type ResumeRequest,
  type WaitRequest,
  DiscoverAccepted,
  ErrorBody,
  Me,
  RegisterDetail,
  RegisterDiscovery,
  RegisterHost,
  RegisterList,
  ReferenceDetail,
  ReferenceList,
  ReferenceSummary,
  ReplacementList,
  type PromoteRegisterRequest,
  type ReferenceRequest,
  TicketBundles,
  TicketDetail,
  TicketList,
  type LoginRequest,
  type ErrorCode,
  CalendarDays,
  CalendarId,
  CreateMaintenanceRequest,
  DiagnosisCode,
  GroupId,
  ImportCalendarRequest,
  ImportCalendarResult,
  MaintenanceList,
  KpiReport,
  MaintenanceWindow,
  MaintenanceListQuery,
  NoiseSettings,
  NoiseSettingsView,
  RoutingRule,
  RoutingTable,
  SlaTargets,
  StoreId,
  StoreList,
  StoreSettings,
  SupportGroup,
  UpdateRoutingRequest,
  UpdateStoreRequest,
  UpdateUserGroupsRequest,
  UpsertGroupRequest,
  Article,
  ArticleInput,
  ArticleList,
  type ArticleListQuery,
  ReplyTemplate,
  type ResolveFix,
  TemplateInput,
  TemplateList,
  TicketKnowledge,
} from '@tillscope/shared';
import { ChannelList, DeliveryList, DeliveryListQuery, NotifyChannel, NotifyRule, RuleList, UpsertChannelRequest, UpsertRuleRequest } from '@tillscope/shared';
import { CashierSettingsView, type CashierSettings } from '@tillscope/shared';
import {
  ActionAccepted, ActionSettings, AuditPage, RemoteAction, StoreActionBlockList, StoreActionBlocks, TicketActions,
  type ActionRequest, type AuditQuery, type CommandVerb,
} from '@tillscope/shared';
import type { z } from 'zod';
import { filterToApiQuery, type PageRequest, type QueueFilter } from '../logic/filters';
import { DEFAULT_FLEET_FILTER, fleetFilterToApiQuery, type FleetFilter } from '../logic/fleet-filter';
import { kpiFilterToApiQuery, type KpiFilter } from '../logic/kpi-filter';

/**
 * A failed call. `status` 0 means the server was not reached; `code` is the server's ErrorCode,
 * or 'bad_response' when a 2xx reply did not match the shared schema.
 */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: ErrorCode | 'network' | 'bad_response',
    message: string,
    /** Seconds from the server's Retry-After header (429 rate_limited, 503 busy), when it sent one. */
    readonly retryAfterSec?: number,
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

export type FetchLike = (input: string, init?: RequestInit) => Promise<Response>;

export interface ApiClientOptions {
  fetch?: FetchLike;
  /** Called on any 401 except the login call itself: the session expired or was revoked. */
  onUnauthorized?: () => void;
}

/** The console REST API. Every response is validated with the shared zod schemas. */
export class ApiClient {
  private readonly fetchImpl: FetchLike;
  onUnauthorized: (() => void) | undefined;

  constructor(options: ApiClientOptions = {}) {
    this.fetchImpl = options.fetch ?? ((input, init) => globalThis.fetch(input, init));
    this.onUnauthorized = options.onUnauthorized;
  }

  me = () => this.call(Me, 'GET', '/api/auth/me', undefined, { quiet401: true });
  login = (body: LoginRequest) => this.call(Me, 'POST', '/api/auth/login', body, { quiet401: true });
  logout = () => this.call(null, 'POST', '/api/auth/logout', {}, { quiet401: true });
  /** One page of tickets; follow `nextCursor` for the next. */
  tickets = (filter: QueueFilter, page: PageRequest = {}) => this.call(TicketList, 'GET', `/api/tickets?${filterToApiQuery(filter, page)}`);
  ticket = (id: number) => this.call(TicketDetail, 'GET', `/api/tickets/${id}`);
  take = (id: number) => this.call(TicketDetail, 'POST', `/api/tickets/${id}/take`, {});
  note = (id: number, text: string) => this.call(TicketDetail, 'POST', `/api/tickets/${id}/notes`, { text });
  /** `fix`: what fixed it, for the knowledge base's fix rates (omitted: not said). */
  resolve = (id: number, note: string, fix?: ResolveFix) => this.call(TicketDetail, 'POST', `/api/tickets/${id}/resolve`, fix ? { note, fix } : { note });
  // Moves (engineer, admin): each with a reason that goes on the timeline; each answers the ticket.
  assign = (id: number, body: AssignRequest) => this.call(TicketDetail, 'POST', `/api/tickets/${id}/assign`, body);
  reassign = (id: number, body: ReassignRequest) => this.call(TicketDetail, 'POST', `/api/tickets/${id}/reassign`, body);
  escalate = (id: number, body: EscalateRequest) => this.call(TicketDetail, 'POST', `/api/tickets/${id}/escalate`, body);
  wait = (id: number, body: WaitRequest) => this.call(TicketDetail, 'POST', `/api/tickets/${id}/wait`, body);
  resume = (id: number, body: ResumeRequest) => this.call(TicketDetail, 'POST', `/api/tickets/${id}/resume`, body);
  /** Where the vendor hand-off pack downloads from (plain links: the session cookie goes with them). */
  vendorPackUrl = (id: number) => `/api/tickets/${id}/vendor-pack`;
  vendorPackHtmlUrl = (id: number) => `/api/tickets/${id}/vendor-pack.html`;
  /** Support groups with their lines and members (archived ones too: old tickets name them). */
  groups = () => this.call(GroupList, 'GET', '/api/groups');
  /** One page of registers; follow `nextCursor` for the next. */
  registers = (filter: FleetFilter = DEFAULT_FLEET_FILTER, page: PageRequest = {}) =>
    this.call(RegisterList, 'GET', `/api/registers?${fleetFilterToApiQuery(filter, page)}`);
  /** One register with its devices' fiscal facts and forecasts. */
  register = (agentId: string) => this.call(RegisterDetail, 'GET', `/api/registers/${encodeURIComponent(agentId)}`);
  /** "ФН к замене": one page of stores with drives to replace within 90 days; follow `nextCursor`. */
  replacements = (storeId: string | null = null, after: string | null = null) => {
    const params = new URLSearchParams();
    if (storeId) params.set('storeId', storeId);
    if (after) params.set('after', after);
    return this.call(ReplacementList, 'GET', `/api/fiscal/replacements${params.size ? `?${params.toString()}` : ''}`);
  };
  /** A ticket's diagnostics bundles, a request waiting for the register, the newest failure. */
  ticketBundles = (ticketId: number) => this.call(TicketBundles, 'GET', `/api/tickets/${ticketId}/bundles`);
  /** Asks the ticket's register for a diagnostics bundle (202; it arrives in ticketBundles). */
  collectBundle = (ticketId: number) => this.call(null, 'POST', `/api/tickets/${ticketId}/bundle`, {});
  /** Where a bundle downloads from as a JSON file (the session cookie goes with a plain link). */
  bundleUrl = (bundleId: string) => `/api/bundles/${encodeURIComponent(bundleId)}`;
  probe = (agentId: string) => this.call(null, 'POST', `/api/registers/${encodeURIComponent(agentId)}/probe`, {});
  /** Asks the ticket's register for a test print on the ticket's receipt printer; the result lands on the ticket. */
  testPrint = (ticketId: number) => this.call(null, 'POST', `/api/tickets/${ticketId}/test-print`);
  /** Asks the register's agent to discover its ports; the answer is read with `discovery`. */
  discover = (agentId: string) => this.call(DiscoverAccepted, 'POST', `/api/registers/${encodeURIComponent(agentId)}/discover`, {});
  discovery = (agentId: string) => this.call(RegisterDiscovery, 'GET', `/api/registers/${encodeURIComponent(agentId)}/discovery`);
  /** The register's host facts by section and its drift from its reference (null: none applies). */
  registerHost = (agentId: string) => this.call(RegisterHost, 'GET', `/api/registers/${encodeURIComponent(agentId)}/host`);
  /** Reference images (эталоны) with how many registers match, differ or have not reported. */
  references = () => this.call(ReferenceList, 'GET', '/api/references');
  reference = (id: number) => this.call(ReferenceDetail, 'GET', `/api/references/${id}`);
  // Admins only. The answer is read as a summary (the detail carries one too): the screen then loads the detail.
  createReference = (body: ReferenceRequest) => this.call(ReferenceSummary, 'POST', '/api/references', body);
  updateReference = (id: number, body: ReferenceRequest) => this.call(ReferenceSummary, 'PUT', `/api/references/${id}`, body);
  deleteReference = (id: number) => this.call(null, 'DELETE', `/api/references/${id}`);
  /** The register's current state becomes a new reference. */
  promoteRegister = (body: PromoteRegisterRequest) => this.call(ReferenceSummary, 'POST', '/api/references/from-register', body);

  // The service desk (issue 11): engineers read, admins write (maintenance windows: engineers too).
  // Each body is checked against its shared schema before it is sent; answers are checked as below.
  // (`groups` above lists the groups.)
  saveGroup = async (id: string, body: UpsertGroupRequest) => this.call(SupportGroup, 'PUT', `/api/groups/${segment(GroupId, id)}`, checked(UpsertGroupRequest, body));
  saveUserGroups = async (username: string, groups: string[]) =>
    this.call(Me, 'PUT', `/api/users/${encodeURIComponent(username)}/groups`, checked(UpdateUserGroupsRequest, { groups }));
  routing = () => this.call(RoutingTable, 'GET', '/api/routing');
  /** group null: the catalogue's default again */
  saveRoute = async (code: string, group: string | null) => this.call(RoutingRule, 'PUT', `/api/routing/${segment(DiagnosisCode, code)}`, checked(UpdateRoutingRequest, { group }));
  slaTargets = () => this.call(SlaTargets, 'GET', '/api/sla/targets');
  saveSlaTargets = async (body: SlaTargets) => this.call(SlaTargets, 'PUT', '/api/sla/targets', checked(SlaTargets, body));
  stores = () => this.call(StoreList, 'GET', '/api/stores');
  saveStore = async (storeId: string, body: UpdateStoreRequest) => this.call(StoreSettings, 'PUT', `/api/stores/${segment(StoreId, storeId)}`, checked(UpdateStoreRequest, body));
  calendarDays = async (calendarId: string, year: number) => this.call(CalendarDays, 'GET', `/api/calendars/${segment(CalendarId, calendarId)}/days?year=${year}`);
  /** Replaces that year's days of the calendar. */
  saveCalendarDays = async (body: CalendarDays) => this.call(CalendarDays, 'PUT', `/api/calendars/${segment(CalendarId, body.calendarId)}/days`, checked(CalendarDays, body));
  importCalendar = async (calendarId: string, body: ImportCalendarRequest) =>
    this.call(ImportCalendarResult, 'POST', `/api/calendars/${segment(CalendarId, calendarId)}/import`, checked(ImportCalendarRequest, body));
  noiseSettings = () => this.call(NoiseSettingsView, 'GET', '/api/settings/noise');
  saveNoiseSettings = async (settings: NoiseSettings) => this.call(NoiseSettingsView, 'PUT', '/api/settings/noise', checked(NoiseSettings, settings));
  maintenance = async (query: MaintenanceListQuery) => {
    const { storeId, state } = checked(MaintenanceListQuery, query);
    const params = new URLSearchParams({ state });
    if (storeId) params.set('storeId', storeId);
    return this.call(MaintenanceList, 'GET', `/api/maintenance?${params.toString()}`);
  };
  planMaintenance = async (body: CreateMaintenanceRequest) => this.call(MaintenanceWindow, 'POST', '/api/maintenance', checked(CreateMaintenanceRequest, body));
  cancelMaintenance = (id: number) => this.call(MaintenanceWindow, 'DELETE', `/api/maintenance/${Math.trunc(id)}`);
  /** The KPI report of the page's filter, on the viewer's day (YYYY-MM-DD). */
  kpi = (filter: KpiFilter, today: string) => this.call(KpiReport, 'GET', `/api/kpi?${kpiFilterToApiQuery(filter, today)}`);

  // The knowledge base (issue 12): articles, reply templates, a ticket's knowledge. Deleting is for admins.
  articles = (query: Partial<ArticleListQuery>) => {
    const params = new URLSearchParams();
    for (const [key, value] of Object.entries(query)) if (value !== undefined && value !== '') params.set(key, String(value));
    return this.call(ArticleList, 'GET', `/api/kb/articles${params.size ? `?${params.toString()}` : ''}`);
  };
  article = (id: number) => this.call(Article, 'GET', `/api/kb/articles/${Math.trunc(id)}`);
  saveArticle = async (id: number | null, body: ArticleInput) =>
    id === null ? this.call(Article, 'POST', '/api/kb/articles', checked(ArticleInput, body)) : this.call(Article, 'PUT', `/api/kb/articles/${Math.trunc(id)}`, checked(ArticleInput, body));
  deleteArticle = (id: number) => this.call(null, 'DELETE', `/api/kb/articles/${Math.trunc(id)}`);
  templates = () => this.call(TemplateList, 'GET', '/api/kb/templates');
  saveTemplate = async (id: number | null, body: TemplateInput) =>
    id === null ? this.call(ReplyTemplate, 'POST', '/api/kb/templates', checked(TemplateInput, body)) : this.call(ReplyTemplate, 'PUT', `/api/kb/templates/${Math.trunc(id)}`, checked(TemplateInput, body));
  deleteTemplate = (id: number) => this.call(null, 'DELETE', `/api/kb/templates/${Math.trunc(id)}`);
  ticketKnowledge = (ticketId: number) => this.call(TicketKnowledge, 'GET', `/api/tickets/${Math.trunc(ticketId)}/knowledge`);
  // Remote actions (docs/api.md "Remote actions and the audit log").
  ticketActions = (ticketId: number) => this.call(TicketActions, 'GET', `/api/tickets/${Math.trunc(ticketId)}/actions`);
  /** Queues an action from a ticket (sent at once when the register is connected). */
  runTicketAction = (ticketId: number, body: ActionRequest) => this.call(ActionAccepted, 'POST', `/api/tickets/${Math.trunc(ticketId)}/actions`, body);
  /** Queues a register-wide action (from the register's page). */
  runRegisterAction = (agentId: string, body: ActionRequest) => this.call(ActionAccepted, 'POST', `/api/registers/${encodeURIComponent(agentId)}/actions`, body);
  cancelAction = (commandId: string) => this.call(RemoteAction, 'POST', `/api/actions/${encodeURIComponent(commandId)}/cancel`, {});
  /** One page of the audit log; pass `nextCursor` back as `after`. */
  audit = (query: Partial<AuditQuery>) => {
    const params = new URLSearchParams();
    for (const [key, value] of Object.entries(query)) if (value !== undefined && value !== '') params.set(key, String(value));
    return this.call(AuditPage, 'GET', `/api/audit${params.size ? `?${params.toString()}` : ''}`);
  };
  // The cashier loop (issue 12): when an unanswered resolution closes by itself (admins save).
  cashierSettings = () => this.call(CashierSettingsView, 'GET', '/api/settings/cashier');
  saveCashierSettings = (settings: CashierSettings) => this.call(CashierSettingsView, 'PUT', '/api/settings/cashier', settings);
  actionSettings = () => this.call(ActionSettings, 'GET', '/api/actions/settings');
  saveActionSettings = (settings: ActionSettings) => this.call(ActionSettings, 'PUT', '/api/actions/settings', settings);
  actionStores = () => this.call(StoreActionBlockList, 'GET', '/api/actions/stores');
  saveStoreActions = (storeId: string, disabled: CommandVerb[]) => this.call(StoreActionBlocks, 'PUT', `/api/actions/stores/${encodeURIComponent(storeId)}`, { disabled });

  // Notifications (issue 12): admins only. A channel's secret is sent, never read back (only `secret.set` / `last4`).
  notifyChannels = () => this.call(ChannelList, 'GET', '/api/notify/channels');
  /** id null: a new channel; `secret` left out keeps the stored one */
  saveNotifyChannel = async (id: number | null, body: UpsertChannelRequest) =>
    this.call(NotifyChannel, id === null ? 'POST' : 'PUT', id === null ? '/api/notify/channels' : `/api/notify/channels/${Math.trunc(id)}`, checked(UpsertChannelRequest, body));
  deleteNotifyChannel = (id: number) => this.call(null, 'DELETE', `/api/notify/channels/${Math.trunc(id)}`);
  notifyRules = () => this.call(RuleList, 'GET', '/api/notify/rules');
  saveNotifyRule = async (id: number | null, body: UpsertRuleRequest) =>
    this.call(NotifyRule, id === null ? 'POST' : 'PUT', id === null ? '/api/notify/rules' : `/api/notify/rules/${Math.trunc(id)}`, checked(UpsertRuleRequest, body));
  deleteNotifyRule = (id: number) => this.call(null, 'DELETE', `/api/notify/rules/${Math.trunc(id)}`);
  notifyDeliveries = async (query: Partial<DeliveryListQuery> = {}) => {
    const { status, channelId, limit } = checked(DeliveryListQuery, query);
    const params = new URLSearchParams({ limit: String(limit) });
    if (status) params.set('status', status);
    if (channelId) params.set('channelId', String(channelId));
    return this.call(DeliveryList, 'GET', `/api/notify/deliveries?${params.toString()}`);
  };
  /** A failed or skipped delivery goes back in the queue, due now. */
  retryNotifyDelivery = (id: number) => this.call(null, 'POST', `/api/notify/deliveries/${Math.trunc(id)}/retry`);

  private async call<S extends z.ZodType>(schema: S, method: string, path: string, body?: unknown, opts?: { quiet401?: boolean }): Promise<z.infer<S>>;
  private async call(schema: null, method: string, path: string, body?: unknown, opts?: { quiet401?: boolean }): Promise<void>;
  private async call(schema: z.ZodType | null, method: string, path: string, body?: unknown, opts: { quiet401?: boolean } = {}): Promise<unknown> {
    let res: Response;
    try {
      res = await this.fetchImpl(path, {
        method,
        credentials: 'same-origin',
        headers: body === undefined ? { Accept: 'application/json' } : { Accept: 'application/json', 'Content-Type': 'application/json' },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      });
    } catch (err) {
      throw new ApiError(0, 'network', err instanceof Error ? err.message : String(err));
    }
    if (!res.ok) {
      const parsed = ErrorBody.safeParse(await readJson(res));
      if (res.status === 401 && !opts.quiet401) this.onUnauthorized?.();
      const retryAfterSec = retryAfterOf(res);
      if (parsed.success) throw new ApiError(res.status, parsed.data.code, parsed.data.message, retryAfterSec);
      throw new ApiError(res.status, statusCode(res.status), `HTTP ${res.status}`, retryAfterSec);
    }
    if (schema === null) return undefined;
    const parsed = schema.safeParse(await readJson(res));
    if (!parsed.success) {
      throw new ApiError(res.status, 'bad_response', `${method} ${path.split('?')[0]}: ${parsed.error.issues[0]?.message ?? 'invalid'}`);
    }
    return parsed.data;
  }
}

/** The CSV download of the replacement list (a plain link: the session cookie goes with it). */
export function replacementsCsvHref(storeId: string | null, delimiter: 'comma' | 'semicolon'): string {
  const params = new URLSearchParams({ format: 'csv' });
  if (delimiter !== 'comma') params.set('delimiter', delimiter);
  if (storeId) params.set('storeId', storeId);
  return `/api/fiscal/replacements?${params.toString()}`;
}

/** The body as its schema reads it; a body the schema refuses is never sent (400 bad_request, nothing left the browser). */
function checked<S extends z.ZodType>(schema: S, body: z.input<S>): z.infer<S> {
  const parsed = schema.safeParse(body);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0];
  throw new ApiError(400, 'bad_request', `${issue?.path.join('.') || 'body'}: ${issue?.message ?? 'invalid'}`);
}

/** A path segment that must match its schema (an id from the screen, never a path of its own). */
function segment(schema: z.ZodType<string>, value: string): string {
  return encodeURIComponent(checked(schema, value));
}

async function readJson(res: Response): Promise<unknown> {
  try {
    return await res.json();
  } catch {
    return undefined;
  }
}

/** Retry-After in seconds (the server sends whole seconds; an HTTP date is not used). */
function retryAfterOf(res: Response): number | undefined {
  const value = res.headers?.get('Retry-After');
  if (!value || !/^\d{1,6}$/.test(value.trim())) return undefined;
  return Number(value.trim());
}

function statusCode(status: number): ErrorCode {
  if (status === 401) return 'unauthorized';
  if (status === 403) return 'forbidden';
  if (status === 404) return 'not_found';
  if (status === 409) return 'conflict';
  if (status === 429) return 'rate_limited';
  if (status === 400) return 'bad_request';
  if (status === 503) return 'busy';
  return 'internal';
}
