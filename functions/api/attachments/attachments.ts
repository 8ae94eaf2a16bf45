import { acceptUpload, offerUploadUrl, readAttachment } from '../../shared/application/attachments.ts';
import { apiHandler, byRouteKey, type HttpHandler } from '../../shared/platform/http/api-handler.ts';
import { validationProblem } from '../../shared/platform/http/problem.ts';
import type { Deps } from '../../shared/ports/deps.ts';
import { attachmentIdParams, uploadQuery, uploadUrlRequest } from '../schemas/attachments.ts';

/** Uploads (a file in the request, or an upload URL for a large one) and reading attached files. */
export const attachments = (deps: Deps): HttpHandler => {
  const upload = apiHandler(
    deps,
    { permission: 'tickets:write', body: uploadUrlRequest, query: uploadQuery, raw: true },
    async (request) => {
      const uploader = { tenantId: request.principal.tenantId, uploadedBy: request.principal.sub };
      if (request.body) {
        const offer = await offerUploadUrl(deps, uploader, request.body);
        return { status: 201, body: offer };
      }
      const { filename } = request.query;
      if (filename === undefined) {
        throw validationProblem([{ path: '/filename', location: 'query', message: 'A file sent as the body needs its name: ?filename=' }]);
      }
      const declaredType = request.headers['content-type'] ?? '';
      const receipt = await acceptUpload(deps, uploader, { filename, declaredType, bytes: request.raw });
      return { status: 201, body: receipt };
    },
  );

  const read = apiHandler(deps, { permission: 'personal-data:read', params: attachmentIdParams }, async (request) => {
    const file = await readAttachment(deps, request.principal.tenantId, request.params.id);
    const headers = { 'cache-control': 'private, no-store', 'x-content-type-options': 'nosniff' };
    if ('url' in file.delivery) return { status: 302, headers: { ...headers, location: file.delivery.url } };
    return {
      status: 200,
      body: file.delivery.bytes,
      headers: {
        ...headers,
        'content-type': file.contentType,
        'content-disposition': contentDisposition(file.filename),
        etag: `"${file.sha256}"`,
      },
    };
  });

  return byRouteKey('attachments', { 'POST /v1/uploads': upload, 'GET /v1/attachments/{id}': read });
};

/** RFC 6266 with an RFC 8187 name: any filename survives, and none can inject a header. */
const contentDisposition = (filename: string | null) =>
  filename === null
    ? 'attachment'
    : `attachment; filename*=UTF-8''${encodeURIComponent(filename).replace(/['()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`)}`;
