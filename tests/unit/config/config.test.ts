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
  ])('names the bad variable %s=%s', (name, value) => {
    expect(() => loadConfig({ [name]: value })).toThrow(ConfigError);
    expect(() => loadConfig({ [name]: value })).toThrow(new RegExp(`\\b${name}\\b`));
  });
});
