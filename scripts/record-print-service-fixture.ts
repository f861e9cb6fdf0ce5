// Records what restart_print_service's tools answer on this machine (it really restarts the print
// service: CUPS on Linux, Spooler on Windows), as a fixture for agent/src/actions tests
// (agent/src/os/host-os-replay.ts format, origin "recorded").
//   npx tsx scripts/record-print-service-fixture.ts --description "Debian 12 container, systemd not PID 1" --out agent/src/actions/fixtures/linux-no-systemd.json
import { writeFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { createPrintServiceRestarter } from '../agent/src/actions/restart-print-service';
import { createHostOs } from '../agent/src/os/host-os-real';
import { createRecordingHostOs } from '../agent/src/os/host-os-record';

const { values } = parseArgs({ options: { description: { type: 'string' }, out: { type: 'string' } } });
if (!values.description || !values.out) {
  process.stderr.write('usage: npx tsx scripts/record-print-service-fixture.ts --description "<machine and state>" --out <file.json>\n');
  process.exit(2);
}
const recorder = createRecordingHostOs(createHostOs());
const restart = createPrintServiceRestarter({
  run: recorder.os.run,
  platform: recorder.os.platform,
  busy: async () => undefined,
  reportsAfter: async () => [],
  fitFrame: (reports, build) => build(reports),
});
const result = await restart({ commandId: 'record-1', verb: 'restart_print_service' });
await writeFile(values.out, `${JSON.stringify(recorder.fixture(values.description), null, 2)}\n`);
process.stdout.write(`${values.out}: ${JSON.stringify(result)}\n`);
