// Which programs are installed and running, from what the OS tools said (protocol.ts) and the
// signatures in the options. Pure. "Could not tell" stays apart from "no": a process list that
// could not be read makes `running` null, never false.
import type { InstalledProgram, ProcessList, WindowsService } from './protocol';
import { processKey } from './protocol';
import type { SoftwareSignature } from './options';

/** What the probe read of the register; undefined: that tool could not be read this time. */
export interface SoftwareObservation {
  platform: NodeJS.Platform;
  processes: ProcessList | undefined;
  /** the Uninstall keys' programs (Windows) or the installed packages (Linux) */
  programs: InstalledProgram[] | undefined;
  /** the configured Windows services found; undefined when they could not be read */
  services: WindowsService[] | undefined;
  /** the install folders (as expanded) that exist */
  existingDirs: ReadonlySet<string>;
  env: (name: string) => string | undefined;
}

export interface SoftwareFacts {
  name: string;
  version?: string;
  installed: boolean;
  running: boolean | null;
  source: string;
}

/**
 * A configured folder as this OS names it: Windows folders (a drive letter or %VAR%) on Windows
 * only, with %VAR% from the environment; absolute POSIX paths elsewhere. Undefined: not for this OS,
 * or it names a variable that is not set (a 32-bit Windows has no %ProgramFiles(x86)%).
 */
export function installDirFor(dir: string, platform: NodeJS.Platform, env: (name: string) => string | undefined): string | undefined {
  const windowsPath = /^([A-Za-z]:\\|%)/.test(dir);
  if (platform === 'win32' ? !windowsPath : windowsPath || !dir.startsWith('/')) return undefined;
  let missing = false;
  const expanded = dir.replace(/%([^%]+)%/g, (_, name: string) => {
    const value = env(name);
    if (value === undefined) missing = true;
    return value ?? '';
  });
  return missing ? undefined : expanded;
}

const matchesAny = (patterns: readonly string[], text: string) => patterns.some((pattern) => new RegExp(pattern, 'i').test(text));

/** Whether the signature names something that shows the program running on this OS. */
function canTellRunning(signature: SoftwareSignature, platform: NodeJS.Platform): boolean {
  if (signature.processes.length > 0) return true;
  if (platform === 'win32') return signature.services.length > 0;
  return signature.commandLines.length > 0;
}

/** running: true on any sign of it; null when a source it needs could not be read or none is configured; else false. */
function runningOf(signature: SoftwareSignature, seen: SoftwareObservation, evidence: string[]): boolean | null {
  if (!canTellRunning(signature, seen.platform)) return null;
  let unknown = false;
  const usesProcesses = signature.processes.length > 0 || (seen.platform !== 'win32' && signature.commandLines.length > 0);
  if (usesProcesses && seen.processes === undefined) unknown = true;
  if (seen.processes) {
    const process = signature.processes.find((name) => seen.processes?.names.has(processKey(name)));
    if (process) evidence.push(`process ${process}`);
    const line = seen.platform === 'win32' ? undefined : signature.commandLines.find((text) => seen.processes?.commandLines.some((cmd) => cmd.includes(text)));
    if (line) evidence.push(`command line with ${line}`);
    if (process || line) return true;
  }
  if (seen.platform === 'win32' && signature.services.length > 0) {
    if (seen.services === undefined) unknown = true;
    const running = seen.services?.find((service) => service.state === 'running' && signature.services.some((name) => name.toLowerCase() === service.name.toLowerCase()));
    if (running) {
      evidence.push(`service ${running.name} running`);
      return true;
    }
  }
  return unknown ? null : false;
}

/** The program as the register has it: installed (a package, an Uninstall entry, a folder, a service) and running. */
export function detectSoftware(signature: SoftwareSignature, seen: SoftwareObservation): SoftwareFacts {
  const evidence: string[] = [];
  const patterns = seen.platform === 'win32' ? signature.displayNames : signature.packages;
  const program = seen.programs?.find((p) => matchesAny(patterns, p.name));
  if (program) evidence.push(seen.platform === 'win32' ? `registry Uninstall: ${program.name}` : `package ${program.name}`);
  const dir = signature.installDirs.map((d) => installDirFor(d, seen.platform, seen.env)).find((d) => d !== undefined && seen.existingDirs.has(d));
  if (dir) evidence.push(`folder ${dir}`);
  const service = seen.platform === 'win32' ? seen.services?.find((s) => signature.services.some((name) => name.toLowerCase() === s.name.toLowerCase())) : undefined;
  if (service) evidence.push(`service ${service.name} (${service.state}, ${service.startMode})`);
  const running = runningOf(signature, seen, evidence);
  return {
    name: program?.name ?? signature.label,
    ...(program?.version ? { version: program.version } : {}),
    installed: program !== undefined || dir !== undefined || service !== undefined || running === true,
    running,
    source: evidence.length > 0 ? [...new Set(evidence)].join('; ') : 'not found',
  };
}
