import {
  FiscalStackId, PosAppId, ReferenceRequest, ServiceStartMode, ServiceState, StoreId, UsbId,
  type ReferenceDetail, type ReferenceSpec,
} from '@tillscope/shared';
import type { StringKey, Vars } from '../i18n/strings';

/**
 * The reference form as an admin types it: name, scope, and each list of the spec as lines of
 * "subject = values" (one entry a line), so a spec of a dozen drivers is edited like a text file.
 * `formFromReference` and `requestFromForm` are inverse for every valid spec (reference-form.test.ts).
 */
export interface ReferenceForm {
  name: string;
  machineModel: string;
  storeFormat: string;
  /** store codes separated by commas, spaces or newlines */
  storeIds: string;
  osBuild: string;
  drivers: string;
  services: string;
  posApps: string;
  fiscalStack: string;
  peripherals: string;
  configFiles: string;
}

export const LIST_FIELDS = ['drivers', 'services', 'posApps', 'fiscalStack', 'peripherals', 'configFiles'] as const;
export type ListField = (typeof LIST_FIELDS)[number];
const LIST_FIELD_SET: ReadonlySet<string> = new Set<string>(LIST_FIELDS);
export const isListField = (field: string): field is ListField => LIST_FIELD_SET.has(field);

export interface FormError {
  /** the form field it is about; `line` is 1-based within a list field */
  field: keyof ReferenceForm | 'scope';
  line?: number;
  key: StringKey;
  vars?: Vars;
  /** the line format expected, itself a string to translate (`{hint}` in `key`) */
  hint?: StringKey;
}

export const EMPTY_FORM: ReferenceForm = {
  name: '', machineModel: '', storeFormat: '', storeIds: '', osBuild: '',
  drivers: '', services: '', posApps: '', fiscalStack: '', peripherals: '', configFiles: '',
};

const entry = (subject: string, values: (string | undefined)[]) => {
  // Trailing values left out are not written; a skipped middle one is written as "-".
  const kept = [...values];
  while (kept.length && kept[kept.length - 1] === undefined) kept.pop();
  return kept.length ? `${subject} = ${kept.map((v) => v ?? '-').join(', ')}` : subject;
};
const runningWord = (running: boolean | undefined) => (running === undefined ? undefined : running ? 'running' : 'stopped');

export function formFromReference(reference: Pick<ReferenceDetail, 'name' | 'scope' | 'spec'>): ReferenceForm {
  const { name, scope, spec } = reference;
  return {
    name,
    machineModel: scope.machineModel ?? '',
    storeFormat: scope.storeFormat ?? '',
    storeIds: scope.storeIds.join(', '),
    osBuild: spec.osBuild ?? '',
    drivers: spec.drivers.map((d) => entry(d.name, [d.version])).join('\n'),
    services: spec.services.map((s) => entry(s.name, [s.state, s.startMode])).join('\n'),
    posApps: spec.posApps.map((a) => entry(a.id, [a.version, runningWord(a.running)])).join('\n'),
    fiscalStack: spec.fiscalStack.map((f) => entry(f.id, [f.version])).join('\n'),
    peripherals: spec.peripherals.map((p) => entry(`${p.vendorId}:${p.productId}`, [p.name])).join('\n'),
    configFiles: spec.configFiles.map((c) => entry(c.name, [c.sha256])).join('\n'),
  };
}

interface Line {
  number: number;
  subject: string;
  /** the text after "=", trimmed; undefined when none */
  rest: string | undefined;
  values: (string | undefined)[];
}

/** Non-empty lines split at the first "=": the subject and its comma-separated values ("-" or nothing: not given). */
function lines(text: string): Line[] {
  return text
    .split(/\r?\n/)
    .map((raw, i) => ({ raw: raw.trim(), number: i + 1 }))
    .filter((l) => l.raw !== '')
    .map(({ raw, number }) => {
      const at = raw.indexOf('=');
      const subject = (at < 0 ? raw : raw.slice(0, at)).trim();
      const rest = at < 0 ? undefined : raw.slice(at + 1).trim() || undefined;
      const values = rest === undefined ? [] : rest.split(',').map((v) => v.trim()).map((v) => (v === '' || v === '-' ? undefined : v));
      return { number, subject, rest, values };
    });
}

type Parsed<T> = { value: T } | { error: Omit<FormError, 'field' | 'line'> };
const bad = (value: string): Parsed<never> => ({ error: { key: 'refForm.problem.value', vars: { value } } });
const badFormat = (hint: StringKey): Parsed<never> => ({ error: { key: 'refForm.problem.format', hint } });

function oneOf<T extends string>(options: readonly T[], text: string | undefined): Parsed<T | undefined> {
  if (text === undefined) return { value: undefined };
  const found = options.find((o) => o === text.toLowerCase());
  return found === undefined ? bad(text) : { value: found };
}

