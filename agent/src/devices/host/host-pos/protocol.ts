// The tools host-pos runs and the parsers of what they print. Pure: text in, typed values out, or
// undefined when the text is not in the form these parsers know (a changed tool version, a
// truncated answer): the probe then says "could not check", never "not installed".
//
// Linux: `ps -e -o args=` (procps; every process's command line, no header) and
// `dpkg-query -W -f=…` (Debian/Ubuntu packages, tab-separated). Windows: PowerShell piped to
// ConvertTo-Json: Get-Process (names), Get-Service (the configured services only) and the
// Uninstall registry keys (DisplayName, DisplayVersion), which do not change with the display
// language; only the values (product names) may be Cyrillic.
import type { ServiceStartMode, ServiceState } from '@tillscope/shared';
import { POWERSHELL, powershellArgs, psArray, psJsonObjects, psString } from '../../common/host-powershell';

export interface ToolCall {
  file: string;
  args: string[];
}

export const LINUX_PS: ToolCall = { file: 'ps', args: ['-e', '-o', 'args='] };
export const LINUX_DPKG: ToolCall = { file: 'dpkg-query', args: ['-W', '-f=${Package}\\t${Version}\\t${db:Status-Abbrev}\\n'] };

const json = ' | ConvertTo-Json -Depth 2 -Compress';


/**
 * A script whose first command may write errors that do not matter (a key or service it may not
 * read) and says so with -ErrorAction SilentlyContinue: every other error stops it (exit 1), and it
 * ends with exit 0 itself, since powershell.exe would exit 1 for the silenced errors too.
 * PowerShell 2.0, which has no ConvertTo-Json, thus fails instead of printing nothing.
 */
const strict = (script: string) => `$ErrorActionPreference = 'Stop'; ${script}; exit 0`;

export const WINDOWS_PROCESSES: ToolCall = { file: POWERSHELL, args: powershellArgs(strict(`Get-Process | Select-Object Name, Id${json}`)) };

/** The Uninstall keys of 64-bit and 32-bit programs (HKLM); per-user installs (HKCU) are the agent's own user's only, so not read. */
export const WINDOWS_UNINSTALL: ToolCall = {
  file: POWERSHELL,
  args: powershellArgs(
    strict(
      "Get-ItemProperty -Path 'HKLM:\\SOFTWARE\\Microsoft\\Windows\\CurrentVersion\\Uninstall\\*','HKLM:\\SOFTWARE\\WOW6432Node\\Microsoft\\Windows\\CurrentVersion\\Uninstall\\*' -ErrorAction SilentlyContinue" +
        ` | Where-Object { $_.DisplayName } | Select-Object DisplayName, DisplayVersion, Publisher, InstallLocation${json}`,
    ),
  ),
};

/** Only the named services (every service is listed and filtered, so a name that is not there is no error). */
export function windowsServices(names: readonly string[]): ToolCall {
  return {
    file: POWERSHELL,
    args: powershellArgs(
      strict(
        `$names = ${psArray(names)}; Get-Service -ErrorAction SilentlyContinue | Where-Object { $names -contains $_.Name }` +
          ` | Select-Object Name, DisplayName, @{Name='Status';Expression={[string]$_.Status}}, @{Name='StartType';Expression={[string]$_.StartType}}${json}`,
      ),
    ),
  };
}

/** The processes running: lower-case names without ".exe", and (Linux) whole command lines. */
export interface ProcessList {
  names: Set<string>;
  commandLines: string[];
}

/** A process name as compared: lower case, without a Windows ".exe". */
export const processKey = (name: string): string => name.trim().toLowerCase().replace(/\.exe$/, '');

/**
 * `ps -e -o args=`: one command line per line, no header. Kernel threads ("[kthreadd]") are kept
 * under their bracketed name. A header line or no line at all means another ps (busybox, an older
 * procps) that did not take the arguments as meant.
 */
export function parseLinuxPs(stdout: string): ProcessList | undefined {
  const lines = stdout.split('\n').map((line) => line.trim()).filter((line) => line !== '');
  if (lines.length === 0 || /^(PID|USER)\b/.test(lines[0] ?? '')) return undefined;
  const names = new Set<string>();
  for (const line of lines) {
    const executable = line.startsWith('[') ? line : (line.split(/\s+/)[0] ?? '');
    names.add(processKey(executable.split('/').pop() ?? executable));
  }
  return { names, commandLines: lines };
}

