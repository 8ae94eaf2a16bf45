import * as z from 'zod';
import { ticketStatuses } from '../../../domain/ticket/vocabulary.ts';

export const searchQuery = z.strictObject({
  q: z.string().min(1).max(500).meta({
    description: 'Words the tickets must all contain (case and accents do not matter; Chinese, Japanese and Thai need no spaces)',
  }),
  status: z.enum(ticketStatuses).optional(),
  limit: z.coerce.number().int().min(1).max(100).default(25),
  cursor: z.string().min(1).max(2048).optional(),
});
