import type { ContactLocale } from '../contract/privacy';
import { ANONYMISED_DECIMALS } from '../contract/privacy';
import { html, lines, page, type SafeHtml } from '../http/html';
import type { CommunePrivacy } from './privacy.repo';

/**
 * The printable privacy notice of a commune (GDPR articles 13 and 14), generated from its
 * settings: who is responsible, what is collected and why, who sees what, how long it is kept
 * (the commune's retention periods), and how residents exercise their rights. Pure.
 */

/** "12 mois" / "12 months", "1 an" / "5 years". */
function months(n: number, l: ContactLocale): string {
  return l === 'fr' ? `${n} mois` : `${n} month${n === 1 ? '' : 's'}`;
}
function years(n: number, l: ContactLocale): string {
  return l === 'fr' ? `${n} an${n === 1 ? '' : 's'}` : `${n} year${n === 1 ? '' : 's'}`;
}

/** The notice as a whole HTML page. `generatedAt` is shown (a printed copy says when it was true). */
export function privacyNoticePage(c: CommunePrivacy, l: ContactLocale, generatedAt: Date): string {
  const date = new Intl.DateTimeFormat(l === 'fr' ? 'fr-FR' : 'en-GB', {
    dateStyle: 'long',
    timeZone: c.timezone,
  }).format(generatedAt);
  const body = l === 'fr' ? french(c, date) : english(c, date);
  return page({
    lang: l,
    title: l === 'fr' ? `Données personnelles — ${c.name}` : `Personal data — ${c.name}`,
    body,
  });
}

function contact(c: CommunePrivacy, fallback: string): SafeHtml {
  return c.privacyContact ? html`<address>${lines(c.privacyContact)}</address>` : html`<p>${fallback}</p>`;
}

