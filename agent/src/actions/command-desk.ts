// Where every console command enters the agent: each commandId is taken at most once (the
// ledger), checked against the register's own rules (command-checks.ts), announced with a live
// command_started when it really starts, run, and answered with a command_result that goes through
// the outbox, so that the answer survives a lost connection or a restart like any other message.
import { CommandResult, type CommandStarted } from '@tillscope/shared';
import { agentMessage, type CommandPayload, type CommandResultPayload, type SendLive } from '../link/link';
import { errorText, type ModuleLogger } from '../logger';
import type { Outbox } from '../outbox/outbox';
import type { RunCommand } from '../remote-commands';
import { refusalOf, type CheckContext } from './command-checks';
import type { CommandLedger } from './command-ledger';

export interface CommandDeskDeps {
  ledger: CommandLedger;
  outbox: Pick<Outbox, 'enqueue'>;
  /** The outbox has something new: the link sends it now if connected. */
  notify: () => void;
  /** Runs a command that passed the checks (remote-commands.ts). */
  run: RunCommand;
  /** The register's rules, read at each command (the host probes' ids are known after start). */
  rules: () => Omit<CheckContext, 'now'>;
  now?: () => Date;
  log: ModuleLogger;
}

/**
 * Contract:
 * - `handle` is the link's onCommand; it never rejects. A commandId runs at most once, across
 *   reconnections and agent restarts: a resend of a running command gets its command_started
 *   again (live) and nothing else; a resend of an answered one gets nothing (its result is in the
 *   outbox or delivered).
 * - A refused command (forbidden, expired, bad parameters) is answered without command_started;
 *   a command that starts gets command_started (live, before it runs), then its result.
 * - Every command_result goes through the outbox with the message id fixed when the command was
 *   taken, so a result written twice is one message.
 * - `recover` (once, after start, before the link connects) answers the commands an earlier run
 *   of the agent took and never finished, with `internal` "interrupted": they are not run again.
 */
export interface CommandDesk {
  handle(command: CommandPayload, live: SendLive): Promise<void>;
  recover(): Promise<void>;
}

export function createCommandDesk(deps: CommandDeskDeps): CommandDesk {
  const now = deps.now ?? (() => new Date());
  const { ledger, log } = deps;

  /** Queues the result as message `resultId`, then marks the command finished. */
  async function answer(commandId: string, resultId: string, result: CommandResultPayload): Promise<void> {
    const message = CommandResult.parse({ ...agentMessage('command_result', result), id: resultId });
    const stored = await deps.outbox.enqueue(message);
    if (stored === 'in_memory') log.warn(`the result of command ${commandId} is held in memory only (the disk refused it); it is sent if connected`);
    deps.notify();
    await ledger.finish(commandId, now());
  }

  function started(commandId: string, startedAt: string): CommandStarted {
    return agentMessage('command_started', { commandId, startedAt });
  }

  async function runChecked(command: CommandPayload, live: SendLive): Promise<CommandResultPayload> {
    const refusal = refusalOf(command, { ...deps.rules(), now: now() });
    if (refusal) {
      log.warn(`refused command ${command.commandId} (${command.verb}): ${refusal.code}: ${refusal.message}`);
      return refusal;
    }
    const at = now();
    await ledger.started(command.commandId, at);
    live(started(command.commandId, at.toISOString()));
    log.info(`running command ${command.commandId} (${command.verb}${command.deviceId ? ` on ${command.deviceId}` : ''})`);
    try {
      return await deps.run(command);
    } catch (error) {
      return { commandId: command.commandId, ok: false, code: 'internal', message: errorText(error).slice(0, 500) };
    }
  }

  async function handle(command: CommandPayload, live: SendLive): Promise<void> {
    const taken = await ledger.take(command.commandId, command.verb, now());
    switch (taken.kind) {
      case 'running':
        log.info(`command ${command.commandId} was sent again while it runs; not started twice`);
        if (taken.startedAt) live(started(command.commandId, taken.startedAt));
        return;
      case 'done':
        log.info(`command ${command.commandId} was sent again; it was already taken, not run twice (its result is queued or delivered)`);
        return;
      case 'not_saved': {
        log.error(`cannot record command ${command.commandId} in the agent database (${taken.message}); refusing it, since a resend could not be told from a new one`);
        const refusal: CommandResultPayload = { commandId: command.commandId, ok: false, code: 'not_saved', message: `the register could not record the command (${taken.message}); not run` };
        await deps.outbox.enqueue(agentMessage('command_result', refusal));
        deps.notify();
        return;
      }
      case 'new':
        await answer(command.commandId, taken.resultId, await runChecked(command, live));
    }
  }

  return {
    async handle(command, live) {
      try {
        await handle(command, live);
      } catch (error) {
        log.error(`command ${command.commandId}: ${errorText(error)}`);
      }
    },

    async recover() {
      for (const lost of await ledger.interrupted()) {
        log.warn(`command ${lost.commandId} (${lost.verb}) was interrupted by a stop of the agent; answering it as failed, it is not run again`);
        const message = `interrupted: the agent stopped (restart or power loss) while running ${lost.verb}; it is not run again`;
        await answer(lost.commandId, lost.resultId, { commandId: lost.commandId, ok: false, code: 'internal', message });
      }
    },
  };
}
