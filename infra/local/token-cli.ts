import { parseArgs } from 'node:util';
import * as z from 'zod';
import { roles } from '../../domain/access.ts';
import { tenantIdSchema } from '../../functions/shared/platform/http/principal.ts';
import { loadJwtSecret, signToken } from './jwt.ts';
import { localSettings } from './settings.ts';

const usage = `usage: npm run -s token -- --tenant T --role R [--role R2 ...] [--sub S] [--ttl SECONDS]
  roles: ${roles.join(', ')}
  Prints a JWT that \`npm start\` with the same MERIDIAN_JWT_SECRET / MERIDIAN_DATA_DIR accepts.`;

const argsSchema = z.object({
  tenant: tenantIdSchema,
  role: z.array(z.enum(roles)).min(1),
  sub: z.string().min(1).max(256),
  ttl: z.coerce
    .number()
    .int()
    .min(1)
    .max(30 * 24 * 3600),
});

try {
  const { values } = parseArgs({
    options: {
      tenant: { type: 'string' },
      role: { type: 'string', multiple: true },
      sub: { type: 'string', default: 'local-user' },
      ttl: { type: 'string', default: String(12 * 3600) },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help) {
    console.log(usage);
    process.exit(0);
  }
  const args = argsSchema.parse(values);
  const settings = localSettings(process.env);
  const secret = loadJwtSecret(process.env, settings.MERIDIAN_DATA_DIR);
  console.log(await signToken(secret, { tenant: args.tenant, roles: args.role, sub: args.sub, ttlSeconds: args.ttl }));
} catch (error) {
  const message =
    error instanceof z.ZodError ? error.issues.map((i) => `--${i.path.join('.')}: ${i.message}`).join('\n') : (error as Error).message;
  console.error(`${message}\n\n${usage}`);
  process.exit(2);
}
