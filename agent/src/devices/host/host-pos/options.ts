import { FiscalStackId, PosAppId } from '@tillscope/shared';
import { z } from 'zod';

const Text = z.string().trim().min(1).max(200);

/** A case-insensitive regular expression, checked when the config is read. */
const Pattern = z
  .string()
  .min(1)
  .max(200)
  .refine((source) => {
    try {
      new RegExp(source, 'i');
      return true;
    } catch {
      return false;
    }
  }, 'must be a valid regular expression');

/**
 * How one program is recognised. Every list may be empty; a program with no process, command line
 * or service to look for cannot be told running or not (`running: null`), only installed.
 * See README.md for where each default comes from ([V] vendor documentation, [S] secondary, [U]
 * unverified: set it from a real register).
 */
export const SoftwareSignature = z.strictObject({
  /** the name people read when the OS does not give one */
  label: Text,
  /** process names as the OS lists them (".exe" optional, any case) */
  processes: z.array(Text).max(16).default([]),
  /** Linux: text a process's command line contains (Java programs all run as "java") */
  commandLines: z.array(Text).max(8).default([]),
  /** Windows service names (Get-Service Name) */
  services: z.array(Text).max(8).default([]),
  /** Windows: the Uninstall key's DisplayName, as regular expressions (any case) */
  displayNames: z.array(Pattern).max(8).default([]),
  /** Linux: Debian package names, as regular expressions (any case) */
  packages: z.array(Pattern).max(8).default([]),
  /** folders whose presence shows it installed: "%ProgramFiles%\\1cv8" on Windows, "/opt/1cv8" on Linux */
  installDirs: z.array(Text).max(8).default([]),
});
export type SoftwareSignature = z.output<typeof SoftwareSignature>;
type SignatureInput = z.input<typeof SoftwareSignature>;

/** The defaults; each fact's source and confidence is in README.md ("Where the defaults come from"). */
export const DEFAULT_POS_APPS: Record<PosAppId, SignatureInput> = {
  '1c': {
    label: '1С:Предприятие 8',
    processes: ['1cv8c', '1cv8'],
    displayNames: ['^1[CС]:(Enterprise|Предприятие) 8'],
    packages: ['^1c-enterprise'],
    installDirs: ['%ProgramFiles%\\1cv8', '%ProgramFiles(x86)%\\1cv8', '/opt/1cv8'],
  },
  frontol: { label: 'Frontol', processes: ['frontol'], displayNames: ['^Frontol'] },
  'set-retail': { label: 'Set Retail 10' },
  ukm: { label: 'УКМ' },
  artix: { label: 'Artix', installDirs: ['/linuxcash/cash'] },
};

export const DEFAULT_FISCAL_STACK: Record<FiscalStackId, SignatureInput> = {
  'atol-driver-10': { label: 'АТОЛ: Драйвер ККТ v10', displayNames: ['(АТОЛ|ATOL).*(Драйвер|Driver).*10'] },
  'atol-web-server': { label: 'АТОЛ: Web-сервер драйвера ККТ v10', commandLines: ['AtolWebServer.jar'] },
  'shtrih-driver': { label: 'ШТРИХ-М: Драйвер ФР', displayNames: ['(ШТРИХ-М|SHTRIH-M|Штрих-М).*(Драйвер ФР|DrvFR)'] },
};

/** A program's entry in the config replaces its default signature whole (say every list you want). */
const signatures = <K extends string>(ids: z.ZodEnum<Record<K, K>>, defaults: Record<K, SignatureInput>) =>
  z
    .partialRecord(ids, SoftwareSignature)
    .default({})
    .transform((given) => {
      const merged = {} as Record<K, SoftwareSignature>;
      for (const id of ids.options) merged[id] = given[id] ?? SoftwareSignature.parse(defaults[id]);
      return merged;
    });

/**
 * `host.probes.host-pos` in the agent config, e.g.
 * `{ "apps": { "frontol": { "label": "Frontol 6", "processes": ["frontol"], "displayNames": ["^Frontol 6"] } } }`.
 */
export const HostPosOptions = z.strictObject({
  apps: signatures(PosAppId, DEFAULT_POS_APPS),
  fiscalStack: signatures(FiscalStackId, DEFAULT_FISCAL_STACK),
  /** a configuration file larger than this is not hashed ("too large") */
  maxConfigFileBytes: z.number().int().min(1024).max(64 * 1024 * 1024).default(8 * 1024 * 1024),
  /** one tool run (PowerShell starts slowly on a busy register); three runs must fit the host loop's 60 s deadline */
  toolTimeoutMs: z.number().int().min(1_000).max(120_000).default(15_000),
});
export type HostPosOptions = z.output<typeof HostPosOptions>;
