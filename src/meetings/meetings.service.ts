import { createHash, randomBytes } from 'node:crypto';
import { hasRole, type Principal } from '../access/access.schema.js';
import type { AuditLog } from '../audit/audit.schema.js';
import { retryOnConflict } from '../concurrency.js';
import { AppError, forbidden, invalidInput, isAppError, notFound } from '../errors.js';
import { refusePersonalIdentityNumbers } from '../privacy/personal-identity-number.js';
import type { ReminderKind } from '../reminders/reminders.schema.js';
import type { ScheduleInput } from '../reminders/reminders.service.js';
import { addDays, toInstant, toLocal } from '../schedule/local-time.js';
import {
  occurrences as planOccurrences,
  type Occurrence as Planned,
} from '../schedule/recurrence.js';
import type { Schedule } from '../schedule/schedule.schema.js';
import { slugify } from '../text.js';
import type { Versioned } from '../versioned.js';
import { STEP_TIME, defaultOffsets } from './meeting-types.js';
import type {
  ActionItemRepository,
  DecisionRepository,
  MeetingRepository,
  OccurrenceRepository,
} from './meetings.repository.js';
import type {
  ActionItem,
  AgendaItem,
  Decision,
  ItemCategory,
  MeetingSeries,
  MeetingType,
  Occurrence,
  Offsets,
} from './meetings.schema.js';

/** The reminder engine, as far as meetings need it. */
export interface MeetingReminders {
  schedule(input: ScheduleInput): Promise<unknown>;
  cancelPlanned(ref: { id: string; dueAt: string }): Promise<boolean>;
}

export interface MeetingServiceDeps {
  readonly meetings: MeetingRepository;
  readonly occurrences: OccurrenceRepository;
  readonly decisions: DecisionRepository;
  readonly actionItems: ActionItemRepository;
  readonly reminders: MeetingReminders;
  readonly audit: AuditLog;
  readonly now: () => Date;
  /** The user's personal chat with the bot, where their own reminders go; undefined if none. */
  readonly personalConversationOf: (userId: string) => Promise<string | undefined>;
}

/** Which occurrence a card or command points at. */
export interface OccurrenceRef {
  readonly conversationId: string;
  readonly meetingId: string;
  readonly date: string;
}

export interface NewSeries {
  readonly type: MeetingType;
  readonly name: string;
  readonly schedule: Schedule;
  readonly place: string;
  readonly organisations: readonly string[];
  readonly offsets?: Offsets;
  /** The form's request id: the same person sending the same form again creates nothing. */
  readonly requestId?: string;
}

export interface NewItem extends ItemChange {
  readonly requestId: string;
}

export interface ItemChange {
  readonly title: string;
  readonly description: string;
  readonly category: ItemCategory;
  readonly presenter: string;
  readonly minutes: number;
}

export interface ItemRecord {
  readonly notes: string;
  readonly decision: string;
  readonly actionWhat: string;
  readonly actionOwnerId: string;
  readonly actionOwnerName: string;
  readonly actionDue: string;
}

/** A planned occurrence with its series and, once anyone touched it, its stored agenda. */
export interface UpcomingOccurrence {
  readonly series: MeetingSeries;
  readonly planned: Planned;
}

/** How far ahead reminders are planned when a series is created or changed. */
const PLANNING_DAYS = 400;
const MAX_PLANNED = 30;
const MAX_ITEMS = 40;
const DEADLINE_TIME = '12:00';

export const reminderIds = (meetingId: string, date: string, kind: ReminderKind) =>
  `mtg.${meetingId}.${date}.${kind}`;

/** The keys the kallelse (live agenda), the dagordning and the minutes are posted under. */
export const meetingCardKeys = (meetingId: string, date: string) => ({
  agenda: `agenda.${meetingId}.${date}`,
  dagordning: `dagordning.${meetingId}.${date}`,
  minutes: `minutes.${meetingId}.${date}`,
});

/**
 * Meeting series, their agendas, decisions and action items. All rules live here; handlers
 * only translate cards and commands.
 */
export class MeetingService {
  constructor(private readonly deps: MeetingServiceDeps) {}

  // ---- Series --------------------------------------------------------------------------------

