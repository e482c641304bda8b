import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { newId } from '../../src/ids.js';
import { containsPersonalIdentityNumber } from '../../src/privacy/personal-identity-number.js';

describe('the ids the bot issues', () => {
  it('when plain UUIDs are drawn, then now and then one reads as a personnummer (the reason for newId)', () => {
    let found: string | undefined;
    for (let draws = 0; draws < 2_000_000 && !found; draws++) {
      const id = randomUUID();
      if (containsPersonalIdentityNumber(id)) found = id;
    }
    expect(found).toBeDefined();
  });

  it('when 50,000 ids are drawn, then every one is a UUID, all differ, and none reads as a personnummer', () => {
    const ids = Array.from({ length: 50_000 }, () => newId());
    expect(new Set(ids).size).toBe(ids.length);
    for (const id of ids) {
      expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    }
    expect(ids.filter(containsPersonalIdentityNumber)).toEqual([]);
  });
});
