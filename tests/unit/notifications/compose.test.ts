import { describe, expect, it } from 'vitest';
import {
  composeEmail,
  emailKind,
  fromAddress,
  messageIdFor,
  type EmailFacts,
} from '../../../server/src/notifications/notifications.compose';

const settings = {
  publicUrl: 'https://vigie.example.fr',
  from: 'Mairie de Saint-Nolff <no-reply@saint-nolff.fr>',
};
const REPORT = '0b6c3b2e-55a1-4f43-9c2f-2f4d8e1b7a10';
const KEPT = '7d1e4a90-1c2b-4d3e-8f9a-0b1c2d3e4f50';

function facts(over: Partial<EmailFacts> = {}): EmailFacts {
  return {
    eventId: '42',
    kind: 'fixed',
    locale: 'fr',
    to: 'jeanne@example.fr',
    commune: { name: 'Saint-Nolff', slug: 'saint-nolff', timezone: 'Europe/Paris' },
    report: {
      id: REPORT,
      category: { fr: 'Nid-de-poule', en: 'Pothole' },
      address: "12 Rue de l'Église",
      receivedAt: new Date('2026-11-20T23:30:00Z'), // 21 November in Paris
    },
    reason: null,
    text: null,
    keptReportId: null,
    forDuplicate: false,
    unsubscribeToken: 'T'.repeat(43),
    ...over,
  };
}

describe('composeEmail', () => {
  it('says in French what was fixed, where and when, with links to the report, unsubscribe and the notice', () => {
    const m = composeEmail(facts(), settings);
    expect(m.to).toBe('jeanne@example.fr');
    expect(m.from).toBe(settings.from);
    expect(m.subject).toBe('Votre signalement est réparé — Saint-Nolff');
    expect(m.text).toContain('Bonne nouvelle : le problème que vous avez signalé a été réparé.');
    expect(m.text).toContain("Signalement : Nid-de-poule, 12 Rue de l'Église (envoyé le 21 novembre 2026)");
    expect(m.text).toContain(`https://vigie.example.fr/#/mine/${REPORT}`);
    expect(m.text).toContain(`https://vigie.example.fr/unsubscribe/${'T'.repeat(43)}`);
    expect(m.text).toContain('https://vigie.example.fr/privacy/saint-nolff');
  });

  it('carries the RFC 8058 one-click unsubscribe headers and marks itself automatic', () => {
    const m = composeEmail(facts(), settings);
    expect(m.headers).toEqual({
      'List-Unsubscribe': `<https://vigie.example.fr/unsubscribe/${'T'.repeat(43)}>`,
      'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click',
      'Auto-Submitted': 'auto-generated',
    });
  });

  it('has the same Message-ID on every attempt of one history entry, and another for another entry', () => {
    const a = composeEmail(facts({ unsubscribeToken: 'a'.repeat(43) }), settings);
    const b = composeEmail(facts({ unsubscribeToken: 'b'.repeat(43) }), settings);
    expect(a.messageId).toBe('<vigie-event-42@saint-nolff.fr>');
    expect(b.messageId).toBe(a.messageId);
    expect(composeEmail(facts({ eventId: '43' }), settings).messageId).not.toBe(a.messageId);
  });

  it("tells a duplicate's reporter that the kept report was fixed: their own report named, the kept one linked, a Message-ID of its own", () => {
    const own = composeEmail(facts({ reason: 'Rebouché à l’enrobé à froid' }), settings);
    const dup = composeEmail(
      facts({ forDuplicate: true, keptReportId: KEPT, reason: 'Rebouché à l’enrobé à froid' }),
      settings,
    );
    expect(dup.subject).toBe(own.subject);
    expect(dup.text).toContain('Bonne nouvelle : le problème que vous avez signalé a été réparé.');
    expect(dup.text).toContain(`Voir votre signalement :\nhttps://vigie.example.fr/#/mine/${REPORT}`);
    expect(dup.text).toContain(`Le signalement suivi :\nhttps://vigie.example.fr/#/mine/${KEPT}`);
    expect(dup.text).toContain('Message de la mairie :\nRebouché à l’enrobé à froid');
    expect(own.text).not.toContain('Le signalement suivi');
    expect(dup.messageId).toBe(`<vigie-event-42.${REPORT}@saint-nolff.fr>`);
    expect(own.messageId).toBe('<vigie-event-42@saint-nolff.fr>');
  });

  it('gives the reason of a rejection or of a report that cannot be fixed', () => {
    const rejected = composeEmail(facts({ kind: 'rejected', reason: 'Terrain privé' }), settings);
    expect(rejected.subject).toBe('Votre signalement a été rejeté — Saint-Nolff');
    expect(rejected.text).toContain('Message de la mairie :\nTerrain privé');
    const notFixable = composeEmail(facts({ kind: 'not_fixable', reason: 'Route départementale' }), settings);
    expect(notFixable.text).toContain('ne peut pas être réparé');
    expect(notFixable.text).toContain('Route départementale');
  });

  it('links a duplicate to the report that is kept', () => {
    const m = composeEmail(facts({ kind: 'duplicate', keptReportId: KEPT }), settings);
    expect(m.text).toContain('avait déjà été signalé');
    expect(m.text).toContain(`Le signalement suivi :\nhttps://vigie.example.fr/#/mine/${KEPT}`);
  });

  it("quotes a public update's text", () => {
    const m = composeEmail(facts({ kind: 'public_update', text: 'Intervention prévue lundi.' }), settings);
    expect(m.subject).toBe('Nouvelle information sur votre signalement — Saint-Nolff');
    expect(m.text).toContain('Information de la mairie :\nIntervention prévue lundi.');
  });

  it('writes in English for a resident who used the app in English', () => {
    const m = composeEmail(facts({ locale: 'en', kind: 'rejected', reason: 'Private land' }), settings);
    expect(m.subject).toBe('Your report was rejected — Saint-Nolff');
    expect(m.text).toContain("Report: Pothole, 12 Rue de l'Église (sent on 21 November 2026)");
    expect(m.text).toContain('Message from the town hall:\nPrivate land');
    expect(m.text).toContain('https://vigie.example.fr/privacy/saint-nolff?lang=en');
    expect(m.text).not.toMatch(/signalement/);
  });

  it('leaves the address out when the report has none', () => {
    expect(composeEmail(facts({ report: { ...facts().report, address: null } }), settings).text).toContain(
      'Signalement : Nid-de-poule (envoyé le',
    );
  });
});

describe('emailKind', () => {
  it('names the email of a closing status or a public update, and nothing else', () => {
    expect(emailKind('status_changed', 'fixed')).toBe('fixed');
    expect(emailKind('stop_done', 'fixed')).toBe('fixed');
    expect(emailKind('moderated', 'duplicate')).toBe('duplicate');
    expect(emailKind('moderated', 'rejected')).toBe('rejected');
    expect(emailKind('status_changed', 'not_fixable')).toBe('not_fixable');
    expect(emailKind('public_update', null)).toBe('public_update');
    expect(emailKind('status_changed', 'planned')).toBeUndefined();
    expect(emailKind('note', null)).toBeUndefined();
  });
});

describe('fromAddress and messageIdFor', () => {
  it('take the domain of the sender address', () => {
    expect(fromAddress('Vigie <no-reply@vigie.example.fr>')).toBe('no-reply@vigie.example.fr');
    expect(fromAddress('no-reply@vigie.example.fr')).toBe('no-reply@vigie.example.fr');
    expect(messageIdFor('7', 'x@a.b')).toBe('<vigie-event-7@a.b>');
  });
});
