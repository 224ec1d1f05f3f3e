import i18next from 'i18next';
import { initReactI18next } from 'react-i18next';
import { en, fr } from './locales';

/** Where an explicit language choice is kept (shared with the residents' app). */
const LANGUAGE_KEY = 'vigie.lang';

function initialLanguage(): 'fr' | 'en' {
  try {
    const saved = localStorage.getItem(LANGUAGE_KEY);
    if (saved === 'fr' || saved === 'en') return saved;
  } catch {
    // storage unavailable: follow the browser
  }
  return navigator.language.toLowerCase().startsWith('en') ? 'en' : 'fr';
}

/** The staff screens' own i18next instance (their texts are not shipped to residents). */
export const staffI18n = i18next.createInstance();
void staffI18n.use(initReactI18next).init({
  resources: { fr: { translation: fr }, en: { translation: en } },
  lng: initialLanguage(),
  fallbackLng: 'fr',
  interpolation: { escapeValue: false },
  initAsync: false,
});

const syncDocument = () => {
  document.documentElement.lang = staffI18n.language;
  document.title = staffI18n.t('title');
};
syncDocument();
staffI18n.on('languageChanged', syncDocument);

/** Switches language and remembers the choice on this device. */
export function chooseLanguage(lang: 'fr' | 'en'): void {
  try {
    localStorage.setItem(LANGUAGE_KEY, lang);
  } catch {
    // private mode: the choice lasts for this page
  }
  void staffI18n.changeLanguage(lang);
}
