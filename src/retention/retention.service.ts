import { hasRole, type Principal } from '../access/access.schema.js';
import type { AuditEntry, AuditLog } from '../audit/audit.schema.js';
import { auditEntryOf } from '../audit/audit-entry.js';
import { forbidden, invalidInput, notFound } from '../errors.js';
import type { Logger } from '../log.js';
import { toLocal } from '../schedule/local-time.js';
import type {
  RegisterSource,
  RetentionCounts,
  RetentionLeases,
  RetentionPeriods,
  RetentionSource,
} from './retention.schema.js';
import { newId } from '../ids.js';

export interface RetentionDeps {
  readonly sources: readonly RetentionSource[];
  readonly registers: readonly RegisterSource[];
  readonly periods: RetentionPeriods;
  readonly leases: RetentionLeases;
  readonly audit: AuditLog;
  readonly now: () => Date;
  readonly instanceId: string;
  /** Local Stockholm time (`HH:mm`) from which the daily run may start. */
  readonly dailyAt: string;
  readonly logger: Logger;
  /** Names of the förbund's administratörer, for refusals that say who can help. */
  readonly adminNames?: () => Promise<string[]>;
}

export interface RetentionLine {
  readonly kind: string;
  readonly label: string;
  readonly days: number;
  readonly cutoff: Date;
  readonly counts: RetentionCounts;
}

const DAY_MS = 86_400_000;
const SYSTEM = 'system';

/** Gallring: preview and run per kind of data, registerutdrag and erasure of one code. */
export class RetentionService {
  constructor(private readonly deps: RetentionDeps) {}

  async preview(actor: Principal): Promise<RetentionLine[]> {
    await this.requireAdmin(actor);
    return Promise.all(
      this.configured().map(async ({ source, days, cutoff }) => ({
        kind: source.kind,
        label: source.label,
        days,
        cutoff,
        counts: await source.preview(cutoff),
      })),
    );
  }

  /** Runs every source now; the run is audited with its counts. */
  async run(actor: Principal | typeof SYSTEM): Promise<RetentionLine[]> {
    if (actor !== SYSTEM) await this.requireAdmin(actor);
    const lines: RetentionLine[] = [];
    for (const { source, days, cutoff } of this.configured()) {
      lines.push({
        kind: source.kind,
        label: source.label,
        days,
        cutoff,
        counts: await source.purge(cutoff),
      });
    }
    const details: Record<string, number | string> = {
      trigger: actor === SYSTEM ? 'daily' : 'admin',
    };
    for (const line of lines) {
      details[`${line.kind}Removed`] = line.counts.removed;
      details[`${line.kind}Anonymised`] = line.counts.anonymised;
    }
    await this.deps.audit.append({
      at: this.deps.now().toISOString(),
      actorId: actor === SYSTEM ? SYSTEM : actor.userId,
      ...(actor !== SYSTEM && actor.organisationId
        ? { actorOrganisationId: actor.organisationId }
        : {}),
      action: 'retention.run',
      subjectType: 'retention',
      subjectId: 'run',
      details,
    });
    this.deps.logger.info('retention.run', details);
    return lines;
  }

  /**
   * The daily job: from `dailyAt` local time, the first instance to claim the day's lease runs
   * gallring; every other instance (and every later tick that day) does nothing.
   */
  async runDaily(): Promise<RetentionLine[] | undefined> {
    const local = toLocal(this.deps.now());
    if (local.time < this.deps.dailyAt) return undefined;
    if (!(await this.deps.leases.claim(`daily|${local.date}`, this.deps.instanceId))) {
      return undefined;
    }
    return this.run(SYSTEM);
  }

  /** Runs for a card click once: a re-delivered invoke with the same request id returns undefined. */
  async runOnce(actor: Principal, requestId: string): Promise<RetentionLine[] | undefined> {
    await this.requireAdmin(actor);
    if (!(await this.deps.leases.claim(`click|${requestId}`, this.deps.instanceId))) {
      return undefined;
    }
    return this.run(actor);
  }

