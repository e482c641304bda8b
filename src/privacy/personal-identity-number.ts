import { AppError } from '../errors.js';
import { detectionForm } from './detection-form.js';

/**
 * Finds Swedish personnummer and samordningsnummer in free text, in every way they are written:
 * 10 or 12 digits; `-`, `+`, a space or nothing before the last four; `ÅÅÅÅ-MM-DD-NNNN`; any
 * dash, digits from any script, zero-width characters inside (see {@link detectionForm}). A hit
 * needs a real calendar date (samordningsnummer: day + 60) and a valid Luhn check digit, so
 * dates, phone numbers, case codes and other numbers pass.
 */
const candidate = /(?<!\d)(\d{2})?(\d{2})(-?)(\d{2})\3(\d{2})([-+ ]?)(\d{3})(\d)(?!\d)/g;

function luhnValid(nineDigits: string, check: number): boolean {
  let sum = 0;
  for (let i = 0; i < nineDigits.length; i++) {
    let value = Number(nineDigits[i]) * (i % 2 === 0 ? 2 : 1);
    if (value > 9) value -= 9;
    sum += value;
  }
  return (10 - (sum % 10)) % 10 === check;
}

function realDate(century: string | undefined, yy: string, mm: string, dd: number): boolean {
  const month = Number(mm);
  if (month < 1 || month > 12 || dd < 1) return false;
  const year = century ? Number(century + yy) : 2000 + Number(yy);
  const daysInMonth = new Date(Date.UTC(year, month, 0)).getUTCDate();
  // Without a century, 29 February is accepted in either century.
  return dd <= daysInMonth || (!century && month === 2 && dd === 29);
}

export function containsPersonalIdentityNumber(text: string): boolean {
  if (!/\p{Nd}/u.test(text)) return false;
  const form = detectionForm(text);
  const scan = new RegExp(candidate.source, 'g');
  // Candidates may overlap ("2026-06-30 1970-07-19-5907"): after one fails, look again one
  // character further on rather than after the whole failed match.
  for (
    let match = scan.exec(form);
    match;
    scan.lastIndex = match.index + 1, match = scan.exec(form)
  ) {
    const [, century, yy, dateSeparator, mm, ddText, lastSeparator, serial, check] =
      match as unknown as [
        string,
        string | undefined,
        string,
        string,
        string,
        string,
        string,
        string,
        string,
      ];
    // A date written with hyphens (ÅÅÅÅ-MM-DD) is a number only as ÅÅÅÅ-MM-DD-NNNN: a date
    // followed by a space and four digits is a date and a time or a year ("2025-03-01 1987").
    if (dateSeparator === '-' && lastSeparator !== '-') continue;
    if (century && century !== '19' && century !== '20' && century !== '18') continue;
    const rawDay = Number(ddText);
    const day = rawDay > 60 ? rawDay - 60 : rawDay;
    if (!realDate(century, yy, mm, day)) continue;
    if (luhnValid(`${yy}${mm}${ddText}${serial}`, Number(check))) return true;
  }
  return false;
}

/** Throws `personal-data` when any of the texts holds a personnummer or samordningsnummer. */
export function refusePersonalIdentityNumbers(...texts: (string | undefined)[]): void {
  if (texts.some((text) => text !== undefined && containsPersonalIdentityNumber(text))) {
    throw new AppError('personal-data');
  }
}
