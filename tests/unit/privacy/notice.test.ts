import { describe, expect, it } from 'vitest';
import { escapeHtml, html, lines } from '../../../server/src/http/html';
import { privacyNoticePage } from '../../../server/src/privacy/privacy.notice';
import type { CommunePrivacy } from '../../../server/src/privacy/privacy.repo';

const COMMUNE: CommunePrivacy = {
  id: 1,
  slug: 'saint-nolff',
  name: 'Saint-Nolff',
  timezone: 'Europe/Paris',
  photosPublic: false,
  contactRetentionMonths: 12,
  locationRetentionYears: 5,
  privacyContact: 'Mairie de Saint-Nolff\n1 place de la Mairie\ndpo@saint-nolff.fr',
};
const AT = new Date('2027-01-10T12:00:00Z');

describe('html', () => {
  it('escapes interpolated text, never SafeHtml', () => {
    // Called through another name so that the formatter leaves the template as written.
    const tag = html;
    expect(escapeHtml(`<a href="x">'&'</a>`)).toBe('&lt;a href=&quot;x&quot;&gt;&#39;&amp;&#39;&lt;/a&gt;');
    expect(tag`<p>${'<script>'}</p>${tag`<b>ok</b>`}`.value).toBe('<p>&lt;script&gt;</p><b>ok</b>');
    expect(lines('a<b\nc').value).toBe('a&lt;b<br>c');
  });
});

describe('privacyNoticePage', () => {
  it("states the commune's retention periods, contact and photo rule, in French by default", () => {
    const page = privacyNoticePage(COMMUNE, 'fr', AT);
    expect(page).toContain('<html lang="fr">');
    expect(page).toContain('La commune de Saint-Nolff est responsable');
    expect(page).toContain('12 mois après sa clôture');
    expect(page).toContain('5 ans après sa clôture');
    expect(page).toContain('Pas les photos : la commune ne les publie pas.');
    expect(page).toContain('1 place de la Mairie<br>dpo@saint-nolff.fr');
    expect(page).toContain('10 janvier 2027');
    expect(page).toContain('@media print');
    expect(page).not.toContain('<script');
  });

  it('follows other settings: public photos, one year, one month, no contact given', () => {
    const page = privacyNoticePage(
      {
        ...COMMUNE,
        photosPublic: true,
        contactRetentionMonths: 1,
        locationRetentionYears: 1,
        privacyContact: null,
      },
      'fr',
      AT,
    );
    expect(page).toContain('Les photos, une fois vérifiées par la mairie');
    expect(page).toContain('1 mois après sa clôture');
    expect(page).toContain('1 an après sa clôture');
    expect(page).toContain('Adressez-vous à la mairie de Saint-Nolff.');
  });

  it('exists in English', () => {
    const page = privacyNoticePage({ ...COMMUNE, contactRetentionMonths: 6 }, 'en', AT);
    expect(page).toContain('<html lang="en">');
    expect(page).toContain('6 months after it is closed');
    expect(page).toContain('5 years after it is closed');
    expect(page).toContain('Version française');
  });

  it('escapes what admins type', () => {
    const page = privacyNoticePage(
      { ...COMMUNE, name: 'A<b>', privacyContact: '<img src=x onerror=alert(1)>' },
      'fr',
      AT,
    );
    expect(page).not.toContain('<img');
    expect(page).not.toContain('<b>');
    expect(page).toContain('&lt;img src=x onerror=alert(1)&gt;');
  });
});
