// USB hot-plug on Linux without a native module: the device nodes the kernel (devtmpfs) and udev
// make and remove as a USB device comes and goes, watched with inotify (node's fs.watch, on the main
// loop: no thread, no binding). Every USB device gets a node under /dev/bus/usb/<bus>/; a printer on
// usblp makes /dev/usb/lpN, a USB-serial adapter /dev/ttyUSBn, a CDC-ACM device /dev/ttyACMn, and
// udev's stable names appear in /dev/serial/by-id. The `usb` package's notifications cost a runtime
// of three threads (measured by the agent-footprint bench), which a till should not pay for this.
import { watch as fsWatch, existsSync, readdirSync, type FSWatcher } from 'node:fs';
import path from 'node:path';
import type { Unsubscribe, UsbChange, UsbHotplug } from '../transports/usb/usb-hotplug';

/** The folders to watch and which names in them are USB device nodes. */
export interface DevNodeWatchSet {
  dir: string;
  /** a name in `dir` that is a device node of interest (null: every name) */
  names: RegExp | null;
}

/** The real set: USB device nodes, printer-class and serial nodes, udev's by-id links. */
export function linuxDevNodeWatchSet(root = '/dev'): DevNodeWatchSet[] {
  const busRoot = path.join(root, 'bus', 'usb');
  let buses: string[] = [];
  try {
    buses = readdirSync(busRoot).filter((name) => /^\d{3}$/.test(name));
  } catch {
    // no USB bus (a VM without a controller): the other folders may still show serial adapters
  }
  return [
    { dir: root, names: /^tty(USB|ACM)\d+$/ },
    { dir: path.join(root, 'usb'), names: /^lp\d+$/ },
    { dir: path.join(root, 'serial', 'by-id'), names: null },
    ...buses.map((bus) => ({ dir: path.join(busRoot, bus), names: /^\d{3}$/ })),
  ];
}

type Watch = (dir: string, listener: (event: string, name: string | null) => void) => FSWatcher;

const realWatch: Watch = (dir, listener) => fsWatch(dir, { persistent: false }, (event, name) => listener(event, name === null ? null : String(name)));

/**
 * A UsbHotplug over device nodes. Subscribing watches every folder of `watchSet` that exists and
 * rejects when none does (then the probe's diff at each look is all there is). A folder that
 * appears later (the first USB printer makes /dev/usb) is not watched until the next subscribe:
 * the scheduled look still sees the device.
 */
export function createDevNodeHotplug(watchSet: () => DevNodeWatchSet[] = linuxDevNodeWatchSet, watch: Watch = realWatch, exists = existsSync): UsbHotplug {
  return {
    subscribe(onChange: (change: UsbChange) => void): Promise<Unsubscribe> {
      const watchers: FSWatcher[] = [];
      for (const { dir, names } of watchSet()) {
        if (!exists(dir)) continue;
        try {
          const watcher = watch(dir, (_event, name) => {
            if (name === null || (names && !names.test(name))) return;
            onChange(exists(path.join(dir, name)) ? 'attach' : 'detach');
          });
          // A folder removed under the watcher (a by-id folder when its last link goes) ends that watch only.
          watcher.on('error', () => watcher.close());
          watchers.push(watcher);
        } catch {
          // not watchable (permissions, inotify limits): the others still are
        }
      }
      if (watchers.length === 0) return Promise.reject(new Error('no device node folder could be watched (/dev, /dev/usb, /dev/bus/usb)'));
      return Promise.resolve(() => {
        for (const watcher of watchers) watcher.close();
        return Promise.resolve();
      });
    },
  };
}