  /**
   * Creates a series and plans its reminders. With the form's request id, a repeated click
   * finds the series it already made (and completes its reminders) instead of making another.
   */
  async createSeries(
    actor: Principal,
    conversationId: string,
    input: NewSeries,
  ): Promise<{ series: MeetingSeries; created: boolean }> {
    requireCoordinator(actor);
    refusePersonalIdentityNumbers(input.name, input.place);
    const offsets = input.offsets ?? defaultOffsets[input.type];
    if (offsets.deadlineDays >= offsets.callDays) {
      throw invalidInput('Sista dag för punkter måste ligga efter kallelsen och före mötet.');
    }
    if (offsets.agendaDays > offsets.deadlineDays) {
      throw invalidInput('Dagordningen kan inte skickas före sista dag för punkter.');
    }
    const today = toLocal(this.deps.now()).date;
    if (input.schedule.startDate < today) {
      throw invalidInput('Startdatumet har redan passerat. Välj ett datum från idag och framåt.');
    }
    const first = this.planned(input.schedule, today).find((o) => o.status !== 'skipped');
    if (!first) throw invalidInput('Schemat ger inga kommande möten. Kontrollera datum och regel.');
    const steps = stepTimes(offsets, first);
    if (steps.deadline >= first.start) {
      throw invalidInput(
        'Sista dag för punkter (kl. 12.00) ligger efter mötets början. Välj fler dagar före mötet.',
      );
    }
    if (steps.agenda <= steps.deadline) {
      throw invalidInput(
        'Dagordningen skulle skickas före sista dag för punkter. Välj färre dagar före mötet för dagordningen.',
      );
    }

    const suffix = input.requestId
      ? createHash('sha256').update(`${actor.userId}\n${input.requestId}`).digest('hex')
      : randomBytes(3).toString('hex');
    const series: MeetingSeries = {
      id: `${slugify(input.name).slice(0, 40) || 'mote'}-${suffix.slice(0, 6)}`,
      conversationId,
      type: input.type,
      name: input.name.normalize('NFC').trim(),
      schedule: input.schedule,
      place: input.place.normalize('NFC').trim(),
      organisations: [...input.organisations],
      offsets,
      createdBy: actor.userId,
      createdAt: this.deps.now().toISOString(),
    };
    try {
      await this.deps.meetings.create(series);
    } catch (error) {
      if (!isAppError(error, 'already-exists')) throw error;
      const existing = await this.series(conversationId, series.id);
      await this.planReminders(existing, existing.createdBy);
      return { series: existing, created: false };
    }
    await this.audit(actor, 'meetings.create', series.id, { type: series.type });
    await this.planReminders(series, actor.userId);
    return { series, created: true };
  }

  async series(conversationId: string, meetingId: string): Promise<MeetingSeries> {
    const stored = await this.deps.meetings.get(conversationId, meetingId);
    if (!stored) throw notFound('Mötesserien finns inte i den här kanalen.');
    return stored.value;
  }

  /** Upcoming occurrences of every series in the channel, soonest first. */
  async upcoming(conversationId: string, days = 60): Promise<UpcomingOccurrence[]> {
    const today = toLocal(this.deps.now()).date;
    const list: UpcomingOccurrence[] = [];
    for (const series of await this.deps.meetings.list(conversationId)) {
      for (const planned of this.planned(series.schedule, today, days)) {
        if (planned.status !== 'skipped' && planned.end > this.deps.now()) {
          list.push({ series, planned });
        }
      }
    }
    return list.sort((a, b) => a.planned.start.getTime() - b.planned.start.getTime());
  }

  /** The next occurrence that has not started, across the channel's series (or one series). */
  async next(conversationId: string, meetingId?: string): Promise<UpcomingOccurrence | undefined> {
    const list = await this.upcoming(conversationId, 400);
    return list.find(
      (o) =>
        (!meetingId || o.series.id === meetingId) &&
        o.planned.status !== 'cancelled' &&
        o.planned.start > this.deps.now(),
    );
  }

  async moveOccurrence(
    actor: Principal,
    ref: OccurrenceRef,
    toDate: string,
    toTime?: string,
  ): Promise<MeetingSeries> {
    requireCoordinator(actor);
    const { series, planned } = await this.plannedOccurrence(ref);
    const start = toInstant(toDate, toTime ?? planned.time);
    if (start <= this.deps.now()) throw invalidInput('Den nya tiden har redan passerat.');
    const stored = await this.deps.occurrences.get(ref.meetingId, ref.date);
    if (stored && stored.value.state !== 'planned') requireNotClosed(stored.value);
    const clash = planOccurrences(series.schedule, toDate, toDate).some(
      (o) => o.key !== ref.date && (o.status === 'planned' || o.status === 'moved'),
    );
    if (clash) throw invalidInput(`Serien har redan ett möte ${toDate}. Välj en annan dag.`);
    const updated = await this.changeSeries(ref, (current) => ({
      ...current,
      schedule: {
        ...current.schedule,
        exceptions: [
          ...current.schedule.exceptions.filter((e) => e.date !== ref.date),
          { action: 'move', date: ref.date, toDate, ...(toTime ? { toTime } : {}) },
        ],
      },
    }));
    await this.cancelReminders(series, planned);
    const moved = this.planned(updated.schedule, ref.date, 1).find((o) => o.key === ref.date);
    if (moved) await this.planOccurrenceReminders(updated, moved, actor.userId);
    await this.updateStored(ref, (occ) => ({ ...occ, startsAt: start.toISOString() }));
    await this.audit(actor, 'meetings.move', series.id, { date: ref.date, toDate });
    return updated;
  }

