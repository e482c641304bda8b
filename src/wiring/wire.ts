import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import { BackgroundWork } from '../background.js';
import { AccessService } from '../access/access.service.js';
import { audienceOf } from '../access/audience.js';
import { defaultOrganisations } from '../organisations.js';
import { rolesCapability } from '../access/roles.handlers.js';
import {
  cardOutbound,
  createBot,
  textMessage,
  type Bot,
  type OutboundMessage,
} from '../bot/bot.js';
import type { CardJson } from '../bot/card-renderer.js';
import { createDelivery } from '../bot/delivery-stack.js';
import { personalDelivery } from '../bot/personal-delivery.js';
import type { CardPoster } from '../bot/post-once.js';
import type { ProactiveMessenger } from '../bot/proactive.js';
import { BotAdapter } from '../bot/receiver.js';
import { servedTenantIds, type AppConfig } from '../config.js';
import { botRegionSettings } from '../bot/bot-region.js';
import { tenantGate } from '../bot/tenant-gate.js';
import { ConversationService } from '../conversations/conversations.service.js';
import { helpCapability } from '../help/help.handlers.js';
import { setupCapability } from '../access/setup.handlers.js';
import { errorFields, type Logger } from '../log.js';
import { memberTable, migrateMembers, organisationTable } from '../storage/access-tables.js';
import { auditTable } from '../storage/audit-table.js';
import { cardMessageTable, conversationTable } from '../storage/conversation-tables.js';
import { reminderDelivery } from '../reminders/reminder-delivery.js';
import { remindersCapability } from '../reminders/reminders.handlers.js';
import { ReminderService } from '../reminders/reminders.service.js';
import { defaultSchedulerSettings, ReminderScheduler } from '../reminders/scheduler.js';
import { reminderTable } from '../storage/reminder-table.js';
import { meetingStore } from '../storage/meeting-store.js';
import { meetingsCapability } from '../meetings/meetings.capability.js';
import { MeetingQueries } from '../meetings/meetings.service.js';
import { reconcileMeetingReminders } from '../meetings/reminders/reconcile.js';
import { meetingReminderCards } from '../meetings/reminders/reminder-cards.js';
import type { Reminder } from '../reminders/reminders.schema.js';
import { type TableStore } from '../storage/table-store.js';
import { casesCapability } from '../cases/cases.capability.js';
import { authSettings, caseMeetingsOf, casePeopleOf, meetingChannelCards } from './adapters.js';
import { retentionFor } from './retention.js';
import { caseUseCases, type CaseUseCases } from '../cases/case-use-cases.js';
import { retentionCapability } from '../retention/retention.handlers.js';
import { RetentionService } from '../retention/retention.service.js';
import { caseTables } from '../storage/case-tables.js';
import { statusCapability } from '../status/status.handlers.js';
import { StatusService } from '../status/status.service.js';
import { appVersion } from '../status/version.js';
import { statusQueries } from '../storage/status-queries.js';
import { notifyRepresentatives } from '../participants/deviation-notifier.js';
import { followUpReminders } from '../participants/follow-up-reminders.js';
import {
  enrolmentFromCaseCard,
  participantListReceiver,
  participantsCapability,
} from '../participants/participants.handlers.js';
import { parseCaseCode } from '../cases/cases.arguments.js';
import { ParticipantService } from '../participants/participants.service.js';
import { planReportReminders } from '../reports/report-reminders.js';
import { reportsCapability } from '../reports/report.handlers.js';
import { ReportService } from '../reports/report.service.js';
import { participantTables } from '../storage/participant-tables.js';
import { fileOfferTable } from '../storage/file-offer-table.js';
import { isTeamsCloud, teamsFileDelivery } from '../bot/file-delivery.js';
import { withFileRoutes } from '../bot/file-routes.js';
import { downloadLinks, type DownloadRoute } from '../http/downloads.js';
import { newId } from '../ids.js';

export interface Wired {
  readonly bot: Bot;
  readonly adapter: BotAdapter;
  readonly proactive: ProactiveMessenger;
  readonly poster: CardPoster;
  readonly scheduler: ReminderScheduler;
  readonly reminders: ReminderService;
  readonly access: AccessService;
  readonly conversations: ConversationService;
  readonly meetings: MeetingQueries;
  /** Repairs meeting reminders that a crash between a commit and its follow-up left out. */
  readonly reconcileMeetings: () => Promise<unknown>;
  readonly background: BackgroundWork;
  readonly cases: CaseUseCases;
  /** Removes past years without open cases from the queue's reading list (periodic). */
  readonly sweepCaseYears: () => Promise<void>;
  readonly retention: RetentionService;
  readonly participants: ParticipantService;
  readonly reports: ReportService;
  /** Serves the single-use download links of files offered to clients without file consent. */
  readonly downloads: DownloadRoute;
}

