import * as z from 'zod';
import { homeRegions } from '../../domain/residency.ts';
import { rateLimitsText, tenantResidencyText } from '../../functions/shared/platform/config.ts';

/** The environment `npm start` and `npm run token` read: the contract in the README (Configuration). */
const settingsSchema = z.object({
  MERIDIAN_REGIONS: z
    .string()
    .default('eu-central-1,us-east-1')
    .transform((list) =>
      list
        .split(',')
        .map((region) => region.trim())
        .filter(Boolean),
    )
    .pipe(z.array(z.enum(homeRegions)).min(1)),
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  HOST: z.string().default('127.0.0.1'),
  MERIDIAN_DATA_DIR: z.string().min(1).default('.meridian'),
  DYNAMODB_ENDPOINT: z.url().optional(),
  /** JSON: {"<tenant>": {"region"?: R, "countries"?: {"<CC>": R}}} */
  MERIDIAN_TENANT_RESIDENCY: tenantResidencyText.optional(),
  /** JSON: {"tenantPerMinute"?: N, "tokenPerMinute"?: N, "tenants"?: {"<tenant>": {...}}} */
  MERIDIAN_RATE_LIMITS: rateLimitsText.optional(),
  /** How often each region's heads digest is written under MERIDIAN_DATA_DIR/audit (seconds). */
  MERIDIAN_DIGEST_INTERVAL: z.coerce.number().int().min(1).max(86400).default(60),
});

export type LocalSettings = z.infer<typeof settingsSchema>;

export function localSettings(env: NodeJS.ProcessEnv): LocalSettings {
  const parsed = settingsSchema.safeParse({
    ...env,
    DYNAMODB_ENDPOINT: env.DYNAMODB_ENDPOINT || undefined,
    MERIDIAN_TENANT_RESIDENCY: env.MERIDIAN_TENANT_RESIDENCY || undefined,
    MERIDIAN_RATE_LIMITS: env.MERIDIAN_RATE_LIMITS || undefined,
    // MERIDIAN_DIGEST_SECONDS is the name it had before: still read, the new name wins.
    MERIDIAN_DIGEST_INTERVAL: env.MERIDIAN_DIGEST_INTERVAL || env.MERIDIAN_DIGEST_SECONDS || undefined,
  });
  if (parsed.success) return parsed.data;
  const problems = parsed.error.issues.map((issue) => `  ${issue.path.join('.')}: ${issue.message}`).join('\n');
  throw new Error(`invalid configuration:\n${problems}`);
}
