import { describe, expect, it } from 'vitest';
import {
  CASE_TRANSITIONS,
  canTransition,
  requireTransition,
} from '../../src/cases/case-lifecycle.js';
import { CASE_STATUSES } from '../../src/cases/cases.schema.js';
import { isAppError } from '../../src/errors.js';

const refusal = (step: () => void) => {
  try {
    step();
    return '';
  } catch (error) {
    return isAppError(error, 'invalid-input') ? (error.userMessage ?? '') : String(error);
  }
};

describe('the life cycle of a case', () => {
  it('when a step is not in the transition table, then it is refused in Swedish', () => {
    expect(canTransition('inkommen', 'dragen')).toBe(false);
    expect(canTransition('beslut', 'planerad')).toBe(false);
    expect(canTransition('planerad', 'dragen')).toBe(true);
    expect(refusal(() => requireTransition('Ä-2026-0001', 'inkommen', 'beslut'))).toMatch(
      /är inkommen och kan inte bli beslut\. Nästa steg kan vara: planerad, i kö, avslutad/,
    );
    expect(refusal(() => requireTransition('Ä-2026-0001', 'avslutad', 'planerad'))).toMatch(
      /avslutat ärende kan inte ändras/,
    );
    expect(refusal(() => requireTransition('Ä-2026-0001', 'planerad', 'dragen'))).toBe('');
  });

  it('when the table is walked, then every open status can reach avslutad and avslutad leads nowhere', () => {
    const reaches = (from: string, seen = new Set<string>()): boolean => {
      if (from === 'avslutad') return true;
      seen.add(from);
      return CASE_TRANSITIONS[from as keyof typeof CASE_TRANSITIONS].some(
        (to) => !seen.has(to) && reaches(to, seen),
      );
    };
    for (const status of CASE_STATUSES) expect(reaches(status)).toBe(true);
    expect(CASE_TRANSITIONS.avslutad).toEqual([]);
  });
});
