import { describe, expect, it } from 'vitest';
import { parseBanHeader, parseBanLine } from '../../../server/src/addresses/addresses.ban';

// The header and two lines as adresse.data.gouv.fr writes them (adresses-56.csv).
const HEADER =
  'id;id_fantoir;numero;rep;nom_voie;code_postal;code_insee;nom_commune;code_insee_ancienne_commune;nom_ancienne_commune;x;y;lon;lat;type_position;alias;nom_ld;libelle_acheminement;nom_afnor;source_position;source_nom_voie;certification_commune;cad_parcelles';
const LINE_NUMBERED =
  "56231_0120_00012;56231_0120;12;bis;Rue de l'Église;56250;56231;Saint-Nolff;;;279000.1;6747000.2;-2.65203;47.70412;entrée;;;SAINT NOLFF;RUE DE L EGLISE;commune;commune;1;56231000AB0123";
const LINE_LIEU_DIT =
  '56231_b123_99999;56231_B123;99999;;Kerbois;56250;56231;Saint-Nolff;;;278000;6748000;-2.675;47.715;segment;;;SAINT NOLFF;KERBOIS;inconnue;inconnue;0;';

describe('Base Adresse Nationale CSV', () => {
  const header = parseBanHeader(`\uFEFF${HEADER}`);

  it('reads a numbered address with its suffix', () => {
    expect(parseBanLine(LINE_NUMBERED, header, '56231')).toEqual({
      kind: 'address',
      address: {
        housenumber: '12 bis',
        street: "Rue de l'Église",
        postcode: '56250',
        label: "12 bis Rue de l'Église",
        lat: 47.70412,
        lon: -2.65203,
        sourceId: '56231_0120_00012',
      },
    });
  });

  it('reads a lieu-dit without number (BAN writes 99999)', () => {
    const line = parseBanLine(LINE_LIEU_DIT, header, '56231');
    expect(line).toMatchObject({ kind: 'address', address: { housenumber: null, label: 'Kerbois' } });
  });

  it("skips another commune's lines of a département file", () => {
    expect(parseBanLine(LINE_NUMBERED, header, '56164')).toEqual({ kind: 'other_commune' });
  });

  it('reports lines without coordinates or street instead of storing them', () => {
    const noCoords = LINE_NUMBERED.replace('-2.65203;47.70412', ';');
    expect(parseBanLine(noCoords, header, '56231')).toEqual({
      kind: 'invalid',
      reason: 'coordinates missing',
    });
    const noStreet = LINE_NUMBERED.replace("Rue de l'Église", '');
    expect(parseBanLine(noStreet, header, '56231')).toMatchObject({ kind: 'invalid' });
    const outOfRange = LINE_NUMBERED.replace('47.70412', '147.7');
    expect(parseBanLine(outOfRange, header, '56231')).toMatchObject({ kind: 'invalid' });
  });

  it('reads double-quoted fields with separators inside', () => {
    const quoted = LINE_NUMBERED.replace("Rue de l'Église", '"Rue ""du"" Port; quai"');
    expect(parseBanLine(quoted, header, '56231')).toMatchObject({
      kind: 'address',
      address: { street: 'Rue "du" Port; quai' },
    });
  });

  it('refuses a file that is not a BAN export, naming the missing columns', () => {
    expect(() => parseBanHeader('name,lat,lon')).toThrow(/missing column\(s\) id, numero, nom_voie/);
  });
});
