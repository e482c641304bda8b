import { TZDate } from '@date-fns/tz';
import { format } from 'date-fns';
import { sv } from 'date-fns/locale';
import { TIME_ZONE } from './local-time.js';
import { remembered } from './remembered.js';

/** An instant in Stockholm time in a date-fns pattern (to the minute), remembered per minute. */
const stockholm = (pattern: string) => {
  const text = remembered(10_000, (epochMinute) =>
    format(new TZDate(Number(epochMinute) * 60_000, TIME_ZONE), pattern, { locale: sv }),
  );
  return (instant: Date): string => text(String(Math.floor(instant.getTime() / 60_000)));
};

/** "måndag 23 november kl. 09:00" in Stockholm time. */
export const formatWhen = stockholm("EEEE d MMMM 'kl.' HH:mm");

/** "mån 23 nov 09:00", for lists. */
export const formatWhenShort = stockholm('EEE d MMM HH:mm');

/** "söndag 10 januari" for a local date. */
export const formatDay = remembered(10_000, (date: string): string => {
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  return format(new TZDate(y, m - 1, d, 12, 0, 0, TIME_ZONE), 'EEEE d MMMM', { locale: sv });
});
