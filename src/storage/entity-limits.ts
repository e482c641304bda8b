import { AppError } from '../errors.js';

/** Azure Table Storage's limits, which Azurite enforces too. */
export const MAX_STRING_LENGTH = 32_767;
export const MAX_PROPERTIES = 252;
export const MAX_ENTITY_BYTES = 1024 * 1024;
export const MAX_KEY_LENGTH = 1024;
export const MAX_BATCH_OPERATIONS = 100;

const tooLarge = () =>
  new AppError('too-large', 'Texten eller listan blir för stor för att sparas. Inget har sparats.');

/**
 * Refuses an entity that Azure would refuse, before it is sent: a string over 32,767 UTF-16
 * characters, more than 252 custom properties, more than 1 MiB, or a key over 1 KiB.
 * @remarks The size follows Azure's published formula: 4 bytes, plus the keys in UTF-16, plus
 * per property 8 bytes, its name in UTF-16 and its value (strings in UTF-16, 8 bytes otherwise).
 */
export function checkEntityLimits(entity: Record<string, unknown>): void {
  const partitionKey = String(entity.partitionKey ?? '');
  const rowKey = String(entity.rowKey ?? '');
  if (partitionKey.length > MAX_KEY_LENGTH || rowKey.length > MAX_KEY_LENGTH) throw tooLarge();
  let bytes = 4 + partitionKey.length * 2 + rowKey.length * 2;
  let properties = 0;
  for (const [name, value] of Object.entries(entity)) {
    if (name === 'partitionKey' || name === 'rowKey' || value === undefined) continue;
    properties++;
    if (typeof value === 'string') {
      if (value.length > MAX_STRING_LENGTH) throw tooLarge();
      bytes += 8 + name.length * 2 + 4 + value.length * 2;
    } else {
      bytes += 8 + name.length * 2 + 8;
    }
  }
  if (properties > MAX_PROPERTIES || bytes > MAX_ENTITY_BYTES) throw tooLarge();
}
