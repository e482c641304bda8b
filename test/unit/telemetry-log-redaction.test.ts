import { describe, expect, it } from 'vitest';
import { createLogger, REDACTED } from '../../src/log.js';

const capture = () => {
  const lines: Record<string, unknown>[] = [];
  const logger = createLogger('debug', (line) => lines.push(JSON.parse(line)));
  return { lines, logger };
};

describe('log redaction', () => {
  it('when a field holds a personnummer or samordningsnummer, then the value is masked and the rest kept', () => {
    const { lines, logger } = capture();
    logger.warn('command', {
      command: 'roller',
      argument: 'ge 19121212-1212 samordnare',
      other: '701063-2391',
      count: 3,
    });
    expect(lines[0]).toMatchObject({
      event: 'command',
      command: 'roller',
      argument: REDACTED,
      other: REDACTED,
      count: 3,
    });
    expect(JSON.stringify(lines)).not.toMatch(/1212|2391/);
  });

  it('when a field holds ids, dates or numbers that are not personnummer, then it is left alone', () => {
    const { lines, logger } = capture();
    const fields = {
      conversationId: '19:referensgrupp@thread.tacv2',
      dueAt: '2026-03-10T08:00:00.000Z',
      reminderId: 'meeting.abc.2026-03-10.kallelse',
      phone: '0701234567',
    };
    logger.info('reminder.sent', fields);
    expect(lines[0]).toMatchObject(fields);
  });
});
