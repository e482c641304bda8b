import { commandTable } from '../bot/command-table.js';

export interface HelpView {
  title: string;
  notice: string;
  intro: string;
  commands: { command: string; summary: string; usage: readonly string[] }[];
  privacy: string;
}

/** The `/hjälp` card, built from the command table so help never drifts from routing. */
export function helpView(options: { notice?: string } = {}): HelpView {
  return {
    title: 'Finsam – så använder du boten',
    notice: options.notice ?? '',
    intro:
      'Boten stöder samordningsförbundets möten, ärendekö och uppföljning. Skriv ett kommando här i chatten. ' +
      'I en kanal nämner du boten först, till exempel @Finsam /hjälp.',
    commands: commandTable.map((spec) => ({
      command: `/${spec.name}`,
      summary: spec.summary,
      usage: spec.usage,
    })),
    privacy:
      'Skriv aldrig personnummer, samordningsnummer eller namn på deltagare. Personer följs bara med de koder boten ger.',
  };
}