  /**
   * Cancels one occurrence. Its agenda items move to a later occurrence (`toDate`, by default
   * the next one), marked as carried over, so nothing anyone put forward is lost.
   */
  async cancelOccurrence(
    actor: Principal,
    ref: OccurrenceRef,
    toDate?: string,
  ): Promise<{ movedItems: number; to?: string }> {
    requireCoordinator(actor);
    const { series, planned } = await this.plannedOccurrence(ref);
    const stored = await this.deps.occurrences.get(ref.meetingId, ref.date);
    if (stored?.value.state === 'closed') {
      throw invalidInput('Mötet är redan avslutat och kan inte ställas in.');
    }
    const open = (stored?.value.items ?? []).filter(isOpen);
    const later = this.planned(series.schedule, addDays(ref.date, 1), PLANNING_DAYS).filter(
      (o) => o.status === 'planned' || o.status === 'moved',
    );
    const next = toDate ? later.find((o) => o.key === toDate) : later[0];
    if (toDate && !next) {
      throw invalidInput('Punkterna kan bara flyttas till ett senare möte i samma serie.');
    }
    if (open.length > 0 && !next) {
      throw invalidInput(
        'Mötet har punkter men det finns inget senare möte att flytta dem till. Lägg till ett datum först.',
      );
    }
    if (next && open.length > 0) {
      await this.carryOver(series, ref.date, next, open);
    }
    await this.changeSeries(ref, (current) => ({
      ...current,
      schedule: {
        ...current.schedule,
        exceptions: [
          ...current.schedule.exceptions.filter((e) => e.date !== ref.date),
          { action: 'cancel', date: ref.date },
        ],
      },
    }));
    if (stored) {
      await this.updateStored(ref, (occ) => ({
        ...occ,
        state: 'cancelled',
        items: occ.items.map((item) =>
          isOpen(item) ? { ...item, status: 'deferred' as const } : item,
        ),
      }));
    }
    await this.cancelReminders(series, planned);
    await this.audit(actor, 'meetings.cancel', series.id, { date: ref.date, moved: open.length });
    return { movedItems: open.length, ...(next && open.length > 0 ? { to: next.key } : {}) };
  }

  // ---- Agenda --------------------------------------------------------------------------------

  /** The stored agenda of an occurrence, created from the series on first use. */
  async occurrence(ref: OccurrenceRef): Promise<{ series: MeetingSeries; occurrence: Occurrence }> {
    const { series, stored } = await this.loadOccurrence(ref);
    return { series, occurrence: stored.value };
  }

  /** The series and the stored occurrence with its version, read together. */
  private async loadOccurrence(
    ref: OccurrenceRef,
  ): Promise<{ series: MeetingSeries; stored: Versioned<Occurrence> }> {
    const [{ series, planned }, stored] = await Promise.all([
      this.plannedOccurrence(ref),
      this.deps.occurrences.get(ref.meetingId, ref.date),
    ]);
    if (stored) return { series, stored };
    try {
      return {
        series,
        stored: await this.deps.occurrences.create(this.freshOccurrence(series, planned)),
      };
    } catch (error) {
      if (!(error instanceof AppError && error.reason === 'already-exists')) throw error;
      const raced = await this.deps.occurrences.get(ref.meetingId, ref.date);
      return { series, stored: raced! };
    }
  }

  /** The last time for items: counted from the day the meeting is held (also when moved). */
  deadlineOf(series: MeetingSeries, occurrence: Occurrence): Date {
    const heldOn = toLocal(new Date(occurrence.startsAt)).date;
    return toInstant(addDays(heldOn, -series.offsets.deadlineDays), DEADLINE_TIME);
  }

  /**
   * Adds an agenda item. The card's request id makes this idempotent: a double click or a
   * re-delivered invoke finds the item already there and changes nothing.
   */
  async addItem(
    actor: Principal,
    ref: OccurrenceRef,
    input: NewItem,
  ): Promise<{ item: AgendaItem; created: boolean }> {
    if (!hasRole(actor, 'samordnare', 'admin', 'representant', 'coach')) {
      throw forbidden(
        'Bara samordnare och organisationernas representanter kan lägga till punkter.',
      );
    }
    refusePersonalIdentityNumbers(input.title, input.description, input.presenter);
    const { series, stored } = await this.loadOccurrence(ref);
    const now = this.deps.now();
    const late = now > this.deadlineOf(series, stored.value);
    const id = itemIdFor(actor.userId, input.requestId);
    const added = await this.changeOccurrence<{ item: AgendaItem; created: boolean }>(
      ref,
      (occ) => {
        requireOpen(occ, now);
        const existing = occ.items.find((item) => item.id === id);
        if (existing) return { result: { item: existing, created: false } };
        if (occ.items.length >= MAX_ITEMS) {
          throw invalidInput(`Dagordningen är full (högst ${MAX_ITEMS} punkter).`);
        }
        const item: AgendaItem = {
          id,
          title: input.title.normalize('NFC').trim(),
          description: input.description.normalize('NFC').trim(),
          category: input.category,
          presenter: input.presenter.normalize('NFC').trim(),
          minutes: input.minutes,
          ...(actor.organisationId ? { organisationId: actor.organisationId } : {}),
          authorId: actor.userId,
          authorName: actor.displayName ?? '',
          createdAt: now.toISOString(),
          late,
          status: late && !hasRole(actor, 'samordnare', 'admin') ? 'pendingApproval' : 'active',
          order: Math.max(0, ...occ.items.map((i) => i.order)) + 1,
          handled: false,
        };
        return { next: { ...occ, items: [...occ.items, item] }, result: { item, created: true } };
      },
      stored,
    );
    if (added.created) await this.auditItem(actor, 'meetings.item.add', ref, added.item.id);
    return added;
  }

