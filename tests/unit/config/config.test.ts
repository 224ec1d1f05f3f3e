import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../../server/src/config';

describe('loadConfig', () => {
  it('defaults to port 8080, the embedded database under ./data and photos under ./uploads', () => {
    const c = loadConfig({}, '/srv/vigie');
    expect(c.port).toBe(8080);
    expect(c.databaseUrl).toBeUndefined();
    expect(c.dataDir).toBe(path.resolve('/srv/vigie/data'));
    expect(c.uploadsDir).toBe(path.resolve('/srv/vigie/uploads'));
  });

  it('reads PORT, DATABASE_URL and the directories', () => {
    const c = loadConfig(
      {
        PORT: '9090',
        DATABASE_URL: 'postgresql://u@db/vigie',
        DATA_DIR: '/var/vigie',
        UPLOADS_DIR: 'photos',
      },
      '/srv',
    );
    expect(c).toMatchObject({ port: 9090, databaseUrl: 'postgresql://u@db/vigie', dataDir: '/var/vigie' });
    expect(c.uploadsDir).toBe('/srv/photos');
  });

  it('reads the Open311 settings: rate per key, media download deadline, private addresses off by default', () => {
    expect(loadConfig({}).open311).toEqual({
      perKey: 600,
      windowSeconds: 3600,
      mediaTimeoutMs: 10_000,
      mediaAllowPrivate: false,
    });
    const c = loadConfig({
      OPEN311_MAX_PER_KEY: '20',
      OPEN311_WINDOW_MINUTES: '5',
      OPEN311_MEDIA_TIMEOUT_SECONDS: '3',
      OPEN311_MEDIA_ALLOW_PRIVATE: '1',
    });
    expect(c.open311).toEqual({
      perKey: 20,
      windowSeconds: 300,
      mediaTimeoutMs: 3000,
      mediaAllowPrivate: true,
    });
  });

  it.each([
    ['OPEN311_MEDIA_ALLOW_PRIVATE', 'yes'],
    ['OPEN311_MAX_PER_KEY', '0'],
    ['PORT', 'eighty'],
    ['PORT', '70000'],
    ['DATABASE_URL', 'mysql://db/vigie'],
    ['LOG_LEVEL', 'loud'],
    ['OSRM_URL', 'osrm:5000'],
    ['OSRM_URL', 'ftp://osrm/'],
    ['OSRM_TIMEOUT_MS', '10'],
    ['OSRM_MAX_LOCATIONS', '1'],
  ])('names the bad variable %s=%s', (name, value) => {
    expect(() => loadConfig({ [name]: value })).toThrow(ConfigError);
    expect(() => loadConfig({ [name]: value })).toThrow(new RegExp(`\\b${name}\\b`));
  });

  it('keeps emails queued without SMTP_URL, with links to localhost', () => {
    const c = loadConfig({ PORT: '9090' });
    expect(c.mail).toEqual({
      smtpUrl: undefined,
      from: 'Vigie <no-reply@localhost>',
      publicUrl: 'http://localhost:9090',
    });
  });

  it('reads SMTP_URL, MAIL_FROM and PUBLIC_URL (trailing slash dropped)', () => {
    const c = loadConfig({
      SMTP_URL: 'smtp://user:secret@mail.example.fr:587',
      MAIL_FROM: 'Mairie de Saint-Nolff <no-reply@saint-nolff.fr>',
      PUBLIC_URL: 'https://vigie.saint-nolff.fr/',
    });
    expect(c.mail).toEqual({
      smtpUrl: 'smtp://user:secret@mail.example.fr:587',
      from: 'Mairie de Saint-Nolff <no-reply@saint-nolff.fr>',
      publicUrl: 'https://vigie.saint-nolff.fr',
    });
    expect(loadConfig({ PUBLIC_URL: 'https://vigie.example.fr' }).mail.from).toBe(
      'Vigie <no-reply@vigie.example.fr>',
    );
  });

  it.each([
    ['SMTP_URL', 'http://mail.example.fr'],
    ['MAIL_FROM', 'not an address'],
    ['PUBLIC_URL', 'vigie.example.fr'],
    ['PUBLIC_URL', 'https://vigie.example.fr/?x=1'],
  ])('names the bad variable %s=%s', (name, value) => {
    expect(() => loadConfig({ [name]: value })).toThrow(new RegExp(`\\b${name}\\b`));
  });

  it('requires PUBLIC_URL with SMTP_URL: links in emails must reach the server', () => {
    expect(() => loadConfig({ SMTP_URL: 'smtp://mail.example.fr' })).toThrow(/PUBLIC_URL/);
  });

  it('has no road network unless OSRM_URL is set, and reads its settings', () => {
    expect(loadConfig({}).osrm).toBeUndefined();
    expect(loadConfig({ OSRM_URL: 'http://osrm.mairie.local:5000/' }).osrm).toEqual({
      url: 'http://osrm.mairie.local:5000',
      profile: 'driving',
      timeoutMs: 5000,
      maxLocations: 100,
    });
    expect(
      loadConfig({
        OSRM_URL: 'https://osrm/',
        OSRM_PROFILE: 'car',
        OSRM_TIMEOUT_MS: '800',
        OSRM_MAX_LOCATIONS: '500',
      }).osrm,
    ).toMatchObject({ profile: 'car', timeoutMs: 800, maxLocations: 500 });
  });
});
