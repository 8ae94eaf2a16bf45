import { createHmac, randomBytes } from 'node:crypto';

/**
 * Signing as the Standard Webhooks specification (standardwebhooks.com) defines it: a secret is
 * `whsec_` and base64 of its bytes; the signature is `v1,` and base64 of HMAC-SHA256 over
 * `<webhook-id>.<webhook-timestamp>.<body>`; while a secret is being rotated, the header lists a
 * signature per secret, separated by spaces, and a receiver accepts any that verifies.
 * (Written here with node:crypto; the `standardwebhooks` package is the reference the tests check
 * it against.)
 */
const secretPrefix = 'whsec_';

/** A new signing secret: 32 random bytes. */
export const newSigningSecret = (): string => `${secretPrefix}${randomBytes(32).toString('base64')}`;

export const isSigningSecret = (text: string): boolean =>
  text.startsWith(secretPrefix) && Buffer.from(text.slice(secretPrefix.length), 'base64').length >= 24;

export interface WebhookMessage {
  /** Unique per message, the same on every attempt: what a receiver de-duplicates by. */
  id: string;
  /** When this attempt was signed. */
  at: Date;
  body: string;
}

const signature = (message: WebhookMessage, secret: string) => {
  const key = Buffer.from(secret.slice(secretPrefix.length), 'base64');
  const signed = `${message.id}.${Math.floor(message.at.getTime() / 1000)}.${message.body}`;
  return `v1,${createHmac('sha256', key).update(signed, 'utf8').digest('base64')}`;
};

/** The three headers of a delivery, signed with each of these secrets (the newest first). */
export function webhookHeaders(message: WebhookMessage, secrets: readonly string[]): Record<string, string> {
  if (secrets.length === 0) throw new Error('a delivery is signed with at least one secret');
  return {
    'webhook-id': message.id,
    'webhook-timestamp': String(Math.floor(message.at.getTime() / 1000)),
    'webhook-signature': secrets.map((secret) => signature(message, secret)).join(' '),
  };
}
