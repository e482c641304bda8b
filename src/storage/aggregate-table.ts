import { createHash } from 'node:crypto';
import { odata, type TableClient, type TransactionAction } from '@azure/data-tables';
import { z } from 'zod';
import { auditEntrySchema, type AuditEntry } from '../audit/audit.schema.js';
import { AppError } from '../errors.js';
import { checkEntityLimits, MAX_BATCH_OPERATIONS } from './entity-limits.js';
import { decodeKey, encodeKey } from './keys.js';
import {
  isConflict,
  isNotFound,
  isPreconditionFailed,
  isUnavailable,
  toAppError,
} from './table-errors.js';
import { newId } from '../ids.js';

/**
 * One kind of row in an aggregate's partition: its row-key prefix, its schema and the schema
 * version written with it. Rows of an older version go through `upcast` before the schema.
 */
export interface RowKind<T> {
  readonly prefix: string;
  readonly schema: z.ZodType<T>;
  readonly version: number;
  /** Fields that hold arrays or objects, stored as JSON strings. */
  readonly json?: readonly string[];
  /**
   * Turns a stored row of an older `version` (0 for rows written before versions existed), as
   * stored (JSON fields still strings), into today's shape.
   */
  readonly upcast?: (row: Record<string, unknown>, version: number) => Record<string, unknown>;
}

export type RowKinds = Record<string, RowKind<unknown>>;
type ValueOf<K extends RowKinds, N extends keyof K> = K[N] extends RowKind<infer T> ? T : never;

export interface StoredRow<T> {
  readonly id: string;
  readonly value: T;
  readonly etag: string;
}

/** A write inside one change. `replace` is conditional on the etag read; `upsert` is not. */
export type RowWrite<K extends RowKinds> = {
  [N in keyof K & string]:
    | {
        readonly op: 'create' | 'upsert';
        readonly kind: N;
        readonly id: string;
        readonly value: ValueOf<K, N>;
      }
    | {
        readonly op: 'replace';
        readonly kind: N;
        readonly id: string;
        readonly value: ValueOf<K, N>;
        readonly etag: string;
      }
    | { readonly op: 'delete'; readonly kind: N; readonly id: string };
}[keyof K & string];

/**
 * One change to an aggregate: its row writes, the audit entries that describe it and, for an
 * action that may be repeated (a card click, a re-delivered message), the idempotency marker with
 * the result to hand back on a repeat. The marker is compulsory: a change whose answer was lost is
 * recognised by it (and the storage client's own retry of a landed change is answered from it).
 */
export interface Change<K extends RowKinds> {
  readonly writes: readonly RowWrite<K>[];
  readonly audit: readonly AuditEntry[];
  readonly marker: { readonly key: string; readonly result?: MarkerResult };
}

export type MarkerResult = Record<string, string | number | boolean | null>;

export type CommitOutcome =
  | { readonly kind: 'committed'; readonly etags: ReadonlyMap<string, string> }
  /** The marker existed: the same action was already committed; nothing was written now. */
  | { readonly kind: 'repeated'; readonly result: MarkerResult };

const AUDIT = 'audit';
const MARKER = 'req';
const RESERVED = new Set([AUDIT, MARKER]);
const markerSchema = z.object({ at: z.iso.datetime(), result: z.string().max(4000) });
const VERSION = '_v';
const KIND = '_k';
const systemProperties = new Set(['partitionKey', 'rowKey', 'etag', 'timestamp', 'odata.metadata']);
/** A pause before asking storage whether a change whose answer was lost did land. */
const VERIFY_DELAY_MS = 300;

/** The row key of a row of kind `prefix` with id `id`; ids keep their order. */
export const rowKey = (prefix: string, id: string) => `${prefix}|${encodeKey(id)}`;
const markerId = (key: string) => createHash('sha256').update(key).digest('hex').slice(0, 40);

