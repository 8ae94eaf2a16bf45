import { randomBytes } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { jwtVerify, SignJWT } from 'jose';
import type { Role } from '../../domain/access.ts';

/** What API Gateway's JWT authorizer is configured with in AWS, played locally with HS256. */
export const localIssuer = 'meridian-local';
export const localAudience = 'meridian-api';

/** MERIDIAN_JWT_SECRET, else a secret generated once into the data folder (so tokens survive restarts). */
export function loadJwtSecret(env: NodeJS.ProcessEnv, dataDir: string): Uint8Array {
  if (env.MERIDIAN_JWT_SECRET) return new TextEncoder().encode(env.MERIDIAN_JWT_SECRET);
  const file = join(dataDir, 'jwt-secret');
  if (!existsSync(file)) {
    mkdirSync(dataDir, { recursive: true });
    writeFileSync(file, randomBytes(32).toString('base64url'), { flag: 'wx', mode: 0o600 });
    chmodSync(file, 0o600);
  }
  return new TextEncoder().encode(readFileSync(file, 'utf8').trim());
}

export interface TokenRequest {
  sub: string;
  tenant: string;
  roles: Role[];
  ttlSeconds?: number;
}

export const signToken = (secret: Uint8Array, request: TokenRequest) =>
  new SignJWT({ tenant: request.tenant, roles: request.roles })
    .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
    .setSubject(request.sub)
    .setIssuer(localIssuer)
    .setAudience(localAudience)
    .setIssuedAt()
    .setExpirationTime(`${request.ttlSeconds ?? 12 * 3600}s`)
    .sign(secret);

/** The claims of a valid token, or null: signature, algorithm, issuer, audience and expiry are all checked. */
export async function verifyToken(secret: Uint8Array, token: string): Promise<Record<string, unknown> | null> {
  try {
    const { payload } = await jwtVerify(token, secret, {
      algorithms: ['HS256'],
      issuer: localIssuer,
      audience: localAudience,
      requiredClaims: ['exp', 'sub'],
    });
    return payload as Record<string, unknown>;
  } catch {
    return null;
  }
}
