// The knowledge base (issue 12): Markdown articles linked to diagnosis codes and device models,
// their full-text index, reply templates, and the fix named on each resolution (for fix rates).
//
// kb_fts is an ordinary FTS5 table (it keeps its own copy of the text, rowid = article id) filled
// by kb/article-store.ts with text folded ё→е, which unicode61 does not fold by itself; queries
// are folded the same way. remove_diacritics 2 folds case and accents for Latin and Cyrillic.
export const sql = `
CREATE TABLE kb_articles (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  title_ru TEXT NOT NULL,
  title_en TEXT NOT NULL,
  body TEXT NOT NULL,
  author TEXT NOT NULL,
  -- set for the articles seeded from the diagnosis catalogue's advice (one per code)
  builtin_code TEXT UNIQUE,
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL
);
CREATE INDEX kb_articles_by_update ON kb_articles(updated_at, id);

CREATE TABLE kb_article_codes (
  code TEXT NOT NULL,
  article_id INTEGER NOT NULL REFERENCES kb_articles(id) ON DELETE CASCADE,
  PRIMARY KEY (code, article_id)
) WITHOUT ROWID;
CREATE INDEX kb_article_codes_by_article ON kb_article_codes(article_id);

CREATE TABLE kb_article_models (
  model TEXT NOT NULL COLLATE NOCASE,
  article_id INTEGER NOT NULL REFERENCES kb_articles(id) ON DELETE CASCADE,
  PRIMARY KEY (model, article_id)
) WITHOUT ROWID;
CREATE INDEX kb_article_models_by_article ON kb_article_models(article_id);

CREATE VIRTUAL TABLE kb_fts USING fts5(title, body, tags, tokenize = 'unicode61 remove_diacritics 2');

CREATE TABLE kb_templates (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  title_ru TEXT NOT NULL,
  title_en TEXT NOT NULL,
  body TEXT NOT NULL,
  author TEXT NOT NULL,
  updated_at TEXT NOT NULL
);

-- One row per resolution that named its fix. model is the ticket's device model (NULL: none).
CREATE TABLE ticket_fixes (
  id INTEGER PRIMARY KEY,
  ticket_id INTEGER NOT NULL REFERENCES tickets(id) ON DELETE CASCADE,
  code TEXT NOT NULL,
  model TEXT,
  fix_key TEXT NOT NULL,
  fix_text TEXT NOT NULL,
  article_id INTEGER REFERENCES kb_articles(id) ON DELETE SET NULL,
  by_user TEXT NOT NULL,
  at TEXT NOT NULL
);
CREATE INDEX ticket_fixes_by_finding ON ticket_fixes(code, model, fix_key);
CREATE INDEX ticket_fixes_by_ticket ON ticket_fixes(ticket_id, id);
`;
