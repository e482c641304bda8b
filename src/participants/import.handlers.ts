import { randomBytes } from 'node:crypto';
import { z } from 'zod';
import type { Member, Principal } from '../access/access.schema.js';
import type { CardAction } from '../bot/bot.js';
import { renderCard, type CardJson } from '../bot/card-renderer.js';
import { errorText } from '../bot/error-text.js';
import type { FileOfferStore } from '../documents/file-offers.js';
import { invalidInput, isAppError } from '../errors.js';
import type { ParticipantHandlerDeps } from './enrol-form.js';
import { canManageAll } from './participant-access.js';
import { requirePersonal } from './participant-card.js';
import { requestIdSchema } from './participant-forms.js';
import { COLUMN_LABELS, mapColumns, STEP_COLUMN_LABELS } from './import/import-columns.js';
import { checkRows, lansdelOfList, type CheckedList } from './import/import-rows.js';
import { readDelimited, readListFile, type ListTable } from './import/list-table.js';

export interface ImportDeps extends ParticipantHandlerDeps {
  /** Where a list waits between the preview and the import (30 minutes, this user only). */
  readonly staging: FileOfferStore;
  readonly now: () => Date;
}

const STAGED_MINUTES = 30;
const PROBLEMS_SHOWN = 30;
const MAX_PASTE = 200_000;

const COLUMNS_TEXT = [
  `Krävs: ${COLUMN_LABELS.gender}, ${COLUMN_LABELS.startDate} (ÅÅÅÅ-MM-DD), ${COLUMN_LABELS.consent} (ja/nej).`,
  `Med samtycke: ${COLUMN_LABELS.birthYear} eller ${COLUMN_LABELS.ageGroup}, ${COLUMN_LABELS.kommun}, ${COLUMN_LABELS.referral}.`,
  `Valfria: ${COLUMN_LABELS.insats}, ${COLUMN_LABELS.lansdel}, ett datum per steg (${Object.values(STEP_COLUMN_LABELS).join(', ')}), ${COLUMN_LABELS.which}, ${COLUMN_LABELS.outcome} med ${COLUMN_LABELS.outcomeDate}.`,
  'Namn, personnummer, samordningsnummer och födelsedatum får aldrig finnas i listan: en sådan kolumn gör att hela listan avvisas.',
].join('\n\n');

const coachesOf = async (deps: ParticipantHandlerDeps, actor: Principal): Promise<Member[]> =>
  canManageAll(actor)
    ? (await deps.access.listPeople(actor)).filter((m) => m.roles.includes('coach'))
    : [];

interface ImportView {
  readonly stage: 'start' | 'preview' | 'done';
  readonly notice?: { text: string; isError: boolean };
  readonly stagedId?: string;
  readonly checked?: CheckedList;
  readonly rows?: number;
  readonly existing?: number;
  readonly lansdelId?: string;
  readonly coachId?: string;
  readonly doneText?: string;
}

async function card(deps: ImportDeps, actor: Principal, view: ImportView): Promise<CardJson> {
  const coaches = await coachesOf(deps, actor);
  const program = deps.participants.program;
  const checked = view.checked;
  const ready = checked ? checked.ready.length - (view.existing ?? 0) : 0;
  const withoutConsent = checked?.ready.filter((r) => !r.enrolment.consent).length ?? 0;
  const notKept = [...new Set(checked?.ready.flatMap((r) => r.notKept) ?? [])];
  const problems = checked?.problems ?? [];
  return renderCard('participant-import', {
    stage: view.stage,
    notice: view.notice?.text ?? '',
    noticeIsError: view.notice?.isError ?? false,
    columnsText: COLUMNS_TEXT,
    requestId: randomBytes(12).toString('hex'),
    stagedId: view.stagedId ?? '',
    showCoach: canManageAll(actor),
    coaches: coaches.map((c) => ({ title: c.displayName ?? c.id, value: c.id })),
    lansdelar: program.lansdelar.map((l) => ({
      title: `${l.name} (${l.kommuner.join(', ')})`,
      value: l.id,
    })),
    lansdelId: view.lansdelId ?? checked?.lansdel?.id ?? '',
    coachId: view.coachId ?? (coaches.length === 1 ? coaches[0]!.id : ''),
    facts: checked
      ? [
          { title: 'Rader i listan', value: String(view.rows ?? 0) },
          { title: 'Klara att läsa in', value: String(Math.max(0, ready)) },
          { title: 'Fanns redan', value: String(view.existing ?? 0) },
          { title: 'Med fel (läses inte in)', value: String(checked.refusedRows) },
          {
            title: 'Utan samtycke',
            value:
              withoutConsent === 0
                ? '0'
                : `${withoutConsent}: bara kön och startår sparas${notKept.length > 0 ? ` (ifyllt men inte sparat: ${notKept.join(', ')})` : ''}`,
          },
        ]
      : [],
    problems: problems.slice(0, PROBLEMS_SHOWN).map((p) => ({
      text:
        p.row === undefined
          ? p.message
          : `Rad ${p.row}${p.column ? `, kolumn ${p.column} (${p.label})` : ''}: ${p.message}`,
    })),
    moreProblems:
      problems.length > PROBLEMS_SHOWN ? `… och ${problems.length - PROBLEMS_SHOWN} fel till.` : '',
    ready: Math.max(0, ready),
    confirmTitle: `Läs in ${Math.max(0, ready)} ${ready === 1 ? 'deltagare' : 'deltagare'}`,
    doneText: view.doneText ?? '',
  });
}

