import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { describe, expect, it } from 'vitest';
import { escapeXml, toXml } from '../../../server/src/open311/open311.xml';

const parser = new XMLParser({
  parseTagValue: false,
  isArray: (name) =>
    ['service', 'request', 'error', 'attribute', 'value', 'format', 'endpoint'].includes(name),
});

describe('Open311 XML serialiser', () => {
  it('starts with the UTF-8 XML declaration and is well-formed', () => {
    const xml = toXml('services', [
      { service_code: 'pothole', service_name: 'Nid-de-poule', metadata: true },
    ]);
    expect(xml.startsWith('<?xml version="1.0" encoding="utf-8"?>\n')).toBe(true);
    expect(XMLValidator.validate(xml)).toBe(true);
  });

  it('turns an array into a wrapper with one element per item, named as the specification does', () => {
    const xml = toXml('services', [
      { service_code: 'a', metadata: true, type: 'realtime' },
      { service_code: 'b', metadata: false, type: 'realtime' },
    ]);
    const doc = parser.parse(xml) as { services: { service: Array<Record<string, string>> } };
    expect(doc.services.service.map((s) => s.service_code)).toEqual(['a', 'b']);
    expect(doc.services.service.map((s) => s.metadata)).toEqual(['true', 'false']);
  });

  it('nests attributes/attribute and values/value in a service definition', () => {
    const xml = toXml('service_definition', {
      service_code: 'pothole',
      attributes: [
        {
          code: 'danger',
          order: 1,
          values: [
            { key: 'yes', name: 'Oui' },
            { key: 'no', name: 'Non' },
          ],
        },
      ],
    });
    const doc = parser.parse(xml) as {
      service_definition: {
        service_code: string;
        attributes: {
          attribute: Array<{ code: string; order: string; values: { value: Array<{ key: string }> } }>;
        };
      };
    };
    const attr = doc.service_definition.attributes.attribute[0]!;
    expect(attr.code).toBe('danger');
    expect(attr.order).toBe('1');
    expect(attr.values.value.map((v) => v.key)).toEqual(['yes', 'no']);
  });

  it('writes null as an empty element and leaves undefined out', () => {
    const xml = toXml('service_requests', [{ service_request_id: 'x', account_id: null, token: undefined }]);
    expect(xml).toContain('<account_id/>');
    expect(xml).not.toContain('token');
  });

  it('writes an empty list as an empty wrapper', () => {
    expect(toXml('service_requests', [])).toBe(
      '<?xml version="1.0" encoding="utf-8"?>\n<service_requests/>\n',
    );
  });

  it('escapes markup and keeps accents, so a description cannot inject elements', () => {
    const evil = 'Trou <b>énorme</b> & "profond" </description><status>closed</status>';
    const xml = toXml('service_requests', [{ description: evil }]);
    expect(XMLValidator.validate(xml)).toBe(true);
    const doc = parser.parse(xml) as {
      service_requests: { request: Array<{ description: string; status?: string }> };
    };
    const req = doc.service_requests.request[0]!;
    expect(req.status).toBeUndefined();
    expect(
      new XMLParser({ parseTagValue: false, processEntities: true }).parse(xml).service_requests.request
        .description,
    ).toBe(evil);
  });

  it('drops characters XML 1.0 cannot carry (control characters, lone surrogates) but keeps line breaks and emoji', () => {
    expect(escapeXml('a\u0000b\u0007c\u001fd\ud800e\n\tf 🕳️')).toBe('abcde\n\tf 🕳️');
    const xml = toXml('errors', [{ code: 400, description: 'bad\u0001 input\u000b' }]);
    expect(XMLValidator.validate(xml)).toBe(true);
  });

  it('refuses what it cannot write faithfully: an array without an item name, a non-finite number', () => {
    expect(() => toXml('things', [1])).toThrow(/item element name/);
    expect(() => toXml('request', { lat: Number.NaN })).toThrow(/finite/);
    expect(() => toXml('request', { 'bad name': 1 })).toThrow(/element name/);
  });
});
