import { randomBytes } from 'node:crypto';
import type { Server } from 'node:http';
import { hostname } from 'node:os';
import type { AddressInfo } from 'node:net';
import { TeamsAdapter } from '@microsoft/teams-ai';
import { AccessService } from './access/access.service.js';
import { defaultOrganisations } from './access/organisations.js';
import { rolesCapability } from './access/roles.handlers.js';
import { createBot, textMessage, type Bot } from './bot/bot.js';
import type { CardJson } from './bot/card-renderer.js';
import { ConversationRateLimiter, ReliableSender } from './bot/delivery.js';
import { ProactiveMessenger } from './bot/proactive.js';
import type { AppConfig, BotAuth } from './config.js';
import { ConversationService } from './conversations/conversations.service.js';
import { helpCapability } from './help/help.handlers.js';
import { createHttpApp } from './http/server.js';
import { createLogger, errorFields, type Logger } from './log.js';
import { memberTable, organisationTable } from './storage/access-tables.js';
import { auditTable } from './storage/audit-table.js';
import { cardMessageTable, conversationTable } from './storage/conversation-tables.js';
import { reminderDelivery } from './reminders/reminder-delivery.js';
import { remindersCapability } from './reminders/reminders.handlers.js';
import { ReminderService } from './reminders/reminders.service.js';
import { defaultSchedulerSettings, ReminderScheduler } from './reminders/scheduler.js';
import { reminderTable } from './storage/reminder-table.js';
import {
  actionItemTable,
  decisionTable,
  meetingTable,
  occurrenceTable,
} from './storage/meeting-tables.js';
import { meetingReminderCards } from './meetings/meeting-reminders.js';
import { meetingsCapability } from './meetings/meetings.handlers.js';
import { MeetingService } from './meetings/meetings.service.js';
import type { Reminder } from './reminders/reminders.schema.js';
import { createTableStore, type TableStore } from './storage/table-store.js';
import { notifyRepresentatives } from './participants/deviation-notifier.js';
import { followUpReminders } from './participants/follow-up-reminders.js';
import { participantsCapability } from './participants/participants.handlers.js';
import { ParticipantService } from './participants/participants.service.js';
import { planReportReminders } from './reports/report-reminders.js';
import { reportsCapability } from './reports/report.handlers.js';
import { ReportService } from './reports/report.service.js';
import { participantTables } from './storage/participant-tables.js';

export interface RunningApp {
  readonly url: string;
  readonly port: number;
  readonly proactive: ProactiveMessenger;
  readonly scheduler: ReminderScheduler;
  readonly reminders: ReminderService;
  /** Stops accepting requests and waits for in-flight ones. */
  stop(): Promise<void>;
}

export interface AppOptions {
  readonly logger?: Logger;
  readonly now?: () => Date;
}

function authSettings(auth: BotAuth): Record<string, string> {
  switch (auth.kind) {
    case 'none':
      return {};
    case 'SingleTenant':
      return {
        MicrosoftAppId: auth.appId,
        MicrosoftAppPassword: auth.password,
        MicrosoftAppType: 'SingleTenant',
        MicrosoftAppTenantId: auth.tenantId,
      };
    case 'UserAssignedMSI':
      return {
        MicrosoftAppId: auth.appId,
        MicrosoftAppType: 'UserAssignedMSI',
        MicrosoftAppTenantId: auth.tenantId,
      };
  }
}

export interface Wired {
  readonly bot: Bot;
  readonly adapter: TeamsAdapter;
  readonly proactive: ProactiveMessenger;
  readonly scheduler: ReminderScheduler;
  readonly reminders: ReminderService;
  readonly access: AccessService;
  readonly conversations: ConversationService;
  readonly meetings: MeetingService;
  readonly participants: ParticipantService;
  readonly reports: ReportService;
}

