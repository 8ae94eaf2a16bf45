import { describe, expect, it } from 'vitest';
import type { TicketCommand } from '../../domain/ticket/commands.ts';
import type { TicketEvent } from '../../domain/ticket/events.ts';
import { reverseLink } from '../../domain/ticket/vocabulary.ts';
import { assigned, given, message, opened, stateOf, status } from './given-when-then.ts';

const self = '01JDZ0000000000000000000AA';
const target = '01JDZ0000000000000000000TT';
const other = '01JDZ0000000000000000000OO';
const mergedInto = (into: string): TicketEvent[] => [{ type: 'MergedInto', data: { target: into } }, status({ from: 'new', to: 'closed' })];
const linked = (ticketId: string, kind: 'related' | 'duplicate' | 'caused-by' | 'causes'): TicketEvent => ({
  type: 'TicketLinked',
  data: { ticketId, kind },
});

describe('MergeInto (the source)', () => {
  it('closes the ticket as merged into the target', () =>
    given(opened)
      .when({ type: 'MergeInto', target })
      .then(...mergedInto(target)));
  it('folds to a closed ticket that names its target', () =>
    expect(stateOf([opened, ...mergedInto(target)])).toMatchObject({ status: 'closed', mergedInto: target, closedAt: expect.any(String) }));
  it('takes the same merge again as done', () =>
    given(opened, ...mergedInto(target))
      .when({ type: 'MergeInto', target })
      .then());
  it('refuses a merge into another ticket once merged, naming the target', () =>
    given(opened, ...mergedInto(target))
      .when({ type: 'MergeInto', target: other })
      .thenRefuses({ code: 'ticket_merged', mergedInto: target }));
  it('refuses a merge into itself', () =>
    given(opened).when({ type: 'MergeInto', target: self }).thenRefuses({ code: 'merge_into_itself' }));
  it('refuses a closed ticket', () =>
    given(opened, assigned('a'), status({ from: 'new', to: 'solved' }), status({ from: 'solved', to: 'closed' }))
      .when({ type: 'MergeInto', target })
      .thenRefuses({ code: 'ticket_closed' }));
});

describe('a merged ticket', () => {
  const merged = [opened, ...mergedInto(target)];
  it.each([
    { type: 'AddMessage', messageId: 'm', from: 'agent', authorId: 'a', body: 'x', public: true, language: null },
    { type: 'SetTags', tags: ['x'] },
    { type: 'LinkTicket', ticketId: other, kind: 'related' },
    { type: 'TakeMerged', sources: [other] },
    { type: 'RateNps', score: 9, comment: null },
  ] satisfies TicketCommand[])('refuses $type with the target it went to', (command) =>
    given(...merged)
      .when(command)
      .thenRefuses({ code: 'ticket_merged', mergedInto: target }),
  );
  it('still takes an erasure: the law reaches its data', () =>
    given(...merged)
      .when({ type: 'EraseTicket', reason: 'dsar_erasure', dsarId: 'd' })
      .then({ type: 'TicketErased', data: { reason: 'dsar_erasure', dsarId: 'd', retentionDays: null } }));
});

describe('TakeMerged (the target)', () => {
  it('takes in the sources once each', () =>
    given(opened)
      .when({ type: 'TakeMerged', sources: [other, target, other] })
      .then({ type: 'MergedTicketsTaken', data: { sources: [other, target] } }));
  it('takes in only the ones it has not yet', () =>
    given(opened, { type: 'MergedTicketsTaken', data: { sources: [other] } })
      .when({ type: 'TakeMerged', sources: [other, target] })
      .then({ type: 'MergedTicketsTaken', data: { sources: [target] } }));
  it('takes nothing again', () =>
    given(opened, { type: 'MergedTicketsTaken', data: { sources: [other] } })
      .when({ type: 'TakeMerged', sources: [other] })
      .then());
  it('refuses itself as a source', () =>
    given(opened)
      .when({ type: 'TakeMerged', sources: [self] })
      .thenRefuses({ code: 'merge_into_itself' }));
  it('folds the sources in order', () =>
    expect(
      stateOf([
        opened,
        { type: 'MergedTicketsTaken', data: { sources: [other] } },
        { type: 'MergedTicketsTaken', data: { sources: [target] } },
      ])?.mergedFrom,
    ).toEqual([other, target]));
  it('a target that was closed refuses (a ticket cannot be merged into one of its own sources: those are closed)', () =>
    given(opened, assigned('a'), status({ from: 'new', to: 'solved' }), status({ from: 'solved', to: 'closed' }))
      .when({ type: 'TakeMerged', sources: [other] })
      .thenRefuses({ code: 'ticket_closed' }));
});

describe('LinkTicket and UnlinkTicket', () => {
  it('links', () => given(opened).when({ type: 'LinkTicket', ticketId: other, kind: 'caused-by' }).then(linked(other, 'caused-by')));
  it('links closed tickets too', () =>
    given(opened, assigned('a'), status({ from: 'new', to: 'solved' }), status({ from: 'solved', to: 'closed' }))
      .when({ type: 'LinkTicket', ticketId: other, kind: 'related' })
      .then(linked(other, 'related')));
  it('takes the same link again as done', () =>
    given(opened, linked(other, 'related')).when({ type: 'LinkTicket', ticketId: other, kind: 'related' }).then());
  it('replaces the kind of an existing link', () => {
    given(opened, linked(other, 'related'))
      .when({ type: 'LinkTicket', ticketId: other, kind: 'duplicate' })
      .then(linked(other, 'duplicate'));
    expect(stateOf([opened, linked(other, 'related'), linked(other, 'duplicate')])?.links).toEqual([
      { ticketId: other, kind: 'duplicate' },
    ]);
  });
  it('refuses a link to itself', () =>
    given(opened).when({ type: 'LinkTicket', ticketId: self, kind: 'related' }).thenRefuses({ code: 'link_to_itself' }));
  it('refuses the 101st link', () => {
    const many = Array.from({ length: 100 }, (_, i) => linked(`01JDZ00000000000000000${String(i).padStart(4, '0')}`, 'related'));
    given(opened, ...many)
      .when({ type: 'LinkTicket', ticketId: other, kind: 'related' })
      .thenRefuses({ code: 'too_many_links', limit: 100 });
  });
  it('unlinks a link it has, and refuses one it has not', () => {
    given(opened, linked(other, 'related'))
      .when({ type: 'UnlinkTicket', ticketId: other })
      .then({ type: 'TicketUnlinked', data: { ticketId: other } });
    given(opened, message('agent')).when({ type: 'UnlinkTicket', ticketId: other }).thenRefuses({ code: 'link_not_found' });
    expect(stateOf([opened, linked(other, 'related'), { type: 'TicketUnlinked', data: { ticketId: other } }])?.links).toEqual([]);
  });
  it('shows the reverse on the other ticket', () => {
    expect(reverseLink('caused-by')).toBe('causes');
    expect(reverseLink('causes')).toBe('caused-by');
    expect(reverseLink('related')).toBe('related');
    expect(reverseLink('duplicate')).toBe('duplicate');
  });
});