  /**
   * Changes an item's text, category, presenter or minutes: its author until the deadline, a
   * samordnare always. Saving the same values again writes nothing.
   */
  async editItem(
    actor: Principal,
    ref: OccurrenceRef,
    itemId: string,
    input: ItemChange,
  ): Promise<{ occurrence: Occurrence; changed: boolean }> {
    refusePersonalIdentityNumbers(input.title, input.description, input.presenter);
    const { series, occurrence: current } = await this.occurrence(ref);
    const afterDeadline = this.deps.now() > this.deadlineOf(series, current);
    let changed = false;
    const occurrence = await this.changeItemAudited(
      actor,
      'meetings.item.edit',
      ref,
      itemId,
      (item) => {
        this.requireItemEditor(actor, item, afterDeadline);
        const edited: AgendaItem = {
          ...item,
          title: input.title.normalize('NFC').trim(),
          description: input.description.normalize('NFC').trim(),
          category: input.category,
          presenter: input.presenter.normalize('NFC').trim(),
          minutes: input.minutes,
        };
        changed = ITEM_FIELDS.some((field) => edited[field] !== item[field]);
        return changed ? edited : undefined;
      },
    );
    return { occurrence, changed };
  }

  /** The item as its editor sees it; refuses people who may not change it. */
  async itemForEdit(actor: Principal, ref: OccurrenceRef, itemId: string): Promise<AgendaItem> {
    const { series, occurrence } = await this.occurrence(ref);
    requireNotClosed(occurrence);
    const item = occurrence.items.find((i) => i.id === itemId);
    if (!item) throw notFound('Punkten finns inte längre på dagordningen.');
    this.requireItemEditor(actor, item, this.deps.now() > this.deadlineOf(series, occurrence));
    return item;
  }

  private requireItemEditor(actor: Principal, item: AgendaItem, afterDeadline: boolean): void {
    const coordinator = hasRole(actor, 'samordnare', 'admin');
    if (!coordinator && item.authorId !== actor.userId) {
      throw forbidden('Du kan bara ändra dina egna punkter.');
    }
    if (!coordinator && afterDeadline) {
      throw invalidInput('Sista dag för punkter har passerat. Kontakta samordnaren.');
    }
    if (!isOpen(item)) {
      throw invalidInput('Punkten är tillbakadragen eller flyttad och kan inte ändras här.');
    }
  }

  /** The author until the deadline, a samordnare always. */
  async withdrawItem(actor: Principal, ref: OccurrenceRef, itemId: string): Promise<Occurrence> {
    const { series, occurrence: current } = await this.occurrence(ref);
    const afterDeadline = this.deps.now() > this.deadlineOf(series, current);
    return this.changeItemAudited(actor, 'meetings.item.withdraw', ref, itemId, (item) => {
      const coordinator = hasRole(actor, 'samordnare', 'admin');
      if (!coordinator && item.authorId !== actor.userId) {
        throw forbidden('Du kan bara dra tillbaka dina egna punkter.');
      }
      if (!coordinator && afterDeadline) {
        throw invalidInput('Sista dag för punkter har passerat. Kontakta samordnaren.');
      }
      return item.status === 'withdrawn' ? undefined : { ...item, status: 'withdrawn' };
    });
  }

  async approveItem(actor: Principal, ref: OccurrenceRef, itemId: string): Promise<Occurrence> {
    requireCoordinator(actor);
    return this.changeItemAudited(actor, 'meetings.item.approve', ref, itemId, (item) =>
      item.status === 'active' ? undefined : requireStatus(item, 'pendingApproval', 'active'),
    );
  }

  /** Moves an item on to the next occurrence of the series. */
  async deferItem(
    actor: Principal,
    ref: OccurrenceRef,
    itemId: string,
  ): Promise<{ occurrence: Occurrence; to: string }> {
    requireCoordinator(actor);
    const { series, occurrence } = await this.occurrence(ref);
    const item = occurrence.items.find((i) => i.id === itemId);
    if (!item) throw notFound('Punkten finns inte längre på dagordningen.');
    const next = this.planned(series.schedule, addDays(ref.date, 1), PLANNING_DAYS).find(
      (o) => o.status === 'planned' || o.status === 'moved',
    );
    if (!next) throw invalidInput('Det finns inget senare möte att skjuta upp punkten till.');
    if (item.status === 'deferred') return { occurrence, to: next.key };
    await this.carryOver(series, ref.date, next, [item]);
    const updated = await this.changeItemAudited(
      actor,
      'meetings.item.defer',
      ref,
      itemId,
      (current) => (isOpen(current) ? { ...current, status: 'deferred' } : undefined),
    );
    return { occurrence: updated, to: next.key };
  }

