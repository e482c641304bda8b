/**
 * A corpus of Swedish personal identity numbers in every way people write them, and of ordinary
 * numbers that look like them, made independently of the detector under test (its own Luhn and
 * calendar rules, a seeded generator), so the detector can be checked against it.
 */

/** A small seeded generator (mulberry32), so a failing corpus run can be repeated. */
export function seeded(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function luhnDigit(nine: string): number {
  let sum = 0;
  [...nine].forEach((char, index) => {
    const doubled = Number(char) * (index % 2 === 0 ? 2 : 1);
    sum += doubled > 9 ? doubled - 9 : doubled;
  });
  return (10 - (sum % 10)) % 10;
}

const pad = (value: number, length = 2) => String(value).padStart(length, '0');

export interface IdentityNumber {
  readonly kind: 'personnummer' | 'samordningsnummer';
  /** Twelve digits, e.g. `198001281206`. */
  readonly digits12: string;
}

/** `count` valid numbers: real dates between 1930 and 2008, every third a samordningsnummer. */
export function identityNumbers(count: number, random = seeded(1)): IdentityNumber[] {
  const numbers: IdentityNumber[] = [];
  while (numbers.length < count) {
    const year = 1930 + Math.floor(random() * 79);
    const month = 1 + Math.floor(random() * 12);
    const days = new Date(Date.UTC(year, month, 0)).getUTCDate();
    const day = 1 + Math.floor(random() * days);
    const kind = numbers.length % 3 === 2 ? 'samordningsnummer' : 'personnummer';
    const serial = pad(Math.floor(random() * 1000), 3);
    const shownDay = kind === 'samordningsnummer' ? day + 60 : day;
    const nine = `${pad(year % 100)}${pad(month)}${pad(shownDay)}${serial}`;
    numbers.push({ kind, digits12: `${Math.floor(year / 100)}${nine}${luhnDigit(nine)}` });
  }
  return numbers;
}

const ARABIC_INDIC = '٠١٢٣٤٥٦٧٨٩';
const FULL_WIDTH = '０１２３４５６７８９';
const DEVANAGARI = '०१२३४५६७८९';
const toScript = (text: string, digits: string) =>
  text.replace(/\d/g, (digit) => digits[Number(digit)]!);

/** Every written form the detector must find, with a short name for reports. */
export function writtenForms(number: IdentityNumber): { form: string; text: string }[] {
  const d = number.digits12;
  const short = d.slice(2);
  const [date10, last4] = [short.slice(0, 6), short.slice(6)];
  const [date12] = [d.slice(0, 8)];
  const iso = `${d.slice(0, 4)}-${d.slice(4, 6)}-${d.slice(6, 8)}`;
  return [
    { form: '10 siffror med bindestreck', text: `${date10}-${last4}` },
    { form: '10 siffror med plus', text: `${date10}+${last4}` },
    { form: '10 siffror med mellanslag', text: `${date10} ${last4}` },
    { form: '10 siffror utan skiljetecken', text: `${date10}${last4}` },
    { form: '12 siffror med bindestreck', text: `${date12}-${last4}` },
    { form: '12 siffror med mellanslag', text: `${date12} ${last4}` },
    { form: '12 siffror utan skiljetecken', text: `${date12}${last4}` },
    { form: 'ÅÅÅÅ-MM-DD-NNNN', text: `${iso}-${last4}` },
    { form: 'tankstreck', text: `${date10}–${last4}` },
    { form: 'hårt bindestreck', text: `${date10}\u2011${last4}` },
    { form: 'minustecken', text: `${date12}\u2212${last4}` },
    { form: 'mellanslag runt bindestrecket', text: `${date10} - ${last4}` },
    { form: 'hårt mellanslag', text: `${date10}\u00a0${last4}` },
    {
      form: 'nollbreddsmellanslag i numret',
      text: `${date10.slice(0, 3)}\u200b${date10.slice(3)}-${last4}`,
    },
    { form: 'arabisk-indiska siffror', text: toScript(`${date10}-${last4}`, ARABIC_INDIC) },
    { form: 'fullbreddssiffror', text: toScript(`${date12}-${last4}`, FULL_WIDTH) },
    { form: 'devanagari-siffror', text: toScript(`${date10}${last4}`, DEVANAGARI) },
    {
      form: 'i löptext med åäö och emoji',
      text: `Gäller ”${date10}-${last4}” 😀 inför mötet\nrad två`,
    },
  ];
}

/** Ordinary numbers that resemble identity numbers and must pass. */
export function lookAlikes(random = seeded(2)): { form: string; text: string }[] {
  const [valid] = identityNumbers(1, random);
  const d = valid!.digits12.slice(2);
  const wrongCheck = `${d.slice(0, 9)}${(Number(d[9]) + 1) % 10}`;
  return [
    { form: 'fel kontrollsiffra', text: `${wrongCheck.slice(0, 6)}-${wrongCheck.slice(6)}` },
    { form: 'omöjligt datum', text: '801332-1234' },
    { form: 'månad 13', text: '19801301-1236' },
    { form: 'organisationsnummer', text: '212000-0142' },
    { form: 'datum', text: '2026-12-03' },
    { form: 'datum och tid', text: '2026-12-03 14:30' },
    { form: 'tid', text: 'kl. 09:15' },
    { form: 'mobilnummer', text: '070-123 45 67' },
    { form: 'mobilnummer med landskod', text: '+46 70 123 45 67' },
    { form: 'telefonnummer', text: '016-710 00 00' },
    { form: 'ärendekod', text: 'Ä-2026-0042' },
    { form: 'deltagarkod', text: 'D-2026-0001' },
    { form: 'belopp', text: '1 250 000 kr' },
    { form: 'årtal och antal', text: '2026 och 40 punkter' },
    { form: 'datumintervall', text: '2026-01-01 - 2026-06-30' },
    {
      form: 'inklistrad lista med datum och årtal',
      text: 'kön;födelseår;start\nK;1985;2025-03-01\nM;1990;2025-04-15\nK;1978;2024-11-30',
    },
  ];
}

/** True when the text holds a valid number by the independent rule (used to check look-alikes). */
/**
 * A hyphenated date followed by a space and four digits that would pass the Luhn check if the
 * whole were read as ÅÅMMDD NNNN: a date and a time or a year, which must pass.
 */
export function dateThenFourDigits(date = '2024-05-06'): string {
  const nine = `${date.slice(2).replace(/-/g, '')}198`;
  return `${date} 198${luhnDigit(nine)}`;
}

export function independentlyValid(text: string): boolean {
  const digits = text.replace(/\D/g, '');
  for (const candidate of [digits.slice(-10), digits.slice(-12).slice(2)]) {
    if (candidate.length !== 10) continue;
    const month = Number(candidate.slice(2, 4));
    const day = Number(candidate.slice(4, 6)) % 60 || 60;
    if (
      month >= 1 &&
      month <= 12 &&
      day >= 1 &&
      day <= 31 &&
      luhnDigit(candidate.slice(0, 9)) === Number(candidate[9])
    )
      return true;
  }
  return false;
}
