import { randomUUID } from 'node:crypto';
import { containsPersonalIdentityNumber } from './privacy/personal-identity-number.js';

/**
 * A random UUID for the bot's own ids (request ids on cards, row ids). About one UUID in ten
 * thousand holds ten digits in a row that pass as a personnummer (e.g. `…-1985-0312…`); the
 * inbound guard would refuse a click carrying it, and storage would hold it. Such ids are drawn
 * again, so nothing the bot issues ever reads as one.
 */
export function newId(): string {
  for (;;) {
    const id = randomUUID();
    if (!containsPersonalIdentityNumber(id)) return id;
  }
}
