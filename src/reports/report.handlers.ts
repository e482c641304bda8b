import { CardFactory } from 'botbuilder';
import { z } from 'zod';
import { cardMessage, textMessage, type Capability } from '../bot/bot.js';
import { renderCard } from '../bot/card-renderer.js';
import { invalidInput } from '../errors.js';
import { reportCsv } from './report-csv.js';
import { parsePeriod } from './report-period.js';
import { reportView } from './report.cards.js';
import type { ReportService } from './report.service.js';

export const REPORT_VERBS = ['reports.open', 'reports.csv'] as const;

const reportRefSchema = z.object({
  lansdel: z.string().min(2).max(40),
  period: z.string().min(4).max(12),
});

export function reportsCapability(deps: {
  readonly reports: ReportService;
  /** Plans the report-due reminders; run whenever a samordnare asks for a report. */
  readonly planReminders: () => Promise<unknown>;
}): Capability {
  const { reports } = deps;

  const refOf = (data: z.infer<typeof reportRefSchema>) => {
    const period = parsePeriod(data.period);
    if (!period) throw invalidInput('Kortet skickade en ogiltig period. Skriv /rapport igen.');
    return { scopeId: data.lansdel, period };
  };

  return (routes) => {
    routes.command('rapport', async ({ turn, principal, command }) => {
      const first = command.args[0]?.toLocaleLowerCase('sv-SE');
      if (first === 'hjälp' || first === 'hjalp') {
        await turn.sendActivity(
          textMessage(
            'Så här används /rapport:\n\n/rapport – hela förbundet, senaste halvåret\n\n/rapport Norra 2026-06-30 – en länsdel per 30 juni eller 31 december (även 2026h1, 2026h2)',
          ),
        );
        return;
      }
      const { scopeId, period } = reports.parseArgs(command.args);
      const { report, scope } = await reports.build(principal, scopeId, period);
      await turn.sendActivity(
        cardMessage(CardFactory.adaptiveCard(renderCard('report', reportView(report, scope)))),
      );
      await deps.planReminders();
    });

    routes.cardAction('reports.open', reportRefSchema.loose(), async ({ principal, data }) => {
      const { scopeId, period } = refOf(data);
      const { report, scope } = await reports.build(principal, scopeId, period);
      return renderCard('report', reportView(report, scope));
    });

    routes.cardAction('reports.csv', reportRefSchema.loose(), async ({ turn, principal, data }) => {
      const { scopeId, period } = refOf(data);
      const { report, scope } = await reports.build(principal, scopeId, period);
      await turn.sendActivity(textMessage(`\`\`\`\n${reportCsv(report, scope.name)}\n\`\`\``));
      return renderCard(
        'report',
        reportView(report, scope, {
          text: 'CSV-filen för rapportmallen finns i meddelandet nedanför. Kopiera den till en .csv-fil.',
          isError: false,
        }),
      );
    });
  };
}
