import { TZDate } from '@date-fns/tz';
import { describe, expect, it } from 'vitest';
import { formatWhen } from '../../src/schedule/format.js';
import { TIME_ZONE, toInstant, toLocal } from '../../src/schedule/local-time.js';
import { remembered } from '../../src/schedule/remembered.js';

describe('answers remembered by key', () => {
  it('when the same key is asked for again, then the answer comes from memory; past the limit it starts over', () => {
    const asked: string[] = [];
    const square = remembered(3, (key) => {
      asked.push(key);
      return Number(key) ** 2;
    });
    expect([square('2'), square('2'), square('3'), square('4'), square('2')]).toEqual([
      4, 4, 9, 16, 4,
    ]);
    expect(asked).toEqual(['2', '3', '4']);
    expect(square('5')).toBe(25);
    expect(square('2')).toBe(4);
    expect(asked).toEqual(['2', '3', '4', '5', '2']);
  });

  it('when a caller changes the instant it was given, then the next answer for that wall-clock time is unchanged', () => {
    const first = toInstant('2026-10-25', '02:30');
    first.setTime(0);
    expect(toInstant('2026-10-25', '02:30').toISOString()).toBe('2026-10-25T00:30:00.000Z');
    expect(Object.isFrozen(toLocal(new Date('2026-03-29T01:30:00Z')))).toBe(true);
  });

  it('when every quarter hour of the DST weeks 2024–2030 is converted, then the remembered answers equal a fresh computation', () => {
    const fresh = (ms: number) => {
      const local = new TZDate(ms, TIME_ZONE);
      const pad = (n: number) => String(n).padStart(2, '0');
      return `${local.getFullYear()}-${pad(local.getMonth() + 1)}-${pad(local.getDate())} ${pad(local.getHours())}:${pad(local.getMinutes())}`;
    };
    for (let year = 2024; year <= 2030; year++) {
      for (const start of [`${year}-03-24T00:00:00Z`, `${year}-10-24T00:00:00Z`]) {
        for (let ms = Date.parse(start); ms < Date.parse(start) + 8 * 86_400_000; ms += 900_000) {
          // Twice: once computed, once from memory, and a second within the same minute.
          for (const at of [ms, ms, ms + 59_999]) {
            const local = toLocal(new Date(at));
            expect(`${local.date} ${local.time}`).toBe(fresh(at));
          }
          const { date, time } = toLocal(new Date(ms));
          expect(toLocal(toInstant(date, time))).toMatchObject({ date });
        }
      }
    }
    expect(formatWhen(new Date('2026-03-29T07:00:00Z'))).toBe('söndag 29 mars kl. 09:00');
    expect(formatWhen(new Date('2026-03-29T07:00:00Z'))).toBe('söndag 29 mars kl. 09:00');
  });
});