/** Builds every service and the bot on top of a table store; no network listener. */
export async function wire(
  config: AppConfig,
  store: TableStore,
  options: { logger: Logger; now: () => Date },
): Promise<Wired> {
  const { logger, now } = options;
  await store.ensureTables();
  const organisations = organisationTable(store);
  await organisations.addMissing(defaultOrganisations(config.kommuner));

  const audit = auditTable(store);
  const access = new AccessService({
    members: memberTable(store),
    organisations,
    audit,
    bootstrapAdminIds: config.bootstrapAdminIds,
    now,
  });
  const conversations = new ConversationService(
    conversationTable(store),
    cardMessageTable(store),
    now,
  );

  const adapter = new TeamsAdapter(authSettings(config.auth));
  const botAppId = config.auth.kind === 'none' ? '' : config.auth.appId;
  const proactive = new ProactiveMessenger(adapter, botAppId, conversations, logger);
  const sender = new ReliableSender(proactive, new ConversationRateLimiter(), logger);

  const reminderRepository = reminderTable(store);
  // Meetings build their reminder cards from the agenda; bound once meetings exist below.
  let reminderCards: (reminder: Reminder) => Promise<CardJson | undefined> = async () => undefined;
  const scheduler = new ReminderScheduler({
    reminders: reminderRepository,
    ...reminderDelivery(sender, conversations, logger, (reminder) => reminderCards(reminder)),
    now,
    instanceId: `${hostname()}-${process.pid}-${randomBytes(3).toString('hex')}`,
    logger,
    settings: {
      ...defaultSchedulerSettings,
      graceMs: config.scheduler.graceMs,
      leaseMs: config.scheduler.leaseMs,
    },
  });
  const reminders = new ReminderService({
    reminders: reminderRepository,
    scheduler,
    updateCard: (conversationId, cardKey, card) =>
      proactive.updateCard(conversationId, cardKey, card),
    audit,
    now,
    graceMs: config.scheduler.graceMs,
  });

  const meetings = new MeetingService({
    meetings: meetingTable(store),
    occurrences: occurrenceTable(store),
    decisions: decisionTable(store),
    actionItems: actionItemTable(store),
    reminders,
    audit,
    now,
  });
  reminderCards = meetingReminderCards(meetings, access);
  const sendPersonal = async (userId: string, text: string) => {
    const personal = await conversations.findPersonal(userId);
    if (!personal) return false;
    const outcome = await sender.send(personal.conversationId, textMessage(text));
    return outcome.kind === 'sent';
  };

  const members = memberTable(store);
  const participantStore = participantTables(store);
  const participants = new ParticipantService({
    participants: participantStore,
    program: config.program,
    audit,
    followUps: followUpReminders({
      reminders,
      personalConversation: async (userId) =>
        (await conversations.findPersonal(userId))?.conversationId,
      now,
      logger,
    }),
    notifyOrganisation: notifyRepresentatives(() => members.list(), sendPersonal),
    organisationName: async (id) =>
      (await access.listOrganisations()).find((o) => o.id === id)?.name,
    now,
  });
  const reports = new ReportService({
    participants: participantStore,
    program: config.program,
    audit,
    now,
  });
  const planReports = async () =>
    planReportReminders({
      reminders,
      now,
      coordinators: async () => {
        const coordinators = [];
        for (const member of await members.list()) {
          if (!member.roles.includes('samordnare')) continue;
          const personal = await conversations.findPersonal(member.id);
          if (personal)
            coordinators.push({ userId: member.id, conversationId: personal.conversationId });
        }
        return coordinators;
      },
    }).catch((error: unknown) => logger.warn('reports.reminders.failed', errorFields(error)));
  await planReports();

  const bot = createBot(
    { adapter, botAppId, access, conversations, allowedTenantIds: config.allowedTenantIds, logger },
    [
      helpCapability,
      rolesCapability(access),
      remindersCapability(reminders, now),
      meetingsCapability({ meetings, access, now, sendPersonal }),
      participantsCapability({ participants, access }),
      reportsCapability({ reports, planReminders: planReports }),
    ],
  );
  return {
    bot,
    adapter,
    proactive,
    scheduler,
    reminders,
    access,
    conversations,
    meetings,
    participants,
    reports,
  };
}

/** The composition root: builds every dependency from configuration and starts listening. */
export async function startApp(config: AppConfig, options: AppOptions = {}): Promise<RunningApp> {
  const logger = options.logger ?? createLogger(config.logLevel);
  const now = options.now ?? (() => new Date());
  const store = createTableStore(config.storage, config.tablePrefix);
  const { bot, adapter, proactive, scheduler, reminders } = await wire(config, store, {
    logger,
    now,
  });

  const http = createHttpApp({ adapter, bot, logger, checkStorage: () => store.ping() });
  const server: Server = await new Promise((resolve, reject) => {
    const listening = http.listen(config.port, config.host, () => resolve(listening));
    listening.once('error', reject);
  });
  const port = (server.address() as AddressInfo).port;
  const url = `http://${config.host === '0.0.0.0' ? '127.0.0.1' : config.host}:${port}`;
  if (config.scheduler.enabled) scheduler.start(config.scheduler.tickMs);
  logger.info('app.started', {
    env: config.env,
    port,
    auth: config.auth.kind,
    tenants: config.allowedTenantIds.length,
    scheduler: config.scheduler.enabled,
  });

  return {
    url,
    port,
    proactive,
    scheduler,
    reminders,
    async stop() {
      await scheduler.stop();
      await new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        server.closeIdleConnections();
      });
    },
  };
}
