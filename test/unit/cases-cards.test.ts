import { describe, expect, it } from 'vitest';
import type { Principal } from '../../src/access/access.schema.js';
import { defaultOrganisations } from '../../src/organisations.js';
import { orgNames } from '../../src/cases/cards/case-text.js';
import { queueView } from '../../src/cases/cards/queue-view.js';
import type { CaseSummary } from '../../src/cases/cases.schema.js';

const names = orgNames(defaultOrganisations(['Eskilstuna']));
const viewer = (roles: Principal['roles'], organisationId?: string): Principal => ({
  userId: '29:x',
  tenantId: 't',
  roles,
  configuredAdmin: false,
  ...(organisationId ? { organisationId } : {}),
});
const samordnare = viewer(['samordnare'], 'forbundskansliet');
const aCase = (n: number, status: CaseSummary['status']): CaseSummary => ({
  code: `Ä-2026-${String(n).padStart(4, '0')}`,
  conversationId: '19:c',
  organisationId: n % 2 ? 'fk' : 'kommun-eskilstuna',
  status,
  urgency: 'normal',
  revision: 1,
});

describe('the queue card', () => {
  it('when there are more than ten open cases, then they are paged and grouped by status on each page', () => {
    const cases = Array.from({ length: 23 }, (_, i) =>
      aCase(i + 1, i < 12 ? 'planerad' : 'inkommen'),
    );
    const first = queueView(cases, names, samordnare, 1);
    expect(first.pageText).toBe('Sida 1 av 3');
    expect(first.groups.map((g) => g.label)).toEqual(['Planerad (10)']);
    expect(first.hasPrevious).toBe(false);
    const second = queueView(cases, names, samordnare, 2, { organisationId: 'fk' });
    expect(second.groups.map((g) => g.label)).toEqual(['Planerad (2)', 'Inkommen (8)']);
    expect(second.subtitle).toBe('23 öppna ärenden · Försäkringskassan');
    expect(second.filter).toEqual({ organisationId: 'fk', status: '', meetingDate: '' });
    expect(queueView(cases, names, samordnare, 99).pageText).toBe('Sida 3 av 3');
  });

  it('when a samordnare sees the queue, then each case offers the next steps its status allows', () => {
    const view = queueView(
      [aCase(1, 'inkommen'), aCase(2, 'planerad'), aCase(3, 'dragen'), aCase(4, 'beslut')],
      names,
      samordnare,
      1,
    );
    const steps = Object.fromEntries(
      view.groups
        .flatMap((g) => g.rows)
        .map((row) => [
          row.code,
          (
            ['canPlan', 'canMove', 'canPresent', 'canDecide', 'canClose', 'canView'] as const
          ).filter((step) => row[step]),
        ]),
    );
    expect(steps).toEqual({
      'Ä-2026-0001': ['canPlan', 'canClose', 'canView'],
      'Ä-2026-0002': ['canMove', 'canPresent', 'canDecide', 'canView'],
      'Ä-2026-0003': ['canDecide', 'canView'],
      'Ä-2026-0004': ['canClose', 'canView'],
    });
  });

  it('when a representative sees the queue, then only their own organisation’s cases can be opened and nothing else is offered', () => {
    const view = queueView(
      [aCase(1, 'inkommen'), aCase(2, 'inkommen')],
      names,
      viewer(['representant'], 'fk'),
      1,
    );
    const rows = view.groups.flatMap((g) => g.rows);
    expect(rows.map((row) => [row.code, row.canView, row.canPlan, row.hasSteps])).toEqual([
      ['Ä-2026-0001', true, false, true],
      ['Ä-2026-0002', false, false, false],
    ]);
  });
});