const PARSERS: { [F in ListField]: (line: Line) => Parsed<ReferenceSpec[F][number]> } = {
  drivers: ({ subject, rest }) => (subject ? { value: { name: subject, version: rest } } : badFormat('refForm.hint.drivers')),
  services: ({ subject, values }) => {
    if (!subject || values.length > 2) return badFormat('refForm.hint.services');
    const state = oneOf(ServiceState.options, values[0]);
    const startMode = oneOf(ServiceStartMode.options, values[1]);
    if ('error' in state) return state;
    if ('error' in startMode) return startMode;
    return { value: { name: subject, state: state.value, startMode: startMode.value } };
  },
  posApps: ({ subject, values }) => {
    const id = oneOf(PosAppId.options, subject);
    if ('error' in id || id.value === undefined || values.length > 2) return 'error' in id ? id : badFormat('refForm.hint.posApps');
    const running = oneOf(['running', 'stopped'] as const, values[1]);
    if ('error' in running) return running;
    return { value: { id: id.value, version: values[0], running: running.value === undefined ? undefined : running.value === 'running' } };
  },
  fiscalStack: ({ subject, values }) => {
    const id = oneOf(FiscalStackId.options, subject);
    if ('error' in id || id.value === undefined || values.length > 1) return 'error' in id ? id : badFormat('refForm.hint.fiscalStack');
    return { value: { id: id.value, version: values[0] } };
  },
  peripherals: ({ subject, rest }) => {
    const [vendorId, productId, extra] = subject.toLowerCase().split(':');
    if (extra !== undefined || !UsbId.safeParse(vendorId).success || !UsbId.safeParse(productId).success) return badFormat('refForm.hint.peripherals');
    return { value: { vendorId: vendorId!, productId: productId!, name: rest ?? `${vendorId}:${productId}` } };
  },
  configFiles: ({ subject, values }) => {
    const sha256 = values[0]?.toLowerCase();
    if (!subject || values.length !== 1 || !sha256 || !/^[0-9a-f]{64}$/.test(sha256)) return badFormat('refForm.hint.configFiles');
    return { value: { name: subject, sha256 } };
  },
};

const LIST_MAX: Record<ListField, number> = { drivers: 64, services: 32, posApps: 8, fiscalStack: 8, peripherals: 32, configFiles: 16 };

function parseList<F extends ListField>(field: F, text: string, errors: FormError[]): ReferenceSpec[F][number][] {
  const out: ReferenceSpec[F][number][] = [];
  const parse = PARSERS[field] as (line: Line) => Parsed<ReferenceSpec[F][number]>;
  for (const line of lines(text)) {
    const parsed = parse(line);
    if ('error' in parsed) errors.push({ field, line: line.number, ...parsed.error });
    else out.push(parsed.value);
  }
  if (out.length > LIST_MAX[field]) errors.push({ field, key: 'refForm.problem.tooMany', vars: { max: LIST_MAX[field] } });
  return out;
}

/** The request the form makes, or every problem in it (each with its field and line). */
export function requestFromForm(form: ReferenceForm): { request: ReferenceRequest } | { errors: FormError[] } {
  const errors: FormError[] = [];
  if (!form.name.trim()) errors.push({ field: 'name', key: 'refForm.error.name' });
  const storeIds = form.storeIds.split(/[\s,;]+/).filter(Boolean);
  for (const id of storeIds) if (!StoreId.safeParse(id).success) errors.push({ field: 'storeIds', key: 'refForm.error.store', vars: { value: id } });
  const machineModel = form.machineModel.trim() || undefined;
  if (!machineModel && !storeIds.length) errors.push({ field: 'scope', key: 'refForm.error.scope' });
  const spec = {
    osBuild: form.osBuild.trim() || undefined,
    drivers: parseList('drivers', form.drivers, errors),
    services: parseList('services', form.services, errors),
    posApps: parseList('posApps', form.posApps, errors),
    fiscalStack: parseList('fiscalStack', form.fiscalStack, errors),
    peripherals: parseList('peripherals', form.peripherals, errors),
    configFiles: parseList('configFiles', form.configFiles, errors),
  };
  if (errors.length) return { errors };
  const parsed = ReferenceRequest.safeParse({ name: form.name.trim(), scope: { machineModel, storeFormat: form.storeFormat.trim() || undefined, storeIds }, spec });
  if (parsed.success) return { request: parsed.data };
  // What is left is a length limit the lines above do not check (a name or value too long).
  return {
    errors: parsed.error.issues.map((issue) => ({ field: formField(issue.path), key: 'refForm.error.tooLong', vars: { field: issue.path.join('.') } })),
  };
}

const FIELDS: ReadonlySet<string> = new Set<keyof ReferenceForm>(Object.keys(EMPTY_FORM) as (keyof ReferenceForm)[]);
const isFormField = (name: PropertyKey | undefined): name is keyof ReferenceForm => typeof name === 'string' && FIELDS.has(name);

/** The form field a schema issue is about: "name", a scope or spec field by its own name. */
function formField(path: PropertyKey[]): FormError['field'] {
  const [top, inner] = path;
  if (isFormField(top)) return top;
  return isFormField(inner) ? inner : 'scope';
}
