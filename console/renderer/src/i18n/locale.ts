import { createContext } from 'preact';
import { useContext } from 'preact/hooks';
import { Locale, type LocalizedText } from '@tillscope/shared';
import { translate, type StringKey, type Vars } from './strings';

export const LOCALE_STORAGE_KEY = 'tillscope.locale';

/** Russian unless the user switched before (remembered per browser / desktop profile). */
export function loadLocale(storage: Pick<Storage, 'getItem'> | undefined): Locale {
  try {
    const parsed = Locale.safeParse(storage?.getItem(LOCALE_STORAGE_KEY));
    return parsed.success ? parsed.data : 'ru';
  } catch {
    return 'ru'; // storage disabled
  }
}

export function saveLocale(storage: Pick<Storage, 'setItem'> | undefined, locale: Locale): void {
  try {
    storage?.setItem(LOCALE_STORAGE_KEY, locale);
  } catch {
    // storage disabled: the choice lasts for this session only
  }
}

export interface I18n {
  locale: Locale;
  t: (key: StringKey, vars?: Vars) => string;
  /** Picks the current language from a catalogue entry. */
  l: (text: LocalizedText) => string;
}

export function makeI18n(locale: Locale): I18n {
  return { locale, t: (key, vars) => translate(locale, key, vars), l: (text) => text[locale] };
}

export const I18nContext = createContext<I18n>(makeI18n('ru'));

export function useI18n(): I18n {
  return useContext(I18nContext);
}
