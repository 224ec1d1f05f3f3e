/** Texts of the settings screen's "photos and personal data" section. French first. */
export const fr = {
  heading: 'Photos et données personnelles',
  intro:
    'Ces réglages s’appliquent aux signalements de la commune et alimentent sa notice « données personnelles », à imprimer ou à afficher.',
  photosPublic: 'Montrer les photos au public une fois vérifiées par un modérateur',
  photosPublicHint: 'Sinon, seuls les agents de la commune et l’auteur du signalement voient les photos.',
  contactMonths: 'Effacer l’adresse e-mail des habitants après (mois)',
  contactMonthsHint:
    'Compté depuis la clôture du signalement. Entre {{min}} et {{max}} mois ; 12 par défaut.',
  locationYears: 'Arrondir l’emplacement, effacer les textes et les photos après (années)',
  locationYearsHint:
    'Compté depuis la clôture : l’emplacement est arrondi à environ 100 m, l’adresse réduite à la rue. Entre {{min}} et {{max}} ans ; 5 par défaut ; jamais moins que la durée de l’adresse e-mail.',
  contact: 'Comment joindre la mairie pour exercer ses droits',
  contactHint: 'Adresse postale, e-mail du délégué à la protection des données… Imprimé dans la notice.',
  save: 'Enregistrer',
  saving: 'Enregistrement…',
  saved: 'Réglages enregistrés.',
  loading: 'Chargement des réglages…',
  loadFailed: 'Les réglages n’ont pas pu être chargés : {{message}}',
  saveFailed: 'L’enregistrement a échoué : {{message}}',
  orderError: 'L’emplacement ne peut pas être gardé moins longtemps que l’adresse e-mail ({{months}} mois).',
  notice: 'Voir la notice « données personnelles » (s’ouvre dans un nouvel onglet)',
  noCommune: 'Vous n’administrez aucune commune.',
  commune: 'Commune',
};

export const en: typeof fr = {
  heading: 'Photos and personal data',
  intro:
    'These settings apply to the commune’s reports and feed its “personal data” notice, to print or display.',
  photosPublic: 'Show photos to the public once a moderator has checked them',
  photosPublicHint: 'Otherwise only the commune’s staff and the person who reported see the photos.',
  contactMonths: 'Erase residents’ email addresses after (months)',
  contactMonthsHint: 'Counted from the report’s closure. Between {{min}} and {{max}} months; 12 by default.',
  locationYears: 'Round the location, erase texts and photos after (years)',
  locationYearsHint:
    'Counted from the closure: the location is rounded to about 100 m, the address reduced to the street. Between {{min}} and {{max}} years; 5 by default; never less than the email address.',
  contact: 'How residents reach the town hall about their data',
  contactHint: 'Postal address, email of the data protection officer… Printed in the notice.',
  save: 'Save',
  saving: 'Saving…',
  saved: 'Settings saved.',
  loading: 'Loading the settings…',
  loadFailed: 'The settings could not be loaded: {{message}}',
  saveFailed: 'Saving failed: {{message}}',
  orderError: 'The location cannot be kept for less time than the email address ({{months}} months).',
  notice: 'See the “personal data” notice (opens in a new tab)',
  noCommune: 'You administer no commune.',
  commune: 'Commune',
};
