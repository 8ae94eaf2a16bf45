import * as z from 'zod';
import { channels, ticketStatuses } from '../../../domain/ticket/vocabulary.ts';
import { ulidSchema } from '../../../events/envelope.ts';
import { emailSchema, erasable } from './common.ts';

/** The requester 360 and linking contacts. */

export const requesterIdParams = z.strictObject({ id: ulidSchema.meta({ description: "The requester's subjectId (ULID)" }) });
export const linkContactBody = z
  .discriminatedUnion('kind', [
    z.strictObject({ kind: z.literal('email'), value: emailSchema() }),
    z.strictObject({ kind: z.literal('phone'), value: z.string().regex(/^\+[1-9]\d{6,14}$/, 'E.164, e.g. +4915112345678') }),
    z.strictObject({ kind: z.enum(['facebook', 'line', 'telegram']), value: z.string().min(1).max(128) }),
  ])
  .meta({ id: 'ContactInput', description: 'phone also finds WhatsApp messages from that number' });
export const requesterView = z
  .object({
    id: z.string(),
    email: erasable,
    name: erasable,
    phone: erasable.optional(),
    country: z.string(),
    locale: z.string().optional(),
    timeZone: z.string().optional(),
    channels: z.record(z.string(), z.number().int()).meta({ description: 'Tickets per channel' }),
    languages: z.record(z.string(), z.number().int()).meta({ description: 'Tickets per detected language' }),
    tickets: z.array(
      z.object({
        id: z.string(),
        subject: erasable,
        status: z.enum(ticketStatuses),
        channel: z.enum(channels),
        language: z.string().nullable(),
        team: z.string().nullable(),
        createdAt: z.iso.datetime(),
        updatedAt: z.iso.datetime(),
        erasedAt: z.iso.datetime().nullable(),
      }),
    ),
    truncated: z.boolean().meta({ description: 'More than 1000 tickets: the oldest are left out' }),
  })
  .meta({ id: 'Requester' });
