import {
  odata,
  type TableClient,
  type TableTransaction,
  type TransactionAction,
} from '@azure/data-tables';
import { timingSafeEqual } from 'node:crypto';
import { z } from 'zod';
import {
  linkHashOf,
  MAX_FILE_BYTES,
  STALE_CLAIM_MS,
  type FileOfferStore,
  type OfferClaim,
  type PendingFile,
} from '../documents/file-offers.js';
import { isAppError } from '../errors.js';
import { toAppError } from './table-errors.js';
import type { TableStore } from './table-store.js';

const HEADER = 'h';
/** Base64 characters per chunk row: well under the 32,767-character string limit. */
const CHUNK_CHARS = 30_000;

const headerSchema = z.object({
  userId: z.string().min(1).max(200),
  name: z.string().min(1).max(200),
  mediaType: z.string().min(1).max(200),
  description: z.string().max(300),
  expiresAt: z.iso.datetime(),
  chunks: z.number().int().min(0).max(99),
  size: z.number().int().min(0).max(MAX_FILE_BYTES),
  linkHash: z
    .string()
    .regex(/^[A-Za-z0-9_-]{43}$/)
    .optional(),
});
const chunkSchema = z.object({ data: z.string().max(CHUNK_CHARS) });

/**
 * A claim on one click's offer lives in a partition of its own, `claim|<id>`: the `|` is outside
 * the characters of a file id, so no consent answer or link can name a claim.
 */
const CLAIM = 'claim';
const claimPartition = (claimId: string) => `claim|${claimId}`;
const claimSchema = z.object({
  outcome: z.enum(['under-way', 'consent', 'link']),
  claimedAt: z.iso.datetime(),
  etag: z.string(),
});

const chunkKey = (index: number) => `c${String(index).padStart(3, '0')}`;

/**
 * Files waiting to be fetched: one partition per file (a header row and base64 chunk rows),
 * written in one transaction. Taking deletes the header with its ETag, so exactly one caller
 * wins even across instances; the chunks go with it.
 */
