import fc from 'fast-check';

/** The seed of every fuzz run; set FUZZ_SEED to replay a failure the suite printed. */
export const FUZZ_SEED = Number(process.env.FUZZ_SEED ?? 20261123);

/** Field names the card handlers read, so random payloads reach past the first check. */
export const CARD_FIELDS = [
  'meetingId',
  'date',
  'requestId',
  'title',
  'description',
  'category',
  'presenter',
  'minutes',
  'itemId',
  'decisionId',
  'id',
  'conversationId',
  'attendance',
  'type',
  'name',
  'recurrence',
  'dates',
  'startDate',
  'time',
  'place',
  'organisations',
  'role',
  'memberId',
  'userId',
  'dueAt',
  'kind',
] as const;

const PROTOTYPE_KEYS = ['__proto__', 'constructor', 'prototype', 'toString', 'hasOwnProperty'];

/** A valid personnummer and samordningsnummer (Luhn-correct), and look-alikes that are not. */
const identityNumberLike = fc.constantFrom(
  '19811218-9876',
  '811218-9876',
  '198112189876',
  '19811278-9874',
  '20000101+0008',
  '1234567890',
  '000000-0000',
);

const htmlish = fc.constantFrom(
  '&lt;script&gt;alert(1)&lt;/script&gt;',
  '<script>alert(1)</script>',
  '&amp;&quot;&#x2F;&#0;',
  '<b>fet</b> &nbsp; <at>Finsam</at>',
  '${$root.secret}',
  '{{DATE(2026-01-01T00:00:00Z)}}',
  '\u202Eöverst\u0000\u0007',
);

const words = fc.constantFrom(
  'ny',
  'protokoll',
  'ge',
  'ta',
  'bort',
  'organisationer',
  'samordnare',
  'representant',
  'admin',
  'fk',
  'imorgon',
  '08:30',
  'om',
  '10',
  'min',
  '2026-03-02',
  '09:00',
  'hjälp',
  'pausa',
);

/** One argument token: words the commands know, unicode, long text, numbers, markup. */
export const argToken: fc.Arbitrary<string> = fc.oneof(
  { weight: 4, arbitrary: words },
  { weight: 2, arbitrary: fc.string({ unit: 'grapheme', maxLength: 30 }) },
  { weight: 1, arbitrary: fc.string({ unit: 'binary', maxLength: 20 }) },
  { weight: 1, arbitrary: fc.string({ minLength: 2_000, maxLength: 6_000 }) },
  { weight: 2, arbitrary: identityNumberLike },
  { weight: 2, arbitrary: htmlish },
  { weight: 1, arbitrary: fc.integer().map(String) },
);

/** A command line's arguments; `@mention` tokens are replaced by real mentions by the caller. */
export const commandArgs: fc.Arbitrary<string[]> = fc.array(
  fc.oneof({ weight: 6, arbitrary: argToken }, { weight: 1, arbitrary: fc.constant('@mention') }),
  { maxLength: 6 },
);

const hugeString = fc.constantFrom(20_000, 100_000).map((n) => 'å'.repeat(n));

const anyValue: fc.Arbitrary<unknown> = fc.oneof(
  { weight: 3, arbitrary: fc.jsonValue({ maxDepth: 3 }) },
  { weight: 2, arbitrary: argToken },
  { weight: 1, arbitrary: hugeString },
  {
    weight: 1,
    arbitrary: fc.constantFrom(
      { $data: '${$root}' },
      [['a']],
      { toString: 'x', valueOf: 1 },
      -0,
      1e308,
    ),
  },
);

/** Values of every JSON type except string: no handler accepts these for a form field. */
export const wrongTypeValue: fc.Arbitrary<unknown> = fc.oneof(
  fc.integer(),
  fc.double({ noNaN: true, noDefaultInfinity: true }),
  fc.boolean(),
  fc.constant(null),
  fc.array(fc.jsonValue({ maxDepth: 2 }), { maxLength: 3 }),
  fc.dictionary(fc.string({ maxLength: 8 }), fc.jsonValue({ maxDepth: 2 }), { maxKeys: 3 }),
);

/** JSON text with prototype-pollution keys, parsed the way the bot's body parser parses it. */
export const pollution: fc.Arbitrary<Record<string, unknown>> = fc
  .tuple(fc.constantFrom(...PROTOTYPE_KEYS), fc.jsonValue({ maxDepth: 2 }))
  .map(
    ([key, value]) =>
      JSON.parse(
        `{"${key}": {"isAdmin": true, "roles": ["admin"], "polluted": ${JSON.stringify(value)}}, "meetingId": {"__proto__": {"x": 1}}}`,
      ) as Record<string, unknown>,
  );

/**
 * A card `data` payload: random keys (the real field names, prototype keys and noise) with
 * random values, optionally merged over a valid base so deeper code paths are reached.
 */
export function cardPayload(
  base: readonly Record<string, unknown>[],
): fc.Arbitrary<Record<string, unknown>> {
  const key = fc.oneof(
    { weight: 6, arbitrary: fc.constantFrom(...CARD_FIELDS) },
    { weight: 1, arbitrary: fc.constantFrom(...PROTOTYPE_KEYS) },
    { weight: 1, arbitrary: fc.string({ maxLength: 12 }) },
  );
  const random = fc.dictionary(key, anyValue, { maxKeys: 8 });
  return fc.oneof(
    { weight: 3, arbitrary: random },
    {
      weight: 3,
      arbitrary: fc.tuple(fc.constantFrom(...base), random).map(([b, r]) => ({ ...b, ...r })),
    },
    { weight: 1, arbitrary: pollution },
    { weight: 1, arbitrary: fc.constant({}) },
  );
}

/** A payload in which every field the handlers read has a wrong (non-string) type. */
export const invalidPayload: fc.Arbitrary<Record<string, unknown>> = fc.oneof(
  fc
    .uniqueArray(fc.constantFrom(...CARD_FIELDS), { minLength: 1, maxLength: 8 })
    .chain((keys) =>
      fc
        .tuple(...keys.map(() => wrongTypeValue))
        .map((values) => Object.fromEntries(keys.map((k, i) => [k, values[i]]))),
    ),
  pollution,
);