/** `Get-Process | Select-Object Name, Id`: every object has a Name; at least one process runs (this one). */
export function parseWindowsProcesses(stdout: string): ProcessList | undefined {
  const objects = psJsonObjects(stdout);
  if (!objects || objects.length === 0) return undefined;
  const names = new Set<string>();
  for (const object of objects) {
    const name = psString(object, 'Name');
    if (name === undefined) return undefined;
    names.add(processKey(name));
  }
  return { names, commandLines: [] };
}

export interface InstalledProgram {
  /** DisplayName or the package name */
  name: string;
  version?: string;
  publisher?: string;
  location?: string;
}

/** The Uninstall keys' programs; an entry without a DisplayName string is a form not known. */
export function parseUninstall(stdout: string): InstalledProgram[] | undefined {
  const objects = psJsonObjects(stdout);
  if (!objects) return undefined;
  const programs: InstalledProgram[] = [];
  for (const object of objects) {
    const name = psString(object, 'DisplayName');
    if (name === undefined) return undefined;
    const version = psString(object, 'DisplayVersion');
    const publisher = psString(object, 'Publisher');
    const location = psString(object, 'InstallLocation');
    programs.push({ name, ...(version ? { version } : {}), ...(publisher ? { publisher } : {}), ...(location ? { location } : {}) });
  }
  return programs;
}

/**
 * `dpkg-query -W -f='${Package}\t${Version}\t${db:Status-Abbrev}\n'`: the installed packages. The
 * status's second letter is the package's state: i installed, t/W triggers pending (still
 * installed); c (only config files left), n, u, h, f are not a working install.
 */
export function parseDpkg(stdout: string): InstalledProgram[] | undefined {
  const programs: InstalledProgram[] = [];
  const lines = stdout.split('\n').filter((line) => line.trim() !== '');
  if (lines.length === 0) return undefined;
  for (const line of lines) {
    const fields = line.split('\t');
    const [name, version, status] = fields;
    if (fields.length !== 3 || !name || version === undefined || status === undefined || !/^[uihrp][ncuhfWti][ R]?$/.test(status)) return undefined;
    if ('itW'.includes(status.charAt(1))) programs.push({ name, ...(version ? { version } : {}) });
  }
  return programs;
}

export interface WindowsService {
  name: string;
  displayName?: string;
  state: ServiceState;
  startMode: ServiceStartMode;
}

/** ServiceControllerStatus and ServiceStartMode by name, and by number for an enum that was not cast (documented values). */
const STATUS_BY_NAME: Record<string, ServiceState> = { running: 'running', stopped: 'stopped', startpending: 'starting', stoppending: 'stopping' };
const STATUS_BY_NUMBER = ['', 'Stopped', 'StartPending', 'StopPending', 'Running', 'ContinuePending', 'PausePending', 'Paused'];
const START_BY_NAME: Record<string, ServiceStartMode> = { automatic: 'auto', boot: 'auto', system: 'auto', manual: 'manual', disabled: 'disabled' };
const START_BY_NUMBER = ['Boot', 'System', 'Automatic', 'Manual', 'Disabled'];

const enumName = (value: unknown, byNumber: readonly string[]): string | undefined =>
  typeof value === 'string' ? value : typeof value === 'number' ? byNumber[value] : undefined;

/** Get-Service's selected properties; a Status that is neither a name nor a number is a form not known. */
export function parseWindowsServices(stdout: string): WindowsService[] | undefined {
  const objects = psJsonObjects(stdout);
  if (!objects) return undefined;
  const services: WindowsService[] = [];
  for (const object of objects) {
    const name = psString(object, 'Name');
    const status = enumName(object.Status, STATUS_BY_NUMBER);
    if (name === undefined || status === undefined) return undefined;
    const start = enumName(object.StartType, START_BY_NUMBER);
    const displayName = psString(object, 'DisplayName');
    services.push({
      name,
      ...(displayName ? { displayName } : {}),
      state: STATUS_BY_NAME[status.toLowerCase()] ?? 'unknown',
      startMode: (start === undefined ? undefined : START_BY_NAME[start.toLowerCase()]) ?? 'unknown',
    });
  }
  return services;
}
