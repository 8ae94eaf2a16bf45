import { maxQueryWords, maxTicketsExamined } from '../../shared/application/ticket-search.ts';
import { authProblems, json, opaqueCursor, problems, refusal, route } from '../openapi/operation.ts';
import { searchQuery } from '../schemas/search.ts';
import { ticketPage } from '../schemas/tickets.ts';

/** Full-text search over the tenant's tickets, by keyed hashes of words. */
export const searchRoutes = [
  route('GET', '/v1/search', 'search', {
    operationId: 'searchTickets',
    tags: ['Tickets'],
    summary: 'Tickets whose subject, description, messages, tags or field text contain every word of q, newest first',
    description:
      'Words are found with Unicode word boundaries (so Chinese, Japanese and Thai text is searchable without spaces) and ' +
      `folded for case and accents (bestätigung finds BESTATIGUNG). At most ${maxQueryWords} words of q are searched for. The index ` +
      "holds keyed hashes of words (under a key derived from the region's lookup key), never the words; it follows the tenant log, " +
      'so a change is found within seconds; an erased ticket is found by nothing. A page looks at most ' +
      `${maxTicketsExamined} tickets with the longest word, so it may come back short with a nextCursor. Personal data is shown ` +
      'as GET /v1/tickets shows it.',
    request: { query: searchQuery },
    'x-refusals': [opaqueCursor, refusal('query', '/q', 'q holds no word (only spaces or punctuation)')],
    responses: { 200: { description: 'A page', ...json(ticketPage) }, ...problems('validation', ...authProblems) },
  }),
];
