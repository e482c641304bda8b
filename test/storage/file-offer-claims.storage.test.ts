import { describe, expect, it } from 'vitest';
import { STALE_CLAIM_MS } from '../../src/documents/file-offers.js';
import { fileOfferTable } from '../../src/storage/file-offer-table.js';
import { storeFor } from '../support/table-snapshot.js';
import { uniquePrefix } from '../support/test-bot.js';

/**
 * Claims on a click's file offer, in Azurite: one caller makes the offer, every other learns how
 * it went; a claim left under way by a stopped instance is taken over; expired claims are purged.
 */
async function freshClaims() {
  const store = storeFor(uniquePrefix());
  await store.ensureTables();
  return fileOfferTable(store);
}

const now = new Date('2026-12-03T08:00:00Z');
const later = (ms: number) => new Date(now.getTime() + ms);
const expiresAt = later(10 * 60_000);

describe('claims on a file offer', () => {
  it('when 20 callers claim the same click at once, then exactly one gets it and the others see it under way, then how it went out', async () => {
    const claims = await freshClaims();
    const results = await Promise.all(
      Array.from({ length: 20 }, () => claims.claimOffer('klick-1', expiresAt, now)),
    );
    expect(results.filter((r) => r === 'claimed')).toHaveLength(1);
    expect(results.filter((r) => r === 'under-way')).toHaveLength(19);

    await claims.settleOffer('klick-1', 'link');
    expect(await claims.claimOffer('klick-1', expiresAt, later(1_000))).toBe('link');
    // A settled claim is never taken over, however late the repeat.
    expect(await claims.claimOffer('klick-1', expiresAt, later(STALE_CLAIM_MS * 5))).toBe('link');
  });

  it('when the claim is given up (nothing was sent), then the same click may claim it again', async () => {
    const claims = await freshClaims();
    expect(await claims.claimOffer('klick-2', expiresAt, now)).toBe('claimed');
    await claims.settleOffer('klick-2', undefined);
    expect(await claims.claimOffer('klick-2', expiresAt, later(1_000))).toBe('claimed');
    // Giving up a claim that is gone already changes nothing and does not fail.
    await claims.settleOffer('klick-saknas', undefined);
    expect(await claims.claimOffer('klick-2', expiresAt, later(2_000))).toBe('under-way');
  });

  it('when a claim stays under way past its time (its instance stopped), then one of two late callers takes it over', async () => {
    const claims = await freshClaims();
    expect(await claims.claimOffer('klick-3', expiresAt, now)).toBe('claimed');
    expect(await claims.claimOffer('klick-3', expiresAt, later(STALE_CLAIM_MS - 1_000))).toBe(
      'under-way',
    );
    const late = later(STALE_CLAIM_MS + 1_000);
    const results = await Promise.all([
      claims.claimOffer('klick-3', expiresAt, late),
      claims.claimOffer('klick-3', expiresAt, late),
    ]);
    expect(results.sort()).toEqual(['claimed', 'under-way']);
  });

  it('when a claim has expired, then the purge removes it and the click could claim afresh', async () => {
    const claims = await freshClaims();
    expect(await claims.claimOffer('klick-4', expiresAt, now)).toBe('claimed');
    await claims.settleOffer('klick-4', 'consent');
    expect(await claims.claimOffer('klick-5', later(60 * 60_000), now)).toBe('claimed');
    await claims.settleOffer('klick-5', 'link');
    expect(await claims.purgeExpired(later(11 * 60_000))).toBe(1);
    expect(await claims.claimOffer('klick-4', expiresAt, later(11 * 60_000))).toBe('claimed');
    expect(await claims.claimOffer('klick-5', expiresAt, later(11 * 60_000))).toBe('link');
  });

  it('when a consent answer names a claim as its file, then nothing is found (a claim is never a file)', async () => {
    const claims = await freshClaims();
    await claims.claimOffer('klick-6', expiresAt, now);
    await claims.settleOffer('klick-6', 'consent');
    expect(await claims.take('claim|klick-6', 'user-anna', now)).toBeUndefined();
    expect(await claims.take('klick-6', 'user-anna', now)).toBeUndefined();
  });
});