/** `/deltagare import`: how the list should look, a box to paste it into, and where to send it. */
export async function importCard(deps: ImportDeps, actor: Principal): Promise<CardJson> {
  if (!canManageAll(actor) && !actor.roles.includes('coach')) {
    throw invalidInput('Bara coacher och samordnare kan läsa in deltagarlistor.');
  }
  return card(deps, actor, { stage: 'start' });
}

async function stage(deps: ImportDeps, actor: Principal, table: ListTable): Promise<string> {
  const id = randomBytes(16).toString('base64url');
  await deps.staging.put({
    id,
    userId: actor.userId,
    name: 'deltagarlista.json',
    mediaType: 'application/json',
    description: 'Deltagarlista att läsa in',
    bytes: Buffer.from(JSON.stringify(table), 'utf8'),
    expiresAt: new Date(deps.now().getTime() + STAGED_MINUTES * 60_000),
  });
  return id;
}

const tableSchema = z.object({
  headings: z.array(z.string()),
  rows: z.array(z.object({ number: z.number().int(), cells: z.array(z.string()) })),
});

async function staged(deps: ImportDeps, actor: Principal, id: string, take = false) {
  const file = take
    ? await deps.staging.take(id, actor.userId, deps.now())
    : await deps.staging.read(id, actor.userId, deps.now());
  if (!file) {
    throw invalidInput(
      'Listan finns inte kvar (den sparas i 30 minuter). Skicka eller klistra in den igen.',
    );
  }
  return tableSchema.parse(JSON.parse(file.bytes.toString('utf8')));
}

function check(deps: ImportDeps, table: ListTable, lansdelId: string | undefined) {
  const program = deps.participants.program;
  const columns = mapColumns(table);
  const lansdel =
    program.lansdelar.find((l) => l.id === lansdelId) ?? lansdelOfList(program, table, columns);
  return checkRows(program, table, columns, lansdel, deps.participants.today());
}

async function preview(
  deps: ImportDeps,
  actor: Principal,
  table: ListTable,
  stagedId: string,
  choice: { lansdelId?: string; coachId?: string; notice?: { text: string; isError: boolean } },
) {
  const checked = check(deps, table, choice.lansdelId);
  const existing = await deps.participants.importedCount(checked.ready.map((r) => r.requestId));
  return card(deps, actor, {
    stage: 'preview',
    stagedId,
    checked,
    rows: table.rows.length,
    existing,
    ...(choice.lansdelId ? { lansdelId: choice.lansdelId } : {}),
    ...(choice.coachId ? { coachId: choice.coachId } : {}),
    ...(choice.notice ? { notice: choice.notice } : {}),
  });
}

/** A list sent as a file in the personal chat: read, checked and shown as a preview. */
export function receiveList(deps: ImportDeps) {
  return async (actor: Principal, file: { name: string; bytes: Buffer }): Promise<CardJson> => {
    await importCard(deps, actor);
    return answer(
      deps,
      actor,
      async () => {
        const table = await readListFile(file.name, file.bytes);
        mapColumns(table);
        return preview(deps, actor, table, await stage(deps, actor, table), {});
      },
      {},
    );
  };
}

const choiceFields = {
  lansdelId: z.string().max(40).optional(),
  coachId: z.string().max(200).optional(),
};
const previewData = z
  .object({
    requestId: requestIdSchema.optional(),
    stagedId: z.string().max(64).optional(),
    pasted: z
      .string()
      .max(MAX_PASTE, { error: 'Listan är för lång för att klistras in. Skicka den som fil.' })
      .optional(),
    ...choiceFields,
  })
  .catchall(z.unknown());
