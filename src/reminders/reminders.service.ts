import type { Principal } from '../access/access.schema.js';
import { hasRole } from '../access/access.schema.js';
import type { AuditLog } from '../audit/audit.schema.js';
import { retryOnConflict } from '../concurrency.js';
import { AppError, forbidden, invalidInput, notFound } from '../errors.js';
import { refusePersonalIdentityNumbers } from '../privacy/personal-identity-number.js';
import { renderCard, type CardJson } from '../bot/card-renderer.js';
import { reminderView } from './reminders.cards.js';
import type { ReminderRepository } from './reminders.repository.js';
import type { Reminder, ReminderKind, ReminderRef } from './reminders.schema.js';
import type { ReminderScheduler } from './scheduler.js';

export interface ScheduleInput {
  readonly id: string;
  readonly kind: ReminderKind;
  readonly conversationId: string;
  readonly dueAt: Date;
  readonly title: string;
  readonly text: string;
  readonly cardKey?: string;
  readonly ownerId: string;
  readonly createdBy: string;
  /**
   * Until when a reminder whose time has already passed is still worth sending (e.g. the
   * meeting's start for a kallelse). Without it, only the grace window catches up.
   */
  readonly catchUpUntil?: Date;
}

export interface ScheduleResult {
  readonly reminder: Reminder;
  /** False when the same reminder was planned before (nothing changed). */
  readonly created: boolean;
  /** Its time had passed: it is sent at once, and whoever planned it should say so. */
  readonly caughtUp: boolean;
}

export type SendNowOutcome =
  'sent' | 'already-sent' | 'in-progress' | 'retrying' | 'uncertain' | 'failed' | 'withdrawn';

export interface ReminderServiceDeps {
  readonly reminders: ReminderRepository;
  readonly scheduler: ReminderScheduler;
  /** Replaces a card the bot posted earlier; false when there is no such card. */
  readonly updateCard: (
    conversationId: string,
    cardKey: string,
    card: CardJson,
  ) => Promise<boolean>;
  readonly audit: AuditLog;
  readonly now: () => Date;
  readonly graceMs: number;
}

const LIST_DAYS = 14;

/** Scheduling and managing reminders; delivery is the scheduler's job. */
export class ReminderService {
  constructor(private readonly deps: ReminderServiceDeps) {}

  /**
   * Schedules a reminder once: the same id and due time again changes nothing (so capabilities
   * may re-plan freely). A time that has passed is caught up, not skipped: within the grace
   * window (or before `catchUpUntil`) the reminder is sent at once and the result says
   * `caughtUp`, so the caller can tell the samordnare; later than that, planning it is refused.
   * @remarks A caught-up reminder leaves a `caughtUp` pointer at its planned time, so planning
   * it again (at any later moment) finds it and sends nothing twice.
   */
  async schedule(input: ScheduleInput): Promise<ScheduleResult> {
    refusePersonalIdentityNumbers(input.title, input.text);
    const now = this.deps.now();
    const base = this.reminderOf(input, now);
    if (input.dueAt.getTime() >= now.getTime()) {
      const { reminder, created } = await this.createOnce(base);
      return { reminder, created, caughtUp: false };
    }
    const late = now.getTime() - input.dueAt.getTime();
    const worthSending =
      late <= this.deps.graceMs || (input.catchUpUntil !== undefined && now < input.catchUpUntil);
    if (!worthSending) throw invalidInput('Tiden har redan passerat. Välj en tid framåt.');
    return this.catchUp(base, now);
  }

  /** {@link schedule} for several reminders; `caughtUp` lists those sent at once. */
  async scheduleMany(
    inputs: readonly ScheduleInput[],
  ): Promise<{ reminders: Reminder[]; caughtUp: Reminder[] }> {
    const results: ScheduleResult[] = [];
    for (const input of inputs) results.push(await this.schedule(input));
    return {
      reminders: results.map((result) => result.reminder),
      caughtUp: results.filter((result) => result.caughtUp).map((result) => result.reminder),
    };
  }

