import type { ResolveFix, TicketDetail } from '@tillscope/shared';
import { useState } from 'preact/hooks';
import type { ApiClient } from '../api/client';
import { useI18n } from '../i18n/locale';
import { rateText, useTicketKnowledge } from './ticket-knowledge';

/** What the picker says: no fix named, a fix to send, or "something else" still without words. */
export type FixChoice = ResolveFix | null | 'incomplete';

/**
 * On resolve: what fixed it. One of the fixes known for the ticket's code and model (with its fix
 * rate), an article linked to the ticket, written in a line, or not said. Radio buttons: keyboard
 * and touch alike.
 */
export function FixPicker({ ticket, api, onChange }: { ticket: Pick<TicketDetail, 'id' | 'status'>; api: ApiClient; onChange: (choice: FixChoice) => void }) {
  const i18n = useI18n();
  const { t, l } = i18n;
  const { value: knowledge } = useTicketKnowledge(api, ticket);
  const [picked, setPicked] = useState('none');
  const [own, setOwn] = useState('');
  const options: { id: string; label: string; fix: ResolveFix }[] = [
    ...(knowledge?.fixes ?? []).map((fix) => ({
      id: `fix:${fix.key}`, label: t('fix.known', { text: fix.text, rate: rateText(i18n, fix) }),
      fix: fix.articleId === null ? { text: fix.text } : { articleId: fix.articleId, text: fix.text },
    })),
    ...(knowledge?.articles ?? []).map((article) => ({ id: `article:${article.id}`, label: t('fix.article', { title: l(article.title) }), fix: { articleId: article.id, text: l(article.title) } })),
  ];
  const choose = (id: string, ownText = own) => {
    setPicked(id);
    if (id === 'none') onChange(null);
    else if (id === 'own') onChange(ownText.trim() ? { text: ownText.trim() } : 'incomplete');
    else onChange(options.find((o) => o.id === id)?.fix ?? null);
  };
  const radio = (id: string, label: string) => (
    <label key={id} class="fix-option">
      <input type="radio" name={`fix-${ticket.id}`} value={id} checked={picked === id} onChange={() => choose(id)} data-testid={`fix-option-${id}`} />
      <span>{label}</span>
    </label>
  );
  return (
    <fieldset class="fix-picker" data-testid="fix-picker">
      <legend>{t('fix.legend')}</legend>
      {radio('none', t('fix.none'))}
      {options.map((option) => radio(option.id, option.label))}
      {radio('own', t('fix.own'))}
      {picked === 'own' ? (
        <input
          data-testid="fix-own-text"
          maxLength={500}
          placeholder={t('fix.ownPlaceholder')}
          value={own}
          aria-invalid={!own.trim()}
          onInput={(e) => {
            setOwn(e.currentTarget.value);
            choose('own', e.currentTarget.value);
          }}
        />
      ) : null}
      {picked === 'own' && !own.trim() ? <p class="field-error small">{t('fix.needText')}</p> : null}
    </fieldset>
  );
}
