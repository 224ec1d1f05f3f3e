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
  ])('names the bad variable %s=%s', (name, value) => {
    expect(() => loadConfig({ [name]: value })).toThrow(ConfigError);
    expect(() => loadConfig({ [name]: value })).toThrow(new RegExp(`\\b${name}\\b`));
  });
});
