import { TZDate } from '@date-fns/tz';
import { remembered } from './remembered.js';

/** Every meeting and reminder is planned in Swedish wall-clock time. */
export const TIME_ZONE = 'Europe/Stockholm';

/** A calendar date `yyyy-MM-dd` and a wall-clock time `HH:mm`, both in {@link TIME_ZONE}. */
export type LocalDate = string;
export type LocalTime = string;

const pad = (value: number) => String(value).padStart(2, '0');

function parts(date: LocalDate, time: LocalTime) {
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  const [hh, mm] = time.split(':').map(Number) as [number, number];
  return { y, m, d, hh, mm };
}

export interface LocalDateTime {
  readonly date: LocalDate;
  readonly time: LocalTime;
  readonly isoWeekday: number;
}

/** Kept per minute: the wall clock shows minutes, and Stockholm's offset changes on whole hours. */
const localOf = remembered(20_000, (epochMinute): LocalDateTime => {
  const local = new TZDate(Number(epochMinute) * 60_000, TIME_ZONE);
  const weekday = local.getDay();
  return Object.freeze({
    date: `${local.getFullYear()}-${pad(local.getMonth() + 1)}-${pad(local.getDate())}`,
    time: `${pad(local.getHours())}:${pad(local.getMinutes())}`,
    isoWeekday: weekday === 0 ? 7 : weekday,
  });
});

/** The wall-clock date and time of an instant in Stockholm. */
export function toLocal(instant: Date): LocalDateTime {
  return localOf(String(Math.floor(instant.getTime() / 60_000)));
}

/**
 * The instant a Stockholm wall-clock time happens.
 * @remarks The two DST edges have a fixed rule:
 * - a time that does not exist (02:00–02:59 on the last Sunday of March) moves forward by the
 *   gap: 02:30 becomes 03:30 CEST;
 * - a time that happens twice (02:00–02:59 on the last Sunday of October) is the first one,
 *   in summer time: 02:30 is 00:30 UTC. A reminder is never late and is planned once.
 */
export function toInstant(date: LocalDate, time: LocalTime): Date {
  return new Date(instantOf(`${date}T${time}`));
}

const instantOf = remembered(20_000, (dateTime): number => {
  const [date, time] = dateTime.split('T') as [LocalDate, LocalTime];
  const { y, m, d, hh, mm } = parts(date, time);
  const resolved = new TZDate(y, m - 1, d, hh, mm, 0, TIME_ZONE);
  const hourEarlier = resolved.getTime() - 3_600_000;
  const again = toLocal(new Date(hourEarlier));
  return again.date === date && again.time === time ? hourEarlier : resolved.getTime();
});

/** Calendar arithmetic on local dates, independent of time zones. */
export function addDays(date: LocalDate, days: number): LocalDate {
  const { y, m, d } = parts(date, '00:00');
  const shifted = new Date(Date.UTC(y, m - 1, d + days));
  return `${shifted.getUTCFullYear()}-${pad(shifted.getUTCMonth() + 1)}-${pad(shifted.getUTCDate())}`;
}

/** ISO weekday of a local date: 1 Monday … 7 Sunday. */
export function isoWeekday(date: LocalDate): number {
  const { y, m, d } = parts(date, '00:00');
  const day = new Date(Date.UTC(y, m - 1, d)).getUTCDay();
  return day === 0 ? 7 : day;
}

export function isValidLocalDate(date: string): boolean {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(date)) return false;
  const { y, m, d } = parts(date, '00:00');
  const probe = new Date(Date.UTC(y, m - 1, d));
  return probe.getUTCFullYear() === y && probe.getUTCMonth() === m - 1 && probe.getUTCDate() === d;
}
