import { TZDate } from '@date-fns/tz';
import { format } from 'date-fns';
import { sv } from 'date-fns/locale';
import { TIME_ZONE } from './local-time.js';
import { remembered } from './remembered.js';

/** An instant in Stockholm time in a date-fns pattern, remembered per instant. */
const stockholm = (pattern: string) =>
  remembered(10_000, (epochMs) =>
    format(new TZDate(Number(epochMs), TIME_ZONE), pattern, { locale: sv }),
  );

const when = stockholm("EEEE d MMMM 'kl.' HH:mm");
const whenShort = stockholm('EEE d MMM HH:mm');

/** "måndag 23 november kl. 09:00" in Stockholm time. */
export const formatWhen = (instant: Date): string => when(String(instant.getTime()));

/** "mån 23 nov 09:00", for lists. */
export const formatWhenShort = (instant: Date): string => whenShort(String(instant.getTime()));

/** "söndag 10 januari" for a local date. */
export const formatDay = remembered(10_000, (date: string): string => {
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  return format(new TZDate(y, m - 1, d, 12, 0, 0, TIME_ZONE), 'EEEE d MMMM', { locale: sv });
});
