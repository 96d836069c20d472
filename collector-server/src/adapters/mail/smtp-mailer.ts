import nodemailer from 'nodemailer';
import type { Mailer, MailMessage } from '../../domain/alerts/alert-ports.js';

/**
 * Sends mail through the school's SMTP relay. `SMTP_URL` is e.g. `smtp://user:pass@relay:587`
 * (STARTTLS when offered) or `smtps://…:465`. One message per recipient list; plain text only, so
 * nothing in a message can load remote content. Connections are pooled (at most two, each reused
 * for up to 100 messages): a burst of urgent alerts pays the TCP, TLS and sign-in handshakes once,
 * not once a message.
 */
export function createSmtpMailer(smtpUrl: string, from: string): Mailer & { close(): void } {
  const transport = nodemailer.createTransport({
    url: smtpUrl,
    pool: true,
    maxConnections: 2,
    maxMessages: 100,
  });
  return {
    async send(message: MailMessage) {
      await transport.sendMail({
        from,
        to: message.to,
        subject: message.subject,
        text: message.text,
        ...(message.attachments === undefined ? {} : { attachments: message.attachments }),
      });
    },
    close() {
      transport.close();
    },
  };
}

/** When no SMTP relay is configured: alerts are logged as undeliverable (and retried later). */
export function createUnconfiguredMailer(): Mailer {
  return {
    async send() {
      throw new Error('SMTP_URL is not set: e-mail alerts cannot be delivered');
    },
  };
}
