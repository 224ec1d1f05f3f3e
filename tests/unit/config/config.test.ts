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

  it.each([
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
