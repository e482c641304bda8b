import { AppError } from '../../errors.js';
import { containsPersonalIdentityNumber } from '../../privacy/personal-identity-number.js';

/**
 * A form field the user must change: the form comes back with what was typed (the refused field
 * emptied when it held a personal number) and this message on top.
 */
export class FormError extends AppError {
  constructor(
    reason: 'invalid-input' | 'personal-data',
    userMessage: string,
    /** The form field at fault, when one is. */
    readonly field?: string,
  ) {
    super(reason, userMessage);
  }
}

export const formInvalid = (message: string, field?: string) =>
  new FormError('invalid-input', message, field);

/** Refuses a field holding a personnummer or samordningsnummer, naming the field by its label. */
export function refusePersonalNumberIn(field: string, label: string, value: string): void {
  if (containsPersonalIdentityNumber(value)) {
    throw new FormError(
      'personal-data',
      `${label} verkar innehålla ett personnummer eller samordningsnummer. Sådana uppgifter får inte lämnas här – använd personens kod i stället.`,
      field,
    );
  }
}
