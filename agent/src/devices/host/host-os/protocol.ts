// Parsers of what host-os reads: the Windows version and reboot flags (PowerShell, ConvertTo-Json,
// the same in every UI language), and systeminformation's volumes. Pure.
import type { Volume } from '@tillscope/shared';
import { z } from 'zod';
import { powershellArgs } from '../../common/host-powershell';

/**
 * One PowerShell run: the build and update revision from the registry (UBR is what Windows Update
 * bumps; `ver` and WMI do not show it), and the two documented reboot-pending flags [S]: Component
 * Based Servicing's RebootPending and Windows Update's RebootRequired keys. ConvertTo-Json (Windows
 * PowerShell 3.0+) keeps the output the same in every UI language.
 */
export const WINDOWS_OS_SCRIPT = [
  "$ErrorActionPreference = 'Stop';",
  "$cv = Get-ItemProperty -LiteralPath 'HKLM:\\SOFTWARE\\Microsoft\\Windows NT\\CurrentVersion';",
  '[pscustomobject]@{',
  'CurrentBuild = [string]$cv.CurrentBuild; UBR = $cv.UBR;',
  "CbsRebootPending = Test-Path -LiteralPath 'HKLM:\\SOFTWARE\\Microsoft\\Windows\\CurrentVersion\\Component Based Servicing\\RebootPending';",
  "WuRebootRequired = Test-Path -LiteralPath 'HKLM:\\SOFTWARE\\Microsoft\\Windows\\CurrentVersion\\WindowsUpdate\\Auto Update\\RebootRequired'",
  '} | ConvertTo-Json -Compress',
].join(' '); // one line: a newline inside a -Command argument is not reliably passed on by every launcher

export const POWERSHELL_ARGS: readonly string[] = powershellArgs(WINDOWS_OS_SCRIPT);

const WindowsOsJson = z.object({
  CurrentBuild: z.string().regex(/^\d+$/),
  UBR: z.number().int().nonnegative().nullable().optional(),
  CbsRebootPending: z.boolean(),
  WuRebootRequired: z.boolean(),
});

export interface WindowsOsFacts {
  /** "19045.4291" */
  build: string;
  pendingReboot: boolean;
}

/** The PowerShell output, or why it is not what the script writes (an old PowerShell, a changed form). */
export function parseWindowsOsFacts(stdout: string): { ok: true; facts: WindowsOsFacts } | { ok: false; reason: string } {
  let json: unknown;
  try {
    json = JSON.parse(stdout.replace(/^\uFEFF/, '').trim());
  } catch {
    return { ok: false, reason: `PowerShell output is not JSON: "${stdout.trim().slice(0, 80)}"` };
  }
  const parsed = WindowsOsJson.safeParse(json);
  if (!parsed.success) return { ok: false, reason: `PowerShell output not understood: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ').slice(0, 200)}` };
  const { CurrentBuild, UBR, CbsRebootPending, WuRebootRequired } = parsed.data;
  return {
    ok: true,
    facts: {
      build: UBR === null || UBR === undefined ? CurrentBuild : `${CurrentBuild}.${UBR}`,
      pendingReboot: CbsRebootPending || WuRebootRequired,
    },
  };
}

/** File systems of real disks; a pseudo or overlay one is left out unless it holds the system. */
const DISK_FILE_SYSTEMS = new Set(['ext2', 'ext3', 'ext4', 'xfs', 'btrfs', 'f2fs', 'jfs', 'reiserfs', 'zfs', 'vfat', 'exfat', 'ntfs', 'ntfs3', 'fuseblk', 'refs', 'fat32', 'fat']);
/** Linux mounts under these are the OS's own, not room for the POS application. */
const LINUX_OS_MOUNTS = ['/boot', '/snap', '/run', '/dev', '/sys', '/proc'];

export interface FsEntry {
  fs: string;
  type: string;
  size: number;
  available: number;
  mount: string;
}

const MAX_VOLUMES = 16;

/**
 * The register's volumes from systeminformation's fsSize: the system one (Linux "/", Windows the
 * system drive) whatever its file system, then the data ones (real disk file systems), without
 * `ignore`d mounts or drive letters; at most 16.
 */
export function volumesOf(entries: readonly FsEntry[], platform: NodeJS.Platform, systemDrive: string, ignore: readonly string[]): Volume[] {
  const windows = platform === 'win32';
  const norm = (mount: string) => (windows ? mount.replace(/\\$/, '').toUpperCase() : mount);
  const systemMount = windows ? norm(systemDrive) : '/';
  const ignored = new Set(ignore.map(norm));
  const seen = new Set<string>();
  const volumes: Volume[] = [];
  for (const entry of entries) {
    const mount = norm(entry.mount);
    if (!mount || ignored.has(mount) || seen.has(mount) || !(entry.size > 0)) continue;
    const system = mount === systemMount;
    const osOwn = !windows && LINUX_OS_MOUNTS.some((m) => mount === m || mount.startsWith(`${m}/`));
    if (!system && (osOwn || !DISK_FILE_SYSTEMS.has(entry.type.toLowerCase()))) continue;
    seen.add(mount);
    volumes.push({
      mount: mount.slice(0, 200),
      role: system ? 'system' : 'data',
      ...(entry.type ? { fsType: entry.type.slice(0, 32) } : {}),
      sizeBytes: Math.round(entry.size),
      freeBytes: Math.max(0, Math.round(entry.available)),
    });
  }
  return volumes.sort((a, b) => (a.role === b.role ? 0 : a.role === 'system' ? -1 : 1)).slice(0, MAX_VOLUMES);
}

/** Debian/Ubuntu (update-notifier) write this file when an update needs a reboot [S]. */
export const REBOOT_REQUIRED_FILE = '/var/run/reboot-required';
/** The update-notifier hook that writes it; without it nothing on the register would. */
export const REBOOT_NOTIFIER = '/usr/share/update-notifier/notify-reboot-required';
