import * as z from 'zod';
import { json, problems, publicRoute } from '../openapi/operation.ts';

/** Health, the OpenAPI document and its rendering. */
export const metaRoutes = [
  publicRoute('GET', '/health', 'health', {
    operationId: 'getHealth',
    tags: ['Meta'],
    summary: 'Liveness of this regional endpoint',
    responses: { 200: { description: 'Up', ...json(z.object({ status: z.literal('ok'), region: z.string() })) } },
  }),
  publicRoute('GET', '/openapi.json', 'openapi', {
    operationId: 'getOpenApiDocument',
    tags: ['Meta'],
    summary: 'This document',
    responses: { 200: { description: 'OpenAPI 3.1', ...json(z.record(z.string(), z.unknown())) } },
  }),
  publicRoute('GET', '/docs', 'openapi', {
    operationId: 'getDocsPage',
    tags: ['Meta'],
    summary: 'This document, rendered',
    responses: { 200: { description: 'HTML page', content: { 'text/html': { schema: z.string() } } } },
  }),
  publicRoute('GET', '/docs/{asset}', 'openapi', {
    operationId: 'getDocsAsset',
    tags: ['Meta'],
    summary: 'Assets of the rendered document',
    request: { params: z.object({ asset: z.string() }) },
    responses: {
      200: {
        description: 'Script or style sheet',
        content: { 'text/javascript': { schema: z.string() }, 'text/css': { schema: z.string() } },
      },
      ...problems('notFound'),
    },
  }),
];
