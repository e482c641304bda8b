import { bullet, docxBytes, fact, heading, para, table, title, type Block } from './docx-parts.js';

/**
 * A meeting's minnesanteckningar as plain data: what the minutes card shows, without card
 * fields. The minutes view-model of the meetings capability fits it as it is.
 */
export interface MinutesSnapshot {
  readonly title: string;
  readonly when: string;
  readonly place: string;
  readonly attendanceText: string;
  readonly closedText: string;
  readonly items: readonly {
    readonly number: number;
    readonly title: string;
    readonly notes: string;
    readonly decisions: readonly {
      readonly label: string;
      readonly text: string;
      readonly byline: string;
    }[];
  }[];
  readonly actionItems: readonly {
    readonly what: string;
    readonly owner: string;
    readonly due: string;
  }[];
  readonly carriedOver: readonly { readonly title: string }[];
}

/** Splits notes on line breaks so every line stays a paragraph of its own in Word. */
const paragraphs = (text: string) =>
  text
    .split(/\r?\n/)
    .map((line) => line.trim())
    .filter((line) => line.length > 0)
    .map((line) => para(line));

/** The minnesanteckningar as a Word file: header facts, § per handled item, then the uppgifter. */
export function minutesDocx(snapshot: MinutesSnapshot): Promise<Buffer> {
  const blocks: Block[] = [
    title(`Minnesanteckningar: ${snapshot.title}`),
    fact('När', snapshot.when),
    fact('Var', snapshot.place),
    fact('Närvarande', snapshot.attendanceText),
    fact('Avslutat', snapshot.closedText),
    heading('Punkter'),
  ];
  if (snapshot.items.length === 0)
    blocks.push(para('Inga punkter behandlades.', { italics: true }));
  for (const item of snapshot.items) {
    blocks.push(heading(`§ ${item.number} ${item.title}`, 2), ...paragraphs(item.notes));
    for (const decision of item.decisions) {
      blocks.push(
        para(`${decision.label}: ${decision.text}`, { bold: true }),
        para(decision.byline, { italics: true }),
      );
    }
  }
  if (snapshot.actionItems.length > 0) {
    blocks.push(
      heading('Uppgifter'),
      table(
        ['Uppgift', 'Ansvarig', 'Klar senast'],
        snapshot.actionItems.map((a) => [a.what, a.owner, a.due]),
        [5, 3, 2],
        false,
      ),
    );
  }
  if (snapshot.carriedOver.length > 0) {
    blocks.push(
      heading('Flyttas till nästa möte'),
      ...snapshot.carriedOver.map((c) => bullet(c.title)),
    );
  }
  return docxBytes(`Minnesanteckningar ${snapshot.title}`, blocks);
}
