// PowerShell for host probes on Windows: one way to run a script (no profile, never interactive,
// UTF-8 output) and one way to read what `ConvertTo-Json` printed. Scripts select the properties
// they need and cast enums to [string], so Windows PowerShell 5.1 and PowerShell 7 give the same
// JSON and nothing depends on the display language (localized text stays in values, never in keys).

export const POWERSHELL = 'powershell.exe';

/** Windows PowerShell writes redirected output in the OEM code page (cp866 on Russian Windows): force UTF-8 for Cyrillic names. */
const UTF8_OUTPUT = '[Console]::OutputEncoding = [System.Text.Encoding]::UTF8; ';

/** The argument list that runs `script` (prefixed with the UTF-8 output setting). */
export function powershellArgs(script: string): string[] {
  return ['-NoProfile', '-NonInteractive', '-Command', `${UTF8_OUTPUT}${script}`];
}

/** A PowerShell single-quoted string literal: only ' needs escaping (doubled). */
export const psLiteral = (text: string): string => `'${text.replaceAll("'", "''")}'`;

/** A PowerShell array of single-quoted literals: @('a','b'). */
export const psArray = (texts: readonly string[]): string => `@(${texts.map(psLiteral).join(',')})`;

/**
 * The objects ConvertTo-Json printed: one object for one item, an array for several, nothing for
 * none (an empty list). Undefined when the text is not JSON or holds anything but objects: output
 * in a form the parser does not know, never read as "nothing there".
 */
export function psJsonObjects(stdout: string): Record<string, unknown>[] | undefined {
  const text = stdout.replace(/^\uFEFF/, '').trim();
  if (text === '') return [];
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return undefined;
  }
  const list: unknown[] = Array.isArray(value) ? value : [value];
  return list.every((v) => typeof v === 'object' && v !== null && !Array.isArray(v)) ? (list as Record<string, unknown>[]) : undefined;
}

/** A string property, trimmed; undefined when absent, empty or not a string. */
export function psString(record: Record<string, unknown>, key: string): string | undefined {
  const value = record[key];
  return typeof value === 'string' && value.trim() !== '' ? value.trim() : undefined;
}
