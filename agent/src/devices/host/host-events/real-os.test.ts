// host-events against this machine's real journalctl (no fixture). The build machine runs no
// systemd, so its journal is empty: the probe must say so as an empty, checked list.
import { DeviceReport } from '@tillscope/shared';
import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { createHostOs } from '../../../os/host-os-real';
import { redactText } from '../../../os/redact';
import { HostEventsOptions } from './options';
import { probeHostEvents } from './probe';

const hasJournalctl = process.platform === 'linux' && spawnSync('sh', ['-c', 'command -v journalctl']).status === 0;

describe.runIf(hasJournalctl)('host-events on this machine (real journalctl)', () => {
  it('reads the cups.service journal into a valid, checked section', async () => {
    const report = DeviceReport.parse(
      await probeHostEvents(
        {
          options: HostEventsOptions.parse({}),
          memory: undefined,
          os: createHostOs(),
          host: { isTradingHours: () => true, devices: [], fiscalAttached: false, agentVersion: 'test', configFiles: [] },
          now: () => new Date(),
          signal: new AbortController().signal,
        },
        (text) => redactText(text).text,
      ),
    );
    if (report.host?.section !== 'events') throw new Error('no events section');
    expect(report.host.unchecked).toEqual([]);
    expect(report.evidence.exchanges).toEqual([expect.objectContaining({ label: 'journalctl -u cups.service -n 10 -p 6 -o json --no-pager -r', status: 'ok' })]);
    expect(report.health).toBe('ok');
  });
});