  /** The runs so far, newest last (counts only). */
  async runs(actor: Principal): Promise<AuditEntry[]> {
    await this.requireAdmin(actor);
    return this.deps.audit.forSubject('retention', 'run');
  }

  /**
   * Registerutdrag: everything stored under one code, with its audit trail (which records this
   * extract too). `key` identifies the request, so a re-delivered one is audited once.
   */
  async extract(
    actor: Principal,
    code: string,
    key: string = newId(),
  ): Promise<{ record: Record<string, unknown>; audit: AuditEntry[] }> {
    await this.requireAdmin(actor);
    const register = this.registerFor(code);
    const record = await register.extract(code);
    if (!record) throw notFound(`Det finns inget sparat under koden ${code}.`);
    const entry = this.entryFor(actor, register, 'extract', code);
    if (register.recordAudit) await register.recordAudit(code, entry, key);
    else await this.deps.audit.append(entry);
    const audit = register.auditTrail
      ? await register.auditTrail(code)
      : await this.deps.audit.forSubject(register.subjectType, code);
    return { record, audit };
  }

  /** Erases a code on request where the rules allow it; the statistics stay. */
  async erase(actor: Principal, code: string): Promise<void> {
    await this.requireAdmin(actor);
    const register = this.registerFor(code);
    const result = await register.erase(code);
    if (!result.erased) throw invalidInput(result.refused);
    // The code's own trail went with it: the erasure is kept in the shared audit log.
    await this.deps.audit.append(this.entryFor(actor, register, 'erase', code));
  }

  /**
   * A typed code read by the register it belongs to, with that register's subject type; a word
   * that is no code is refused with how codes are written, never quoted.
   */
  readCode(word: string | undefined, example: string): { code: string; subjectType: string } {
    for (const register of this.deps.registers) {
      const code = word === undefined ? undefined : register.readCode(word);
      if (code) return { code, subjectType: register.subjectType };
    }
    throw invalidInput(
      word === undefined
        ? `Skriv koden, till exempel: ${example}`
        : `Det där är ingen kod. Ärendekoder skrivs Ä-ÅÅÅÅ-NNNN och deltagarkoder D-ÅÅÅÅ-NNNN, till exempel: ${example}`,
    );
  }

  private registerFor(code: string): RegisterSource {
    const register = this.deps.registers.find((r) => r.owns(code));
    if (!register)
      throw invalidInput(
        'Koden känns inte igen. Skriv en ärendekod som Ä-2026-0042 eller en deltagarkod som D-2026-0001.',
      );
    return register;
  }

  private configured() {
    const now = this.deps.now().getTime();
    return this.deps.sources
      .filter((source) => this.deps.periods[source.kind] !== undefined)
      .map((source) => {
        const days = this.deps.periods[source.kind]!;
        return { source, days, cutoff: new Date(now - days * DAY_MS) };
      });
  }

  /** Audited under the code itself: `cases.extract`, `participants.erase`, … */
  private entryFor(
    actor: Principal,
    register: RegisterSource,
    action: 'extract' | 'erase',
    code: string,
  ): AuditEntry {
    return auditEntryOf(actor, this.deps.now(), `${register.subjectType}s.${action}`, {
      type: register.subjectType,
      id: code,
    });
  }

  /** Refuses anyone but an administratör, naming who can help. */
  async requireAdmin(actor: Principal): Promise<void> {
    if (hasRole(actor, 'admin')) return;
    const names = (await this.deps.adminNames?.().catch(() => [])) ?? [];
    throw forbidden(
      `Bara förbundets administratör kan hantera gallring, registerutdrag och radering.${
        names.length > 0 ? ` Administratör: ${names.slice(0, 5).join(', ')}.` : ''
      }`,
    );
  }
}
