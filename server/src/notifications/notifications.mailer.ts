import nodemailer from 'nodemailer';
import type { ComposedEmail } from './notifications.compose';

/** Hands an email to an SMTP server; resolves once the server accepted it (250 after DATA). */
export interface MailSender {
  send(email: ComposedEmail): Promise<void>;
  close(): void;
}

/** The recipient was refused although the SMTP conversation went through (a permanent error). */
export class RecipientRefusedError extends Error {
  readonly responseCode = 550;
}

/** Timeouts of one SMTP delivery, kept well under the worker's lease (see notifications.worker.ts). */
export const SMTP_TIMEOUTS = { connectionMs: 20_000, greetingMs: 20_000, socketMs: 60_000 };

/**
 * An SMTP sender from a connection URL (`smtp://user:pass@host:587`, `smtps://host:465`),
 * through nodemailer. One connection per email: notification volumes are small, and a fresh
 * connection recovers by itself after an SMTP server restart.
 */
export function createSmtpSender(url: string): MailSender {
  const transport = nodemailer.createTransport({
    url,
    connectionTimeout: SMTP_TIMEOUTS.connectionMs,
    greetingTimeout: SMTP_TIMEOUTS.greetingMs,
    socketTimeout: SMTP_TIMEOUTS.socketMs,
  });
  return {
    async send(email) {
      const info = await transport.sendMail({
        from: email.from,
        to: email.to,
        subject: email.subject,
        text: email.text,
        messageId: email.messageId,
        headers: email.headers,
      });
      if (info.rejected.length > 0 || info.accepted.length === 0)
        throw new RecipientRefusedError('the SMTP server refused the recipient');
    },
    close() {
      transport.close();
    },
  };
}
