// Records a host probe's fixture on this machine: runs the registered probe once against the real
// OS through a recording HostOs and writes every tool run, file, folder and systeminformation
// answer it asked for (agent/src/os/host-os-replay.ts format, origin "recorded").
//   npx tsx scripts/record-host-fixture.ts --probe host-clock --description "timedatectl, synced" --out agent/src/devices/host/host-clock/fixtures/linux-synced.json
// Options given with --options '{"key":1}' are the probe's own (config host.probes.<id>).
import { HOST_PROBE_IDS, type HostProbeId } from '@tillscope/shared';
import { writeFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { createHostProbeRegistry } from '../agent/src/devices/registry';
import { createHostOs } from '../agent/src/os/host-os-real';
import { createRecordingHostOs } from '../agent/src/os/host-os-record';
import { AGENT_VERSION } from '../agent/src/version';

const { values } = parseArgs({
  options: { probe: { type: 'string' }, description: { type: 'string' }, out: { type: 'string' }, options: { type: 'string', default: '{}' } },
});
const id = values.probe as HostProbeId | undefined;
if (!id || !(HOST_PROBE_IDS as readonly string[]).includes(id) || !values.description || !values.out) {
  process.stderr.write('usage: npx tsx scripts/record-host-fixture.ts --probe <host probe id> --description "<state>" --out <file.json> [--options <json>]\n');
  process.exit(2);
}
const probe = createHostProbeRegistry().get(id);
if (!probe) {
  process.stderr.write(`${id} is not registered in agent/src/devices/registry.ts\n`);
  process.exit(2);
}
const recorder = createRecordingHostOs(createHostOs());
const report = await probe.probe({
  options: probe.options.parse(JSON.parse(values.options)),
  memory: probe.createMemory(),
  os: recorder.os,
  host: { isTradingHours: () => true, devices: [], fiscalAttached: false, agentVersion: AGENT_VERSION, configFiles: [] },
  now: () => new Date(),
  signal: new AbortController().signal,
});
await writeFile(values.out, `${JSON.stringify(recorder.fixture(values.description), null, 2)}\n`);
process.stdout.write(`${values.out}: ${report.health}, findings ${report.findings.map((f) => f.code).join(', ') || 'none'}\n`);