  /**
   * Moves an item one place up or down. `fromNumber` is the item's number on the card that was
   * clicked: when the item is no longer there (a repeated click), nothing moves.
   */
  async moveItem(
    actor: Principal,
    ref: OccurrenceRef,
    itemId: string,
    direction: 'up' | 'down',
    fromNumber?: number,
  ): Promise<{ occurrence: Occurrence; moved: boolean }> {
    requireCoordinator(actor);
    let swapped = false;
    const occurrence = await this.changeOccurrence(ref, (occ) => {
      requireOpen(occ, this.deps.now());
      const ordered = agendaOrder(occ.items).filter(isOpen);
      const index = ordered.findIndex((i) => i.id === itemId);
      if (index < 0) throw notFound('Punkten finns inte längre på dagordningen.');
      const swapWith = ordered[direction === 'up' ? index - 1 : index + 1];
      const item = ordered[index]!;
      swapped = swapWith !== undefined && (fromNumber === undefined || fromNumber === index + 1);
      if (!swapped || !swapWith) return { result: occ };
      const items = occ.items.map((i) =>
        i.id === item.id
          ? { ...i, order: swapWith.order }
          : i.id === swapWith.id
            ? { ...i, order: item.order }
            : i,
      );
      const next = { ...occ, items };
      return { next, result: next };
    });
    if (swapped) await this.auditItem(actor, 'meetings.item.reorder', ref, itemId);
    return { occurrence, moved: swapped };
  }

  async setTimebox(
    actor: Principal,
    ref: OccurrenceRef,
    itemId: string,
    minutes: number,
  ): Promise<Occurrence> {
    requireCoordinator(actor);
    return this.changeItemAudited(actor, 'meetings.item.timebox', ref, itemId, (item) =>
      item.minutes === minutes ? undefined : { ...item, minutes },
    );
  }

  // ---- The meeting itself --------------------------------------------------------------------

  async recordAttendance(
    actor: Principal,
    ref: OccurrenceRef,
    organisationIds: readonly string[],
  ): Promise<Occurrence> {
    requireCoordinator(actor);
    return this.changeOccurrence(ref, (occ) => {
      requireNotClosed(occ);
      const next = { ...occ, attendance: [...new Set(organisationIds)].sort() };
      return { next, result: next };
    });
  }

  /**
   * Records what happened under one item: notes, a decision and an action item. The decision
   * and the action item are keyed by the card's request id, so a repeated click adds nothing.
   */
  async recordItem(
    actor: Principal,
    ref: OccurrenceRef,
    itemId: string,
    requestId: string,
    input: ItemRecord,
  ): Promise<Occurrence> {
    requireCoordinator(actor);
    refusePersonalIdentityNumbers(input.notes, input.decision, input.actionWhat);
    const hasAction = input.actionWhat.trim() !== '';
    if (hasAction && (!input.actionOwnerId || !input.actionDue)) {
      throw invalidInput('En uppgift behöver både ansvarig och ett datum då den ska vara klar.');
    }
    if (hasAction && input.actionDue < toLocal(this.deps.now()).date) {
      throw invalidInput('Datumet för uppgiften har redan passerat.');
    }
    const { occurrence, series } = await this.occurrence(ref);
    requireNotClosed(occurrence);
    const item = occurrence.items.find((i) => i.id === itemId && i.status === 'active');
    if (!item) throw notFound('Punkten finns inte på dagordningen.');
    const at = this.deps.now().toISOString();
    const key = itemIdFor(actor.userId, requestId);

    if (input.decision.trim() !== '') {
      await ignoreExisting(
        this.deps.decisions.append({
          id: key,
          meetingId: ref.meetingId,
          date: ref.date,
          itemId,
          itemTitle: item.title,
          text: input.decision.normalize('NFC').trim(),
          decidedBy: actor.userId,
          decidedByName: actor.displayName ?? '',
          at,
        }),
      );
    }
    if (hasAction) {
      const actionItem: ActionItem = {
        id: `${ref.meetingId}.${ref.date}.${key}`,
        conversationId: ref.conversationId,
        meetingId: ref.meetingId,
        date: ref.date,
        itemTitle: item.title,
        what: input.actionWhat.normalize('NFC').trim(),
        ownerId: input.actionOwnerId,
        ownerName: input.actionOwnerName,
        dueDate: input.actionDue,
        done: false,
        createdBy: actor.userId,
        createdAt: at,
      };
      const created = await ignoreExisting(this.deps.actionItems.create(actionItem));
      if (created) await this.planActionReminder(series, actionItem);
    }
    return this.changeItem(ref, itemId, (current) => {
      const notes = input.notes.normalize('NFC').trim();
      if (current.handled && (notes === '' || current.notes === notes)) return undefined;
      return { ...current, handled: true, ...(notes ? { notes } : {}) };
    });
  }

