import type {
  Participant,
  ParticipantEvent,
  Step,
} from '../../src/participants/participants.schema.js';
import { cardAction } from '../../test/support/activities.js';
import type { BotProcess } from '../../test/support/bot-process.js';
import { DEFAULT_KOMMUNER } from '../../src/config.js';
import { outcomeSteps } from '../../src/participants/outcome-steps.js';
import { TIMELINE_PAGE } from '../../src/participants/participants.repository.js';
import { pageWith } from '../../src/storage/participant-rows.js';
import { participantRowKeys } from '../../src/storage/participant-tables.js';
import { loadRows, type BulkRow } from '../support/bulk.js';
import type { BenchContext } from '../support/context.js';
import { measureAnswerPath, nowEpoch, type AnswerPathResult } from '../support/answer-path.js';
import { postActivity, runLevel, warmUp, WARM_UP } from '../support/load.js';
import { withUsage } from '../support/process-stats.js';
import type { CardActionResult } from './agenda.js';

export interface StepResult {
  readonly levels: CardActionResult[];
  readonly answerPath: AnswerPathResult;
}

const slug = (text: string) =>
  text
    .toLowerCase()
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '');

/**
 * The förbund as the bench configures it: one länsdel per kommun, so 10,000 participants make
 * nine partitions of about 13,000 rows. (Azurite's in-memory store checks each insert against
 * every row of its partition, so loading one partition of 115,000 rows takes most of an hour;
 * Azure Table Storage has no such cost.) The report is measured over the whole förbund.
 */
export const BENCH_LANSDELAR = DEFAULT_KOMMUNER.map((kommun) => ({
  id: `del-${slug(kommun)}`,
  name: `Del ${kommun}`,
  kommuner: [kommun],
  coaches: 4,
  participantsPerCoach: 20,
  planYears: 3,
  startDate: '2025-01-01',
}));
const lansdelOf = (n: number) => BENCH_LANSDELAR[n % BENCH_LANSDELAR.length]!;
/** The report's cut-off in every report scenario. */
export const PERIOD_END = '2026-06-30';
const STEPS_PER_USER: Record<number, number> = { 1: 30, 8: 20, 32: 10 };
/** The first participant the step scenario's warm-up uses. */
const WARM_UP_FIRST = 3_000;

const WORKING_STEPS: readonly Step[] = [
  'kartlaggning',
  'motiverande',
  'studiebesok',
  'arbetstraning',
  'arbetsprovning',
];
const OUTCOMES: readonly Step[] = [
  'arbeteSubventionerad',
  'arbeteOsubventionerad',
  'studier',
  'annanInsats',
  'avbrott',
];

