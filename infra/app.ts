import { App, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import { RegionalStack } from './regional-stack.ts';
import { regions } from './regions.ts';

export function buildApp(app = new App()) {
  const jwtIssuer = app.node.tryGetContext('meridian:jwtIssuer') as string;
  const jwtAudience = app.node.tryGetContext('meridian:jwtAudience') as string;
  if (!jwtIssuer || !jwtAudience) throw new Error('cdk.json must set meridian:jwtIssuer and meridian:jwtAudience');
  const stacks = regions.map(
    ({ region }) =>
      new RegionalStack(app, `Meridian-${region}`, {
        region,
        jwtIssuer,
        jwtAudience,
        env: { account: process.env.CDK_DEFAULT_ACCOUNT },
        description: `Meridian ticketing, ${region}: data of this region's customers stays here`,
      }),
  );
  Validations.of(app).addPlugins(new AwsSolutionsChecks(app, { verbose: true }));
  return { app, stacks };
}

if (import.meta.url === `file://${process.argv[1]}`) buildApp().app.synth();
