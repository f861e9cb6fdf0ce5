// What the agent checks before it runs a command, whatever the console decided: its own
// allow-list, the command's expiry, and every parameter against this register's config. Pure.
import type { CommandVerb, DeviceKind } from '@tillscope/shared';
import type { CommandPayload, CommandResultPayload } from '../link/link';

/** What a verb takes as `deviceId`. */
type DeviceRule = 'none' | 'optional' | 'receipt-printer';

const DEVICE_RULES: Record<CommandVerb, DeviceRule> = {
  // a device, a host probe, or nothing (every device)
  probe_now: 'optional',
  test_print: 'receipt-printer',
  // discovery, the bundle and the print service are about the whole register
  discover: 'none',
  collect_bundle: 'none',
  restart_print_service: 'none',
};

export interface CheckContext {
  /** config `actions.allow` */
  allow: readonly CommandVerb[];
  now: Date;
  /** configured device id → its kind (undefined when its driver is not in the registry) */
  deviceKind: (deviceId: string) => DeviceKind | undefined | null;
  /** deviceIds of the host probes' reports (probe_now may name one) */
  hostProbeIds: readonly string[];
}

type Refusal = Extract<CommandResultPayload, { ok: false }>;

/**
 * The answer refusing `command`, or undefined when it may run. Order: `forbidden` (not on this
 * register's allow-list), `expired` (its expiresAt is not after the agent's clock), then the
 * parameters: `bad_request` (a deviceId the verb does not take, none where it needs one, a device
 * of the wrong kind) or `not_found` (a deviceId this register does not have).
 */
export function refusalOf(command: CommandPayload, ctx: CheckContext): Refusal | undefined {
  const refuse = (code: Refusal['code'], message: string): Refusal => ({ commandId: command.commandId, ok: false, code, message: message.slice(0, 500) });
  if (!ctx.allow.includes(command.verb)) {
    return refuse('forbidden', `${command.verb} is not allowed on this register (agent config actions.allow: ${ctx.allow.join(', ') || 'none'})`);
  }
  if (command.expiresAt !== undefined && Date.parse(command.expiresAt) <= ctx.now.getTime()) {
    return refuse('expired', `${command.verb} expired at ${command.expiresAt} (register clock ${ctx.now.toISOString()}); not run`);
  }
  const problem = deviceProblem(command, ctx);
  return problem ? refuse(problem.code, problem.message) : undefined;
}

function deviceProblem({ verb, deviceId }: CommandPayload, ctx: CheckContext): { code: 'bad_request' | 'not_found'; message: string } | undefined {
  const rule = DEVICE_RULES[verb];
  if (deviceId === undefined) return rule === 'receipt-printer' ? { code: 'bad_request', message: `${verb} needs the deviceId of a receipt printer` } : undefined;
  if (rule === 'none') return { code: 'bad_request', message: `${verb} takes no deviceId (got "${deviceId}")` };
  const kind = ctx.deviceKind(deviceId);
  if (kind === null) {
    if (rule === 'optional' && ctx.hostProbeIds.includes(deviceId)) return undefined;
    return { code: 'not_found', message: `no device "${deviceId}" on this register` };
  }
  if (rule === 'receipt-printer' && kind !== 'receipt-printer') {
    return { code: 'bad_request', message: `${verb} needs a receipt printer; "${deviceId}" is ${kind ? `a ${kind} device` : 'of an unknown kind'}` };
  }
  return undefined;
}