  private reminderOf(input: ScheduleInput, now: Date): Reminder {
    return {
      id: input.id,
      kind: input.kind,
      conversationId: input.conversationId,
      dueAt: input.dueAt.toISOString(),
      title: input.title.normalize('NFC'),
      text: input.text.normalize('NFC'),
      ...(input.cardKey ? { cardKey: input.cardKey } : {}),
      ownerId: input.ownerId,
      state: 'scheduled',
      attempts: 0,
      createdAt: now.toISOString(),
      createdBy: input.createdBy,
    };
  }

  private async createOnce(reminder: Reminder): Promise<{ reminder: Reminder; created: boolean }> {
    try {
      await this.deps.reminders.create(reminder);
      return { reminder, created: true };
    } catch (error) {
      if (error instanceof AppError && error.reason === 'already-exists') {
        const existing = await this.deps.reminders.get(reminder);
        return { reminder: existing?.value ?? reminder, created: false };
      }
      throw error;
    }
  }

  /**
   * The pointer at the planned time first (its conditional create makes the catch-up happen
   * once), then the row that is due now. A crash between the two is repaired by the next call.
   */
  private async catchUp(planned: Reminder, now: Date): Promise<ScheduleResult> {
    const pointer: Reminder = { ...planned, state: 'caughtUp', catchUpDueAt: now.toISOString() };
    const placed = await this.createOnce(pointer);
    const existing = placed.reminder;
    if (!placed.created && existing.state !== 'caughtUp') {
      return { reminder: existing, created: false, caughtUp: false };
    }
    const dueNow: Reminder = {
      ...planned,
      dueAt: existing.catchUpDueAt ?? now.toISOString(),
      plannedFor: planned.dueAt,
    };
    const sent = await this.createOnce(dueNow);
    return { reminder: sent.reminder, created: sent.created, caughtUp: sent.created };
  }

  /**
   * Updates a sent reminder's card where it was posted, e.g. to say that the deadline passed.
   * False when the reminder was not sent, or was sent without a card key.
   */
  async updatePosted(ref: ReminderRef, note: string): Promise<boolean> {
    const stored = await this.deps.reminders.get(ref);
    const reminder = stored?.value;
    if (!reminder || reminder.state !== 'sent' || !reminder.cardKey) return false;
    const card = renderCard('reminder', reminderView(reminder, note.normalize('NFC')));
    return this.deps.updateCard(reminder.conversationId, reminder.cardKey, card);
  }

  /**
   * Withdraws a reminder another capability planned (e.g. its meeting moved or was cancelled).
   * Only one still waiting is cancelled; one already sent or under way is left as it is.
   */
  async cancelPlanned(ref: ReminderRef): Promise<boolean> {
    const pointer = await this.deps.reminders.get(ref);
    const target =
      pointer?.value.state === 'caughtUp' && pointer.value.catchUpDueAt
        ? { id: ref.id, dueAt: pointer.value.catchUpDueAt }
        : ref;
    return retryOnConflict(async () => {
      const stored = await this.deps.reminders.get(target);
      if (!stored || !['scheduled', 'paused'].includes(stored.value.state)) return false;
      await this.deps.reminders.replace({ ...stored.value, state: 'cancelled' }, stored.version);
      return true;
    });
  }

  /** A samordnare's own reminder to a channel or chat. */
  async scheduleCustom(
    actor: Principal,
    input: { id: string; conversationId: string; dueAt: Date; text: string },
  ): Promise<ScheduleResult> {
    requireCoordinator(actor);
    const title = input.text.length > 80 ? `${input.text.slice(0, 77)}…` : input.text;
    const result = await this.schedule({
      ...input,
      kind: 'custom',
      title,
      text: input.text.length > 80 ? input.text : '',
      ownerId: actor.userId,
      createdBy: actor.userId,
    });
    if (result.created) await this.audit(actor, 'reminders.create', result.reminder);
    return result;
  }

