import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Duration, RemovalPolicy, Stage, Validations } from 'aws-cdk-lib';
import { type CfnStage, HttpApi, type HttpMethod, HttpNoneAuthorizer } from 'aws-cdk-lib/aws-apigatewayv2';
import { HttpJwtAuthorizer } from 'aws-cdk-lib/aws-apigatewayv2-authorizers';
import { HttpLambdaIntegration } from 'aws-cdk-lib/aws-apigatewayv2-integrations';
import type { NodejsFunction } from 'aws-cdk-lib/aws-lambda-nodejs';
import { LogGroup, RetentionDays } from 'aws-cdk-lib/aws-logs';
import { openApiDocument } from '../../functions/api/openapi/document.ts';
import { openApiDocumentFile, swaggerUiAssets } from '../../functions/api/openapi/openapi.ts';
import { type ApiFunctionName, apiFunctionNames, apiRoutes } from '../../functions/api/routes.ts';
import { apiAccess, countRequests } from './access.ts';
import { allow, lambdaFunction } from './functions.ts';
import type { Region } from './region.ts';

/**
 * The write path a peak hits (tickets opened and changed, messages, intake webhooks) keeps its own
 * concurrency, so reads, reports or a DSAR burst cannot starve it. Sized by Little's law at a
 * 250 ms mean duration (a cold ticket write in Lambda, with headroom): each of these functions may
 * alone take every peak request.
 */
export const reservedWritePath = ['create-ticket', 'add-message', 'patch-ticket', 'intake'] as const satisfies readonly ApiFunctionName[];
export const reservedConcurrencyFor = (peakRequestsPerSecond: number) => Math.ceil(peakRequestsPerSecond * 0.25);

/** The API functions that detect a text's language on the request path (ELD's model loads at init). */
export const detectsLanguage = [
  'create-ticket',
  'add-message',
  'intake',
  'import-app-reviews',
] as const satisfies readonly ApiFunctionName[];

/**
 * Memory, and so CPU share (1 vCPU at 1,769 MB), from the cold-start bench: init is one thread of
 * CPU, so at M MB it takes about the import time measured on one core x 1,769 / M. A caller waits
 * on an API function's cold start: 1,024 MB keeps the others' (140-260 ms on one core) near 240-450
 * ms, where 512 would make it 480-900; the four that load the language model (370-580 ms on one
 * core) get a whole vCPU. docs/operations.md has the table.
 */
export const apiMemoryFor = (name: ApiFunctionName) => ((detectsLanguage as readonly string[]).includes(name) ? 1769 : 1024);

/** One function per API route group, each granted what `apiAccess` says. */
export function apiFunctions(region: Region): Record<ApiFunctionName, NodejsFunction> {
  const reservedWrites = reservedConcurrencyFor(region.props.peakRequestsPerSecond);
  return Object.fromEntries(
    apiFunctionNames.map((name) => {
      const fn = lambdaFunction(region.stack, `Api-${name}`, `functions/api/${name}/handler.ts`, region.environment, {
        filesBeside: name === 'openapi' ? openApiFiles(region) : undefined,
        memorySize: apiMemoryFor(name),
        // A delivery retried from the API waits up to the receiver's 10 s (API Gateway allows 30 s).
        timeout: name === 'webhooks' ? Duration.seconds(20) : undefined,
        reservedConcurrentExecutions: (reservedWritePath as readonly string[]).includes(name) ? reservedWrites : undefined,
      });
      allow(region, fn.role!, apiAccess[name]);
      // Every authenticated answer counts against its tenant's and token's rate limits.
      if (apiRoutes.some((route) => route.fn === name && route.auth)) allow(region, fn.role!, [countRequests]);
      return [name, fn];
    }),
  ) as Record<ApiFunctionName, NodejsFunction>;
}

/**
 * What the OpenAPI function serves beside its handler: Swagger UI's two files, and this region's
 * document, made here at synth (the function would otherwise load every schema and the generator
 * on each cold start to make the same text).
 */
function openApiFiles({ stack, props }: Region): string[] {
  const folder = join(Stage.of(stack)!.outdir, `${stack.stackName}.openapi`);
  mkdirSync(folder, { recursive: true });
  const document = join(folder, openApiDocumentFile);
  writeFileSync(document, JSON.stringify(openApiDocument({ region: props.region, regionEndpoints: props.regionEndpoints })));
  return [...Object.keys(swaggerUiAssets).map((asset) => `node_modules/swagger-ui-dist/${asset}`), document];
}

/** The HTTP API: every route of functions/api/routes.ts, JWT-authorised unless public, throttled at the planned peak. */
export function httpApi({ stack, props }: Region, functions: Record<ApiFunctionName, NodejsFunction>): HttpApi {
  const api = new HttpApi(stack, 'Api', { description: `Meridian ${props.region}` });
  const authorizer = new HttpJwtAuthorizer('Jwt', props.jwtIssuer, { jwtAudience: [props.jwtAudience] });
  const integrations = new Map<ApiFunctionName, HttpLambdaIntegration>();
  for (const route of apiRoutes) {
    // One invoke permission per function (any route of this API), not one per route: a stack holds at most 500 resources.
    if (!integrations.has(route.fn))
      integrations.set(
        route.fn,
        new HttpLambdaIntegration(`${route.fn}-integration`, functions[route.fn], { scopePermissionToRoute: false }),
      );
    const added = api.addRoutes({
      path: route.path,
      methods: [route.method as HttpMethod],
      integration: integrations.get(route.fn)!,
      authorizer: route.auth ? authorizer : new HttpNoneAuthorizer(),
    });
    if (!route.auth) {
      for (const publicRoute of added) {
        Validations.of(publicRoute).acknowledge({
          id: 'AwsSolutions-APIG4',
          reason:
            'Health, the OpenAPI document and its page hold no data; the intake webhooks are called by providers, which sign each request instead (verified on the raw body before anything is read or written).',
        });
      }
    }
  }
  const accessLogs = new LogGroup(stack, 'ApiAccessLogs', { retention: RetentionDays.ONE_YEAR, removalPolicy: RemovalPolicy.RETAIN });
  const stage = api.defaultStage!.node.defaultChild as CfnStage;
  // No request bodies or headers in the access log: they carry personal data.
  stage.accessLogSettings = {
    destinationArn: accessLogs.logGroupArn,
    format: JSON.stringify({
      requestId: '$context.requestId',
      routeKey: '$context.routeKey',
      status: '$context.status',
      latencyMs: '$context.responseLatency',
      integrationError: '$context.integrationErrorMessage',
      authorizerError: '$context.authorizer.error',
    }),
  };
  // Past the planned peak, callers get 429 from API Gateway instead of queueing into Lambda and DynamoDB.
  stage.defaultRouteSettings = {
    throttlingBurstLimit: 2 * props.peakRequestsPerSecond,
    throttlingRateLimit: props.peakRequestsPerSecond,
  };
  return api;
}