function french(c: CommunePrivacy, date: string): SafeHtml {
  const contactMonths = months(c.contactRetentionMonths, 'fr');
  const locationYears = years(c.locationRetentionYears, 'fr');
  return html`
    <p class="lang"><a href="?lang=en" hreflang="en" lang="en">English version</a></p>
    <h1>Signalements de voirie : vos données personnelles</h1>
    <p class="meta">Commune de ${c.name} · notice établie le ${date} d’après les réglages de la commune</p>

    <section>
      <h2>Qui est responsable</h2>
      <p>
        La commune de ${c.name} est responsable du traitement des signalements envoyés avec Vigie. Pour toute
        question sur vos données :
      </p>
      ${contact(c, `Adressez-vous à la mairie de ${c.name}.`)}
    </section>

    <section>
      <h2>Ce qui est collecté</h2>
      <ul>
        <li>
          L’emplacement du problème (position du téléphone, de la photo ou placée à la main) et sa précision ;
          l’adresse la plus proche est notée pour les équipes.
        </li>
        <li>
          Les photos du problème, ré-encodées par le serveur : toutes leurs métadonnées (position GPS,
          appareil, date) sont supprimées.
        </li>
        <li>La catégorie et, si vous en écrivez une, la description.</li>
        <li>
          Votre adresse e-mail, seulement si vous la donnez, et la langue de l’application, pour vous écrire.
        </li>
        <li>
          Une empreinte (hachage) d’un code secret aléatoire gardé par votre téléphone : elle permet
          d’afficher « Mes signalements » sans compte. Le code lui-même n’est jamais conservé.
        </li>
      </ul>
      <p>
        Vigie ne demande ni votre nom, ni votre numéro de téléphone, ni de compte. Votre adresse IP n’est pas
        conservée avec les signalements (elle sert seulement, sous forme d’empreinte et pendant une heure, à
        limiter les abus).
      </p>
    </section>

    <section>
      <h2>Pourquoi</h2>
      <ul>
        <li>
          Réparer la voirie : localiser le problème, planifier les tournées des équipes, suivre l’intervention
          (mission d’intérêt public de la commune, article 6-1-e du RGPD).
        </li>
        <li>
          Vous informer de la suite de votre signalement par e-mail, si vous l’avez demandé (votre
          consentement, que vous pouvez retirer à tout moment).
        </li>
        <li>
          Établir des statistiques sur l’état de la voirie, à partir de données rendues anonymes avec le
          temps.
        </li>
      </ul>
    </section>

    <section>
      <h2>Qui voit quoi</h2>
      <table>
        <tr>
          <th scope="row">Tout le monde</th>
          <td>
            La catégorie, le statut, l’emplacement, l’adresse proche, la description (éventuellement modifiée
            par la mairie) et les dates.
            ${c.photosPublic ? 'Les photos, une fois vérifiées par la mairie (visages et plaques floutés si besoin).' : 'Pas les photos : la commune ne les publie pas.'}
            Jamais votre adresse e-mail.
          </td>
        </tr>
        <tr>
          <th scope="row">Vous</th>
          <td>
            Depuis le téléphone qui a envoyé le signalement : tout ce que vous avez envoyé, photos comprises,
            et son historique.
          </td>
        </tr>
        <tr>
          <th scope="row">Les équipes techniques</th>
          <td>Les signalements de la commune, avec photos et description, sans votre adresse e-mail.</td>
        </tr>
        <tr>
          <th scope="row">Les responsables et administrateurs de la mairie</th>
          <td>Les mêmes, et votre adresse e-mail (pour vous répondre).</td>
        </tr>
      </table>
      <p>
        Les données ne sont ni vendues ni transmises à des tiers. Chaque consultation refusée et chaque export
        sont inscrits au journal d’audit de la commune.
      </p>
    </section>

    <section>
      <h2>Combien de temps</h2>
      <ul>
        <li>Tant que le signalement est ouvert, tout est conservé pour le traiter.</li>
        <li>
          ${contactMonths} après sa clôture : votre adresse e-mail, les messages qui vous ont été envoyés et
          les liens de désinscription sont effacés.
        </li>
        <li>
          ${locationYears} après sa clôture : l’emplacement est arrondi (environ 100 m, ${ANONYMISED_DECIMALS}
          décimales), l’adresse est réduite au nom de la rue, les textes (description, message public, motif,
          notes des agents) sont effacés, les photos sont supprimées et le signalement n’est plus relié à
          votre téléphone. Ne restent que la catégorie, le statut, les dates et le quartier, pour les
          statistiques.
        </li>
      </ul>
      <p>
        Les photos sont supprimées plutôt que gardées : elles peuvent montrer des personnes, des véhicules ou
        des maisons, et ne servent plus une fois la réparation ancienne.
      </p>
    </section>

    <section>
      <h2>Vos droits</h2>
      <p>
        Vous pouvez accéder à vos données, les faire rectifier ou effacer, vous opposer à leur traitement ou
        en demander la limitation :
      </p>
      <ul>
        <li>
          Dans l’application, « Mes signalements », sur le téléphone qui a envoyé le signalement : le bouton «
          Effacer mon adresse e-mail » l’efface aussitôt de nos serveurs.
        </li>
        <li>Chaque message envoyé contient un lien pour ne plus recevoir de message sur ce signalement.</li>
        <li>Pour toute autre demande, contactez la mairie (coordonnées ci-dessus).</li>
      </ul>
      <p>
        Si vous estimez que vos droits ne sont pas respectés, vous pouvez adresser une réclamation à la CNIL
        (<a href="https://www.cnil.fr/fr/plaintes">www.cnil.fr</a>).
      </p>
    </section>
  `;
}

