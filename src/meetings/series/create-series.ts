import { createHash } from 'node:crypto';
import type { Principal } from '../../access/access.schema.js';
import { isAppError } from '../../errors.js';
import { formInvalid as invalidInput } from './form-error.js';
import { toLocal } from '../../schedule/local-time.js';
import type { MeetingSeries } from '../meetings.schema.js';
import { requireCoordinator } from './rules.js';
import { seriesFromForm, type SeriesForm } from './series-form.js';
import { SeriesState } from './series-state.js';
import { DEADLINE_TIME, offsetProblem, stepsFor } from './timetable.js';
import { auditOf, readSeries, windowFor, type MeetingDeps } from './unit-of-work.js';

export interface CreatedSeries {
  readonly state: SeriesState;
  readonly created: boolean;
  /**
   * The first meeting's kallelse time had already passed when the series was made: it is sent
   * at once (the samordnare is told).
   */
  readonly lateKallelse?: {
    readonly date: string;
    readonly dueAt: Date;
    readonly meetingStart: Date;
  };
}

/** Who may create a series (and open the form for one): samordnare. */
export function requireSeriesCreator(actor: Principal): void {
  requireCoordinator(actor, 'Bara samordnare kan skapa mötesserier.');
}

/** A series id: a hash of who sent the form and the form's request id, never the name. */
export const seriesIdFor = (userId: string, requestId: string) =>
  `m${createHash('sha256').update(`${userId}\n${requestId}`).digest('hex').slice(0, 20)}`;

/**
 * Creates a series in a channel from the meeting form: samordnare only, one transaction (the
 * series header, its audit entry and the request's marker). The same form sent again finds the
 * series it made. Reminders are planned by the caller after the answer (see `planReminders`).
 */
export async function createSeries(
  deps: MeetingDeps,
  actor: Principal,
  conversationId: string,
  form: SeriesForm,
  knownOrganisations: ReadonlySet<string>,
): Promise<CreatedSeries> {
  requireSeriesCreator(actor);
  const now = deps.now();
  const today = toLocal(now).date;
  const input = seriesFromForm(form, knownOrganisations, today);
  const problem = offsetProblem(input.offsets);
  if (problem) throw invalidInput(problem);

  const series: MeetingSeries = {
    id: seriesIdFor(actor.userId, form.requestId),
    conversationId,
    ...input,
    organisations: [...input.organisations],
    createdBy: actor.userId,
    createdAt: now.toISOString(),
  };
  const draft = new SeriesState(
    {
      series: { value: series, etag: '' },
      headers: new Map(),
      elements: [],
      window: { headsFrom: today },
    },
    now,
  );
  const first = draft.upcoming().find((o) => o.status !== 'cancelled');
  if (!first) throw invalidInput('Schemat ger inga kommande möten. Kontrollera datum och regel.');
  const unshifted = stepsFor({ ...series, stepDays: 'keep' }, first.start);
  if (unshifted.deadline.at >= first.start) {
    throw invalidInput(
      `Sista dag för punkter (kl. ${DEADLINE_TIME}) ligger efter mötets början. Välj fler dagar före mötet.`,
    );
  }
  if (unshifted.dagordning.at <= unshifted.deadline.at) {
    throw invalidInput(
      'Dagordningen skulle skickas före sista dag för punkter. Välj färre dagar före mötet för dagordningen.',
    );
  }

  await deps.repo.register(conversationId, series.id, series.createdAt);
  const ref = { conversationId, meetingId: series.id };
  let created: boolean;
  try {
    const outcome = await deps.repo.commit(series.id, {
      writes: [{ op: 'create', row: 'series', value: series }],
      audit: [auditOf(actor, now, 'meetings.create', series.id, { type: series.type })],
      marker: { key: `create|${form.requestId}` },
    });
    created = outcome.kind === 'committed';
  } catch (error) {
    if (!isAppError(error, 'already-exists')) throw error;
    created = false;
  }
  const state = created ? draft : await readSeries(deps, ref, windowFor(today, now));
  const kallelse = stepsFor(state.series, first.start).kallelse;
  const late =
    created && kallelse.at <= now && first.start > now
      ? { date: first.key, dueAt: kallelse.at, meetingStart: first.start }
      : undefined;
  return { state, created, ...(late ? { lateKallelse: late } : {}) };
}