/** Every row of one aggregate that a load returned, by kind. */
export class AggregateRows<K extends RowKinds> {
  constructor(
    private readonly byKind: ReadonlyMap<string, StoredRow<unknown>[]>,
    readonly auditEntries: readonly AuditEntry[],
  ) {}

  /** Rows of a kind in row-key order. */
  list<N extends keyof K & string>(kind: N): readonly StoredRow<ValueOf<K, N>>[] {
    return (this.byKind.get(kind) ?? []) as StoredRow<ValueOf<K, N>>[];
  }

  get<N extends keyof K & string>(kind: N, id: string): StoredRow<ValueOf<K, N>> | undefined {
    return this.list(kind).find((row) => row.id === id);
  }

  get isEmpty(): boolean {
    return [...this.byKind.values()].every((rows) => rows.length === 0);
  }
}

/**
 * A table whose partitions each hold one aggregate (an occurrence with its agenda, a case, a
 * participant): a header row and one row per element, audit entry and idempotency marker.
 * @remarks Every change is one entity-group transaction, so a change, its audit entries and its
 * marker land together or not at all; callers make it conditional by replacing the header with
 * the etag they read. Limits are checked before sending (`too-large`), so no write fails at
 * Azure's limits half way. When the answer to a change is lost, the marker tells whether it
 * landed: the caller hears `committed`, or `storage-unavailable` (it did not), or
 * `outcome-unknown` (storage could not be asked).
 */
export class AggregateTable<K extends RowKinds> {
  constructor(
    private readonly table: TableClient,
    private readonly kinds: K,
    private readonly options: { readonly verifyDelayMs?: number } = {},
  ) {
    for (const [name, kind] of Object.entries(kinds)) {
      if (RESERVED.has(kind.prefix) || !/^[a-z][a-z0-9]*$/.test(kind.prefix)) {
        throw new Error(`Row kind ${name} has an unusable prefix`);
      }
    }
  }

  /**
   * Reads the rows of the given kinds (every kind when omitted; audit entries only when asked
   * for) in one partition query.
   */
  async load(
    partition: string,
    kinds: readonly (keyof K & string)[] = Object.keys(this.kinds),
    options: { readonly audit?: boolean } = {},
  ): Promise<AggregateRows<K>> {
    const prefixes = kinds.map((name) => this.kind(name).prefix);
    if (options.audit) prefixes.push(AUDIT);
    const rows = await this.query(partition, prefixes);
    return this.group(rows);
  }

  /** One row, by a point read; undefined when there is none. */
  async row<N extends keyof K & string>(
    partition: string,
    kind: N,
    id: string,
  ): Promise<StoredRow<ValueOf<K, N>> | undefined> {
    try {
      const entity = await this.table.getEntity<Record<string, unknown>>(
        encodeKey(partition),
        rowKey(this.kind(kind).prefix, id),
      );
      return this.group([entity]).get(kind, id);
    } catch (error) {
      if (isNotFound(error)) return undefined;
      throw toAppError(error);
    }
  }

  /** Rows of one kind whose ids lie in `[from, to)`, at most `limit`, in id order. */
  async range<N extends keyof K & string>(
    partition: string,
    kind: N,
    bounds: { readonly from?: string; readonly to?: string; readonly limit?: number } = {},
  ): Promise<StoredRow<ValueOf<K, N>>[]> {
    const prefix = this.kind(kind).prefix;
    const lower = rowKey(prefix, bounds.from ?? '\u0000');
    const upper = bounds.to === undefined ? `${prefix}}` : rowKey(prefix, bounds.to);
    const filter = odata`PartitionKey eq ${encodeKey(partition)} and RowKey ge ${lower} and RowKey lt ${upper}`;
    const rows = await this.pages(filter, bounds.limit);
    return [...this.group(rows).list(kind)];
  }

  /** The audit entries of one aggregate, oldest first. */
  async audit(partition: string): Promise<AuditEntry[]> {
    return [...(await this.load(partition, [], { audit: true })).auditEntries];
  }

