// One byte port through every driver's identification, in the drivers' order: each rate of a
// lower order before any rate of a higher one, so a fiscal register hears its own handshake and
// nothing else. The port is opened with the normal transports, once per (driver, baud rate), and
// closed before the next open. A busy port is reported at the first open and never opened again.
import type { DeviceDriver, DeviceIdentifier, DriverRegistry } from '../devices/driver';
import { TransportError, type OpenTransport, type TransportPort, type TransportTarget } from '../transports/transport';
import type { ByteCandidate } from './candidates';

export interface ClassifyDeps {
  drivers: DriverRegistry;
  openTransport: OpenTransport;
  signal: AbortSignal;
}

/** How a byte port was classified; `driver` and `target` (with the baud that answered) on a match. */
export type PortVerdict =
  | { kind: 'matched'; driver: DeviceDriver; target: TransportTarget; steps: string[]; model?: string }
  | { kind: 'busy' | 'unreachable' | 'silent'; steps: string[] }
  | { kind: 'absent'; steps: string[]; problem: string };

interface Attempt {
  driver: DeviceDriver & { identification: DeviceIdentifier };
  target: TransportTarget;
}

/** The drivers that can identify a port of this kind, lowest order first. */
export function identifiersFor(drivers: DriverRegistry, kind: TransportTarget['kind']): Attempt['driver'][] {
  return [...drivers.values()]
    .filter((d): d is Attempt['driver'] => d.identification !== undefined && d.transports.includes(kind))
    .sort((a, b) => a.identification.order - b.identification.order);
}

/** Every (driver, target) to try, in order: for serial each driver's baud rates, else the target as is. */
export function attemptsFor(drivers: DriverRegistry, target: TransportTarget): Attempt[] {
  return identifiersFor(drivers, target.kind).flatMap((driver): Attempt[] =>
    target.kind === 'serial' ? driver.identification.serialBaudRates.map((baudRate) => ({ driver, target: { ...target, baudRate } })) : [{ driver, target }],
  );
}

const where = (target: TransportTarget) => (target.kind === 'serial' ? `@ ${target.baudRate}: ` : '');

/** What an open failure ends: busy and absent end the port; a refused TCP connection too; others try on. */
function openFailure(error: unknown, target: TransportTarget): PortVerdict | string {
  const message = error instanceof Error ? error.message : String(error);
  const code = error instanceof TransportError ? error.code : 'io';
  if (code === 'busy') return { kind: 'busy', steps: [`open: held by another program, not taken (${message})`.slice(0, 160)] };
  if (code === 'absent') return { kind: 'absent', steps: [], problem: `${message}`.slice(0, 200) };
  if (target.kind === 'tcp' && (code === 'cannot_connect' || code === 'timeout')) return { kind: 'unreachable', steps: [`connect: ${message}`.slice(0, 160)] };
  return `${where(target)}open failed: ${message}`.slice(0, 160);
}

/** Runs one identification on a freshly opened port and closes it, whatever happens. */
async function identifyOnce(attempt: Attempt, port: TransportPort, signal: AbortSignal) {
  try {
    return await attempt.driver.identification.identify(port, signal);
  } catch (error) {
    // The contract says identify never throws; a driver that does gets its error as a step.
    return { matched: false, steps: [`${attempt.driver.id} identification failed: ${error instanceof Error ? error.message : String(error)}`.slice(0, 160)] };
  } finally {
    await port.close().catch(() => undefined);
  }
}

/** Classifies one byte port; never rejects. */
export async function classifyPort(candidate: ByteCandidate, deps: ClassifyDeps): Promise<PortVerdict> {
  const steps: string[] = [];
  const attempts = attemptsFor(deps.drivers, candidate.target);
  if (attempts.length === 0) return { kind: 'silent', steps: [`not asked: no driver identifies a ${candidate.target.kind} port`] };
  for (const attempt of attempts) {
    if (deps.signal.aborted) break;
    let port: TransportPort;
    try {
      port = await deps.openTransport(attempt.target, deps.signal);
    } catch (error) {
      const failure = openFailure(error, attempt.target);
      if (typeof failure === 'string') {
        steps.push(failure);
        continue;
      }
      return { ...failure, steps: [...steps, ...failure.steps] };
    }
    const result = await identifyOnce(attempt, port, deps.signal);
    steps.push(...result.steps.map((s) => `${where(attempt.target)}${s}`.slice(0, 200)));
    if (result.matched) return { kind: 'matched', driver: attempt.driver, target: attempt.target, steps, ...(result.model ? { model: result.model } : {}) };
  }
  if (deps.signal.aborted) steps.push('stopped: discovery was canceled');
  return { kind: 'silent', steps };
}
