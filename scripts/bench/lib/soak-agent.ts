// The soak's one real register: the built agent (agent/dist/agent.cjs, the production flags) in its
// own process, probing a simulated ESC/POS printer on TCP whose faults are switched through the
// simulator's HTTP control interface, with its cashier page used over its POST API as a till's
// browser would. The agent enrolls itself with the token in its config, as a fresh till does.
//
// Its V8 heap is read through memory-probe.cjs, preloaded with `--require` and answering over an
// IPC channel the bench opens: nothing in the agent's code knows it is measured.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdir, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { PrinterFaultsPatch } from '../../sim/escpos/printer-state';
import { AGENT_BUNDLE, AGENT_NODE_FLAGS } from '../../../agent/build';
import { ChildChannel, within } from '../../lib/child-channel';
import { freePort } from '../../lib/ports';
import { startEscPosSimulator, type EscPosSimulator } from '../../sim/escpos/simulator';

const repoRoot = resolve(import.meta.dirname, '../../..');
const MEMORY_PROBE = fileURLToPath(new URL('./memory-probe.cjs', import.meta.url));

type MemoryRequest = { op: 'memory'; gc: boolean };
type MemoryReply = { op: 'memory'; rss: number; heapUsed: number };

export interface SoakAgentOptions {
  consoleUrl: string;
  enrollmentToken: string;
  /** The agent's data dir (config, credential, outbox); created if missing. */
  dir: string;
  storeId: string;
  registerId: string;
  probeIntervalSec: number;
  reportIntervalSec: number;
  /** Agent log lines at ERROR level (and the output of a failed start) go here. */
  log: (line: string) => void;
}

export type CashierSubmit = { accepted: true; reportId: string } | { accepted: false; status: number; body: string };

export class SoakAgent {
  private readonly lines: string[] = [];
  private readonly channel: ChildChannel<MemoryRequest, MemoryReply>;

  private constructor(
    private readonly child: ChildProcess,
    private readonly simulator: EscPosSimulator,
    private readonly cashierUrl: string,
    readonly dir: string,
    log: (line: string) => void,
  ) {
    this.channel = new ChildChannel(child, 'real agent');
    const keep = (chunk: Buffer) => {
      for (const line of chunk.toString('utf8').split('\n')) {
        if (!line.trim()) continue;
        this.lines.push(line);
        if (/ ERROR /.test(line)) log(`real agent: ${line}`);
      }
      this.lines.splice(0, Math.max(0, this.lines.length - 40));
    };
    child.stdout?.on('data', keep);
    child.stderr?.on('data', keep);
  }

  static async start(options: SoakAgentOptions): Promise<SoakAgent> {
    const simulator = await startEscPosSimulator({ tcp: { host: '127.0.0.1', port: 0 }, control: { port: 0 } });
    let agent: SoakAgent | undefined;
    try {
      await mkdir(options.dir, { recursive: true });
      const cashierPort = await freePort();
      const configPath = join(options.dir, 'agent.json');
      await writeFile(configPath, `${JSON.stringify({
        server: options.consoleUrl,
        storeId: options.storeId,
        registerId: options.registerId,
        enrollmentToken: options.enrollmentToken,
        dataDir: '.',
        probeIntervalSec: options.probeIntervalSec,
        reportIntervalSec: options.reportIntervalSec,
        cashierPage: { port: cashierPort },
        devices: [{ id: 'printer', driver: 'escpos', model: 'Epson TM-T20II', transport: { kind: 'tcp', host: '127.0.0.1', port: simulator.tcpPort } }],
      }, null, 2)}\n`);
      const env = { ...process.env };
      delete env.NODE_OPTIONS; // nothing inherited that loads tsx or changes the heap
      const child = spawn(process.execPath, [...AGENT_NODE_FLAGS, '--require', MEMORY_PROBE, AGENT_BUNDLE, '--config', configPath], {
        cwd: repoRoot, env, stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
      });
      agent = new SoakAgent(child, simulator, `http://127.0.0.1:${cashierPort}/`, options.dir, options.log);
      await agent.waitForLine(/cashier page: http/, 30_000);
      return agent;
    } catch (error) {
      await (agent ? agent.stop() : simulator.close());
      throw error;
    }
  }

