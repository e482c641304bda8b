import { z } from 'zod';
import { formInvalid as invalidInput, refusePersonalNumberIn } from './form-error.js';
import { isValidLocalDate } from '../../schedule/local-time.js';
import {
  holidayPolicySchema,
  localDateSchema,
  localTimeSchema,
  type Schedule,
} from '../../schedule/schedule.schema.js';
import { defaultDurationMinutes, defaultOffsets } from '../meeting-types.js';
import {
  LIMITS,
  meetingTypeSchema,
  stepDayRuleSchema,
  type MeetingType,
  type Offsets,
  type StepDayRule,
} from '../meetings.schema.js';

/** The meeting form as it arrives: every field a string, or missing when left empty. */
const text = (max: number) => z.string().max(max).optional();
export const seriesFormSchema = z.object({
  requestId: z.uuid(),
  type: text(40),
  name: text(2000),
  recurrence: text(20),
  nth: text(4),
  weekday: text(4),
  intervalWeeks: text(10),
  dates: text(4000),
  startDate: text(40),
  time: text(20),
  duration: text(10),
  place: text(4000),
  organisations: text(4000),
  holidayPolicy: text(40),
  summerBreak: text(10),
  stepDays: text(40),
  callDays: text(10),
  deadlineDays: text(10),
  agendaDays: text(10),
});
export type SeriesForm = z.infer<typeof seriesFormSchema>;

/** A series as the form describes it, checked against the calendar and the förbund. */
export interface NewSeries {
  readonly type: MeetingType;
  readonly name: string;
  readonly schedule: Schedule;
  readonly place: string;
  readonly organisations: readonly string[];
  readonly offsets: Offsets;
  readonly stepDays: StepDayRule;
}

const value = (field: string | undefined) => (field ?? '').normalize('NFC').trim();

function choice<T extends string>(schema: z.ZodType<T>, field: string | undefined, fallback: T) {
  const raw = value(field);
  if (raw === '') return fallback;
  const parsed = schema.safeParse(raw);
  if (!parsed.success) throw invalidInput('Ett av valen i formuläret är okänt. Välj i listan.');
  return parsed.data;
}

function integer(field: string | undefined, min: number, max: number, label: string) {
  const raw = value(field);
  if (raw === '') return undefined;
  const number = /^\d{1,4}$/.test(raw) ? Number(raw) : Number.NaN;
  if (!(number >= min && number <= max)) {
    throw invalidInput(`${label}: välj ett heltal mellan ${min} och ${max}.`);
  }
  return number;
}

/**
 * The dates of a date-list series. A date that cannot be read is named by its position, never
 * quoted; a date that has passed or lies before the start date is named (it parsed, so it is
 * only a date) with the reason. Nothing is dropped without a word.
 */
export function parseDateList(textValue: string, today: string, startDate: string): string[] {
  const tokens = textValue.split(/[\s,;]+/).filter((token) => token !== '');
  if (tokens.length === 0) {
    throw invalidInput('Skriv minst ett datum, till exempel 2027-01-19.');
  }
  if (tokens.length > 100) throw invalidInput('Listan kan ha högst 100 datum.');
  const unreadable = tokens
    .map((token, index) => (isValidLocalDate(token) ? 0 : index + 1))
    .filter((position) => position > 0);
  if (unreadable.length > 0) {
    const positions =
      unreadable.length === 1
        ? String(unreadable[0])
        : `${unreadable.slice(0, -1).join(', ')} och ${unreadable.at(-1)}`;
    throw invalidInput(
      `Datum nummer ${positions} i listan går inte att läsa som ett datum. Skriv datumen ÅÅÅÅ-MM-DD, åtskilda med kommatecken, till exempel 2027-01-19, 2027-02-16.`,
    );
  }
  const past = tokens.filter((date) => date < today);
  if (past.length > 0) {
    throw invalidInput(
      `${past.join(', ')} har redan passerat. Ta bort ${past.length === 1 ? 'det datumet' : 'de datumen'} ur listan eller välj kommande datum.`,
    );
  }
  const early = tokens.filter((date) => date < startDate);
  if (early.length > 0) {
    throw invalidInput(
      `${early.join(', ')} ligger före startdatumet ${startDate}. Ändra startdatumet eller ta bort ${early.length === 1 ? 'det datumet' : 'de datumen'}.`,
    );
  }
  return [...new Set(tokens)].sort();
}

