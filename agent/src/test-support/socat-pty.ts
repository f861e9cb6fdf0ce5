// Test support: a pseudo-terminal pair made by socat, the serial line a real port would be.
import { spawn as nodeSpawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { executableOnPath } from '../transports/serial/serial-list';

export interface SocatPty {
  /** the end the code under test opens, like /dev/ttyUSB0 */
  path: string;
  /** the other end: the "device" */
  peerPath: string;
  /** kills socat (both ends vanish) and removes the links */
  close(): Promise<void>;
}

export const socatAvailable = (): boolean => executableOnPath('socat');

/** Starts socat with two linked ptys in a fresh temp folder; rejects if the links do not appear within 5 s. */
export async function startSocatPty(spawn: typeof nodeSpawn = nodeSpawn): Promise<SocatPty> {
  const dir = mkdtempSync(join(tmpdir(), 'tillscope-pty-'));
  const path = join(dir, 'port');
  const peerPath = join(dir, 'device');
  const child = spawn('socat', ['-d', '-d', `pty,raw,echo=0,link=${path}`, `pty,raw,echo=0,link=${peerPath}`], { stdio: 'ignore' });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const close = async () => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
    await Promise.race([exited, new Promise((resolve) => setTimeout(resolve, 2_000))]);
    rmSync(dir, { recursive: true, force: true });
  };
  const deadline = Date.now() + 5_000;
  while (!(existsSync(path) && existsSync(peerPath))) {
    if (child.exitCode !== null || Date.now() > deadline) {
      await close();
      throw new Error(`socat did not create the pty links in ${dir}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  return { path, peerPath, close };
}
