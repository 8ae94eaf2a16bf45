import * as z from 'zod';
import { type Role, roles } from '../../../../domain/access.ts';

export const tenantIdSchema = z.string().regex(/^[A-Za-z0-9_-]{1,64}$/, 'must be 1-64 letters, digits, _ or -');

/** Who is calling, from the claims the JWT authorizer passed on. */
export interface Principal {
  sub: string;
  tenantId: string;
  roles: Role[];
}

/**
 * API Gateway's JWT authorizer hands array claims on as text ("[agent supervisor]"); a local or
 * direct caller hands on the array itself. Roles not known to Meridian are ignored.
 */
const rolesClaim = z
  .union([z.array(z.string()), z.string()])
  .transform((value) => (Array.isArray(value) ? value : value.replace(/^\[|\]$/g, '').split(/[\s,]+/)))
  .transform((names) => names.filter((name): name is Role => (roles as readonly string[]).includes(name)));

const claimsSchema = z.object({ sub: z.string().min(1).max(256), tenant: tenantIdSchema, roles: rolesClaim });

export const principalFromClaims = (claims: unknown): Principal | null => {
  const parsed = claimsSchema.safeParse(claims);
  return parsed.success ? { sub: parsed.data.sub, tenantId: parsed.data.tenant, roles: parsed.data.roles } : null;
};
