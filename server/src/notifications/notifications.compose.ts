import type { ContactLocale } from '../contract/privacy';

/**
 * Notification emails, written from what happened to a report (pure: no database, no SMTP).
 * One email per history entry: the report was fixed, found not fixable, merged into another
 * report, rejected, or the town hall published an update about it. Plain text, in the
 * resident's language (French when unknown), with a link to the report in the app, a one-click
 * unsubscribe link (RFC 8058) and the commune's privacy notice.
 */

/** What an email can be about. */
export type EmailKind = 'fixed' | 'not_fixable' | 'duplicate' | 'rejected' | 'public_update';

/** Everything an email says, read from the outbox row, its history entry and its report. */
export interface EmailFacts {
  /** The outbox row's history entry (the idempotency key: the Message-ID is made from it). */
  eventId: string;
  kind: EmailKind;
  locale: ContactLocale;
  to: string;
  commune: { name: string; slug: string; timezone: string };
  report: {
    id: string;
    category: { fr: string; en: string };
    address: string | null;
    receivedAt: Date;
  };
  /** Why (rejected, not fixable, or a note on a fix), as the town hall wrote it. */
  reason: string | null;
  /** The public update's text. */
  text: string | null;
  /** The report kept when this one is a duplicate. */
  keptReportId: string | null;
  /**
   * The history entry is the kept report's (fixed, not fixable) and this email tells the
   * reporter of one of its duplicates: `report` is the recipient's own report.
   */
  forDuplicate: boolean;
  /** The raw token of this email's unsubscribe link. */
  unsubscribeToken: string;
}

/** Deployment settings an email needs. */
export interface MailSettings {
  /** Where residents open Vigie, e.g. https://vigie.example.fr (no trailing slash). */
  publicUrl: string;
  /** The From header, e.g. `Vigie <no-reply@vigie.example.fr>`. */
  from: string;
}

/** An email ready for SMTP. */
export interface ComposedEmail {
  from: string;
  to: string;
  subject: string;
  text: string;
  /** Stable for a history entry, so a receiver can drop a second delivery after a crash. */
  messageId: string;
  headers: Record<string, string>;
}

/** What an email of each kind says, per language. */
const TEXTS: Record<
  ContactLocale,
  {
    subject: Record<EmailKind, string>;
    lead: Record<EmailKind, string>;
    about: (category: string, address: string | null, date: string) => string;
    reason: string;
    update: string;
    kept: string;
    view: string;
    footer: (commune: string) => string;
    unsubscribe: string;
    privacy: string;
  }
> = {
  fr: {
    subject: {
      fixed: 'Votre signalement est réparé',
      not_fixable: 'Votre signalement ne peut pas être traité',
      duplicate: 'Votre signalement était déjà connu',
      rejected: 'Votre signalement a été rejeté',
      public_update: 'Nouvelle information sur votre signalement',
    },
    lead: {
      fixed: 'Bonne nouvelle : le problème que vous avez signalé a été réparé.',
      not_fixable: 'Le problème que vous avez signalé ne peut pas être réparé par la commune.',
      duplicate:
        'Le problème que vous avez signalé avait déjà été signalé : votre signalement est rattaché à celui que suit la mairie.',
      rejected: 'La mairie a rejeté votre signalement.',
      public_update: 'La mairie a publié une information sur votre signalement.',
    },
    about: (category, address, date) =>
      `Signalement : ${category}${address ? `, ${address}` : ''} (envoyé le ${date})`,
    reason: 'Message de la mairie :',
    update: 'Information de la mairie :',
    kept: 'Le signalement suivi :',
    view: 'Voir votre signalement :',
    footer: (commune) =>
      `Vous recevez ce message parce que vous avez laissé votre adresse e-mail en signalant un problème à la mairie de ${commune}.`,
    unsubscribe: 'Ne plus recevoir de message sur ce signalement :',
    privacy: 'Vos données personnelles :',
  },
  en: {
    subject: {
      fixed: 'Your report has been fixed',
      not_fixable: 'Your report cannot be dealt with',
      duplicate: 'Your report was already known',
      rejected: 'Your report was rejected',
      public_update: 'News about your report',
    },
    lead: {
      fixed: 'Good news: the problem you reported has been fixed.',
      not_fixable: 'The problem you reported cannot be fixed by the commune.',
      duplicate:
        'The problem you reported had already been reported: your report is now linked to the one the town hall follows.',
      rejected: 'The town hall rejected your report.',
      public_update: 'The town hall published news about your report.',
    },
    about: (category, address, date) =>
      `Report: ${category}${address ? `, ${address}` : ''} (sent on ${date})`,
    reason: 'Message from the town hall:',
    update: 'From the town hall:',
    kept: 'The report followed:',
    view: 'See your report:',
    footer: (commune) =>
      `You receive this message because you left your email address when reporting a problem to the town hall of ${commune}.`,
    unsubscribe: 'Stop messages about this report:',
    privacy: 'Your personal data:',
  },
};