function english(c: CommunePrivacy, date: string): SafeHtml {
  const contactMonths = months(c.contactRetentionMonths, 'en');
  const locationYears = years(c.locationRetentionYears, 'en');
  return html`
    <p class="lang"><a href="?lang=fr" hreflang="fr" lang="fr">Version française</a></p>
    <h1>Road reports: your personal data</h1>
    <p class="meta">Commune of ${c.name} · notice generated on ${date} from the commune’s settings</p>

    <section>
      <h2>Who is responsible</h2>
      <p>
        The commune of ${c.name} is responsible for processing the reports sent with Vigie. For any question
        about your data:
      </p>
      ${contact(c, `Contact the town hall of ${c.name}.`)}
    </section>

    <section>
      <h2>What is collected</h2>
      <ul>
        <li>
          Where the problem is (the phone’s position, the photo’s, or placed by hand) and how precise it is;
          the nearest address is noted for the crews.
        </li>
        <li>
          Photos of the problem, re-encoded by the server: all their metadata (GPS position, device, date) is
          removed.
        </li>
        <li>The category and, if you write one, the description.</li>
        <li>Your email address, only if you give it, and the app’s language, to write to you.</li>
        <li>
          A fingerprint (hash) of a random secret kept by your phone: it shows “My reports” without an
          account. The secret itself is never stored.
        </li>
      </ul>
      <p>
        Vigie never asks for your name, your phone number or an account. Your IP address is not kept with
        reports (only its fingerprint, for an hour, to limit abuse).
      </p>
    </section>

    <section>
      <h2>Why</h2>
      <ul>
        <li>
          To repair the roads: locate the problem, plan the crews’ rounds, follow the repair (a task carried
          out in the public interest, GDPR article 6(1)(e)).
        </li>
        <li>
          To tell you by email what happened to your report, if you asked (your consent, which you may
          withdraw at any time).
        </li>
        <li>To produce statistics on the state of the roads, from data made anonymous over time.</li>
      </ul>
    </section>

    <section>
      <h2>Who sees what</h2>
      <table>
        <tr>
          <th scope="row">Everyone</th>
          <td>
            The category, the status, the place, the nearby address, the description (possibly edited by the
            town hall) and the dates.
            ${c.photosPublic ? 'The photos, once checked by the town hall (faces and number plates blurred where needed).' : 'Not the photos: the commune does not publish them.'}
            Never your email address.
          </td>
        </tr>
        <tr>
          <th scope="row">You</th>
          <td>From the phone that sent the report: everything you sent, photos included, and its history.</td>
        </tr>
        <tr>
          <th scope="row">The road crews</th>
          <td>The commune’s reports, with photos and descriptions, without your email address.</td>
        </tr>
        <tr>
          <th scope="row">The town hall’s supervisors and administrators</th>
          <td>The same, and your email address (to answer you).</td>
        </tr>
      </table>
      <p>
        The data is never sold or passed on to third parties. Every refused access and every export is written
        to the commune’s audit log.
      </p>
    </section>

    <section>
      <h2>How long</h2>
      <ul>
        <li>While the report is open, everything is kept to deal with it.</li>
        <li>
          ${contactMonths} after it is closed: your email address, the messages sent to you and the
          unsubscribe links are erased.
        </li>
        <li>
          ${locationYears} after it is closed: the place is rounded (about 100 m, ${ANONYMISED_DECIMALS}
          decimals), the address is reduced to the street name, the texts (description, public message,
          reason, staff notes) are erased, the photos are deleted and the report is no longer linked to your
          phone. Only the category, the status, the dates and the neighbourhood remain, for statistics.
        </li>
      </ul>
      <p>
        Photos are deleted rather than kept: they may show people, vehicles or houses, and are of no use once
        the repair is old.
      </p>
    </section>

    <section>
      <h2>Your rights</h2>
      <p>
        You may access your data, have it corrected or erased, object to its processing or ask for it to be
        restricted:
      </p>
      <ul>
        <li>
          In the app, “My reports”, on the phone that sent the report: the “Erase my email address” button
          erases it from our servers at once.
        </li>
        <li>Every message sent to you has a link to stop messages about that report.</li>
        <li>For anything else, contact the town hall (details above).</li>
      </ul>
      <p>
        If you think your rights are not respected, you may complain to the CNIL, the French data protection
        authority (<a href="https://www.cnil.fr/en/complaints">www.cnil.fr</a>).
      </p>
    </section>
  `;
}

/** The page of a notice link naming no commune Vigie serves (both languages: the commune is not known). */
export function unknownCommunePage(): string {
  return page({
    lang: 'fr',
    title: 'Données personnelles',
    body: html`<h1>Cette commune n’est pas servie par Vigie</h1>
      <p>Vérifiez le lien, ou demandez à votre mairie l’adresse de sa notice sur les données personnelles.</p>
      <div lang="en">
        <h2>Vigie does not serve this commune</h2>
        <p>Check the link, or ask your town hall where its privacy notice is.</p>
      </div>`,
  });
}
