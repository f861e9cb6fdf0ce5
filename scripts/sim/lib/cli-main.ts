// The simulators' command lines share their I/O: print lines, stop on Ctrl-C, exit 1 on an error.

export interface CliIo {
  log: (line: string) => void;
  onStop: (stop: () => void) => void;
}

/** Waits for the stop signal, closes what runs, says so. */
export async function runUntilStopped(io: CliIo, close: () => Promise<void>): Promise<void> {
  await new Promise<void>((resolve) => io.onStop(resolve));
  await close();
  io.log('simulator stopped');
}

/** Runs `runCli` with the process's argv when the calling module is the entry point. */
export function runAsMain(moduleUrl: string, runCli: (argv: string[], io: CliIo) => Promise<void>): void {
  if (moduleUrl !== `file://${process.argv[1]}`) return;
  runCli(process.argv.slice(2), {
    log: (line) => console.log(line),
    onStop: (stop) => {
      process.once('SIGINT', stop);
      process.once('SIGTERM', stop);
    },
  }).catch((error: unknown) => {
    console.error(error instanceof Error ? error.message : error);
    process.exitCode = 1;
  });
}
