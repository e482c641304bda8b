import { describe, expect, it } from 'vitest';
import { MAX_REFRESH_USERS, refreshUserIds } from '../../src/meetings/cards/agenda-cards.js';
import type { AgendaItem, MeetingSeries } from '../../src/meetings/meetings.schema.js';

const series = { createdBy: '29:samordnare' } as MeetingSeries;

const item = (n: number, authorId = `29:author-${n}`): AgendaItem => ({
  id: `item-${n}`,
  date: '2027-01-12',
  title: `Punkt ${n}`,
  description: '',
  category: 'fraga',
  presenter: '',
  minutes: 5,
  authorId,
  authorName: '',
  createdAt: new Date(Date.UTC(2027, 0, 1, 8, n)).toISOString(),
  late: false,
  status: 'active',
  order: n,
  handled: false,
});

const occurrenceWith = (items: AgendaItem[]) => ({ items });

describe('who the agenda card refreshes itself for', () => {
  it('when more people added items than Teams allows, then the samordnare and the most recent authors up to 60 are named', () => {
    const items = Array.from({ length: 70 }, (_, n) => item(n));
    const ids = refreshUserIds(series, occurrenceWith(items));
    expect(MAX_REFRESH_USERS).toBe(60);
    expect(ids).toHaveLength(60);
    expect(ids[0]).toBe('29:samordnare');
    expect(ids[1]).toBe('29:author-69');
    expect(ids).not.toContain('29:author-10');
  });

  it('when one person added several items, then they are named once', () => {
    const items = [item(1, '29:erik'), item(2, '29:erik'), item(3, '29:samordnare')];
    expect(refreshUserIds(series, occurrenceWith(items))).toEqual(['29:samordnare', '29:erik']);
  });
});

describe('who the kallelse refreshes itself for, by role', () => {
  it('when samordnare are named, then they come first, before the series’ creator and the authors, each once', () => {
    const items = [item(1, '29:erik'), item(2, '29:bo')];
    expect(refreshUserIds(series, occurrenceWith(items), ['29:bo', '29:anna'])).toEqual([
      '29:bo',
      '29:anna',
      '29:samordnare',
      '29:erik',
    ]);
  });

  it('when there are more samordnare and authors than Teams allows, then the samordnare are kept and the list stops at 60', () => {
    const coordinators = Array.from({ length: 50 }, (_, n) => `29:samordnare-${n}`);
    const items = Array.from({ length: 30 }, (_, n) => item(n));
    const ids = refreshUserIds(series, occurrenceWith(items), coordinators);
    expect(ids).toHaveLength(60);
    expect(ids.slice(0, 50)).toEqual(coordinators);
    expect(ids).toContain('29:author-29');
    expect(ids).not.toContain('29:author-0');
  });
});