/** The link to a report in the resident app (hash route of the PWA). */
export function reportLink(publicUrl: string, reportId: string): string {
  return `${publicUrl}/#/mine/${reportId}`;
}

/** The one-click unsubscribe link of an email. */
export function unsubscribeLink(publicUrl: string, token: string): string {
  return `${publicUrl}/unsubscribe/${token}`;
}

/** The commune's privacy notice. */
export function privacyLink(publicUrl: string, slug: string, locale: ContactLocale): string {
  return `${publicUrl}/privacy/${slug}${locale === 'en' ? '?lang=en' : ''}`;
}

/** The address part of a From header: `Vigie <a@b>` gives `a@b`. */
export function fromAddress(from: string): string {
  const m = /<([^<>]+)>\s*$/.exec(from);
  return (m ? m[1]! : from).trim();
}

/**
 * The Message-ID of the email of a history entry: the same on every attempt, so that a message
 * delivered twice (the server crashed after the SMTP server accepted it, before it was marked
 * sent) is recognisable as one. `recipientReport` tells apart the emails one entry sends to
 * the reporters of the kept report's duplicates.
 */
export function messageIdFor(eventId: string, from: string, recipientReport?: string): string {
  const domain = fromAddress(from).split('@')[1] || 'vigie.invalid';
  return `<vigie-event-${eventId}${recipientReport ? `.${recipientReport}` : ''}@${domain}>`;
}

/** Subject, text and headers of a notification email. */
export function composeEmail(f: EmailFacts, s: MailSettings): ComposedEmail {
  const t = TEXTS[f.locale];
  const date = new Intl.DateTimeFormat(f.locale === 'en' ? 'en-GB' : 'fr-FR', {
    dateStyle: 'long',
    timeZone: f.commune.timezone,
  }).format(f.report.receivedAt);
  const category = f.locale === 'en' ? f.report.category.en : f.report.category.fr;
  const unsubscribe = unsubscribeLink(s.publicUrl, f.unsubscribeToken);
  const lines = [t.lead[f.kind], '', t.about(category, f.report.address, date)];
  if (f.kind === 'public_update' && f.text) lines.push('', t.update, f.text);
  else if (f.reason) lines.push('', t.reason, f.reason);
  if ((f.kind === 'duplicate' || f.forDuplicate) && f.keptReportId)
    lines.push('', t.kept, reportLink(s.publicUrl, f.keptReportId));
  lines.push(
    '',
    t.view,
    reportLink(s.publicUrl, f.report.id),
    '',
    '-- ',
    t.footer(f.commune.name),
    t.unsubscribe,
    unsubscribe,
    t.privacy,
    privacyLink(s.publicUrl, f.commune.slug, f.locale),
  );
  return {
    from: s.from,
    to: f.to,
    subject: `${t.subject[f.kind]} — ${f.commune.name}`,
    text: `${lines.join('\n')}\n`,
    messageId: messageIdFor(f.eventId, s.from, f.forDuplicate ? f.report.id : undefined),
    headers: {
      'List-Unsubscribe': `<${unsubscribe}>`,
      'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click',
      // An automatic message: out-of-office replies should not answer it (RFC 3834).
      'Auto-Submitted': 'auto-generated',
    },
  };
}

/** The email kind of a history entry: its action for a public update, else its new status. */
export function emailKind(action: string, toStatus: string | null): EmailKind | undefined {
  if (action === 'public_update') return 'public_update';
  return toStatus === 'fixed' ||
    toStatus === 'not_fixable' ||
    toStatus === 'duplicate' ||
    toStatus === 'rejected'
    ? toStatus
    : undefined;
}
