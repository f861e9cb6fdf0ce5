import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { UsbChange } from '../transports/usb/usb-hotplug';
import { createDevNodeHotplug, linuxDevNodeWatchSet } from './dev-node-hotplug';

// Real inotify on a folder laid out like /dev: nodes made and removed as the kernel does on plug
// and unplug (here plain files stand in for device nodes; inotify sees the same create and delete).

let dir = '';
afterEach(async () => rm(dir, { recursive: true, force: true }));

async function devTree(): Promise<string> {
  dir = await mkdtemp(path.join(tmpdir(), 'dev-'));
  await mkdir(path.join(dir, 'usb'));
  await mkdir(path.join(dir, 'bus', 'usb', '001'), { recursive: true });
  return dir;
}

function changes(): { seen: UsbChange[]; onChange: (c: UsbChange) => void; next: () => Promise<UsbChange> } {
  const seen: UsbChange[] = [];
  let wake: (() => void) | undefined;
  return {
    seen,
    onChange: (change) => {
      seen.push(change);
      wake?.();
    },
    next: () => new Promise<UsbChange>((resolve) => {
      const count = seen.length;
      wake = () => seen.length > count && resolve(seen[seen.length - 1]!);
    }),
  };
}

describe('device-node hot-plug (inotify)', () => {
  it('reports a usblp printer and a USB device node coming and going, and ignores other names', async () => {
    const root = await devTree();
    const hotplug = createDevNodeHotplug(() => linuxDevNodeWatchSet(root));
    const { seen, onChange, next } = changes();
    const unsubscribe = await hotplug.subscribe(onChange);
    try {
      let change = next();
      await writeFile(path.join(root, 'usb', 'lp0'), '');
      expect(await change).toBe('attach');
      change = next();
      await rm(path.join(root, 'usb', 'lp0'));
      expect(await change).toBe('detach');
      change = next();
      await writeFile(path.join(root, 'null-not-a-device'), '');
      await writeFile(path.join(root, 'bus', 'usb', '001', '004'), '');
      expect(await change).toBe('attach');
      expect(seen).toEqual(['attach', 'detach', 'attach']);
    } finally {
      await unsubscribe();
    }
  });

  it('rejects when no folder can be watched, and stops reporting once unsubscribed', async () => {
    const root = await devTree();
    await expect(createDevNodeHotplug(() => [{ dir: path.join(root, 'absent'), names: null }]).subscribe(() => undefined)).rejects.toThrow(/no device node folder/);
    const seen: UsbChange[] = [];
    const unsubscribe = await createDevNodeHotplug(() => linuxDevNodeWatchSet(root)).subscribe((c) => seen.push(c));
    await unsubscribe();
    await writeFile(path.join(root, 'ttyUSB0'), '');
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(seen).toEqual([]);
  });
});
