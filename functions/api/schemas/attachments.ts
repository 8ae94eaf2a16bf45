import * as z from 'zod';
import { attachmentLimits, attachmentTypes } from '../../../domain/ticket/attachments.ts';
import { ulidSchema } from '../../../events/envelope.ts';
import { erasable } from './common.ts';

/** An upload's token: the attachment's id and a secret, as POST /v1/uploads gave it. */
export const uploadTokenSchema = z
  .string()
  .regex(/^upl_[0-9A-HJKMNP-TV-Z]{26}_[A-Za-z0-9_-]{43}$/)
  .meta({ description: 'A token from POST /v1/uploads: attaches once, by its tenant, within an hour of the upload' });

const filename = z
  .string()
  .min(1)
  .max(attachmentLimits.filenameLength)
  .regex(/^[^\u0000-\u001f\u007f-\u009f/\\]+$/, 'no control characters, slashes or backslashes')
  .meta({ description: "The file's name as the requester or agent knows it (personal data: sealed at rest)" });

export const uploadQuery = z.strictObject({
  filename: filename.optional().meta({ description: 'Required when the body is the file itself' }),
});

export const uploadUrlRequest = z
  .strictObject({
    filename,
    contentType: z.enum(attachmentTypes),
    size: z.number().int().min(1).max(attachmentLimits.bytesPerFile),
  })
  .meta({ id: 'UploadUrlRequest' });

export const uploadView = z
  .object({
    token: uploadTokenSchema,
    filename: z.string(),
    contentType: z.enum(attachmentTypes),
    size: z.number().int(),
    sha256: z.string().meta({ description: 'Of the bytes received, hex' }),
    expiresAt: z.iso.datetime().meta({ description: 'Until when the token attaches' }),
  })
  .meta({ id: 'Upload' });

export const uploadUrlView = z
  .object({
    token: uploadTokenSchema,
    uploadUrl: z.url().meta({ description: 'PUT the bytes here, with the Content-Type given, within 15 minutes' }),
    uploadHeaders: z.record(z.string(), z.string()).meta({ description: 'Headers the PUT must carry, exactly' }),
    expiresAt: z.iso.datetime().meta({ description: 'Until when the token attaches (once the bytes are there)' }),
  })
  .meta({ id: 'UploadUrl' });

export const attachmentView = z
  .object({
    id: ulidSchema,
    filename: erasable,
    contentType: z.enum(attachmentTypes),
    size: z.number().int(),
    sha256: z.string().meta({ description: 'Of the bytes, hex' }),
    url: z.string().meta({ description: 'GET it for the bytes (roles that read personal data)' }),
  })
  .meta({ id: 'Attachment' });

export const attachmentIdParams = z.strictObject({ id: ulidSchema });
