import { describe, expect, it } from 'vitest';
import { answerFirst, BackgroundWork } from '../../src/background.js';
import type { Logger } from '../../src/log.js';

const silent = { info() {}, warn() {}, error() {}, debug() {} } as unknown as Logger;

describe('work asked for while an answer is made', () => {
  it('when background work is asked for during an answer, then it starts only after the answer is sent', async () => {
    const background = new BackgroundWork(silent);
    const order: string[] = [];
    await answerFirst(
      async () => {
        background.coalesce('a', 'test', async () => {
          order.push('work');
        });
        await new Promise((resolve) => setTimeout(resolve, 5));
        order.push('made');
        return 'card';
      },
      (card) => order.push(`sent ${card}`),
    );
    await background.idle();
    expect(order).toEqual(['made', 'sent card', 'work']);
  });

  it('when making the answer fails, then the work asked for still runs', async () => {
    const background = new BackgroundWork(silent);
    const ran: string[] = [];
    await expect(
      answerFirst(
        async () => {
          background.coalesce('b', 'test', async () => {
            ran.push('work');
          });
          throw new Error('refused');
        },
        () => ran.push('sent'),
      ),
    ).rejects.toThrow('refused');
    await background.idle();
    expect(ran).toEqual(['work']);
  });

  it('when work is asked for outside any answer, then it starts at once', async () => {
    const background = new BackgroundWork(silent);
    const ran: string[] = [];
    background.coalesce('c', 'test', async () => {
      ran.push('work');
    });
    expect(ran).toEqual(['work']);
    await background.idle();
  });
});