/** Reads the meeting form into a series; every problem is a Swedish message about one field. */
export function seriesFromForm(
  form: SeriesForm,
  knownOrganisations: ReadonlySet<string>,
  today: string,
): NewSeries {
  const type = choice(meetingTypeSchema, form.type, 'referensgrupp');
  const name = value(form.name);
  if (name === '') throw invalidInput('Skriv ett namn på mötet.', 'name');
  if (name.length > LIMITS.seriesName) throw invalidInput('Namnet är för långt.', 'name');
  const place = value(form.place);
  if (place.length > LIMITS.place) throw invalidInput('Platsen är för lång.', 'place');
  refusePersonalNumberIn('name', 'Namnet', name);
  refusePersonalNumberIn('place', 'Platsen', place);
  const startDate = value(form.startDate);
  if (!localDateSchema.safeParse(startDate).success) {
    throw invalidInput('Startdatumet ska skrivas ÅÅÅÅ-MM-DD, till exempel 2027-01-19.');
  }
  if (startDate < today) {
    throw invalidInput('Startdatumet har redan passerat. Välj ett datum från i dag och framåt.');
  }
  const time = value(form.time);
  if (!localTimeSchema.safeParse(time).success) {
    throw invalidInput('Tiden ska skrivas TT:MM, till exempel 09:00.');
  }
  const organisations = value(form.organisations)
    .split(',')
    .filter((id) => id !== '');
  if (organisations.some((id) => !knownOrganisations.has(id))) {
    throw invalidInput('En av organisationerna finns inte längre. Välj organisationer i listan.');
  }
  const recurrence = choice(z.enum(['monthly', 'weekly', 'dates']), form.recurrence, 'monthly');
  const weekday = Number(choice(z.enum(['1', '2', '3', '4', '5']), form.weekday, '2'));
  const schedule: Schedule = {
    startDate,
    time,
    durationMinutes: integer(form.duration, 10, 600, 'Längd') ?? defaultDurationMinutes[type],
    recurrence:
      recurrence === 'monthly'
        ? {
            kind: 'monthlyNthWeekday',
            nth: Number(choice(z.enum(['1', '2', '3', '4', '-1']), form.nth, '2')) as
              1 | 2 | 3 | 4 | -1,
            weekday,
            intervalMonths: 1,
          }
        : recurrence === 'weekly'
          ? {
              kind: 'weekly',
              weekday,
              intervalWeeks: integer(form.intervalWeeks, 1, 8, 'Var N:e vecka') ?? 1,
            }
          : { kind: 'dates', dates: parseDateList(value(form.dates), today, startDate) },
    holidayPolicy: choice(holidayPolicySchema, form.holidayPolicy, 'nextWorkday'),
    ...(choice(z.enum(['true', 'false']), form.summerBreak, 'true') === 'true'
      ? { summerBreak: { from: '06-22', to: '08-09' } }
      : {}),
    exceptions: [],
  };
  const defaults = defaultOffsets[type];
  return {
    type,
    name,
    schedule,
    place,
    organisations,
    offsets: {
      callDays: integer(form.callDays, 1, 60, 'Kallelse') ?? defaults.callDays,
      deadlineDays:
        integer(form.deadlineDays, 0, 59, 'Sista dag för punkter') ?? defaults.deadlineDays,
      agendaDays: integer(form.agendaDays, 0, 30, 'Dagordning') ?? defaults.agendaDays,
    },
    stepDays: choice(stepDayRuleSchema, form.stepDays, 'previousWorkday'),
  };
}
