// One tool run as the CUPS fixture recorders write it down: the command, its exit code and output.
import { spawnSync } from 'node:child_process';

export interface RecordedRun {
  file: string;
  args: string[];
  exitCode: number;
  stdout: string;
  stderr: string;
}

/** Runs `file args` (never a shell) in `env` and keeps what it answered. */
export function runRecorded(file: string, args: string[], env: NodeJS.ProcessEnv): RecordedRun {
  const result = spawnSync(file, args, { env, encoding: 'utf8' });
  return { file, args, exitCode: result.status ?? -1, stdout: result.stdout, stderr: result.stderr };
}