/** The code of the n-th seeded participant (0-based). */
export const benchCode = (n: number) => `D-2025-${String(n + 1).padStart(6, '0')}`;
const code = benchCode;
const isoDay = (start: string, days: number) =>
  new Date(Date.parse(`${start}T12:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);

/**
 * A länsdel of `count` participants enrolled over 2025–2026 with `eventsEach` history rows each,
 * in the register's own shape: per participant a header row, its history rows, the kept first
 * page of that history and the outcome rows the lägesrapport reads. Returns how many were enrolled by the report's cut-off: the count
 * the report card must show.
 */
async function seed(ctx: BenchContext, prefix: string, count: number, eventsEach: number) {
  const rows: BulkRow[] = [];
  const codes: BulkRow[] = [];
  let enrolledByPeriodEnd = 0;
  let events = 0;
  for (let n = 0; n < count; n++) {
    const enrolledOn = isoDay('2025-01-02', n % 600);
    if (enrolledOn <= PERIOD_END) enrolledByPeriodEnd++;
    const steps: { step: Step; on: string }[] = [{ step: 'inskrivning', on: enrolledOn }];
    for (let i = 1; i < eventsEach; i++) {
      const last = i === eventsEach - 1 && n % 2 === 0;
      steps.push({
        step: last ? OUTCOMES[n % OUTCOMES.length]! : WORKING_STEPS[i % WORKING_STEPS.length]!,
        on: isoDay(enrolledOn, i * 14),
      });
    }
    const consent = n % 4 !== 0;
    const lansdel = lansdelOf(n);
    const current = steps.at(-1)!;
    const ended = current.step === 'avbrott';
    const value: Participant = {
      code: code(n),
      lansdelId: lansdel.id,
      insatsId: 'sikta',
      gender: n % 3 === 0 ? 'kvinna' : n % 3 === 1 ? 'man' : 'annat',
      startYear: Number(enrolledOn.slice(0, 4)),
      consent,
      enrolledOn,
      ...(consent
        ? {
            birthYear: 1960 + (n % 40),
            ageGroup: n % 40 > 30 ? 'under30' : n % 40 > 10 ? '30-49' : '50+',
            kommun: lansdel.kommuner[0],
            referral: n % 5 === 0 ? 'psykiatrin' : 'forsakringskassan',
          }
        : {}),
      coachId: `29:bench-${(n % 32) + 1}`,
      coachName: `Coach ${(n % 32) + 1}`,
      responsibleOrganisationId: 'fk',
      eventCount: steps.length,
      currentStep: current.step,
      currentStepOn: current.on,
      currentStepAt: `${current.on}T10:00:00.000Z`,
      ...(ended ? { endedOn: current.on } : { nextFollowUpOn: isoDay(current.on, 42) }),
      enrolRequestId: `bench-enrol-${n}`,
      createdAt: `${enrolledOn}T09:00:00.000Z`,
      createdBy: '29:bench-1',
    };
    const stored = (kind: string, rowKey: string, fields: Record<string, unknown>) =>
      rows.push({ partitionKey: lansdel.id, rowKey, value: { ...fields, _v: 1, _k: kind } });
    stored('header', participantRowKeys.header(value.code), value);
    codes.push({ partitionKey: 'code', rowKey: value.code, value: { lansdelId: lansdel.id } });
    const history: ParticipantEvent[] = steps.map((step, seq) => ({
      id: seq === 0 ? 'inskrivning' : `bench-step-${seq}`,
      seq,
      code: value.code,
      kind: 'step',
      on: step.on,
      step: step.step,
      ...(step.step === 'annanInsats' ? { which: 'Daglig verksamhet' } : {}),
      recordedBy: value.coachId,
      recordedAt: `${step.on}T10:00:00.000Z`,
    }));
    for (const event of history) {
      stored('event', participantRowKeys.event(value.code, event.on, event.seq), event);
    }
    const page = pageWith({ events: [] }, history, TIMELINE_PAGE);
    stored('firstPage', participantRowKeys.firstPage(value.code), {
      code: value.code,
      count: history.length,
      events: JSON.stringify(page.events),
      ...(page.next ? { next: page.next } : {}),
    });
    for (const event of outcomeSteps(history)) {
      stored('outcome', participantRowKeys.outcome(value.code, event.on, event.seq), {
        code: value.code,
        step: event.step,
        on: event.on,
        seq: event.seq,
      });
    }
    events += history.length;
  }
  await loadRows(ctx.azurite.connectionString, `${prefix}Participants`, rows);
  await loadRows(ctx.azurite.connectionString, `${prefix}ParticipantKeys`, codes);
  return { enrolledByPeriodEnd, events };
}

/** Seeds the länsdel once; both participant scenarios run over it. */
export async function seedParticipants(
  ctx: BenchContext,
  prefix: string,
  count: number,
  eventsEach: number,
) {
  return { count, ...(await seed(ctx, prefix, count, eventsEach)) };
}

/**
 * A coach's status step through the participant card (Action.Execute `participants.step`, the
 * card with the timeline comes back), each virtual user on participants of its own; then the
 * sampled pass at one user that splits the table operations at the answer.
 */
export async function measureStep(ctx: BenchContext, bot: BotProcess): Promise<StepResult> {
  // As the participant card's Spara button sends it: the code and the länsdel the card names.
  const step = (n: number, requestId: string, user: number) =>
    cardAction(
      'participants.step',
      {
        code: code(n),
        lansdel: lansdelOf(n).id,
        requestId,
        stepStep: 'arbetstraning',
        stepOn: '2026-11-02',
        stepNote: 'Startar arbetsträning hos kommunen.',
      },
      { serviceUrl: ctx.connector.url, from: ctx.users[user]!, where: { kind: 'personal' } },
    );
  const recorded = (body: unknown) =>
    JSON.stringify(body).includes('Steget arbetsträning är registrerat');
  // Participants of their own for the warm-up, past those the levels and the storage-alone pass use.
  await warmUp(async (user, iteration) => {
    const target = WARM_UP_FIRST + user * WARM_UP.perUser + iteration;
    const { status, body } = await postActivity(
      bot.url,
      step(target, `bench-step-warm-up-${user}-${iteration}`, user),
    );
    return status === 200 && recorded(body);
  });
  const levels: CardActionResult[] = [];
  let next = 0;
  for (const users of ctx.levels) {
    const perUser = STEPS_PER_USER[users] ?? 10;
    const first = next;
    next += users * perUser;
    const opsBefore = ctx.proxy.count;
    const { result: level, ...usage } = await withUsage(
      bot.pid,
      () =>
        runLevel(users, perUser, async (user, iteration) => {
          const target = first + user * perUser + iteration;
          const requestId = `bench-step-${users}-${user}-${iteration}`;
          const { status, body } = await postActivity(bot.url, step(target, requestId, user));
          return status === 200 && recorded(body);
        }),
      (result) => result.latency.count,
    );
    levels.push({
      ...level,
      tableOpsPerAction:
        Math.round(((ctx.proxy.count - opsBefore) / level.latency.count) * 10) / 10,
      cpuMsPerAction: usage.cpuMsPerAction,
      rssMiB: usage.peakMiB,
    });
  }
  const answerPath = await measureAnswerPath(ctx.proxy, async (n) => {
    const activity = step(next + n, `bench-step-sampled-${n}`, 0);
    const { status, body } = await postActivity(bot.url, activity);
    return { ok: status === 200 && recorded(body), answeredAt: nowEpoch() };
  });
  return { levels, answerPath };
}
