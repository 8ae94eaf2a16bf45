import * as z from 'zod';
import { attachmentLimits, attachmentTypes } from '../../../domain/ticket/attachments.ts';
import { downloadUrlSeconds, uploadUrlSeconds } from '../../shared/aws/s3-attachment-files.ts';
import { authProblems, bodyProblems, problems, refusal, route } from '../openapi/operation.ts';
import { attachmentIdParams, uploadQuery, uploadUrlRequest, uploadUrlView, uploadView } from '../schemas/attachments.ts';

const binary = z.string().meta({ format: 'binary' });
const eachType = Object.fromEntries(attachmentTypes.map((type) => [type, { schema: binary }]));

/** Files on messages: uploaded first (a token), attached by POST /v1/tickets/{id}/messages, read back by id. */
export const attachmentRoutes = [
  route('POST', '/v1/uploads', 'attachments', {
    operationId: 'uploadFile',
    tags: ['Attachments'],
    summary: 'Upload a file to attach to a message: its bytes as the body, or (JSON) an upload URL for a large one',
    description:
      `Two ways. (1) The file itself as the body, with its Content-Type and ?filename=, up to ${attachmentLimits.bytesPerDirectUpload} ` +
      'bytes (what fits in a Lambda request): 201 Upload. (2) JSON {filename, contentType, size}, up to ' +
      `${attachmentLimits.bytesPerFile} bytes: 201 UploadUrl; PUT the bytes to uploadUrl with uploadHeaders within ` +
      `${uploadUrlSeconds / 60} minutes (S3 in AWS, the local runtime itself locally). Either way the token attaches within ` +
      `${attachmentLimits.tokenSeconds / 3600} hour, once, by this tenant (POST /v1/tickets/{id}/messages, attachments). ` +
      "Allowed types, checked against the file's first bytes (its magic number), not only the header: " +
      `${attachmentTypes.join(', ')}; text must be UTF-8 without NUL bytes. A refused file is 413 (too large) or 415 (a type ` +
      'not allowed, or bytes of another type than declared), with reason (too-large | type-not-allowed | type-mismatch) and, ' +
      "where known, the detected type; an empty file is 400. Files stay in the tenant's home region, encrypted at rest " +
      '(S3 with KMS; the data folder under the key file locally); the file name is personal data, sealed.',
    request: {
      query: uploadQuery,
      body: { required: true, content: { 'application/json': { schema: uploadUrlRequest }, ...eachType } },
    },
    'x-refusals': [refusal('query', '/filename', 'the body is a file (not JSON) and ?filename= is missing')],
    responses: {
      201: {
        description: 'An Upload (the file was in the body), or an UploadUrl (JSON asked for one)',
        content: { 'application/json': { schema: z.union([uploadView, uploadUrlView]) } },
      },
      ...problems(...bodyProblems, ...authProblems),
    },
  }),
  route('GET', '/v1/attachments/{id}', 'attachments', {
    operationId: 'getAttachment',
    tags: ['Attachments'],
    summary: 'The bytes of a file attached to a message (roles that read personal data)',
    description:
      'Locally the bytes, with Content-Disposition: attachment and the file name (RFC 8187). In AWS a 302 to a presigned S3 URL ' +
      `valid ${downloadUrlSeconds / 60} minutes. 404 for an unknown id, another tenant's file, or an upload not attached to a ` +
      'message; 410 once the file was erased with its ticket (a DSAR erasure or the retention policy).',
    request: { params: attachmentIdParams },
    responses: {
      200: {
        description: 'The file',
        headers: {
          'Content-Disposition': { description: "attachment; filename*=UTF-8''<name>", schema: { type: 'string' as const } },
          ETag: { description: "The file's SHA-256, quoted", schema: { type: 'string' as const } },
        },
        content: eachType,
      },
      302: {
        description: 'In AWS: where to fetch the bytes (a short-lived S3 URL)',
        headers: { Location: { description: 'A presigned S3 URL', schema: { type: 'string' as const } } },
      },
      ...problems('validation', 'notFound', 'gone', ...authProblems),
    },
  }),
];
