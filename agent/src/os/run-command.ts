// The one way the agent runs an OS tool (lpstat, powershell.exe): execFile, never a shell, with a
// timeout that kills a hanging tool, bounded output, and every way it can go wrong told apart.
import { execFile as nodeExecFile } from 'node:child_process';

export interface CommandRequest {
  /** The program, found on PATH or given as a path; never passed through a shell. */
  file: string;
  args: readonly string[];
  /** Past this the tool is killed (SIGKILL) and the result is `timeout`. */
  timeoutMs: number;
  /** Past this many bytes on stdout or stderr the tool is killed and the result is `too_large`. */
  maxOutputBytes: number;
  /** Variables set over the runner's base environment (e.g. LC_ALL=C so CUPS is not localized). */
  env?: Readonly<Record<string, string>>;
  /** Aborting kills the tool; the result is `canceled`. */
  signal?: AbortSignal;
}

/**
 * How a run ended. `ok` is exit code 0 only; everything else is a distinct kind so the caller can
 * say "lpstat is not installed" rather than "the queue is broken".
 */
export type CommandResult =
  | { kind: 'ok'; stdout: string; stderr: string }
  | { kind: 'exit'; exitCode: number; stdout: string; stderr: string }
  | { kind: 'missing'; message: string }
  | { kind: 'timeout'; timeoutMs: number }
  | { kind: 'too_large'; maxOutputBytes: number }
  | { kind: 'canceled' }
  | { kind: 'failed'; message: string };

/** Runs one OS tool; never rejects (every failure is a CommandResult). */
export type RunCommand = (request: CommandRequest) => Promise<CommandResult>;

type ExecFile = typeof nodeExecFile;

export interface RunCommandDeps {
  execFile?: ExecFile;
  /** The environment tools inherit, under the request's `env`; default process.env. */
  baseEnv?: NodeJS.ProcessEnv;
}

/** The real runner (node's execFile); tests inject `execFile` or a whole RunCommand. */
export function createRunCommand(deps: RunCommandDeps = {}): RunCommand {
  const execFile = deps.execFile ?? nodeExecFile;
  const baseEnv = deps.baseEnv ?? process.env;
  return (request) =>
    new Promise<CommandResult>((resolve) => {
      const options = {
        encoding: 'utf8' as const,
        timeout: request.timeoutMs,
        killSignal: 'SIGKILL' as const,
        maxBuffer: request.maxOutputBytes,
        windowsHide: true,
        shell: false,
        env: { ...baseEnv, ...request.env },
        ...(request.signal ? { signal: request.signal } : {}),
      };
      try {
        execFile(request.file, [...request.args], options, (error, stdout, stderr) => {
          resolve(error ? failureOf(error, request, String(stdout), String(stderr)) : { kind: 'ok', stdout: String(stdout), stderr: String(stderr) });
        });
      } catch (error) {
        // execFile throws synchronously for arguments it refuses (e.g. a NUL byte in an argument).
        resolve({ kind: 'failed', message: error instanceof Error ? error.message : String(error) });
      }
    });
}

interface ExecError extends Error {
  code?: string | number | null;
  killed?: boolean;
  signal?: NodeJS.Signals | null;
}

function failureOf(error: ExecError, request: CommandRequest, stdout: string, stderr: string): CommandResult {
  if (error.code === 'ENOENT') return { kind: 'missing', message: `${request.file} not found (is it installed and on PATH?)` };
  if (error.code === 'ERR_CHILD_PROCESS_STDIO_MAXBUFFER') return { kind: 'too_large', maxOutputBytes: request.maxOutputBytes };
  if (error.name === 'AbortError' || request.signal?.aborted) return { kind: 'canceled' };
  if (error.killed) return { kind: 'timeout', timeoutMs: request.timeoutMs };
  if (typeof error.code === 'number') return { kind: 'exit', exitCode: error.code, stdout, stderr };
  if (error.signal) return { kind: 'failed', message: `${request.file} was killed by ${error.signal}` };
  return { kind: 'failed', message: error.message };
}

/** A result in plain words for evidence and checklist lines ("lpstat timed out after 3000 ms"). */
export function describeCommandFailure(file: string, result: Exclude<CommandResult, { kind: 'ok' }>): string {
  switch (result.kind) {
    case 'exit':
      return `${file} exited with code ${result.exitCode}${result.stderr.trim() ? `: ${result.stderr.trim().slice(0, 160)}` : ''}`;
    case 'missing':
      return result.message;
    case 'timeout':
      return `${file} did not finish within ${result.timeoutMs} ms and was killed`;
    case 'too_large':
      return `${file} wrote more than ${result.maxOutputBytes} bytes and was killed`;
    case 'canceled':
      return `${file} was stopped: the probe was canceled`;
    case 'failed':
      return `${file} could not run: ${result.message}`;
  }
}
