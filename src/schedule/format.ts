import { TZDate } from '@date-fns/tz';
import { format } from 'date-fns';
import { sv } from 'date-fns/locale';
import { TIME_ZONE } from './local-time.js';

/** "måndag 23 november kl. 09:00" in Stockholm time. */
export function formatWhen(instant: Date): string {
  return format(new TZDate(instant.getTime(), TIME_ZONE), "EEEE d MMMM 'kl.' HH:mm", {
    locale: sv,
  });
}

/** "mån 23 nov 09:00", for lists. */
export function formatWhenShort(instant: Date): string {
  return format(new TZDate(instant.getTime(), TIME_ZONE), 'EEE d MMM HH:mm', { locale: sv });
}

/** "söndag 10 januari" for a local date. */
export function formatDay(date: string): string {
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  return format(new TZDate(y, m - 1, d, 12, 0, 0, TIME_ZONE), 'EEEE d MMMM', { locale: sv });
}
