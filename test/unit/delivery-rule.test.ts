import { describe, expect, it } from 'vitest';
import {
  ConnectorFailure,
  guaranteeFor,
  judgeFailure,
  parseRetryAfter,
} from '../../src/bot/delivery-rule.js';

const withStatus = (statusCode: number) => Object.assign(new Error('scripted'), { statusCode });
const withCode = (code: string) => Object.assign(new Error('scripted'), { code });

describe('the delivery rule', () => {
  it('when Teams refuses with 429, 408 or 412, then nothing was delivered and the send may be retried', () => {
    for (const status of [429, 408, 412]) {
      expect(judgeFailure(withStatus(status))).toMatchObject({
        knowledge: 'refused',
        action: 'retry',
        status,
      });
    }
  });

  it('when Teams answers 5xx, then the outcome is unknown (a gateway may have passed it on)', () => {
    for (const status of [500, 502, 503, 504]) {
      expect(judgeFailure(withStatus(status))).toMatchObject({ knowledge: 'unknown', status });
    }
  });

  it('when Teams answers 403, then the bot was removed; other 4xx are refused for good', () => {
    expect(judgeFailure(withStatus(403))).toMatchObject({ knowledge: 'refused', action: 'stale' });
    for (const status of [400, 401, 404, 413]) {
      expect(judgeFailure(withStatus(status))).toMatchObject({
        knowledge: 'refused',
        action: 'reject',
      });
    }
  });

  it('when the connection was refused or the name not found, then nothing was sent; a reset or timeout is unknown', () => {
    expect(judgeFailure(withCode('ECONNREFUSED')).knowledge).toBe('refused');
    expect(judgeFailure(withCode('ENOTFOUND')).knowledge).toBe('refused');
    expect(judgeFailure(withCode('ECONNRESET')).knowledge).toBe('unknown');
    expect(judgeFailure(new Error('no code at all')).knowledge).toBe('unknown');
    expect(judgeFailure(new ConnectorFailure('unknown', undefined, 'timeout')).knowledge).toBe(
      'unknown',
    );
    expect(judgeFailure(new ConnectorFailure('refused', undefined, 'token')).knowledge).toBe(
      'refused',
    );
  });

  it('when the answer carries Retry-After, then it is honoured in milliseconds, capped at a minute', () => {
    expect(judgeFailure(new ConnectorFailure('refused', 429, 'http', 2_000)).retryAfterMs).toBe(
      2_000,
    );
    expect(parseRetryAfter('3')).toBe(3_000);
    expect(parseRetryAfter('3600')).toBe(60_000);
    expect(parseRetryAfter('soon')).toBeUndefined();
    expect(parseRetryAfter(null)).toBeUndefined();
  });

  it('when a message goes to a channel or group chat, then it is at most once; to a personal chat, at least once', () => {
    expect(guaranteeFor('channel')).toBe('at-most-once');
    expect(guaranteeFor('groupChat')).toBe('at-most-once');
    expect(guaranteeFor('personal')).toBe('at-least-once');
  });
});
