// One host-pos probe: the process list, the installed programs (Uninstall keys or dpkg), the
// configured Windows services and install folders, then the named configuration files' hashes →
// the `pos` section and its verdict. Reads only; every tool through ctx.os.run.
import type { ConfigFileFacts, DeviceReport, FiscalStackFacts, FiscalStackId, PosAppFacts, PosAppId } from '@tillscope/shared';
import { clipText } from '../../common/report';
import { startHostProbeRun, type HostProbeRun } from '../../common/host-report';
import type { HostProbeContext } from '../../host-probe';
import type { HostOs } from '../../../os/host-os';
import { diagnosePos } from './diagnosis';
import type { HostPosOptions, SoftwareSignature } from './options';
import {
  LINUX_DPKG, LINUX_PS, parseDpkg, parseLinuxPs, parseUninstall, parseWindowsProcesses, parseWindowsServices, processKey,
  WINDOWS_PROCESSES, WINDOWS_UNINSTALL, windowsServices, type InstalledProgram, type ProcessList, type ToolCall, type WindowsService,
} from './protocol';
import { detectSoftware, installDirFor, type SoftwareFacts, type SoftwareObservation } from './software';

/**
 * Runs `call`, parses its output; undefined (and unchecked facts) when it failed or its output is
 * not in a known form. The facts are named by the section's areas the console's drift leaves
 * uncompared while they are unread ("processes", "apps.…", "fiscalStack.…", "configFiles.…").
 */
async function read<T>(run: HostProbeRun, facts: readonly string[], call: ToolCall, options: HostPosOptions, parse: (stdout: string) => T | undefined, evidence: (value: T) => unknown): Promise<T | undefined> {
  let parsed: T | undefined;
  const result = await run.tool(call.file, call.args, {
    timeoutMs: options.toolTimeoutMs,
    evidence: (stdout) => {
      parsed = parse(stdout);
      return parsed === undefined ? clipText(stdout, 300) : evidence(parsed);
    },
  });
  if (result.kind !== 'ok') {
    for (const fact of facts) run.toolFailed(fact, call.file, result);
    return undefined;
  }
  if (parsed === undefined) for (const fact of facts) run.unchecked(fact, `${call.file} printed output in a form not known (${clipText(result.stdout.trim(), 80) || 'nothing'})`);
  return parsed;
}

function signaturesOf(options: HostPosOptions): SoftwareSignature[] {
  return [...Object.values<SoftwareSignature>(options.apps), ...Object.values<SoftwareSignature>(options.fiscalStack)];
}

/** The process names and command lines any signature looks for: all the evidence keeps of the process list. */
function processEvidence(list: ProcessList, wanted: readonly SoftwareSignature[]) {
  const names = wanted.flatMap((s) => s.processes).filter((name) => list.names.has(processKey(name)));
  const lines = wanted.flatMap((s) => s.commandLines).filter((text) => list.commandLines.some((line) => line.includes(text)));
  return { processes: list.names.size, matched: [...new Set([...names, ...lines])] };
}

function programEvidence(programs: InstalledProgram[], wanted: readonly SoftwareSignature[], platform: NodeJS.Platform) {
  const patterns = wanted.flatMap((s) => (platform === 'win32' ? s.displayNames : s.packages)).map((p) => new RegExp(p, 'i'));
  return { programs: programs.length, matched: programs.filter((p) => patterns.some((re) => re.test(p.name))).slice(0, 16) };
}

