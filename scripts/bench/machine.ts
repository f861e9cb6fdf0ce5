import { readFileSync } from 'node:fs';
import os from 'node:os';

export interface MachineDescription {
  summary: string;
  cpuModel: string;
  cores: number;
  memoryGiB: number;
  platform: string;
  release: string;
  node: string;
  openFilesLimit: number | null;
}

/** The soft RLIMIT_NOFILE of this process, from /proc (Linux); null where it cannot be read. */
export function openFilesLimit(): number | null {
  try {
    const line = readFileSync('/proc/self/limits', 'utf8').split('\n').find((row) => row.startsWith('Max open files'));
    const soft = line?.split(/\s{2,}/)[1];
    return soft && /^\d+$/.test(soft) ? Number(soft) : null;
  } catch {
    return null;
  }
}

export function describeMachine(): MachineDescription {
  const cpus = os.cpus();
  const cpuModel = cpus[0]?.model.trim() ?? 'unknown CPU';
  const memoryGiB = Math.round((os.totalmem() / 1024 ** 3) * 10) / 10;
  const description = {
    cpuModel,
    cores: cpus.length,
    memoryGiB,
    platform: os.platform(),
    release: os.release(),
    node: process.version,
    openFilesLimit: openFilesLimit(),
  };
  return { ...description, summary: `${cpus.length} × ${cpuModel}, ${memoryGiB} GiB RAM, ${os.platform()} ${os.release()}, Node ${process.version}` };
}
