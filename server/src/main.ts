import fs from 'node:fs';
import type { Server } from 'node:http';
import { pino } from 'pino';
import { createApp } from './app';
import { EventsHub } from './events/events.hub';
import { ConfigError, loadConfig } from './config';
import { seedDemo } from './communes/demo';
import { openDatabase, type Database } from './db';
import { DataDirLockedError } from './db/embedded';
import { PhotoStore } from './photos/photos.store';
import { referencedShas } from './reports/reports.repo';
import { deleteExpiredSessions } from './auth/auth.repo';
import { sweepRateLimits } from './http/rate-limit';
import { seedDemoAccounts } from './users/users.demo';
import { createSmtpSender } from './notifications/notifications.mailer';
import { queueCounts, releaseAllLeases } from './notifications/notifications.repo';
import { MailWorker } from './notifications/notifications.worker';
import { RetentionScheduler } from './retention/retention.scheduler';

const SWEEP_EVERY_MS = 60 * 60_000;
const SHUTDOWN_GRACE_MS = 10_000;

/** Starts Vigie: database (embedded unless DATABASE_URL), migrations, demo seed, HTTP server. */
async function main(): Promise<void> {
  let config;
  try {
    config = loadConfig();
  } catch (err) {
    if (err instanceof ConfigError) {
      console.error(err.message);
      process.exit(1);
    }
    throw err;
  }
  const log = pino({ level: config.logLevel });

  let db: Database;
  try {
    db = await openDatabase(config, log);
  } catch (err) {
    if (err instanceof DataDirLockedError) {
      log.fatal(`${err.message} Stop the other Vigie server, or set DATA_DIR to another directory.`);
      process.exit(1);
    }
    throw err;
  }

  const photos = new PhotoStore(config.uploadsDir);
  // With the embedded database this process is the only writer (DATA_DIR is locked), so every
  // unreferenced file is an orphan of a crash. On a shared server another instance may be
  // between writing a file and committing its row: leave recent files alone.
  const sweep = async (minAgeMs: number) => {
    const result = await photos.sweepOrphans((shas) => referencedShas(db.pool, shas), minAgeMs);
    if (result.removed || result.tmpRemoved) log.info(result, 'orphan photo files swept');
  };
  await sweep(db.embedded ? 0 : 10 * 60_000);
  // Expired sessions and ended rate-limit windows are dead rows: remove them now and then.
  const sweepRows = async () => {
    const sessions = await deleteExpiredSessions(db.pool, config.security.sessionIdleSeconds);
    const windows = await sweepRateLimits(db.pool);
    if (sessions || windows) log.info({ sessions, windows }, 'expired sessions and rate-limit windows swept');
  };
  await sweepRows();
  const sweeper = setInterval(() => {
    void sweep(10 * 60_000).catch((err) => log.error({ err }, 'sweep failed'));
    void sweepRows().catch((err) => log.error({ err }, 'sweep failed'));
  }, SWEEP_EVERY_MS);
  sweeper.unref();

  if (config.seedDemo) await seedDemo(db.pool, photos, log);
  // No account exists unless someone creates it (npm run admin -- user:create ...). With DEMO=1
  // only, demo accounts get fresh passwords at each start, printed here.
  if (config.demo) {
    const accounts = await seedDemoAccounts(db.pool, log);
    if (accounts.length > 0) {
      console.log(
        [
          '',
          'Demo staff accounts (DEMO=1; new passwords at each start; sign in at /staff/):',
          ...accounts.map((a) => `  ${a.role.padEnd(10)} ${a.email.padEnd(34)} ${a.password}`),
          '',
        ].join('\n'),
      );
    }
  }
  if (!fs.existsSync(config.clientDist))
    log.warn({ clientDist: config.clientDist }, 'client not built: only the API is served');

  // Live streams: LISTEN/NOTIFY on a real server; the embedded one only polls (NOTIFY does not cross its connections).
  const events = new EventsHub(db.pool);
  await events.start(!db.embedded);

  // Notification emails: sent from the queue in PostgreSQL when SMTP is configured; otherwise
  // they wait there (air-gapped installs) and are sent once SMTP_URL is set.
  if (db.embedded) await releaseAllLeases(db.pool); // this process is the only one: older leases are dead
  let mail: MailWorker | undefined;
  let stopWakes = () => {};
  if (config.mail.smtpUrl) {
    mail = new MailWorker({
      pool: db.pool,
      sender: createSmtpSender(config.mail.smtpUrl),
      settings: { publicUrl: config.mail.publicUrl, from: config.mail.from },
      log,
    });
    mail.start();
    // Every history entry may have queued an email: look at once (NOTIFY on a real server, a poll on the embedded one).
    stopWakes = events.onWake(() => mail?.wake());
    if (!config.mail.publicUrl.startsWith('https://'))
      log.warn(
        { publicUrl: config.mail.publicUrl },
        'PUBLIC_URL is not https: mail clients ignore one-click unsubscribe links over http',
      );
  } else {
    const counts = await queueCounts(db.pool);
    log.warn(
      { queued: counts.queued },
      'SMTP_URL is not set: notification emails are kept queued in the database and not sent',
    );
  }
  // Retention of personal data: once a day, on one instance at a time.
  const retention = new RetentionScheduler({ pool: db.pool, photos, log });
  retention.start();

  const app = createApp({ config, pool: db.pool, photos, log, events });
  const server: Server = await new Promise((resolve, reject) => {
    const s = app.listen(config.port, config.host, () => resolve(s));
    s.once('error', reject);
  });
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : config.port;
  log.info({ port }, `Vigie is running on http://localhost:${port}`);

  let stopping = false;
  const shutdown = (signal: string) => {
    if (stopping) return;
    stopping = true;
    log.info({ signal }, 'shutting down');
    clearInterval(sweeper);
    const force = setTimeout(() => {
      log.warn('forcing shutdown: requests still open');
      server.closeAllConnections();
    }, SHUTDOWN_GRACE_MS);
    force.unref();
    void events.stop(); // ends the live streams, which would otherwise hold the server open
    stopWakes();
    // The email being sent finishes (or is retried later); a retention run stops between two batches.
    const background = Promise.all([mail?.stop(), retention.stop()]).catch((err: unknown) =>
      log.error({ err }, 'error while stopping background jobs'),
    );
    server.close(() => {
      background
        .then(() => db.close())
        .then(() => {
          log.info('stopped');
          process.exit(0);
        })
        .catch((err: unknown) => {
          log.error({ err }, 'error while closing the database');
          process.exit(1);
        });
    });
    server.closeIdleConnections();
  };
  process.on('SIGTERM', () => shutdown('SIGTERM'));
  process.on('SIGINT', () => shutdown('SIGINT'));
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