async function observe(ctx: HostProbeContext<HostPosOptions>, run: HostProbeRun): Promise<SoftwareObservation> {
  const { options, os } = ctx;
  const wanted = signaturesOf(options);
  const windows = os.platform === 'win32';
  const processes = await read(run, ['processes'], windows ? WINDOWS_PROCESSES : LINUX_PS, options, windows ? parseWindowsProcesses : parseLinuxPs, (list) => processEvidence(list, wanted));
  const programs = await read(run, windows ? ['apps.uninstall', 'fiscalStack.uninstall'] : ['apps.dpkg', 'fiscalStack.dpkg'], windows ? WINDOWS_UNINSTALL : LINUX_DPKG, options, windows ? parseUninstall : parseDpkg, (list) => programEvidence(list, wanted, os.platform));
  const serviceNames = [...new Set(wanted.flatMap((s) => s.services))];
  let services: WindowsService[] | undefined = [];
  if (windows && serviceNames.length > 0) services = await read(run, ['apps.services', 'fiscalStack.services'], windowsServices(serviceNames), options, parseWindowsServices, (list) => list);
  return { platform: os.platform, processes, programs, services, existingDirs: await existingDirs(os, wanted), env: (name) => os.env(name) };
}

async function existingDirs(os: HostOs, wanted: readonly SoftwareSignature[]): Promise<Set<string>> {
  const dirs = [...new Set(wanted.flatMap((s) => s.installDirs).map((d) => installDirFor(d, os.platform, (name) => os.env(name))))];
  const found = new Set<string>();
  for (const dir of dirs) if (dir !== undefined && (await os.exists(dir))) found.add(dir);
  return found;
}

async function hashConfigFiles(ctx: HostProbeContext<HostPosOptions>, run: HostProbeRun, files: HostProbeContext['host']['configFiles']): Promise<ConfigFileFacts[]> {
  const facts: ConfigFileFacts[] = [];
  for (const file of files.slice(0, 16)) {
    const hash = await ctx.os.hashFile(file.path, ctx.options.maxConfigFileBytes);
    const base = { name: clipText(file.name, 64), path: clipText(file.path, 300) };
    if (hash.kind === 'ok') facts.push({ ...base, sha256: hash.sha256, sizeBytes: hash.sizeBytes, modifiedAt: hash.modifiedAt.toISOString() });
    else if (hash.kind === 'missing') facts.push({ ...base, sha256: null, error: 'missing' });
    else {
      const error = hash.kind === 'denied' ? 'permission denied' : hash.kind === 'too_large' ? `too large (over ${hash.maxBytes} bytes)` : clipText(hash.message, 200);
      facts.push({ ...base, sha256: null, error });
      run.unchecked(`configFiles.${file.name}`, `${file.path}: ${error}`);
    }
  }
  return facts;
}

/** Reads the POS software against the config's expectations (`ctx.host.posApp`, `ctx.host.configFiles`). */
/** Detected facts within the wire's bounds (names 200, versions 64, sources 300 characters). */
const toWire = (facts: SoftwareFacts) => ({
  ...facts,
  name: clipText(facts.name, 200),
  ...(facts.version !== undefined ? { version: clipText(facts.version, 64) } : {}),
  source: clipText(facts.source, 300),
});

export async function probeHostPos(ctx: HostProbeContext<HostPosOptions>): Promise<DeviceReport> {
  const expected = ctx.host;
  const run = startHostProbeRun(ctx);
  const seen = await observe(ctx, run);
  const apps: PosAppFacts[] = [];
  for (const [id, signature] of Object.entries(ctx.options.apps) as [PosAppId, SoftwareSignature][]) {
    const facts = detectSoftware(signature, seen);
    if (facts.installed || facts.running === true || id === expected.posApp) apps.push({ id, ...toWire(facts) });
  }
  const fiscalStack: FiscalStackFacts[] = [];
  for (const [id, signature] of Object.entries(ctx.options.fiscalStack) as [FiscalStackId, SoftwareSignature][]) {
    const facts = detectSoftware(signature, seen);
    if (facts.installed || facts.running === true) fiscalStack.push({ id, ...toWire(facts) });
  }
  const configFiles = await hashConfigFiles(ctx, run, expected.configFiles);
  const section = { section: 'pos' as const, apps, fiscalStack, configFiles, ...(expected.posApp ? { expectedApp: expected.posApp } : {}), unchecked: [] };
  const verdict = diagnosePos(section, ctx.host.isTradingHours(ctx.now()));
  return run.report({ id: 'host-pos', section, findings: verdict.findings, checked: verdict.checked });
}
