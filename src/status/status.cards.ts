import { TZDate } from '@date-fns/tz';
import { format } from 'date-fns';
import { sv } from 'date-fns/locale';
import { TIME_ZONE } from '../schedule/local-time.js';
import { PENDING_WINDOW_HOURS, type StatusReport } from './status.service.js';

const unknown = 'okänt (lagringen svarar inte)';

function count(value: number | undefined, one: string, many: string): string {
  if (value === undefined) return unknown;
  return `${value} ${value === 1 ? one : many}`;
}

/** The `/status` card: every fact in Swedish, with a warning line when something needs action. */
export function statusView(report: StatusReport) {
  const warnings: string[] = [];
  if (!report.storageReachable) {
    warnings.push('Lagringen svarar inte: boten kan varken spara eller skicka påminnelser.');
  }
  if ((report.staleConversations ?? 0) > 0) {
    warnings.push(
      'Boten har tagits bort från någon kanal eller chatt som har planerade utskick. Lägg till boten igen eller ställ in mötesserien där.',
    );
  }
  return {
    checkedAt: format(new TZDate(report.checkedAt.getTime(), TIME_ZONE), "d MMMM 'kl.' HH:mm:ss", {
      locale: sv,
    }),
    facts: [
      { title: 'Version', value: report.version },
      { title: 'Miljö', value: report.env === 'production' ? 'produktion' : 'lokal' },
      { title: 'Lagring', value: report.storageReachable ? 'svarar' : 'svarar inte' },
      {
        title: `Påminnelser närmaste ${PENDING_WINDOW_HOURS} h`,
        value: count(report.pendingReminders, 'påminnelse väntar', 'påminnelser väntar'),
      },
      {
        title: 'Borttagna konversationer',
        value: count(report.staleConversations, 'konversation', 'konversationer'),
      },
      {
        title: 'Telemetri',
        value: report.telemetry ? 'skickas till Application Insights' : 'avstängd',
      },
    ],
    warning: warnings.join(' '),
    healthy: warnings.length === 0,
  };
}
