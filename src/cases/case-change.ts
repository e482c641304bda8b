import { createHash } from 'node:crypto';
import type { Principal } from '../access/access.schema.js';
import { retryOnConflict } from '../concurrency.js';
import { notFound } from '../errors.js';
import type { CaseChange, CaseSnapshot, CaseStore } from './case-store.js';

/** Who carries cases over: the bot itself, in the history and the audit log. */
export const SYSTEM_ACTOR: Principal = {
  userId: 'system',
  tenantId: '',
  roles: [],
  configuredAdmin: false,
};

/** The hashed request key a case head keeps as `lastChange`. */
export const changeKeyOf = (key: string) =>
  createHash('sha256').update(`case-change|${key}`).digest('hex').slice(0, 40);

export async function requireCase(store: CaseStore, code: string): Promise<CaseSnapshot> {
  const snapshot = await store.get(code);
  if (!snapshot) throw notFound(`Det finns inget ärende med koden ${code}.`);
  return snapshot;
}

export type ChangePlan = Omit<CaseChange, 'key'>;

export interface Changed {
  readonly snapshot: CaseSnapshot;
  /** `unchanged`: nothing to do (already so); `repeated`: this request was stored before. */
  readonly outcome: 'changed' | 'unchanged' | 'repeated';
}

/**
 * Read, decide, write one case, again from a fresh read when another writer got in between.
 * `decide` returns undefined when there is nothing to do, which makes repeats harmless; a
 * request whose change is already the case's latest is recognised before deciding again.
 */
export async function changeCase(
  store: CaseStore,
  code: string,
  key: string,
  decide: (current: CaseSnapshot) => Promise<ChangePlan | undefined> | ChangePlan | undefined,
): Promise<Changed> {
  let first = true;
  return retryOnConflict(async () => {
    const current = await requireCase(store, code);
    if (current.value.lastChange === changeKeyOf(key)) {
      return { snapshot: current, outcome: first ? 'repeated' : 'changed' };
    }
    first = false;
    const plan = await decide(current);
    if (!plan) return { snapshot: current, outcome: 'unchanged' };
    const written = await store.change(current, { ...plan, key });
    return {
      snapshot: written.snapshot,
      outcome: written.kind === 'committed' ? 'changed' : 'repeated',
    };
  }, 5);
}