  /** What is planned for a conversation over the next two weeks, soonest first. */
  async upcoming(conversationId: string): Promise<Reminder[]> {
    const now = this.deps.now();
    const until = new Date(now.getTime() + LIST_DAYS * 86_400_000);
    const from = new Date(now.getTime() - 86_400_000);
    const list = await this.deps.reminders.forConversation(conversationId, from, until);
    return list
      .filter((r) => r.state !== 'cancelled' && r.state !== 'caughtUp')
      .filter((r) => new Date(r.dueAt) >= now || r.state !== 'sent')
      .sort((a, b) => a.dueAt.localeCompare(b.dueAt));
  }

  async pause(actor: Principal, ref: ReminderRef): Promise<Reminder> {
    return this.change(actor, ref, 'reminders.pause', (reminder) => {
      if (reminder.state === 'paused') return undefined;
      if (reminder.state !== 'scheduled')
        throw invalidInput('Påminnelsen har redan skickats eller håller på att skickas.');
      return { ...reminder, state: 'paused' };
    });
  }

  async resume(actor: Principal, ref: ReminderRef): Promise<Reminder> {
    return this.change(actor, ref, 'reminders.resume', (reminder) => {
      if (reminder.state === 'scheduled') return undefined;
      if (reminder.state !== 'paused')
        throw invalidInput('Bara en pausad påminnelse kan återupptas.');
      if (new Date(reminder.dueAt) < this.deps.now()) {
        throw invalidInput('Tiden för påminnelsen har passerat. Välj Skicka nu i stället.');
      }
      return { ...reminder, state: 'scheduled' };
    });
  }

  /**
   * A samordnare's "skicka nu". The answer says what really happened, by the delivery rule:
   * `uncertain` may have arrived and is not sent again, `retrying` waits for a later tick,
   * `failed` is not tried again (its owner is told why).
   */
  async sendNow(actor: Principal, ref: ReminderRef): Promise<SendNowOutcome> {
    requireCoordinator(actor);
    const outcome = await this.deps.scheduler.sendNow(ref);
    if (outcome === 'sent') await this.audit(actor, 'reminders.sendNow', ref);
    if (outcome === 'elsewhere') return 'in-progress';
    if (outcome !== 'not-pending') return outcome;
    const current = await this.deps.reminders.get(ref);
    if (!current) throw notFound('Påminnelsen finns inte längre.');
    switch (current.value.state) {
      case 'sent':
        return 'already-sent';
      case 'claimed':
      case 'sending':
        return 'in-progress';
      case 'uncertain':
        return 'uncertain';
      case 'failed':
      case 'missed':
        return 'failed';
      default:
        return 'withdrawn';
    }
  }

  private async change(
    actor: Principal,
    ref: ReminderRef,
    action: string,
    update: (reminder: Reminder) => Reminder | undefined,
  ): Promise<Reminder> {
    requireCoordinator(actor);
    const result = await retryOnConflict(async () => {
      const stored = await this.deps.reminders.get(ref);
      if (!stored) throw notFound('Påminnelsen finns inte längre.');
      const next = update(stored.value);
      if (!next) return { reminder: stored.value, changed: false };
      await this.deps.reminders.replace(next, stored.version);
      return { reminder: next, changed: true };
    });
    if (result.changed) await this.audit(actor, action, ref);
    return result.reminder;
  }

  private async audit(actor: Principal, action: string, ref: ReminderRef) {
    await this.deps.audit.append({
      at: this.deps.now().toISOString(),
      actorId: actor.userId,
      ...(actor.organisationId ? { actorOrganisationId: actor.organisationId } : {}),
      action,
      subjectType: 'reminder',
      subjectId: ref.id,
      details: { dueAt: ref.dueAt },
    });
  }
}

export function requireCoordinator(actor: Principal): void {
  if (!hasRole(actor, 'samordnare', 'admin')) {
    throw forbidden('Bara samordnare kan ändra påminnelser.');
  }
}