  /** Decisions are never changed: a correction is a new decision that points at the old one. */
  async correctDecision(
    actor: Principal,
    ref: OccurrenceRef,
    decisionId: string,
    requestId: string,
    text: string,
  ): Promise<Decision> {
    requireCoordinator(actor);
    refusePersonalIdentityNumbers(text);
    const decisions = await this.deps.decisions.list(ref.meetingId, ref.date);
    const original = decisions.find((d) => d.id === decisionId);
    if (!original) throw notFound('Beslutet finns inte.');
    const key = itemIdFor(actor.userId, requestId);
    const existing = decisions.find((d) => d.id === key);
    if (existing) return existing;
    const correction: Decision = {
      ...original,
      id: key,
      text: text.normalize('NFC').trim(),
      corrects: original.id,
      decidedBy: actor.userId,
      decidedByName: actor.displayName ?? '',
      at: this.deps.now().toISOString(),
    };
    await this.deps.decisions.append(correction);
    await this.audit(actor, 'meetings.decision.correct', ref.meetingId, { date: ref.date });
    return correction;
  }

  decisions(ref: OccurrenceRef): Promise<Decision[]> {
    return this.deps.decisions.list(ref.meetingId, ref.date);
  }

  async actionItemsFor(ref: OccurrenceRef): Promise<ActionItem[]> {
    const open = await this.deps.actionItems.listOpen(ref.conversationId);
    return open.filter((a) => a.meetingId === ref.meetingId && a.date === ref.date);
  }

  /**
   * Closes the meeting: items not handled move to the next occurrence, marked as carried over.
   * Closing twice changes nothing the second time.
   */
  async close(
    actor: Principal,
    ref: OccurrenceRef,
  ): Promise<{ occurrence: Occurrence; carriedTo?: string; alreadyClosed: boolean }> {
    requireCoordinator(actor);
    const { series, occurrence } = await this.occurrence(ref);
    if (occurrence.state === 'closed') return { occurrence, alreadyClosed: true };
    const notHandled = occurrence.items.filter((i) => i.status === 'active' && !i.handled);
    const next = this.planned(series.schedule, addDays(ref.date, 1), PLANNING_DAYS).find(
      (o) => o.status === 'planned' || o.status === 'moved',
    );
    if (next && notHandled.length > 0) await this.carryOver(series, ref.date, next, notHandled);
    let closedHere = true;
    const closed = await this.changeOccurrence(ref, (occ) => {
      closedHere = occ.state !== 'closed';
      if (!closedHere) return { result: occ };
      const now = this.deps.now().toISOString();
      const items = occ.items.map((i) =>
        next && i.status === 'active' && !i.handled ? { ...i, status: 'deferred' as const } : i,
      );
      const updated: Occurrence = {
        ...occ,
        items,
        state: 'closed',
        closedAt: now,
        closedBy: actor.userId,
        closedByName: actor.displayName ?? '',
      };
      return { next: updated, result: updated };
    });
    if (!closedHere) return { occurrence: closed, alreadyClosed: true };
    await this.audit(actor, 'meetings.close', ref.meetingId, { date: ref.date });
    return {
      occurrence: closed,
      ...(next && notHandled.length > 0 ? { carriedTo: next.key } : {}),
      alreadyClosed: false,
    };
  }

  async openActionItems(conversationId: string, ownerId?: string): Promise<ActionItem[]> {
    const list = ownerId
      ? await this.deps.actionItems.listOpenForOwner(ownerId)
      : await this.deps.actionItems.listOpen(conversationId);
    return list.sort((a, b) => a.dueDate.localeCompare(b.dueDate));
  }

  async completeActionItem(
    actor: Principal,
    conversationId: string,
    id: string,
  ): Promise<ActionItem> {
    return retryOnConflict(async () => {
      const stored = await this.deps.actionItems.get(conversationId, id);
      if (!stored) throw notFound('Uppgiften finns inte.');
      const item = stored.value;
      if (item.ownerId !== actor.userId && !hasRole(actor, 'samordnare', 'admin')) {
        throw forbidden('Bara den ansvarige eller en samordnare kan markera uppgiften som klar.');
      }
      if (item.done) return item;
      const done = { ...item, done: true };
      await this.deps.actionItems.replace(done, stored.version);
      await this.deps.reminders.cancelPlanned({
        id: `task.${item.id}`.slice(0, 150),
        dueAt: actionReminderAt(item.dueDate).toISOString(),
      });
      return done;
    });
  }

  // ---- Internals -----------------------------------------------------------------------------

  private planned(schedule: Schedule, from: string, days = PLANNING_DAYS): Planned[] {
    return planOccurrences(schedule, from, addDays(from, days)).slice(0, MAX_PLANNED);
  }

  private async plannedOccurrence(
    ref: OccurrenceRef,
  ): Promise<{ series: MeetingSeries; planned: Planned }> {
    const series = await this.series(ref.conversationId, ref.meetingId);
    const planned = planOccurrences(series.schedule, ref.date, ref.date).find(
      (o) => o.key === ref.date,
    );
    if (!planned) throw notFound('Mötet finns inte det datumet.');
    return { series, planned };
  }

  private freshOccurrence(series: MeetingSeries, planned: Planned): Occurrence {
    return {
      meetingId: series.id,
      date: planned.key,
      startsAt: planned.start.toISOString(),
      durationMinutes: series.schedule.durationMinutes,
      state: planned.status === 'cancelled' ? 'cancelled' : 'planned',
      items: [],
      updatedAt: this.deps.now().toISOString(),
    };
  }

