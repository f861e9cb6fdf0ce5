import { ReplyTemplate, type TemplateInput } from '@tillscope/shared';
import { z } from 'zod';
import type { SqlConnection } from '../db/console-database';
import { parseRows } from '../db/rows';
import { NotFound } from '../tickets/domain-errors';

// Reply templates (migration 016's kb_templates): the engineer's messages to the store, with
// placeholders ({ticket}, {store}…) the renderer fills from the ticket (shared fillTemplate).

const TemplateRow = z.object({ id: z.number().int().positive(), title_ru: z.string(), title_en: z.string(), body: z.string(), author: z.string(), updated_at: z.string() });

const COLUMNS = 'id, title_ru, title_en, body, author, updated_at';

function templateOf(row: z.infer<typeof TemplateRow>): ReplyTemplate {
  return { id: row.id, title: { ru: row.title_ru, en: row.title_en }, body: row.body, author: row.author, updatedAt: row.updated_at };
}

/** Every template, by Russian title. */
export async function listTemplates(sql: SqlConnection): Promise<ReplyTemplate[]> {
  return parseRows(TemplateRow, await sql.all(`SELECT ${COLUMNS} FROM kb_templates ORDER BY title_ru COLLATE NOCASE, id`)).map(templateOf);
}

async function getTemplate(sql: SqlConnection, id: number): Promise<ReplyTemplate> {
  const row = await sql.get(`SELECT ${COLUMNS} FROM kb_templates WHERE id = ?`, id);
  if (!row) throw new NotFound('template', id);
  return templateOf(TemplateRow.parse(row));
}

export async function createTemplate(sql: SqlConnection, input: TemplateInput, author: string, nowIso: string): Promise<ReplyTemplate> {
  const { lastID } = await sql.run('INSERT INTO kb_templates (title_ru, title_en, body, author, updated_at) VALUES (?, ?, ?, ?, ?)', input.title.ru, input.title.en, input.body, author, nowIso);
  return getTemplate(sql, Number(lastID));
}

export async function updateTemplate(sql: SqlConnection, id: number, input: TemplateInput, author: string, nowIso: string): Promise<ReplyTemplate> {
  const { changes } = await sql.run('UPDATE kb_templates SET title_ru = ?, title_en = ?, body = ?, author = ?, updated_at = ? WHERE id = ?', input.title.ru, input.title.en, input.body, author, nowIso, id);
  if (!changes) throw new NotFound('template', id);
  return getTemplate(sql, id);
}

export async function deleteTemplate(sql: SqlConnection, id: number): Promise<void> {
  const { changes } = await sql.run('DELETE FROM kb_templates WHERE id = ?', id);
  if (!changes) throw new NotFound('template', id);
}
