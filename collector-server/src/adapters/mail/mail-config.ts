import { ConfigError } from '../../config/config.js';

export interface MailConfig {
  /** Unset: e-mail alerts and reports are not sent (the dashboard still works). */
  smtpUrl?: string;
  from: string;
}

/** `SMTP_URL` and `MAIL_FROM` (docs/workflow.md, "Alerts"). */
export function parseMailConfig(env: Record<string, string | undefined>): MailConfig {
  const smtpUrl = env['SMTP_URL'] === '' ? undefined : env['SMTP_URL'];
  const from =
    env['MAIL_FROM'] === undefined || env['MAIL_FROM'] === ''
      ? 'Kestrel <kestrel@localhost>'
      : env['MAIL_FROM'];
  const problems: string[] = [];
  if (smtpUrl !== undefined && !/^smtps?:\/\/[^\s]+$/.test(smtpUrl))
    problems.push('SMTP_URL: must be an smtp:// or smtps:// URL');
  if (!/@/.test(from)) problems.push('MAIL_FROM: must contain an e-mail address');
  if (problems.length > 0) throw new ConfigError(problems);
  return { ...(smtpUrl === undefined ? {} : { smtpUrl }), from };
}
