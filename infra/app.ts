import { App, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import * as z from 'zod';
import { homeRegions } from '../domain/residency.ts';
import { rateLimitsText, regionEndpointsText, tenantResidencyText } from '../functions/shared/platform/config.ts';
import { RegionalStack } from './regional-stack.ts';
import { regions } from './regions.ts';

/** The deployment-wide settings, from cdk.json or `-c`: checked here, so a typo fails the synth, not a request. */
const contextSchema = z.object({
  'meridian:jwtIssuer': z.url(),
  'meridian:jwtAudience': z.string().min(1),
  /** Each region's API as integrators reach it: `https://api.<region>.<apiDomain>` unless regionEndpoints names it. */
  'meridian:apiDomain': z.string().regex(/^[a-z0-9.-]+\.[a-z]{2,}$/, 'a DNS name such as meridian.example.com'),
  'meridian:regionEndpoints': z.string().pipe(regionEndpointsText).optional(),
  'meridian:tenantResidency': z.string().pipe(tenantResidencyText).optional(),
  /** Requests per minute per tenant and per token, and per tenant overrides (the RATE_LIMITS every API function reads). */
  'meridian:rateLimits': z.string().pipe(rateLimitsText).optional(),
  /** How long each audit heads digest stays locked in S3 (compliance mode); 7 years unless set. */
  'meridian:digestRetentionDays': z.coerce.number().int().min(1).max(36500).default(2557),
  /** Per region: API Gateway throttles above it, and the write path reserves Lambda concurrency for it. */
  'meridian:peakRequestsPerSecond': z.coerce.number().int().min(10).max(10000).default(500),
  /** The accounts' Lambda concurrency limit per region; reserved concurrency must leave 100 of it free. */
  'meridian:accountConcurrencyLimit': z.coerce.number().int().min(1000).default(1000),
  /** AWS's OpenTelemetry JavaScript layer (name:version, published in every region by AWS), or 'off' for no traces. */
  'meridian:openTelemetryLayer': z
    .string()
    .regex(/^(off|[A-Za-z0-9_-]+:\d+)$/, "a layer name and version such as AWSOpenTelemetryDistroJs:7, or 'off'")
    .default('AWSOpenTelemetryDistroJs:7'),
});

/** Context given as JSON objects in cdk.json or as JSON text with -c: both are read as text. */
const asText = (value: unknown) => (value === undefined || typeof value === 'string' ? value : JSON.stringify(value));

export function buildApp(app = new App()) {
  const read = (key: keyof z.input<typeof contextSchema>) => asText(app.node.tryGetContext(key));
  const parsed = contextSchema.safeParse(Object.fromEntries(Object.keys(contextSchema.shape).map((key) => [key, read(key as never)])));
  if (!parsed.success) {
    throw new Error(`cdk.json context: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`);
  }
  const context = parsed.data;
  const regionEndpoints = Object.fromEntries(
    homeRegions.map((region) => [
      region,
      context['meridian:regionEndpoints']?.[region] ?? `https://api.${region}.${context['meridian:apiDomain']}`,
    ]),
  );
  const stacks = regions.map(
    ({ region }) =>
      new RegionalStack(app, `Meridian-${region}`, {
        region,
        jwtIssuer: context['meridian:jwtIssuer'],
        jwtAudience: context['meridian:jwtAudience'],
        regionEndpoints,
        tenantResidency: context['meridian:tenantResidency'] ?? {},
        rateLimits: context['meridian:rateLimits'] ?? rateLimitsText.parse('{}'),
        digestRetentionDays: context['meridian:digestRetentionDays'],
        peakRequestsPerSecond: context['meridian:peakRequestsPerSecond'],
        accountConcurrencyLimit: context['meridian:accountConcurrencyLimit'],
        openTelemetryLayer: context['meridian:openTelemetryLayer'],
        env: { account: process.env.CDK_DEFAULT_ACCOUNT },
        description: `Meridian ticketing, ${region}: data of this region's customers stays here`,
      }),
  );
  Validations.of(app).addPlugins(new AwsSolutionsChecks(app, { verbose: true }));
  return { app, stacks };
}

if (import.meta.url === `file://${process.argv[1]}`) buildApp().app.synth();
