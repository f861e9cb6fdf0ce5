/**
 * The agent's log sink. Every line names the module it came from ("link", "outbox", ...), so a
 * support engineer reading a register's log can tell a network problem from a disk problem.
 * Implementations must never throw: logging happens inside error handlers.
 */
export interface Logger {
  info(module: string, message: string): void;
  warn(module: string, message: string): void;
  error(module: string, message: string): void;
}

/** A logger bound to one module name, so call sites stay short. */
export interface ModuleLogger {
  info(message: string): void;
  warn(message: string): void;
  error(message: string): void;
}

export function moduleLogger(logger: Logger, module: string): ModuleLogger {
  return {
    info: (message) => logger.info(module, message),
    warn: (message) => logger.warn(module, message),
    error: (message) => logger.error(module, message),
  };
}

/** `2025-01-31T10:00:00.000Z WARN  link: message` lines on stderr (stdout stays free for the URL). */
export function createStderrLogger(
  write: (line: string) => void = (line) => process.stderr.write(line),
  now: () => Date = () => new Date(),
): Logger {
  const line = (level: string, module: string, message: string) => {
    try {
      write(`${now().toISOString()} ${level.padEnd(5)} ${module}: ${message}\n`);
    } catch {
      // stderr closed (service without a console): nothing sensible left to do
    }
  };
  return {
    info: (module, message) => line('INFO', module, message),
    warn: (module, message) => line('WARN', module, message),
    error: (module, message) => line('ERROR', module, message),
  };
}

/** For tests and for callers that do not care. */
export const silentLogger: Logger = { info() {}, warn() {}, error() {} };

/** For tests: keeps every line as `level module: message`. */
export function recordingLogger(): Logger & { lines: string[] } {
  const lines: string[] = [];
  const push = (level: string) => (module: string, message: string) => lines.push(`${level} ${module}: ${message}`);
  return { lines, info: push('info'), warn: push('warn'), error: push('error') };
}

/** Error text for a log line, whatever was thrown. */
export function errorText(error: unknown): string {
  if (error instanceof Error) {
    const code = (error as NodeJS.ErrnoException).code;
    return code && !error.message.includes(code) ? `${code}: ${error.message}` : error.message;
  }
  return String(error);
}
