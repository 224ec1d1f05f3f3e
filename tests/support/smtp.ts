import type { AddressInfo } from 'node:net';
import { simpleParser, type ParsedMail } from 'mailparser';
import { SMTPServer } from 'smtp-server';

/** A message the test SMTP server accepted, parsed. */
export interface ReceivedMail {
  to: string[];
  from: string;
  subject: string;
  text: string;
  messageId: string;
  /** Header values by lower-case name (first occurrence). */
  header(name: string): string | undefined;
  raw: string;
}

/** What the test SMTP server does with a message. */
export type SmtpBehaviour =
  /** 250: accepted. */
  | 'accept'
  /** 451 at DATA: a temporary failure (try again later). */
  | 'tempfail'
  /** 550 at RCPT: the mailbox does not exist (give up). */
  | 'reject'
  /** Never answers DATA: a server that hangs (the client's lease must outlive nothing). */
  | 'hang';

function headerValue(p: ParsedMail, name: string): string | undefined {
  const line = p.headerLines.find((h) => h.key === name.toLowerCase());
  return line ? line.line.slice(line.line.indexOf(':') + 1).trim() : undefined;
}

/**
 * A real SMTP server (the smtp-server package) on a loopback port, started by the test: what
 * Vigie's worker sends goes through nodemailer, the network and this server's SMTP
 * conversation, and is parsed back with mailparser.
 */
export class TestSmtpServer {
  readonly received: ReceivedMail[] = [];
  behaviour: SmtpBehaviour = 'accept';
  private server: SMTPServer | undefined;
  private hanging_: Array<() => void> = [];

  private constructor(public port: number) {}

  /** Starts a server on `port` (0: a free one). */
  static async start(port = 0): Promise<TestSmtpServer> {
    const t = new TestSmtpServer(port);
    await t.listen();
    return t;
  }

  /** The URL to give Vigie (SMTP_URL). */
  get url(): string {
    return `smtp://127.0.0.1:${this.port}`;
  }

  private async listen(): Promise<void> {
    const server = new SMTPServer({
      authOptional: true,
      disabledCommands: ['STARTTLS'],
      logger: false,
      closeTimeout: 1000,
      onRcptTo: (address, _session, cb) => {
        if (this.behaviour === 'reject') {
          const err = new Error('5.1.1 Mailbox unavailable') as Error & { responseCode: number };
          err.responseCode = 550;
          cb(err);
          return;
        }
        cb();
      },
      onData: (stream, session, cb) => {
        const chunks: Buffer[] = [];
        stream.on('data', (c: Buffer) => chunks.push(c));
        stream.on('end', () => {
          if (this.behaviour === 'hang') {
            this.hanging_.push(() => cb());
            return;
          }
          if (this.behaviour === 'tempfail') {
            const err = new Error('4.3.0 Try again later') as Error & { responseCode: number };
            err.responseCode = 451;
            cb(err);
            return;
          }
          const raw = Buffer.concat(chunks).toString('utf8');
          void simpleParser(raw).then((p) => {
            this.received.push({
              to: session.envelope.rcptTo.map((r) => r.address),
              from: session.envelope.mailFrom ? session.envelope.mailFrom.address : '',
              subject: p.subject ?? '',
              text: p.text ?? '',
              messageId: p.messageId ?? '',
              header: (name) => headerValue(p, name),
              raw,
            });
            cb();
          }, cb);
        });
      },
    });
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(this.port, '127.0.0.1', () => resolve());
    });
    this.server = server;
    this.port = (server.server.address() as AddressInfo).port;
  }

  /** Messages received in full and left without an answer ('hang'). */
  get hanging(): number {
    return this.hanging_.length;
  }

  /** Messages sent to one address. */
  to(address: string): ReceivedMail[] {
    return this.received.filter((m) => m.to.includes(address));
  }

  /** Stops listening (SMTP is down: connections are refused). */
  async stop(): Promise<void> {
    const s = this.server;
    this.server = undefined;
    for (const release of this.hanging_.splice(0)) release();
    if (s) await new Promise<void>((resolve) => s.close(() => resolve()));
  }

  /** Listens again on the same port (SMTP is back). */
  async restart(): Promise<void> {
    await this.listen();
  }
}
