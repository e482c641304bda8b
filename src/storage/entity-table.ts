import type { TableClient, TableEntityResult } from '@azure/data-tables';
import type { z } from 'zod';
import type { Page, Versioned } from '../versioned.js';
import { toAppError } from './table-errors.js';

type Row = Record<string, unknown>;
const systemProperties = new Set(['partitionKey', 'rowKey', 'etag', 'timestamp', 'odata.metadata']);

/**
 * A table of one kind of entity, validated by a zod schema on the way in and out.
 * @remarks Every write is conditional: `create` fails on an existing row, `replace` and
 * `remove` only succeed against the version that was read. SDK errors become domain errors.
 * Fields named in `jsonFields` hold arrays or objects and are stored as JSON strings.
 */
export class EntityTable<S extends z.ZodType<Row>> {
  constructor(
    private readonly table: TableClient,
    private readonly schema: S,
    private readonly jsonFields: readonly (keyof z.infer<S> & string)[] = [],
  ) {}

  async get(partitionKey: string, rowKey: string): Promise<Versioned<z.infer<S>> | undefined> {
    try {
      const row = await this.table.getEntity<Row>(partitionKey, rowKey);
      return this.read(row);
    } catch (error) {
      const mapped = toAppError(error);
      if ((mapped as { reason?: string }).reason === 'not-found') return undefined;
      throw mapped;
    }
  }

  async create(
    partitionKey: string,
    rowKey: string,
    value: z.infer<S>,
  ): Promise<Versioned<z.infer<S>>> {
    const checked = this.schema.parse(value);
    try {
      const result = await this.table.createEntity({
        partitionKey,
        rowKey,
        ...this.write(checked),
      });
      return { value: checked, version: result.etag ?? '' };
    } catch (error) {
      throw toAppError(error);
    }
  }

  async replace(
    partitionKey: string,
    rowKey: string,
    value: z.infer<S>,
    version: string,
  ): Promise<Versioned<z.infer<S>>> {
    const checked = this.schema.parse(value);
    try {
      const result = await this.table.updateEntity(
        { partitionKey, rowKey, ...this.write(checked) },
        'Replace',
        { etag: requireVersion(version) },
      );
      return { value: checked, version: result.etag ?? '' };
    } catch (error) {
      throw toAppError(error);
    }
  }

  async remove(partitionKey: string, rowKey: string, version: string): Promise<void> {
    try {
      await this.table.deleteEntity(partitionKey, rowKey, { etag: requireVersion(version) });
    } catch (error) {
      throw toAppError(error);
    }
  }

  /**
   * One page of rows matching an `odata` filter. Skips the empty pages the service may return
   * with a continuation token, so a page is only empty when nothing more matches.
   */
  async page(
    filter: string | undefined,
    pageSize: number,
    cursor?: string,
  ): Promise<Page<Versioned<z.infer<S>>>> {
    const { rows, cursor: next } = await this.rawPage(filter, pageSize, cursor);
    return { items: rows.map((row) => this.read(row)), ...(next ? { cursor: next } : {}) };
  }

  /** Every row matching the filter, page by page. */
  async *all(filter?: string): AsyncGenerator<Versioned<z.infer<S>>> {
    let cursor: string | undefined;
    do {
      const page = await this.page(filter, 1000, cursor);
      yield* page.items;
      cursor = page.cursor;
    } while (cursor);
  }

  /** Every row matching the filter with its keys, for callers that remove what they find. */
  async *allWithKeys(
    filter?: string,
  ): AsyncGenerator<Versioned<z.infer<S>> & { partitionKey: string; rowKey: string }> {
    let cursor: string | undefined;
    do {
      const page = await this.rawPage(filter, 1000, cursor);
      for (const row of page.rows) {
        yield { ...this.read(row), partitionKey: row.partitionKey ?? '', rowKey: row.rowKey ?? '' };
      }
      cursor = page.cursor;
    } while (cursor);
  }

  private async rawPage(
    filter: string | undefined,
    pageSize: number,
    cursor?: string,
  ): Promise<{ rows: TableEntityResult<Row>[]; cursor?: string }> {
    try {
      let token = cursor;
      for (;;) {
        const iterator = this.table
          .listEntities<Row>({ queryOptions: filter ? { filter } : {} })
          .byPage({ maxPageSize: pageSize, ...(token ? { continuationToken: token } : {}) });
        const next = await iterator.next();
        if (next.done) return { rows: [] };
        const page = next.value;
        token = page.continuationToken;
        if (page.length > 0 || !token)
          return { rows: [...page], ...(token ? { cursor: token } : {}) };
      }
    } catch (error) {
      throw toAppError(error);
    }
  }

  private write(value: z.infer<S>): Row {
    const row: Row = { ...value };
    for (const field of this.jsonFields) {
      if (row[field] !== undefined) row[field] = JSON.stringify(row[field]);
    }
    for (const [key, fieldValue] of Object.entries(row)) {
      if (fieldValue === undefined || fieldValue === null) delete row[key];
    }
    return row;
  }

  private read(row: TableEntityResult<Row>): Versioned<z.infer<S>> {
    const plain: Row = {};
    for (const [key, value] of Object.entries(row)) {
      if (!systemProperties.has(key) && !key.endsWith('@odata.type')) plain[key] = value;
    }
    for (const field of this.jsonFields) {
      if (typeof plain[field] === 'string') plain[field] = JSON.parse(plain[field] as string);
    }
    return { value: this.schema.parse(plain), version: row.etag };
  }
}

function requireVersion(version: string): string {
  if (!version || version === '*')
    throw new Error('A conditional write needs the version that was read');
  return version;
}