  /** Copies items into the next occurrence (idempotent: an item already there is skipped). */
  private async carryOver(
    series: MeetingSeries,
    fromDate: string,
    next: Planned,
    items: readonly AgendaItem[],
  ): Promise<void> {
    const ref = { conversationId: series.conversationId, meetingId: series.id, date: next.key };
    await this.occurrence(ref);
    await this.changeOccurrence(ref, (occ) => {
      const present = new Set(occ.items.map((i) => i.id));
      const incoming = items.filter((i) => !present.has(`${i.id}~`));
      if (incoming.length === 0) return { result: undefined };
      let order = Math.max(0, ...occ.items.map((i) => i.order));
      const copies = incoming.map((item): AgendaItem => ({
        ...item,
        id: `${item.id}~`.slice(-80),
        status: 'active',
        late: false,
        handled: false,
        order: ++order,
        carriedOverFrom: fromDate,
        notes: undefined,
      }));
      return { next: { ...occ, items: [...occ.items, ...copies] }, result: undefined };
    });
  }

  /**
   * Read-modify-write of one occurrence, retried on a lost race. `known` is a version the
   * caller has just read: the first attempt writes against it instead of reading again.
   */
  private async changeOccurrence<T>(
    ref: OccurrenceRef,
    change: (occ: Occurrence) => { next?: Occurrence; result: T },
    known?: Versioned<Occurrence>,
  ): Promise<T> {
    let reuse = known;
    return retryOnConflict(async () => {
      const stored = reuse ?? (await this.deps.occurrences.get(ref.meetingId, ref.date));
      reuse = undefined;
      if (!stored) throw notFound('Mötet finns inte.');
      const { next, result } = change(stored.value);
      if (next) {
        await this.deps.occurrences.replace(
          { ...next, updatedAt: this.deps.now().toISOString() },
          stored.version,
        );
      }
      return result;
    }, 5);
  }

  private async changeItem(
    ref: OccurrenceRef,
    itemId: string,
    change: (item: AgendaItem) => AgendaItem | undefined,
  ): Promise<Occurrence> {
    await this.occurrence(ref);
    return this.changeOccurrence(ref, (occ) => {
      requireNotClosed(occ);
      const item = occ.items.find((i) => i.id === itemId);
      if (!item) throw notFound('Punkten finns inte längre på dagordningen.');
      const updated = change(item);
      if (!updated) return { result: occ };
      const next = { ...occ, items: occ.items.map((i) => (i.id === itemId ? updated : i)) };
      return { next, result: next };
    });
  }

  /** `changeItem`, with an audit entry when the item really changed (not on a repeat). */
  private async changeItemAudited(
    actor: Principal,
    action: string,
    ref: OccurrenceRef,
    itemId: string,
    change: (item: AgendaItem) => AgendaItem | undefined,
  ): Promise<Occurrence> {
    let changed = false;
    const occurrence = await this.changeItem(ref, itemId, (item) => {
      const updated = change(item);
      changed = updated !== undefined;
      return updated;
    });
    if (changed) await this.auditItem(actor, action, ref, itemId);
    return occurrence;
  }

  private async updateStored(ref: OccurrenceRef, change: (occ: Occurrence) => Occurrence) {
    const stored = await this.deps.occurrences.get(ref.meetingId, ref.date);
    if (!stored) return;
    await this.changeOccurrence(ref, (occ) => ({ next: change(occ), result: undefined }));
  }

  private async changeSeries(
    ref: OccurrenceRef,
    change: (series: MeetingSeries) => MeetingSeries,
  ): Promise<MeetingSeries> {
    return retryOnConflict(async () => {
      const stored = await this.deps.meetings.get(ref.conversationId, ref.meetingId);
      if (!stored) throw notFound('Mötesserien finns inte i den här kanalen.');
      const next = change(stored.value);
      await this.deps.meetings.replace(next, stored.version);
      return next;
    });
  }

  private async planReminders(series: MeetingSeries, ownerId: string): Promise<void> {
    const today = toLocal(this.deps.now()).date;
    for (const planned of this.planned(series.schedule, today)) {
      if (planned.status === 'planned' || planned.status === 'moved') {
        await this.planOccurrenceReminders(series, planned, ownerId);
      }
    }
  }

  private async planOccurrenceReminders(
    series: MeetingSeries,
    planned: Planned,
    ownerId: string,
  ): Promise<void> {
    const now = this.deps.now();
    for (const step of this.steps(series, planned)) {
      if (step.dueAt <= now) continue;
      await this.deps.reminders.schedule({
        id: reminderIds(series.id, planned.key, step.kind),
        kind: step.kind,
        conversationId: series.conversationId,
        dueAt: step.dueAt,
        title: series.name,
        text: step.text,
        cardKey: step.cardKey,
        ownerId,
        createdBy: ownerId,
      });
    }
  }

  private async cancelReminders(series: MeetingSeries, planned: Planned): Promise<void> {
    for (const step of this.steps(series, planned)) {
      await this.deps.reminders.cancelPlanned({
        id: reminderIds(series.id, planned.key, step.kind),
        dueAt: step.dueAt.toISOString(),
      });
    }
  }

