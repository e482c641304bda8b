import { z } from 'zod';
import { retryOnConflict } from '../concurrency.js';
import { toLocal } from '../schedule/local-time.js';
import { EntityTable } from './entity-table.js';
import type { TableStore } from './table-store.js';

const PARTITION = 'meta';
const ROW = 'years';
const CACHE_MS = 30_000;

const yearsSchema = z.object({
  /** Years whose partition may hold open cases. */
  open: z.array(z.number().int()).max(200),
  /** Years whose partition holds any case. */
  all: z.array(z.number().int()).max(200),
  /** Whether cases stored in the earlier one-row shape have been moved into the new rows. */
  legacyMigrated: z.boolean(),
});
export type CaseYearsValue = z.infer<typeof yearsSchema>;

/**
 * Which year partitions hold cases, so the open queue reads only the years that may hold open
 * cases (usually one) whatever the number of closed ones.
 * @remarks A year is added before the first case of it is written, and removed from `open` only
 * when its partition holds no open case and it is not the current year; a case can only be
 * created in the current year (or by the migration, which adds its years first). So a cached
 * copy plus the current year never misses a year that holds open cases.
 */
export class CaseYears {
  private readonly table: EntityTable<typeof yearsSchema>;
  private cache?: { at: number; value: CaseYearsValue };

  constructor(
    store: TableStore,
    private readonly now: () => Date,
  ) {
    this.table = new EntityTable(store.client('cases'), yearsSchema, ['open', 'all']);
  }

  /** The years to read for the open queue: the stored ones and the current year. */
  async openYears(): Promise<number[]> {
    const value = await this.cached();
    return [...new Set([...value.open, this.currentYear()])].sort((a, b) => a - b);
  }

  async allYears(): Promise<number[]> {
    const value = await this.read();
    return [...value.all].sort((a, b) => a - b);
  }

  async legacyMigrated(): Promise<boolean> {
    return (await this.read()).legacyMigrated;
  }

  /** Records that `years` hold (open) cases, before any of their cases is written. */
  async add(years: readonly number[], open = true): Promise<void> {
    const cached = this.cache?.value;
    if (cached && years.every((y) => cached.all.includes(y) && (!open || cached.open.includes(y))))
      return;
    await this.update((value) => ({
      ...value,
      all: [...new Set([...value.all, ...years])],
      open: open ? [...new Set([...value.open, ...years])] : value.open,
    }));
  }

  async markLegacyMigrated(): Promise<void> {
    await this.update((value) => ({ ...value, legacyMigrated: true }));
  }

  /** Drops from `open` the past years whose partitions hold no open case any more. */
  async sweep(hasOpen: (year: number) => Promise<boolean>): Promise<void> {
    const current = this.currentYear();
    const value = await this.read();
    const empty: number[] = [];
    for (const year of value.open) {
      if (year < current && !(await hasOpen(year))) empty.push(year);
    }
    if (empty.length === 0) return;
    await this.update((stored) => ({
      ...stored,
      open: stored.open.filter((year) => !empty.includes(year)),
    }));
  }

  private currentYear(): number {
    return Number(toLocal(this.now()).date.slice(0, 4));
  }

  private async cached(): Promise<CaseYearsValue> {
    const now = Date.now();
    if (this.cache && now - this.cache.at < CACHE_MS) return this.cache.value;
    return this.read();
  }

  private async read(): Promise<CaseYearsValue> {
    const stored = await this.table.get(PARTITION, ROW);
    const value = stored?.value ?? { open: [], all: [], legacyMigrated: false };
    this.cache = { at: Date.now(), value };
    return value;
  }

  /** Applies `change` to the stored row; nothing is written when it changes nothing. */
  private async update(change: (value: CaseYearsValue) => CaseYearsValue): Promise<void> {
    await retryOnConflict(async () => {
      const stored = await this.table.get(PARTITION, ROW);
      const current = stored?.value ?? { open: [], all: [], legacyMigrated: false };
      const next = change(current);
      if (stored && JSON.stringify(next) === JSON.stringify(current)) {
        this.cache = { at: Date.now(), value: current };
        return;
      }
      if (stored) await this.table.replace(PARTITION, ROW, next, stored.version);
      else await this.table.create(PARTITION, ROW, next);
      this.cache = { at: Date.now(), value: next };
    }, 8);
  }
}
