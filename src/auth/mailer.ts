// Outgoing email through nodemailer: SMTP when SMTP_URL is set; otherwise (development,
// tests) each message is written to the log and as an .eml file into the outbox folder.
// Sending happens in the background so a request's answer does not depend on it (a
// password-reset answer must not reveal whether a message went out); `idle()` waits for
// what is in flight.
import { randomBytes } from 'node:crypto';
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { Transporter } from 'nodemailer';
import type { Config } from '../config.js';
import type { Logger } from '../logger.js';

export interface Mail {
  to: string;
  subject: string;
  text: string;
}

export interface Mailer {
  /** Queues a message; failures are logged, never thrown at the caller. */
  send(mail: Mail): void;
  /** Resolves once every message queued so far has been handed over (or failed). */
  idle(): Promise<void>;
}

export function createMailer(config: Pick<Config, 'mail'>, logger?: Logger): Mailer {
  const { smtpUrl, from, outboxDir } = config.mail;
  // nodemailer is loaded with the first message, not at start-up (most processes send none).
  let transport: Promise<Transporter> | undefined;
  const open = async (): Promise<Transporter> => {
    const { default: nodemailer } = await import('nodemailer');
    return smtpUrl
      ? nodemailer.createTransport(smtpUrl)
      : nodemailer.createTransport({ streamTransport: true, buffer: true, newline: 'unix' });
  };
  const inFlight = new Set<Promise<void>>();

  async function deliver(mail: Mail): Promise<void> {
    const info = await (await (transport ??= open())).sendMail({ from, to: mail.to, subject: mail.subject, text: mail.text });
    if (smtpUrl) {
      logger?.info('mail sent', { messageId: info.messageId });
      return;
    }
    await mkdir(outboxDir, { recursive: true });
    const file = path.join(outboxDir, `${Date.now()}-${randomBytes(4).toString('hex')}.eml`);
    await writeFile(file, (info as { message: Buffer }).message, { mode: 0o600 });
    logger?.info('mail written to the outbox (no SMTP_URL)', { to: mail.to, subject: mail.subject, file, text: mail.text });
  }

  return {
    send(mail) {
      const task = deliver(mail)
        .catch((error: unknown) => logger?.error('mail could not be sent', { error, subject: mail.subject }))
        .finally(() => inFlight.delete(task));
      inFlight.add(task);
    },
    async idle() {
      while (inFlight.size > 0) await Promise.all([...inFlight]);
    },
  };
}
