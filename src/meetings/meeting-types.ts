import type { ItemCategory, MeetingType, Offsets } from './meetings.schema.js';

export const meetingTypeLabels: Record<MeetingType, string> = {
  referensgrupp: 'Referensgrupp',
  rsg: 'RSG (regional samverkansgrupp)',
  psykiatri: 'Psykiatri-avstämning',
  styrgrupp: 'Lokal styrgrupp',
  samrad: 'Samråd',
  annat: 'Annat möte',
};

/** Sensible defaults per meeting type: when the kallelse, the item deadline and the agenda go out. */
export const defaultOffsets: Record<MeetingType, Offsets> = {
  referensgrupp: { callDays: 7, deadlineDays: 2, agendaDays: 1 },
  rsg: { callDays: 14, deadlineDays: 5, agendaDays: 2 },
  psykiatri: { callDays: 7, deadlineDays: 2, agendaDays: 1 },
  styrgrupp: { callDays: 10, deadlineDays: 3, agendaDays: 1 },
  samrad: { callDays: 3, deadlineDays: 1, agendaDays: 0 },
  annat: { callDays: 7, deadlineDays: 2, agendaDays: 1 },
};

export const defaultDurationMinutes: Record<MeetingType, number> = {
  referensgrupp: 90,
  rsg: 120,
  psykiatri: 60,
  styrgrupp: 90,
  samrad: 60,
  annat: 60,
};

export const itemCategoryLabels: Record<ItemCategory, string> = {
  forbattring: 'Förbättring',
  fraga: 'Fråga',
  fungerarBra: 'Fungerar bra',
  information: 'Information',
  forBeslut: 'För beslut',
};
