import { z } from 'zod';
import { formInvalid, refusePersonalNumberIn } from '../series/form-error.js';
import { itemCategorySchema, LIMITS, type ItemCategory } from '../meetings.schema.js';

/** An agenda item form as it arrives: strings, or missing when left empty. */
export const itemFormFields = {
  title: z.string().max(4000).optional(),
  description: z.string().max(8000).optional(),
  category: z.string().max(40).optional(),
  presenter: z.string().max(4000).optional(),
  minutes: z.union([z.string().max(10), z.number()]).optional(),
};
export type ItemFormValues = z.infer<z.ZodObject<typeof itemFormFields>>;

/** What an agenda item says, checked. */
export interface ItemText {
  readonly title: string;
  readonly description: string;
  readonly category: ItemCategory;
  readonly presenter: string;
  readonly minutes: number;
}

const value = (text: string | undefined) => (text ?? '').normalize('NFC').trim();

/** Checks an item form; every problem is one Swedish sentence about one field. */
export function itemFromForm(form: ItemFormValues): ItemText {
  const title = value(form.title);
  if (title === '') throw formInvalid('Skriv en rubrik.', 'title');
  if (title.length > LIMITS.itemTitle) {
    throw formInvalid(`Rubriken är för lång (högst ${LIMITS.itemTitle} tecken).`, 'title');
  }
  const description = value(form.description);
  if (description.length > LIMITS.itemDescription) {
    throw formInvalid(
      `Beskrivningen är för lång (högst ${LIMITS.itemDescription} tecken).`,
      'description',
    );
  }
  const presenter = value(form.presenter);
  if (presenter.length > LIMITS.presenter) {
    throw formInvalid('Namnet på föredraganden är för långt.', 'presenter');
  }
  const category = itemCategorySchema.safeParse(value(form.category) || 'fraga');
  if (!category.success) throw formInvalid('Välj en kategori i listan.', 'category');
  const minutes = minutesFrom(form.minutes) ?? 10;
  refusePersonalNumberIn('title', 'Rubriken', title);
  refusePersonalNumberIn('description', 'Beskrivningen', description);
  refusePersonalNumberIn('presenter', 'Föredragande', presenter);
  return { title, description, category: category.data, presenter, minutes };
}

/** Minutes for an item: 1–240, or undefined when left empty. */
export function minutesFrom(raw: string | number | undefined): number | undefined {
  const text = typeof raw === 'number' ? String(raw) : value(raw);
  if (text === '') return undefined;
  const minutes = /^\d{1,3}$/.test(text) ? Number(text) : Number.NaN;
  if (!(minutes >= 1 && minutes <= 240)) {
    throw formInvalid('Minuter: välj ett tal mellan 1 och 240.', 'minutes');
  }
  return minutes;
}