  private steps(series: MeetingSeries, planned: Planned) {
    const { callDays, deadlineDays } = series.offsets;
    const agendaAt = stepTimes(series.offsets, planned).agenda;
    return [
      {
        kind: 'kallelse' as const,
        dueAt: toInstant(addDays(planned.date, -callDays), STEP_TIME),
        text: 'Kallelse: lägg till punkter på dagordningen.',
        cardKey: meetingCardKeys(series.id, planned.key).agenda,
      },
      {
        kind: 'agendaDeadline' as const,
        dueAt: toInstant(addDays(planned.date, -deadlineDays), STEP_TIME),
        text: 'Sista dag för punkter är idag kl. 12.00.',
        cardKey: `deadline.${series.id}.${planned.key}`,
      },
      {
        kind: 'finalAgenda' as const,
        dueAt: agendaAt,
        text: 'Dagordningen är klar.',
        cardKey: meetingCardKeys(series.id, planned.key).dagordning,
      },
    ];
  }

  private async planActionReminder(series: MeetingSeries, item: ActionItem): Promise<void> {
    const dueAt = actionReminderAt(item.dueDate);
    if (dueAt <= this.deps.now()) return;
    const personal = await this.deps.personalConversationOf(item.ownerId);
    await this.deps.reminders.schedule({
      id: `task.${item.id}`.slice(0, 150),
      kind: 'actionItemDue',
      conversationId: personal ?? series.conversationId,
      dueAt,
      title: item.what,
      text: `Uppgift från ${series.name}, ska vara klar ${item.dueDate}. Ansvarig: ${item.ownerName}.`,
      ownerId: item.ownerId,
      createdBy: item.createdBy,
    });
  }

  private auditItem(actor: Principal, action: string, ref: OccurrenceRef, itemId: string) {
    return this.audit(actor, action, ref.meetingId, { date: ref.date, itemId });
  }

  private async audit(
    actor: Principal,
    action: string,
    subjectId: string,
    details: Record<string, string | number>,
  ) {
    await this.deps.audit.append({
      at: this.deps.now().toISOString(),
      actorId: actor.userId,
      ...(actor.organisationId ? { actorOrganisationId: actor.organisationId } : {}),
      action,
      subjectType: 'meeting',
      subjectId,
      details,
    });
  }
}

/** When the item deadline falls and the final agenda goes out for one occurrence. */
function stepTimes(offsets: Offsets, planned: Planned): { deadline: Date; agenda: Date } {
  return {
    deadline: toInstant(addDays(planned.date, -offsets.deadlineDays), DEADLINE_TIME),
    agenda:
      offsets.agendaDays === 0
        ? new Date(planned.start.getTime() - 60 * 60_000)
        : toInstant(addDays(planned.date, -offsets.agendaDays), STEP_TIME),
  };
}

/**
 * An action item's reminder: 09:00 the day before it is due, in the owner's personal chat with
 * the bot, or in the meeting's channel when there is none.
 */
export function actionReminderAt(dueDate: string): Date {
  return toInstant(addDays(dueDate, -1), STEP_TIME);
}

export function agendaOrder(items: readonly AgendaItem[]): AgendaItem[] {
  return [...items].sort((a, b) => a.order - b.order);
}

const isOpen = (item: AgendaItem) => item.status === 'active' || item.status === 'pendingApproval';

/**
 * A stable, short id derived from the card's request id and who clicked: everyone sees the same
 * shared card (and request id), so only one person's repeated click is the same request.
 */
/** The id of the item one person adds with one card request: a repeated click finds it. */
export function itemIdFor(userId: string, requestId: string): string {
  return createHash('sha256').update(`${userId}\n${requestId}`).digest('base64url').slice(0, 16);
}

const ITEM_FIELDS = ['title', 'description', 'category', 'presenter', 'minutes'] as const;

function requireCoordinator(actor: Principal): void {
  if (!hasRole(actor, 'samordnare', 'admin')) throw forbidden('Bara samordnare kan göra det.');
}

function requireNotClosed(occ: Occurrence): void {
  if (occ.state === 'closed') {
    throw invalidInput('Mötet är redan avslutat. Öppna nästa möte med /möten.');
  }
  if (occ.state === 'cancelled') throw invalidInput('Mötet är inställt.');
}

function requireOpen(occ: Occurrence, now: Date): void {
  requireNotClosed(occ);
  if (new Date(occ.startsAt) <= now) {
    throw invalidInput('Mötet har redan börjat. Nya punkter läggs på nästa möte.');
  }
}

function requireStatus(
  item: AgendaItem,
  from: AgendaItem['status'],
  to: AgendaItem['status'],
): AgendaItem {
  if (item.status !== from) throw invalidInput('Punkten har redan hanterats.');
  return { ...item, status: to };
}

async function ignoreExisting(write: Promise<void>): Promise<boolean> {
  try {
    await write;
    return true;
  } catch (error) {
    if (error instanceof AppError && error.reason === 'already-exists') return false;
    throw error;
  }
}