const confirmData = z.object({
  stagedId: z.string().min(16).max(64),
  expected: z.coerce.number().int().min(0).max(100_000),
  ...choiceFields,
});

/** Refusals of a whole list come back on the card that was used, with its choices kept. */
async function answer(
  deps: ImportDeps,
  actor: Principal,
  work: () => Promise<CardJson>,
  kept: { lansdelId?: string | undefined; coachId?: string | undefined },
): Promise<CardJson> {
  try {
    return await work();
  } catch (error) {
    if (!isAppError(error) || error.reason === 'forbidden') throw error;
    // When storage cannot even show the card again, the error goes alone (its text says what
    // was saved, when anything was).
    try {
      return await card(deps, actor, {
        stage: 'start',
        notice: { text: errorText(error), isError: true },
        ...(kept.lansdelId ? { lansdelId: kept.lansdelId } : {}),
        ...(kept.coachId ? { coachId: kept.coachId } : {}),
      });
    } catch {
      throw error;
    }
  }
}

/**
 * The answer once the rows are imported. Storage failing after that must not make it sound as if
 * nothing was: the staged list is then left to expire, and the answer is a plain notice.
 */
async function doneCard(deps: ImportDeps, actor: Principal, stagedId: string, doneText: string) {
  try {
    await deps.staging.take(stagedId, actor.userId, deps.now());
    return await card(deps, actor, { stage: 'done', doneText });
  } catch (error) {
    if (!isAppError(error, 'storage-unavailable') && !isAppError(error, 'outcome-unknown')) {
      throw error;
    }
    return renderCard('notice', { title: 'Listan är inläst', text: doneText });
  }
}

export function importActions(
  deps: ImportDeps,
  doImport: (
    actor: Principal,
    checked: CheckedList,
    coachId: string,
  ) => Promise<{ created: readonly string[]; existing: number }>,
) {
  const previewAction: CardAction<typeof previewData> = {
    verb: 'participants.importPreview',
    schema: previewData,
    handle: ({ principal, conversationKind, data }) =>
      answer(
        deps,
        principal,
        async () => {
          requirePersonal({ conversationKind });
          if (data.pasted && data.pasted.trim() !== '') {
            const table = readDelimited(data.pasted);
            mapColumns(table);
            return preview(deps, principal, table, await stage(deps, principal, table), data);
          }
          if (data.stagedId) {
            return preview(
              deps,
              principal,
              await staged(deps, principal, data.stagedId),
              data.stagedId,
              data,
            );
          }
          throw invalidInput(
            'Klistra in listan i rutan (med rubrikraden först), eller skicka den som fil här i chatten.',
          );
        },
        data,
      ),
  };
  const confirmAction: CardAction<typeof confirmData> = {
    verb: 'participants.importConfirm',
    schema: confirmData,
    handle: ({ principal, conversationKind, data }) =>
      answer(
        deps,
        principal,
        async () => {
          requirePersonal({ conversationKind });
          const table = await staged(deps, principal, data.stagedId);
          const checked = check(deps, table, data.lansdelId);
          const coachId = canManageAll(principal)
            ? (data.coachId ?? '')
            : (principal.memberId ?? principal.userId);
          if (!coachId) {
            return preview(deps, principal, table, data.stagedId, {
              ...data,
              notice: { text: 'Välj vilken coach deltagarna ska ha.', isError: true },
            });
          }
          const existing = await deps.participants.importedCount(
            checked.ready.map((r) => r.requestId),
          );
          if (checked.ready.length - existing !== data.expected) {
            return preview(deps, principal, table, data.stagedId, {
              ...data,
              notice: {
                text: 'Förhandsgranskningen har ändrats. Kontrollera den och välj Läs in igen.',
                isError: true,
              },
            });
          }
          const result = await doImport(principal, checked, coachId);
          const range =
            result.created.length === 0
              ? ''
              : result.created.length === 1
                ? ` Koden är ${result.created[0]}.`
                : ` Koderna är ${result.created[0]} – ${result.created.at(-1)}.`;
          return doneCard(
            deps,
            principal,
            data.stagedId,
            `${result.created.length} ${result.created.length === 1 ? 'deltagare är inläst' : 'deltagare är inlästa'}.${range} ${result.existing} fanns redan och lades inte till igen. ${checked.refusedRows} ${checked.refusedRows === 1 ? 'rad' : 'rader'} med fel lästes inte in.`,
          );
        },
        data,
      ),
  };
  return [previewAction, confirmAction] as const;
}
