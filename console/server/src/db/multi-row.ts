import type { SqlConnection } from './console-database';

/**
 * Stays well under SQLite's default limit of 32,766 bound variables per statement. The `sqlite3`
 * package pays ~30 µs per statement round trip, so one statement of hundreds of rows is what
 * makes batched ingest fast (perf-reliability.md §1.4: ~170k rows/s vs 5–16k one row at a time).
 */
const MAX_VARIABLES_PER_STATEMENT = 8_000;

/** Splits `rows` into statements `head VALUES (?, …), … tail` that respect the variable limit. */
function* multiRowStatements(head: string, columns: number, rows: readonly unknown[][], tail: string): Generator<[string, unknown[]]> {
  const rowsPerStatement = Math.max(1, Math.floor(MAX_VARIABLES_PER_STATEMENT / columns));
  const tuple = `(${Array.from({ length: columns }, () => '?').join(', ')})`;
  for (let start = 0; start < rows.length; start += rowsPerStatement) {
    const chunk = rows.slice(start, start + rowsPerStatement);
    const values: unknown[] = [];
    for (const row of chunk) {
      if (row.length !== columns) throw new Error(`multi-row statement: a row has ${row.length} values, expected ${columns}`);
      values.push(...row);
    }
    yield [`${head} VALUES ${chunk.map(() => tuple).join(', ')} ${tail}`, values];
  }
}

/**
 * Runs `head VALUES (?, …), (?, …) … tail` for all `rows`, as few statements as the variable limit
 * allows, in row order (so with an upsert the last row for a key wins). Each row must have
 * `columns` values. Runs inside the caller's transaction. Returns the rows changed (SQLite `changes()`).
 */
export async function runMultiRow(sql: SqlConnection, head: string, columns: number, rows: readonly unknown[][], tail = ''): Promise<number> {
  let changes = 0;
  for (const [statement, values] of multiRowStatements(head, columns, rows, tail)) changes += (await sql.run(statement, ...values)).changes ?? 0;
  return changes;
}

/** As runMultiRow, for a query (e.g. a VALUES list joined to a table); returns all rows. */
export async function allMultiRow<Row>(sql: SqlConnection, head: string, columns: number, rows: readonly unknown[][], tail = ''): Promise<Row[]> {
  const result: Row[] = [];
  for (const [statement, values] of multiRowStatements(head, columns, rows, tail)) result.push(...(await sql.all<Row[]>(statement, ...values)));
  return result;
}

/** Runs `query` with `IN (?, …)` filled from `keys` in chunks, and concatenates the rows. */
export async function allInChunks<Row>(sql: SqlConnection, keys: readonly unknown[], query: (placeholders: string) => string, extra: readonly unknown[] = []): Promise<Row[]> {
  const rows: Row[] = [];
  const chunkSize = MAX_VARIABLES_PER_STATEMENT - extra.length;
  for (let start = 0; start < keys.length; start += chunkSize) {
    const chunk = keys.slice(start, start + chunkSize);
    rows.push(...(await sql.all<Row[]>(query(chunk.map(() => '?').join(', ')), ...extra, ...chunk)));
  }
  return rows;
}

/** Runs a statement with `IN (?, …)` filled from `keys` in chunks (an UPDATE or DELETE over many ids). */
export async function runInChunks(sql: SqlConnection, keys: readonly unknown[], statement: (placeholders: string) => string, extra: readonly unknown[] = []): Promise<void> {
  const chunkSize = MAX_VARIABLES_PER_STATEMENT - extra.length;
  for (let start = 0; start < keys.length; start += chunkSize) {
    const chunk = keys.slice(start, start + chunkSize);
    await sql.run(statement(chunk.map(() => '?').join(', ')), ...extra, ...chunk);
  }
}