  get pid(): number {
    if (this.child.pid === undefined) throw new Error('real agent has no pid');
    return this.child.pid;
  }

  private get running(): boolean {
    return this.child.exitCode === null && this.child.signalCode === null;
  }

  /** The last lines the agent printed, for error messages. */
  private output(): string {
    return this.lines.join('\n');
  }

  /** V8 heap used, from inside the agent (after a full collection with `gc`: the live part); null if it does not answer within 5 s. */
  async heapUsedBytes(gc = false): Promise<number | null> {
    const reply = await within(this.channel.request({ op: 'memory', gc }), 5_000);
    return reply ? reply.heapUsed : null;
  }

  /** Switches printer faults through the simulator's HTTP control interface (PUT /faults). */
  async setPrinterFaults(patch: PrinterFaultsPatch): Promise<void> {
    const response = await fetch(`http://127.0.0.1:${this.simulator.controlPort}/faults`, {
      method: 'PUT', headers: { 'content-type': 'application/json' }, body: JSON.stringify(patch),
    });
    if (!response.ok) throw new Error(`printer control answered ${response.status}: ${await response.text()}`);
  }

  /** A cashier presses "report a problem": POST /api/reports, as the page's script sends it. */
  async submitCashierReport(note: string): Promise<CashierSubmit> {
    const response = await fetch(`${this.cashierUrl}api/reports`, {
      method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ symptom: 'no_receipt', note, locale: 'ru' }),
    });
    const body = await response.text();
    if (response.status !== 201) return { accepted: false, status: response.status, body: body.slice(0, 300) };
    const parsed = JSON.parse(body) as { reportId?: unknown };
    if (typeof parsed.reportId !== 'string') throw new Error(`cashier page answered 201 without a reportId: ${body.slice(0, 300)}`);
    return { accepted: true, reportId: parsed.reportId };
  }

  /** The page's view of one report: queued, delivered or rejected; null if the page does not know it. */
  async reportState(reportId: string): Promise<string | null> {
    const response = await fetch(`${this.cashierUrl}api/reports/${encodeURIComponent(reportId)}`);
    if (response.status === 404) return null;
    if (!response.ok) throw new Error(`GET report ${reportId} answered ${response.status}`);
    return ((await response.json()) as { state: string }).state;
  }

  /** Whether the agent's link to the console is up, as its cashier page shows it. */
  async connected(): Promise<boolean> {
    const response = await fetch(`${this.cashierUrl}api/status`);
    return response.ok && ((await response.json()) as { connected: boolean }).connected;
  }

  /** SIGTERM as a service manager stops it (SIGKILL after 10 s), then the printer. */
  async stop(): Promise<void> {
    if (this.running) {
      const exited = new Promise((done) => this.child.once('exit', done));
      this.child.kill('SIGTERM');
      await within(exited, 10_000);
      this.child.kill('SIGKILL');
    }
    await this.simulator.close();
  }

  private waitForLine(pattern: RegExp, timeoutMs: number): Promise<void> {
    return new Promise((resolveWait, reject) => {
      const timer = setTimeout(() => finish(new Error(`real agent: no line matching ${pattern} in ${timeoutMs} ms:\n${this.output()}`)), timeoutMs);
      const onData = (chunk: Buffer) => {
        if (pattern.test(chunk.toString('utf8'))) finish();
      };
      const onExit = () => finish(new Error(`real agent exited during start:\n${this.output()}`));
      const finish = (error?: Error) => {
        clearTimeout(timer);
        this.child.stdout?.off('data', onData);
        this.child.off('exit', onExit);
        if (error) reject(error);
        else resolveWait();
      };
      this.child.stdout?.on('data', onData);
      this.child.once('exit', onExit);
    });
  }
}
