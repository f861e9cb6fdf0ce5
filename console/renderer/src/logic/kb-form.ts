import { ArticleInput, type Article, type DiagnosisCode } from '@tillscope/shared';

/** How many articles one search shows (the knowledge-base page asks for this many; the bench times it). */
export const KB_SEARCH_LIMIT = 100;

/** The article editor's fields as typed (models as one comma-separated line). */
export interface ArticleForm {
  titleRu: string;
  titleEn: string;
  body: string;
  codes: DiagnosisCode[];
  models: string;
}

export const EMPTY_ARTICLE_FORM: ArticleForm = { titleRu: '', titleEn: '', body: '', codes: [], models: '' };

export function formFromArticle(article: Article): ArticleForm {
  return { titleRu: article.title.ru, titleEn: article.title.en, body: article.body, codes: [...article.codes], models: article.models.join(', ') };
}

/** The request the form makes; null when the Russian title is missing (the one required field). */
export function articleInputOf(form: ArticleForm): ArticleInput | null {
  const models = [...new Set(form.models.split(/[,;\n]/).map((model) => model.trim()).filter(Boolean))];
  const parsed = ArticleInput.safeParse({ title: { ru: form.titleRu, en: form.titleEn }, body: form.body, codes: form.codes, models });
  return parsed.success ? parsed.data : null;
}

/** "92" for 0.917: a fix rate as a whole percent, never 100 unless every ticket stayed fixed. */
export function ratePercent(rate: number): number {
  const percent = Math.round(rate * 100);
  return percent === 100 && rate < 1 ? 99 : percent;
}
