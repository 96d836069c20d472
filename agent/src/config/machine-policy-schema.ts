import { keyboardLayoutSchema } from '@kestrel/shared/protocol';
import { z } from 'zod';

/**
 * The settings a technician can force on a device: Windows registry values under
 * `HKLM\SOFTWARE\Policies\Kestrel\Agent`, macOS managed preferences for `uk.org.kestrel.agent`,
 * `/etc/kestrel/agent.json` on Linux. The names are the registry value names; the ADMX template
 * (`build/windows/kestrel.admx`) declares the same set, which a test keeps in step.
 */

const LOOPBACK_HOSTS = new Set(['localhost', '127.0.0.1', '[::1]']);

/** Registry and plist values arrive as strings, numbers or lists; each field accepts what they give. */
const serverUrl = z
  .string()
  .trim()
  .pipe(z.url({ protocol: /^https?$/, message: 'must be an http(s) URL' }))
  // Captures carry screenshots of pupils' screens: plain HTTP only for a collector on this machine.
  .refine((value) => {
    // zod runs this check even after the URL check failed, so the parse must not throw.
    const url = URL.canParse(value) ? new URL(value) : undefined;
    return url === undefined || url.protocol === 'https:' || LOOPBACK_HOSTS.has(url.hostname);
  }, 'must use https (plain http is allowed only for localhost)')
  .transform((value) => value.replace(/\/+$/, ''));

const enrolmentToken = z
  .string()
  .trim()
  .min(8, 'is too short')
  .max(256, 'is too long')
  .regex(/^[\x21-\x7e]+$/, 'must be printable ASCII without spaces');

const PEM_CERTIFICATE = /-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/;
const ABSOLUTE_PATH = /^(?:[A-Za-z]:[\\/]|\\\\|\/)/;

/** A PEM bundle inline, or the absolute path of a PEM file. REG_MULTI_SZ lines are joined. */
const caCertificate = z
  .union([z.string(), z.array(z.string())])
  .transform((value) => (Array.isArray(value) ? value.join('\n') : value).trim())
  .pipe(
    z.union(
      [
        z
          .string()
          .regex(PEM_CERTIFICATE)
          .transform((pem) => ({ kind: 'pem' as const, pem })),
        z
          .string()
          .regex(ABSOLUTE_PATH)
          .max(1024)
          .transform((path) => ({ kind: 'path' as const, path })),
      ],
      { error: 'must be a PEM certificate or the absolute path of a PEM file' },
    ),
  );

/** `DOMAIN\user`, `user@domain` or `user`; a REG_SZ may list them separated by `;` or `,`. */
const excludedUsers = z
  .union([z.string(), z.array(z.string())])
  .transform((value) => (Array.isArray(value) ? value : value.split(/[;,\n]/)))
  .transform((names) => names.map((name) => name.trim()).filter((name) => name.length > 0))
  .pipe(z.array(z.string().max(256, 'has a name over 256 characters')).max(500, 'lists more than 500 users'));

/** REG_DWORD 0/1, a plist boolean, or the strings a hand-edited file might hold. */
const flag = z.union([z.boolean(), z.number(), z.string()]).transform((value, ctx) => {
  if (typeof value === 'boolean') return value;
  const text = String(value).trim().toLowerCase();
  if (['1', 'true', 'yes'].includes(text)) return true;
  if (['0', 'false', 'no'].includes(text)) return false;
  ctx.addIssue({ code: 'custom', message: 'must be 0 or 1 (true or false)' });
  return z.NEVER;
});

export const machinePolicyFieldSchemas = {
  ServerUrl: serverUrl,
  EnrolmentToken: enrolmentToken,
  CaCertificate: caCertificate,
  KeyboardLayout: z.string().trim().pipe(keyboardLayoutSchema),
  ExcludedUsers: excludedUsers,
  Paused: flag,
} as const;

export type MachinePolicyKey = keyof typeof machinePolicyFieldSchemas;
export const MACHINE_POLICY_KEYS = Object.keys(machinePolicyFieldSchemas) as MachinePolicyKey[];

export const machinePolicySchema = z
  .object(
    Object.fromEntries(
      MACHINE_POLICY_KEYS.map((key) => [key, machinePolicyFieldSchemas[key].optional()]),
    ) as {
      [K in MachinePolicyKey]: z.ZodOptional<(typeof machinePolicyFieldSchemas)[K]>;
    },
  )
  .strict();

/** The policy after validation: only the keys that were set and valid. */
export type MachinePolicy = z.output<typeof machinePolicySchema>;
export type CaCertificateSetting = NonNullable<MachinePolicy['CaCertificate']>;
