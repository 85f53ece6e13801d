/**
 * Outgoing mail through nodemailer: over SMTP when SMTP_URL is set; otherwise (the embedded default) each
 * message is written as an .eml file into DATA_DIR/outbox/, where a developer or a test can open it.
 */
import { randomUUID } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import nodemailer from 'nodemailer';
import type { Logger } from 'pino';

export interface MailMessage {
  to: string;
  subject: string;
  text: string;
}

export interface Mailer {
  send(message: MailMessage): Promise<void>;
  close(): void;
}

export interface MailerOptions {
  /** smtp:// or smtps:// URL; unset = the outbox folder. */
  smtpUrl: string | undefined;
  from: string;
  /** The outbox folder, used when smtpUrl is unset. */
  outboxDir: string;
  log: Logger;
}

export function createMailer({ smtpUrl, from, outboxDir, log }: MailerOptions): Mailer {
  if (smtpUrl) {
    const transport = nodemailer.createTransport(smtpUrl);
    return {
      async send(message) {
        const info = await transport.sendMail({ from, ...message });
        log.info({ messageId: info.messageId }, 'sent an email over SMTP');
      },
      close: () => transport.close(),
    };
  }

  const transport = nodemailer.createTransport({ streamTransport: true, buffer: true, newline: 'unix' });
  mkdirSync(outboxDir, { recursive: true, mode: 0o700 });
  return {
    async send(message) {
      const info = await transport.sendMail({ from, ...message });
      // Time first so that a listing sorts by age; the uuid keeps two messages in one millisecond apart.
      const file = join(outboxDir, `${new Date().toISOString().replace(/[:.]/g, '-')}-${randomUUID()}.eml`);
      writeFileSync(file, info.message as Buffer, { mode: 0o600 });
      log.info({ file }, 'SMTP_URL is not set: wrote the email to the outbox instead of sending it');
    },
    close: () => transport.close(),
  };
}
