/**
 * Log sink, injected everywhere; nothing logs through a global. Same shape as the agent's logger
 * (every line names its module), so one line-oriented sink can serve both in the demo stack.
 * Implementations must never throw: logging happens inside error handlers.
 */
export interface Logger {
  debug?(module: string, message: string): void;
  info(module: string, message: string): void;
  warn(module: string, message: string): void;
  error(module: string, message: string): void;
}

/** `message {"key":value}`: structured context appended to a plain line. */
export function withFields(message: string, fields: Record<string, unknown>): string {
  return `${message} ${JSON.stringify(fields)}`;
}

type Level = 'debug' | 'info' | 'warn' | 'error';
const LEVEL_ORDER: Record<Level, number> = { debug: 10, info: 20, warn: 30, error: 40 };

/** `2026-11-22T10:00:00.000Z WARN  ws/agent: message` lines on stderr, at `minLevel` and above. */
export function createStderrLogger(minLevel: Level = 'info', write: (line: string) => void = (line) => process.stderr.write(line)): Logger {
  const at = (level: Level) => (module: string, message: string) => {
    if (LEVEL_ORDER[level] < LEVEL_ORDER[minLevel]) return;
    try {
      write(`${new Date().toISOString()} ${level.toUpperCase().padEnd(5)} ${module}: ${message}\n`);
    } catch {
      // stderr closed: nothing sensible left to do
    }
  };
  return { debug: at('debug'), info: at('info'), warn: at('warn'), error: at('error') };
}
