import { describe, expect, it } from 'vitest';
import { defaultOrganisations } from '../../src/access/organisations.js';
import { orgNames, queueView } from '../../src/cases/cases.cards.js';
import type { Case } from '../../src/cases/cases.schema.js';

const names = orgNames(defaultOrganisations(['Eskilstuna']));
const aCase = (n: number, status: Case['status']): Case => ({
  code: `Ä-2026-${String(n).padStart(4, '0')}`,
  conversationId: '19:c',
  organisationId: n % 2 ? 'fk' : 'kommun-eskilstuna',
  submittedBy: '29:x',
  submittedAt: '2026-11-23T08:00:00.000Z',
  requestId: `req-${n}-0000000`,
  reason: 'Hemlig skälstext',
  request: 'insats',
  urgency: 'normal',
  consent: true,
  status,
  decisions: [],
  history: [],
  updatedAt: '2026-11-23T08:00:00.000Z',
});

describe('the queue card', () => {
  it('when there are more than ten open cases, then they are paged and grouped by status on each page', () => {
    const cases = Array.from({ length: 23 }, (_, i) =>
      aCase(i + 1, i < 12 ? 'planerad' : 'inkommen'),
    );
    const first = queueView(cases, names, 1, '');
    expect(first.pageText).toBe('Sida 1 av 3');
    expect(first.groups.map((g) => g.label)).toEqual(['Planerad (10)']);
    expect(first.hasPrevious).toBe(false);
    const second = queueView(cases, names, 2, 'fk');
    expect(second.groups.map((g) => g.label)).toEqual(['Planerad (2)', 'Inkommen (8)']);
    expect(second.subtitle).toBe('23 öppna ärenden · fk');
    expect(queueView(cases, names, 99, '').pageText).toBe('Sida 3 av 3');
    expect(JSON.stringify(first)).not.toContain('Hemlig skälstext');
  });
});