export function fileOfferTable(store: TableStore): FileOfferStore {
  const table: TableClient = store.client('fileOffers');

  const readAll = async (id: string) => {
    const rows: Record<string, unknown>[] = [];
    try {
      for await (const row of table.listEntities<Record<string, unknown>>({
        queryOptions: { filter: odata`PartitionKey eq ${id}` },
      })) {
        rows.push(row);
      }
    } catch (error) {
      throw toAppError(error);
    }
    return rows;
  };

  const removeAll = async (id: string, keys: readonly string[]) => {
    if (keys.length === 0) return;
    const actions: TableTransaction['actions'] = keys.map((rowKey) => [
      'delete',
      { partitionKey: id, rowKey },
    ]);
    try {
      await table.submitTransaction(actions);
    } catch (error) {
      const mapped = toAppError(error);
      if ((mapped as { reason?: string }).reason !== 'not-found') throw mapped;
    }
  };

  /** The file a partition's rows hold, or undefined when incomplete. */
  const parse = (id: string, rows: Record<string, unknown>[]) => {
    const headerRow = rows.find((row) => row.rowKey === HEADER);
    if (!headerRow) return undefined;
    const header = headerSchema.parse(headerRow);
    const chunks = rows
      .filter((row) => row.rowKey !== HEADER)
      .sort((a, b) => String(a.rowKey).localeCompare(String(b.rowKey)));
    const bytes = Buffer.from(chunks.map((row) => chunkSchema.parse(row).data).join(''), 'base64');
    if (bytes.length !== header.size || chunks.length !== header.chunks) return undefined;
    const file: PendingFile = {
      id,
      userId: header.userId,
      name: header.name,
      mediaType: header.mediaType,
      description: header.description,
      bytes,
      expiresAt: new Date(header.expiresAt),
      ...(header.linkHash ? { linkHash: header.linkHash } : {}),
    };
    return { file, etag: String(headerRow.etag) };
  };

  /** A file taken by its person (not by link: a link file goes only with its token). */
  const isFor = (file: PendingFile, userId: string, now: Date) =>
    file.userId === userId && file.expiresAt > now && file.linkHash === undefined;

  /** Removes the file, conditional on the header that was read: one caller wins. */
  const spend = async (
    id: string,
    rows: Record<string, unknown>[],
    parsed: { file: PendingFile; etag: string },
  ) => {
    try {
      await table.deleteEntity(id, HEADER, { etag: parsed.etag });
    } catch (error) {
      const mapped = toAppError(error);
      const reason = (mapped as { reason?: string }).reason;
      if (reason === 'not-found' || reason === 'conflict') return undefined;
      throw mapped;
    }
    await removeAll(
      id,
      rows.filter((row) => row.rowKey !== HEADER).map((row) => String(row.rowKey)),
    );
    return parsed.file;
  };

  const claimRow = (claimId: string, expiresAt: Date, now: Date) => ({
    partitionKey: claimPartition(claimId),
    rowKey: CLAIM,
    outcome: 'under-way',
    claimedAt: now.toISOString(),
    expiresAt: expiresAt.toISOString(),
  });

  const claimOffer = async (
    claimId: string,
    expiresAt: Date,
    now: Date,
    tries = 2,
  ): Promise<OfferClaim> => {
    try {
      await table.createEntity(claimRow(claimId, expiresAt, now));
      return 'claimed';
    } catch (error) {
      const mapped = toAppError(error);
      if (!isAppError(mapped, 'already-exists')) throw mapped;
    }
    let existing: z.infer<typeof claimSchema>;
    try {
      existing = claimSchema.parse(await table.getEntity(claimPartition(claimId), CLAIM));
    } catch (error) {
      const mapped = toAppError(error);
      // Purged between the two requests: claim afresh.
      if (isAppError(mapped, 'not-found') && tries > 1)
        return claimOffer(claimId, expiresAt, now, tries - 1);
      throw mapped;
    }
    const stale = now.getTime() - new Date(existing.claimedAt).getTime() > STALE_CLAIM_MS;
    if (existing.outcome !== 'under-way' || !stale) return existing.outcome;
    try {
      await table.updateEntity(claimRow(claimId, expiresAt, now), 'Replace', {
        etag: existing.etag,
      });
      return 'claimed';
    } catch (error) {
      const mapped = toAppError(error);
      if (isAppError(mapped, 'conflict') || isAppError(mapped, 'not-found')) return 'under-way';
      throw mapped;
    }
  };

  return {
    claimOffer: (claimId, expiresAt, now) => claimOffer(claimId, expiresAt, now),

    async settleOffer(claimId, outcome) {
      try {
        if (outcome) {
          await table.updateEntity(
            { partitionKey: claimPartition(claimId), rowKey: CLAIM, outcome },
            'Merge',
          );
        } else {
          await table.deleteEntity(claimPartition(claimId), CLAIM);
        }
      } catch (error) {
        const mapped = toAppError(error);
        if (!isAppError(mapped, 'not-found')) throw mapped;
      }
    },

    async put(file) {
      if (file.bytes.length > MAX_FILE_BYTES) throw new Error('The file is too large to offer');
      const data = file.bytes.toString('base64');
      const chunks: string[] = [];
      for (let i = 0; i < data.length; i += CHUNK_CHARS)
        chunks.push(data.slice(i, i + CHUNK_CHARS));
      const header = headerSchema.parse({
        userId: file.userId,
        name: file.name,
        mediaType: file.mediaType,
        description: file.description.slice(0, 300),
        expiresAt: file.expiresAt.toISOString(),
        chunks: chunks.length,
        size: file.bytes.length,
        ...(file.linkHash ? { linkHash: file.linkHash } : {}),
      });
      try {
        const actions: TransactionAction[] = [
          ['create', { partitionKey: file.id, rowKey: HEADER, ...header }],
          ...chunks.map((chunk, i): TransactionAction => [
            'create',
            { partitionKey: file.id, rowKey: chunkKey(i), data: chunk },
          ]),
        ];
        await table.submitTransaction(actions);
      } catch (error) {
        throw toAppError(error);
      }
    },

    async read(id, userId, now) {
      const parsed = parse(id, await readAll(id));
      return parsed && isFor(parsed.file, userId, now) ? parsed.file : undefined;
    },

    async take(id, userId, now) {
      const rows = await readAll(id);
      const parsed = parse(id, rows);
      return parsed && isFor(parsed.file, userId, now) ? spend(id, rows, parsed) : undefined;
    },

    async takeByLink(id, token, now) {
      const rows = await readAll(id);
      const parsed = parse(id, rows);
      if (!parsed || !parsed.file.linkHash || parsed.file.expiresAt <= now) return undefined;
      const expected = Buffer.from(parsed.file.linkHash);
      const given = Buffer.from(linkHashOf(token));
      if (expected.length !== given.length || !timingSafeEqual(expected, given)) return undefined;
      return spend(id, rows, parsed);
    },

    async purgeExpired(now) {
      const expired = new Set<string>();
      try {
        for await (const row of table.listEntities<Record<string, unknown>>({
          queryOptions: {
            filter: odata`(RowKey eq ${HEADER} or RowKey eq ${CLAIM}) and expiresAt lt ${now.toISOString()}`,
            select: ['PartitionKey'],
          },
        })) {
          expired.add(String(row.partitionKey));
        }
      } catch (error) {
        throw toAppError(error);
      }
      for (const id of expired) {
        const rows = await readAll(id);
        await removeAll(
          id,
          rows.map((row) => String(row.rowKey)),
        );
      }
      return expired.size;
    },
  };
}
