import { z } from 'zod';
import type { Principal } from '../access/access.schema.js';
import type { Capability } from '../bot/bot.js';
import { renderCard } from '../bot/card-renderer.js';
import {
  CSV_TYPE,
  DOCX_TYPE,
  offeredText,
  XLSX_TYPE,
  type FileDelivery,
  type OutgoingFile,
} from '../documents/file-offers.js';
import { invalidInput } from '../errors.js';
import { localDateSchema } from '../schedule/schedule.schema.js';
import { foldForLookup } from '../text.js';
import { reportCsv } from './report-csv.js';
import { dateLabel } from './report-period.js';
import { parseReportArgs, scopeFromKey } from './report-scope.js';
import { reportLines } from './report-table.js';
import { reportXlsx } from './report-xlsx.js';
import { reportView } from './report.cards.js';
import type { BuiltReport, ReportService } from './report.service.js';

export const REPORT_VERBS = ['reports.file'] as const;

export const REPORT_USAGE = [
  '/rapport – hela förbundet, halvåret hittills (eller senaste halvåret med uppgifter)',
  '/rapport Norra – en länsdel; /rapport Eskilstuna – en kommun',
  '/rapport Norra 2026-06-30 – läget ett visst datum (även 2026h1 för 30 juni och 2026h2 för 31 december)',
];

const FORMATS = ['docx', 'xlsx', 'csv'] as const;
type Format = (typeof FORMATS)[number];

const reportRefSchema = z.object({
  scope: z.string().regex(/^(alla|lansdel:[a-z0-9-]{2,40}|kommun:[\p{Ll} -]{2,60})$/u),
  asOf: localDateSchema,
});
// Cards posted before the request id was on the buttons send none: the activity id stands in.
const fileSchema = reportRefSchema.extend({
  format: z.enum(FORMATS),
  requestId: z.uuid().optional(),
});

const WHAT: Record<Format, string> = {
  docx: 'Lägesrapporten som Word-fil',
  xlsx: 'Rapportens siffror som Excel-fil',
  csv: 'Rapportens siffror som CSV-fil',
};

/** A file name people recognise: `Lägesrapport Norra 2026-06-30.docx`. */
function fileLabel(built: BuiltReport): string {
  const { scope } = built;
  const name =
    scope.kind === 'forbund'
      ? 'hela förbundet'
      : scope.kind === 'lansdel'
        ? scope.lansdel.name
        : scope.kommun;
  return `Lägesrapport ${name} ${built.report.asOf}`;
}

/** The report's document, spreadsheet or CSV, made on request from the numbers just counted. */
export async function reportFile(
  built: BuiltReport,
  format: Format,
  writtenOn: string,
): Promise<OutgoingFile> {
  const label = fileLabel(built);
  const description = `${label.replace(built.report.asOf, `per ${dateLabel(built.report.asOf)}`)}`;
  switch (format) {
    case 'docx':
      return {
        name: `${label}.docx`,
        mediaType: DOCX_TYPE,
        // The Word library is loaded when a Word file is asked for, not at start.
        bytes: await (await import('./report-docx.js')).reportDocx(built, writtenOn),
        description,
      };
    case 'xlsx':
      return {
        name: `${label}.xlsx`,
        mediaType: XLSX_TYPE,
        bytes: await reportXlsx(reportLines(built), label),
        description,
      };
    case 'csv':
      return {
        name: `${label}.csv`,
        mediaType: CSV_TYPE,
        bytes: reportCsv(reportLines(built)),
        description,
      };
  }
}

export function reportsCapability(deps: {
  readonly reports: ReportService;
  readonly files: FileDelivery;
  /** Plans the report-due reminders; run whenever a samordnare asks for a report. */
  readonly planReminders: () => Promise<unknown>;
}): Capability {
  const { reports } = deps;

  const refOf = (data: z.infer<typeof reportRefSchema>) => {
    const scope = scopeFromKey(reports.program, data.scope);
    if (!scope)
      throw invalidInput('Länsdelen eller kommunen finns inte längre. Skriv /rapport igen.');
    return { scope, asOf: data.asOf };
  };

  const card = (built: BuiltReport, notice?: { text: string; isError: boolean }) =>
    renderCard('report', reportView(built, notice));

  const build = (principal: Principal, data: z.infer<typeof reportRefSchema>) =>
    reports.build(principal, refOf(data));

  return (routes) => {
    routes.command('rapport', async ({ reply, principal, command }) => {
      const first = command.args[0] ? foldForLookup(command.args[0]) : undefined;
      if (first === 'hjalp' || first === 'help') {
        await reply(`Så här används /rapport:\n\n${REPORT_USAGE.join('\n\n')}`);
        return;
      }
      const built = await reports.build(principal, parseReportArgs(reports.program, command.args));
      await reply(card(built));
      await deps.planReminders();
    });

    routes.cardAction({
      verb: 'reports.file',
      schema: fileSchema,
      handle: async ({ principal, activityId, data }) => {
        const built = await build(principal, data);
        // The three buttons share the card's request id; each format is a click of its own.
        const clickKey = `${data.requestId ?? activityId}|${data.format}`;
        const offered = await deps.files.offer(principal.userId, clickKey, () =>
          reportFile(built, data.format, reports.today()),
        );
        return card(built, {
          text: offeredText(offered, WHAT[data.format]),
          isError: offered === 'no-chat',
        });
      },
    });
  };
}
