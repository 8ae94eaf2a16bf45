import * as z from 'zod';

/** Ids of setup items are chosen by the tenant: `berlin-office`, `tier-1`. */
export const setupIdSchema = z.string().regex(/^[a-z0-9][a-z0-9_-]{0,63}$/, 'lower-case letters, digits, - and _, up to 64');