/** Builds every service and the bot on top of a table store; no network listener. */
export async function wire(
  config: AppConfig,
  store: TableStore,
  options: {
    logger: Logger;
    now: () => Date;
    /** The bot's own base URL, known once it listens (download links point there). */
    baseUrl?: () => string;
    takesFileConsent?: (serviceUrl: string) => boolean;
    fetch?: typeof fetch;
  },
): Promise<Wired> {
  const { logger, now } = options;
  const background = new BackgroundWork(logger);
  await store.ensureTables();
  const organisations = organisationTable(store);
  await organisations.addMissing(defaultOrganisations(config.kommuner));
  await migrateMembers(store, now);
  const members = memberTable(store);

  const audit = auditTable(store);
  const access = new AccessService({
    members: memberTable(store),
    organisations,
    audit,
    bootstrapAdminIds: config.bootstrapAdminIds,
    tenantOrganisations: config.tenantOrganisations,
    now,
  });
  const audience = audienceOf(() => access.directory());
  const conversations = new ConversationService(
    conversationTable(store),
    cardMessageTable(store),
    now,
  );

  const adapter = new BotAdapter({
    ...authSettings(config.auth),
    ...botRegionSettings(config.botRegion),
  });
  const tenants = tenantGate({
    served: servedTenantIds(config),
    mapsTenants: Object.keys(config.tenantOrganisations).length > 0,
    logger,
  });
  const botAppId = config.auth.kind === 'none' ? '' : config.auth.appId;
  const instanceId = `${hostname()}-${process.pid}-${randomBytes(3).toString('hex')}`;
  const createdDelivery = createDelivery({
    adapter,
    botAppId,
    conversations,
    logger,
    timeoutMs: config.connectorTimeoutMs,
    instanceId,
  });
  const { proactive, sender, poster } = createdDelivery;
  const reminderRepository = reminderTable(store);
  // Meetings build their reminder cards from the agenda; bound once meetings exist below.
  let reminderCards: (reminder: Reminder) => Promise<CardJson | undefined> = async () => undefined;
  const scheduler = new ReminderScheduler({
    reminders: reminderRepository,
    ...reminderDelivery(sender, conversations, logger, (r) => reminderCards(r), poster, {
      deliver: personalDelivery({ conversations, proactive, sender, logger }),
      nameOf: async (userId) => (await members.get(userId))?.value.displayName,
    }),
    now,
    instanceId,
    logger,
    settings: {
      ...defaultSchedulerSettings,
      graceMs: config.scheduler.graceMs,
      leaseMs: config.scheduler.leaseMs,
      sendTimeoutMs: config.connectorTimeoutMs,
    },
  });
  const reminders = new ReminderService({
    reminders: reminderRepository,
    scheduler,
    updateCard: (conversationId, cardKey, card) => sender.updateCard(conversationId, cardKey, card),
    audit,
    now,
    graceMs: config.scheduler.graceMs,
  });

  const meetingRepo = meetingStore(store, { now });
  const meetings = new MeetingQueries({ repo: meetingRepo, now });
  const meetingNames = async () =>
    new Map((await access.listOrganisations()).map((o) => [o.id, o.name] as const));
  reminderCards = meetingReminderCards({
    repo: meetingRepo,
    now,
    names: meetingNames,
    coordinators: () => audience(),
  });
  const personalConversationOf = async (userId: string) =>
    (await conversations.findPersonal(userId))?.conversationId;
  const reconcileMeetings = () =>
    reconcileMeetingReminders({
      repo: meetingRepo,
      reminders,
      now,
      personalConversationOf,
      logger,
    });
  const meetingCards = meetingChannelCards(createdDelivery);
  /**
   * Sends to a user's personal chat; false when there is none yet. `attempts: 1` while a card
   * action waits for its answer, so it stays inside Teams' 15 s.
   */
  const sendToPerson = async (userId: string, activity: OutboundMessage, attempts?: number) => {
    const personal = await conversations.findPersonal(userId);
    if (!personal) return false;
    const outcome = await sender.send(
      personal.conversationId,
      activity,
      undefined,
      undefined,
      attempts,
    );
    return outcome.kind === 'sent';
  };
  const sendPersonal = (userId: string, text: string) => sendToPerson(userId, textMessage(text));

  const caseStore = caseTables(store, now);
  await caseStore.migrateLegacy();
  const cases = caseUseCases({
    store: caseStore,
    meetings: caseMeetingsOf(meetings),
    people: casePeopleOf(members),
    now,
  });
  const sendPersonalCard = (userId: string, card: CardJson, attempts?: number) =>
    sendToPerson(userId, cardOutbound(card), attempts);
  const participantStore = participantTables(
    store,
    config.program.lansdelar.map((l) => l.id),
    { now },
  );
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
    later: (name, work) => background.coalesce(`${name}|${newId()}`, name, work),
    cases: {
      admission: (actor, caseCode) =>
        cases.admissionOf(actor, parseCaseCode(caseCode, 'Ä-2026-0042')),
      link: async (actor, caseCode, participantCode) => {
        await cases.linkParticipant(actor, parseCaseCode(caseCode, 'Ä-2026-0042'), participantCode);
      },
    },
    now,
  });
  // The previous release's participants move into today's rows, and enrolments cut off half-way
  // are finished; reads of a länsdel wait for its migration.
  background.coalesce('participants.startup', 'participants.startup', async () => {
    await participantStore.migrateAll();
    await participants.finishPending(0);
  });
  const reports = new ReportService({
    source: participantStore,
    program: config.program,
    audit,
    now,
  });
  const fileOffers = fileOfferTable(store);
  const files = teamsFileDelivery({
    findPersonal: (userId) => conversations.findPersonal(userId),
    send: async (conversationId, activity) =>
      (await sender.send(conversationId, activity, undefined, undefined, 1)).kind === 'sent',
    store: fileOffers,
    links: downloadLinks(options.baseUrl ?? (() => '')),
    now,
    takesFileConsent: options.takesFileConsent ?? isTeamsCloud,
    logger,
  });
  const retention = retentionFor({
    store,
    config,
    caseStore,
    participantStore,
    audit,
    now,
    instanceId,
    logger,
    adminNames: () => casePeopleOf(members).namesWithRole('admin'),
  });
  const planReports = async () =>
    planReportReminders({
      reminders,
      now,
      coordinators: async () => {
        const samordnare = (await members.list()).filter((m) => m.roles.includes('samordnare'));
        const chats = await Promise.all(
          samordnare.map(async (member) => ({
            userId: member.id,
            conversationId: (await conversations.findPersonal(member.id))?.conversationId,
          })),
        );
        return chats.filter(
          (chat): chat is { userId: string; conversationId: string } => !!chat.conversationId,
        );
      },
    }).catch((error: unknown) => logger.warn('reports.reminders.failed', errorFields(error)));
  await planReports();

  const importDeps = { participants, access, staging: fileOffers, now };
  const commandBot = createBot(
    {
      adapter,
      botAppId,
      resolvePrincipal: (identity) => access.resolvePrincipal(identity),
      adminNames: () => access.adminNames(),
      conversations,
      tenants,
      logger,
      now,
    },
    [
      helpCapability,
      setupCapability({
        access,
        lansdelar: config.program.lansdelar.map(({ name, kommuner }) => ({ name, kommuner })),
      }),
      rolesCapability(access),
      remindersCapability(reminders, now),
      meetingsCapability({
        repo: meetingRepo,
        access,
        now,
        cards: meetingCards,
        sendPersonal,
        background,
        files,
        cardUpdateDelayMs: config.cardUpdateDelayMs,
        reminders,
        personalConversationOf,
        audience,
        logger,
      }),
      casesCapability({
        cases: cases.deps,
        organisations: () => access.listOrganisations(),
        audience,
        sendPersonalCard,
        enrolmentCard: (principal, admission) =>
          enrolmentFromCaseCard({ participants, access }, principal, admission),
      }),
      retentionCapability(retention),
      statusCapability(
        new StatusService({
          queries: statusQueries(store),
          version: appVersion(),
          env: config.env,
          telemetry: config.telemetry.connectionString !== undefined,
          now,
        }),
      ),
      participantsCapability(importDeps),
      reportsCapability({ reports, files, planReminders: planReports }),
    ],
  );
  const bot = withFileRoutes(commandBot, {
    tenants,
    resolvePrincipal: (identity) => access.resolvePrincipal(identity),
    files: { store: fileOffers, now, logger },
    onFile: participantListReceiver(importDeps),
    logger,
    ...(options.fetch ? { fetch: options.fetch } : {}),
    allowLoopbackFiles: config.env === 'local',
  });
  return {
    bot,
    adapter,
    proactive,
    poster,
    scheduler,
    reminders,
    access,
    conversations,
    meetings,
    reconcileMeetings,
    background,
    cases,
    sweepCaseYears: () => caseStore.sweepYears(),
    retention,
    participants,
    reports,
    downloads: { files: fileOffers, now, logger },
  };
}
