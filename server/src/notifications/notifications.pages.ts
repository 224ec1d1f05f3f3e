import type { ContactLocale } from '../contract/privacy';
import { html, page } from '../http/html';
import type { UnsubscribeTarget } from './notifications.repo';

/** The pages of the one-click unsubscribe link (pure). */

const T = {
  fr: {
    title: 'Messages sur votre signalement',
    ask: (category: string, commune: string) =>
      `Vous recevez des e-mails sur votre signalement « ${category} » à ${commune}.`,
    askMore: 'Voulez-vous ne plus en recevoir sur ce signalement ?',
    button: 'Ne plus recevoir de message',
    done: 'C’est fait : vous ne recevrez plus de message sur ce signalement.',
    doneMore:
      'Votre adresse reste connue de la mairie jusqu’à son effacement. Pour l’effacer dès maintenant, ouvrez « Mes signalements » dans l’application, sur le téléphone qui a envoyé le signalement.',
    invalid: 'Ce lien n’est pas ou plus valable.',
    invalidMore:
      'Le signalement n’a peut-être plus d’adresse e-mail : dans ce cas, vous ne recevrez plus de message à son sujet.',
  },
  en: {
    title: 'Messages about your report',
    ask: (category: string, commune: string) =>
      `You receive emails about your report “${category}” in ${commune}.`,
    askMore: 'Do you want to stop them for this report?',
    button: 'Stop these messages',
    done: 'Done: you will receive no more messages about this report.',
    doneMore:
      'The town hall keeps your address until it is erased. To erase it now, open “My reports” in the app, on the phone that sent the report.',
    invalid: 'This link is not valid, or no longer.',
    invalidMore:
      'The report may have no email address any more: then no more messages will be sent about it.',
  },
};

function category(t: UnsubscribeTarget, l: ContactLocale): string {
  return l === 'en' ? t.categoryEn : t.categoryFr;
}

/** GET: asks for confirmation (a link scanner that follows the link changes nothing). */
export function confirmPage(t: UnsubscribeTarget): string {
  const l = t.locale ?? 'fr';
  const x = T[l];
  if (t.stopped) return donePage(t);
  return page({
    lang: l,
    title: x.title,
    body: html`<h1>${x.title}</h1>
      <p>${x.ask(category(t, l), t.communeName)}</p>
      <p>${x.askMore}</p>
      <form method="post"><button type="submit">${x.button}</button></form>`,
  });
}

/** POST (the form, or a mail client's one-click request): confirmation. */
export function donePage(t: UnsubscribeTarget): string {
  const l = t.locale ?? 'fr';
  const x = T[l];
  return page({
    lang: l,
    title: x.title,
    body: html`<h1>${x.title}</h1>
      <p role="status">${x.done}</p>
      <p>${x.doneMore}</p>`,
  });
}

/** An unknown, malformed or erased link (both languages: the report's is not known). */
export function invalidPage(): string {
  return page({
    lang: 'fr',
    title: T.fr.title,
    body: html`<h1>${T.fr.invalid}</h1>
      <p>${T.fr.invalidMore}</p>
      <div lang="en">
        <h2>${T.en.invalid}</h2>
        <p>${T.en.invalidMore}</p>
      </div>`,
  });
}