  /** Writes one change as one transaction; see the class remarks for what each outcome means. */
  async commit(partition: string, change: Change<K>): Promise<CommitOutcome> {
    const pk = encodeKey(partition);
    const actions: TransactionAction[] = change.writes.map((write) => this.action(pk, write));
    for (const entry of change.audit) {
      const checked = auditEntrySchema.parse(entry);
      actions.push([
        'create',
        this.entity(pk, rowKey(AUDIT, `${checked.at}|${newId()}`), 1, {
          ...checked,
          details: checked.details ? JSON.stringify(checked.details) : undefined,
        }),
      ]);
    }
    const markerKey = rowKey(MARKER, markerId(change.marker.key));
    {
      actions.push([
        'create',
        this.entity(pk, markerKey, 1, {
          at: new Date().toISOString(),
          result: JSON.stringify(change.marker.result ?? {}),
        }),
      ]);
    }
    if (actions.length > MAX_BATCH_OPERATIONS) {
      throw new AppError('too-large', 'Ändringen är för stor för att sparas på en gång.');
    }
    try {
      const response = await this.table.submitTransaction(actions);
      const etags = new Map<string, string>();
      response.subResponses.forEach((sub, index) => {
        const entity = actions[index]![1];
        if (sub.etag) etags.set(entity.rowKey!, sub.etag);
      });
      return { kind: 'committed', etags };
    } catch (error) {
      if (isConflict(error)) {
        const repeated = await this.marker(pk, markerKey);
        if (repeated) return { kind: 'repeated', result: repeated };
        throw new AppError('already-exists', undefined, { cause: error });
      }
      if (isPreconditionFailed(error)) {
        // The storage client resends a change whose answer was lost; the resend then fails on
        // the etags the first one changed. The marker tells that apart from a lost race.
        const repeated = await this.marker(pk, markerKey);
        if (repeated) return { kind: 'repeated', result: repeated };
        throw new AppError('conflict', undefined, { cause: error });
      }
      if (isUnavailable(error)) return this.verify(pk, markerKey, error);
      throw toAppError(error);
    }
  }

  /** The id part of a row key written by this table. */
  static idOf(key: string): string {
    return decodeKey(key.slice(key.indexOf('|') + 1));
  }

  private async verify(pk: string, markerKey: string, cause: unknown) {
    await new Promise((resolve) =>
      setTimeout(resolve, this.options.verifyDelayMs ?? VERIFY_DELAY_MS),
    );
    let landed: MarkerResult | undefined;
    try {
      landed = await this.marker(pk, markerKey);
    } catch {
      throw new AppError('outcome-unknown', undefined, { cause });
    }
    if (!landed) throw new AppError('storage-unavailable', undefined, { cause });
    return { kind: 'committed' as const, etags: new Map<string, string>() };
  }

  private async marker(pk: string, key: string): Promise<MarkerResult | undefined> {
    try {
      const row = await this.table.getEntity<Record<string, unknown>>(pk, key);
      const parsed = markerSchema.parse({ at: row.at, result: row.result });
      return JSON.parse(parsed.result) as MarkerResult;
    } catch (error) {
      if (isNotFound(error)) return undefined;
      throw toAppError(error);
    }
  }

  private kind(name: string): RowKind<unknown> {
    const kind = this.kinds[name];
    if (!kind) throw new Error(`Unknown row kind ${name}`);
    return kind;
  }

  private action(pk: string, write: RowWrite<K>): TransactionAction {
    const kind = this.kind(write.kind);
    const key = rowKey(kind.prefix, write.id);
    if (write.op === 'delete') return ['delete', { partitionKey: pk, rowKey: key }];
    const value = kind.schema.parse(write.value) as Record<string, unknown>;
    const stored: Record<string, unknown> = { ...value };
    for (const field of kind.json ?? []) {
      if (stored[field] !== undefined) stored[field] = JSON.stringify(stored[field]);
    }
    const entity = this.entity(pk, key, kind.version, stored, write.kind);
    if (write.op === 'replace') {
      return ['update', entity, 'Replace', { etag: requireEtag(write.etag) }];
    }
    return write.op === 'create' ? ['create', entity] : ['upsert', entity, 'Replace'];
  }

