import { describe, expect, it } from 'vitest';
import { CSV_BOM, csvField, csvLine } from '../../../server/src/exports/csv';
import {
  csvHeader,
  csvRow,
  geojsonFeature,
  type ExportRow,
} from '../../../server/src/exports/exports.format';

describe('csvField', () => {
  it('neutralises text that a spreadsheet would run as a formula', () => {
    expect(csvField('=1+1')).toBe("'=1+1");
    expect(csvField('+33 6 12 34 56 78')).toBe("'+33 6 12 34 56 78");
    expect(csvField('-2 trous')).toBe("'-2 trous");
    expect(csvField('@SUM(A1)')).toBe("'@SUM(A1)");
    expect(csvField('\tcaché')).toBe("'\tcaché");
    expect(csvField('\rretour')).toBe('"\'\rretour"');
    expect(csvField('=HYPERLINK("http://x";"y")')).toBe('"\'=HYPERLINK(""http://x"";""y"")"');
  });

  it('leaves harmless text alone and quotes separators, quotes, line breaks and edge spaces', () => {
    expect(csvField('Nid-de-poule')).toBe('Nid-de-poule');
    expect(csvField('a = b')).toBe('a = b');
    expect(csvField('Église Saint-Étienne')).toBe('Église Saint-Étienne');
    expect(csvField('un; deux')).toBe('"un; deux"');
    expect(csvField('un, deux')).toBe('"un, deux"');
    expect(csvField('dit "non"')).toBe('"dit ""non"""');
    expect(csvField('deux\nlignes')).toBe('"deux\nlignes"');
    expect(csvField(' devant')).toBe('" devant"');
    expect(csvField('')).toBe('');
  });

  it('writes numbers with a decimal point (negative ones stay numbers), booleans and empty values', () => {
    expect(csvField(-2.760123)).toBe('-2.760123');
    expect(csvField(47.5)).toBe('47.5');
    expect(csvField(0)).toBe('0');
    expect(csvField(true)).toBe('true');
    expect(csvField(false)).toBe('false');
    expect(csvField(null)).toBe('');
    expect(csvField(undefined)).toBe('');
    expect(() => csvField(Number.NaN)).toThrow();
  });

  it('joins a line with ";" and ends it with CRLF', () => {
    expect(csvLine(['a', 1.5, null, '=x'])).toBe("a;1.5;;'=x\r\n");
  });
});

const row: ExportRow = {
  id: '0b1c2d3e-0000-4000-8000-000000000001',
  commune: 'saint-nolff',
  receivedLocal: '2026-11-01 09:00:00',
  receivedUtc: '2026-11-01T08:00:00Z',
  status: 'fixed',
  priority: 'high',
  category: 'pothole',
  categoryLabel: 'Nid-de-poule',
  address: "3 Rue de l'Église",
  description: '=danger',
  publicDescription: null,
  lat: 47.703421,
  lon: -2.661234,
  accuracyM: 6.5,
  locationSource: 'gps',
  closedLocal: '2026-11-02 10:00:00',
  closedUtc: '2026-11-02T09:00:00Z',
  statusReason: null,
  duplicateOf: null,
  hidden: false,
  contactEmail: 'habitant@example.org',
};

describe('export rows', () => {
  it('start with the BOM and the header, with the contact column for admins only', () => {
    expect(csvHeader(false).startsWith(`${CSV_BOM}id;commune;received_at;`)).toBe(true);
    expect(csvHeader(false)).not.toContain('contact_email');
    expect(csvHeader(true).endsWith(';hidden;contact_email\r\n')).toBe(true);
  });

  it('write a report as a CSV line with local times and neutralised text', () => {
    expect(csvRow(row, false)).toBe(
      "0b1c2d3e-0000-4000-8000-000000000001;saint-nolff;2026-11-01 09:00:00;fixed;high;pothole;Nid-de-poule;3 Rue de l'Église;'=danger;;47.703421;-2.661234;6.5;gps;2026-11-02 10:00:00;;;false\r\n",
    );
    expect(csvRow(row, true).endsWith(';false;habitant@example.org\r\n')).toBe(true);
  });

  it('write a report as a GeoJSON Point feature in lon/lat order, contact for admins only', () => {
    const f = JSON.parse(geojsonFeature(row, false)) as {
      geometry: { coordinates: number[] };
      properties: Record<string, unknown>;
    };
    expect(f).toMatchObject({ type: 'Feature', id: row.id, geometry: { type: 'Point' } });
    expect(f.geometry.coordinates).toEqual([-2.661234, 47.703421]);
    expect(f.properties).toMatchObject({ description: '=danger', received_at: '2026-11-01T08:00:00Z' });
    expect(f.properties).not.toHaveProperty('contact_email');
    expect(JSON.parse(geojsonFeature(row, true)).properties.contact_email).toBe('habitant@example.org');
  });
});
