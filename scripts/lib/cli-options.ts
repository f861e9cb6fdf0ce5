// Command-line checks shared by the runners (`npm run bench`, `npm run fuzz`): a mistake is a
// UsageError, which the runner prints before exiting with code 2.

export class UsageError extends Error {}

/** A whole number ≥ `min`; undefined when the option is absent. */
export function wholeNumber(name: string, text: string | undefined, min: number): number | undefined {
  if (text === undefined) return undefined;
  if (!/^\d+$/.test(text) || Number(text) < min) throw new UsageError(`--${name} wants a whole number ≥ ${min}, got "${text}"`);
  return Number(text);
}

/**
 * The items named in a comma-separated `--only` list, in `items`' order; undefined when the list
 * is absent. A name no item has is a UsageError that lists the known names.
 */
export function pickByName<T>(only: string | undefined, items: readonly T[], nameOf: (item: T) => string, kind: string): T[] | undefined {
  const names = only?.split(',').map((name) => name.trim()).filter(Boolean);
  if (!names) return undefined;
  const unknown = names.filter((name) => !items.some((item) => nameOf(item) === name));
  if (unknown.length > 0) throw new UsageError(`unknown ${kind}(s): ${unknown.join(', ')}; known: ${items.map(nameOf).join(', ')}`);
  return items.filter((item) => names.includes(nameOf(item)));
}