  private entity(
    partitionKey: string,
    key: string,
    version: number,
    value: Record<string, unknown>,
    kind?: string,
  ) {
    const entity: Record<string, unknown> = { partitionKey, rowKey: key };
    for (const [name, field] of Object.entries(value)) {
      if (field !== undefined && field !== null) entity[name] = field;
    }
    entity[VERSION] = version;
    if (kind) entity[KIND] = kind;
    checkEntityLimits(entity);
    return entity as { partitionKey: string; rowKey: string };
  }

  private async query(partition: string, prefixes: readonly string[]) {
    if (prefixes.length === 0) return [];
    const pk = encodeKey(partition);
    const ranges = prefixes.map(
      (prefix) => odata`(RowKey ge ${`${prefix}|`} and RowKey lt ${`${prefix}}`})`,
    );
    return this.pages(`${odata`PartitionKey eq ${pk}`} and (${ranges.join(' or ')})`);
  }

  private async pages(filter: string, limit?: number) {
    const rows: Record<string, unknown>[] = [];
    try {
      let token: string | undefined;
      do {
        const iterator = this.table
          .listEntities<Record<string, unknown>>({ queryOptions: { filter } })
          .byPage({
            maxPageSize: Math.min(1000, limit ?? 1000),
            ...(token ? { continuationToken: token } : {}),
          });
        const next = await iterator.next();
        if (next.done) break;
        rows.push(...next.value);
        token = next.value.continuationToken;
      } while (token && (limit === undefined || rows.length < limit));
    } catch (error) {
      throw toAppError(error);
    }
    return limit === undefined ? rows : rows.slice(0, limit);
  }

  private group(rows: Record<string, unknown>[]): AggregateRows<K> {
    const byPrefix = new Map<string, string>();
    for (const [name, kind] of Object.entries(this.kinds)) byPrefix.set(kind.prefix, name);
    const byKind = new Map<string, StoredRow<unknown>[]>();
    const audit: AuditEntry[] = [];
    for (const row of rows) {
      const key = String(row.rowKey);
      const prefix = key.slice(0, key.indexOf('|'));
      if (prefix === AUDIT) {
        const plain = plainOf(row);
        if (typeof plain.details === 'string') plain.details = JSON.parse(plain.details);
        audit.push(auditEntrySchema.parse(plain));
        continue;
      }
      const name = byPrefix.get(prefix);
      if (!name) continue;
      const kind = this.kinds[name]!;
      const list = byKind.get(name) ?? [];
      list.push({
        id: AggregateTable.idOf(key),
        value: this.read(kind, row),
        etag: String(row.etag),
      });
      byKind.set(name, list);
    }
    return new AggregateRows<K>(byKind, audit);
  }

  private read(kind: RowKind<unknown>, row: Record<string, unknown>): unknown {
    const version = typeof row[VERSION] === 'number' ? (row[VERSION] as number) : 0;
    const plain = plainOf(row);
    if (version < kind.version) {
      if (!kind.upcast) throw new Error(`No upcaster for ${kind.prefix} v${version}`);
      return kind.schema.parse(kind.upcast(plain, version));
    }
    for (const field of kind.json ?? []) {
      if (typeof plain[field] === 'string') plain[field] = JSON.parse(plain[field] as string);
    }
    return kind.schema.parse(plain);
  }
}

function plainOf(row: Record<string, unknown>): Record<string, unknown> {
  const plain: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(row)) {
    if (systemProperties.has(key) || key.endsWith('@odata.type') || key === VERSION || key === KIND)
      continue;
    plain[key] = value;
  }
  return plain;
}

function requireEtag(etag: string): string {
  if (!etag || etag === '*') throw new Error('A conditional write needs the etag that was read');
  return etag;
}
