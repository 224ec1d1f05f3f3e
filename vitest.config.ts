import { defineConfig } from 'vitest/config';

/**
 * Three tiers (STYLE.md): unit tests are pure and fast; integration tests talk to a real
 * PostgreSQL + PostGIS (embedded PGlite by default, DATABASE_URL in CI); e2e tests drive
 * real Chromium against a real server.
 */
export default defineConfig({
  test: {
    projects: [
      {
        test: {
          name: 'unit',
          include: ['tests/unit/**/*.test.{ts,tsx}'],
          environment: 'node',
        },
      },
      {
        test: {
          name: 'integration',
          include: ['tests/integration/**/*.test.ts'],
          globalSetup: ['tests/support/db-global-setup.ts'],
          testTimeout: 60_000,
          hookTimeout: 120_000,
          // One database, shared: files run one after another so the embedded PGlite (single-threaded) is not swamped.
          fileParallelism: false,
        },
      },
      {
        test: {
          name: 'e2e',
          include: ['tests/e2e/**/*.test.ts'],
          globalSetup: ['tests/support/build-client.ts', 'tests/support/db-global-setup.ts'],
          testTimeout: 120_000,
          hookTimeout: 180_000,
          fileParallelism: false,
        },
      },
    ],
  },
});
