import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { type ApiResponse, publicHandler } from '../../shared/platform/http/api-handler.ts';
import { Problem } from '../../shared/platform/http/problem.ts';
import type { Deps } from '../../shared/ports/deps.ts';

/** Swagger UI's files: beside the handler in Lambda (the stack copies them), from the package locally. */
export const swaggerUiAssets = { 'swagger-ui-bundle.js': 'text/javascript', 'swagger-ui.css': 'text/css' } as const;
const assetDir = () => process.env.LAMBDA_TASK_ROOT ?? dirname(createRequire(import.meta.url).resolve('swagger-ui-dist/package.json'));

/** The file the stack writes beside the Lambda handler: this region's document, made at synth. */
export const openApiDocumentFile = 'openapi.json';

const docsPage = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Meridian API</title>
<link rel="stylesheet" href="/docs/swagger-ui.css"></head>
<body><div id="api"></div><script src="/docs/swagger-ui-bundle.js"></script>
<script>SwaggerUIBundle({ url: '/openapi.json', dom_id: '#api' });</script></body></html>`;

/**
 * Serves the OpenAPI document (`documentText`: made at synth and read from a file in Lambda, where
 * building it would load every schema and the generator; built from the routes locally), its
 * Swagger UI page and the page's files.
 */
export const openapi = (deps: Deps, documentText: () => string) => {
  let document: string | undefined;
  const assets = new Map<string, string>();
  return publicHandler(deps, async (event): Promise<ApiResponse> => {
    if (event.rawPath === '/openapi.json') {
      document ??= documentText();
      return { status: 200, body: document, headers: { 'content-type': 'application/json' } };
    }
    if (event.rawPath === '/docs') {
      return { status: 200, body: docsPage, headers: { 'content-type': 'text/html; charset=utf-8' } };
    }
    const asset = event.pathParameters?.asset ?? '';
    if (!Object.hasOwn(swaggerUiAssets, asset)) throw new Problem('notFound', 'No such asset');
    if (!assets.has(asset)) assets.set(asset, readFileSync(join(assetDir(), asset), 'utf8'));
    return {
      status: 200,
      body: assets.get(asset)!,
      headers: {
        'content-type': `${swaggerUiAssets[asset as keyof typeof swaggerUiAssets]}; charset=utf-8`,
        'cache-control': 'public, max-age=86400',
      },
    };
  });
};
