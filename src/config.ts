import { z } from 'zod';
import {
  DEFAULT_INSATSER,
  DEFAULT_LANSDELAR,
  insatsSchema,
  lansdelSchema,
  type Program,
} from './program.js';
import {
  BOT_REGIONS,
  checkTenantOrganisations,
  tenantOrganisationsVariable,
  type BotRegion,
} from './config-tenants.js';

/** The default kommuner of a county förbund; override with FORBUND_KOMMUNER. */
export const DEFAULT_KOMMUNER = [
  'Eskilstuna',
  'Strängnäs',
  'Flen',
  'Vingåker',
  'Katrineholm',
  'Nyköping',
  'Oxelösund',
  'Gnesta',
  'Trosa',
] as const;

const guid = z
  .string()
  .regex(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i, 'ska vara ett GUID');

const list = (item: z.ZodString) =>
  z
    .string()
    .optional()
    .transform((value) =>
      (value ?? '')
        .split(',')
        .map((part) => part.trim())
        .filter((part) => part.length > 0),
    )
    .pipe(z.array(item));

const optionalText = z
  .string()
  .optional()
  .transform((value) => (value && value.trim().length > 0 ? value.trim() : undefined));

/** A JSON array in one variable, e.g. `LANSDELAR='[{"id":"norra",…}]'`. */
const jsonList = <T extends z.ZodType>(item: T) =>
  optionalText
    .transform((value, ctx) => {
      if (value === undefined) return undefined;
      try {
        return JSON.parse(value) as unknown;
      } catch {
        ctx.addIssue({
          code: 'custom',
          message:
            'ska vara en JSON-lista, t.ex. [{"id":"norra", …}] (kontrollera citattecken och komman)',
        });
        return z.NEVER;
      }
    })
    .pipe(
      z
        .array(item, { error: 'ska vara en JSON-lista med objekt' })
        .min(1, { error: 'ska ha minst en post' })
        .optional(),
    );

const rawEnvironment = z.object({
  APP_ENV: z.enum(['local', 'production']).default('local'),
  HOST: optionalText,
  PORT: z.coerce.number().int().min(0).max(65535).default(3978),
  LOG_LEVEL: z.enum(['debug', 'info', 'warn', 'error', 'silent']).default('info'),
  MICROSOFT_APP_ID: optionalText.pipe(guid.optional()),
  MICROSOFT_APP_PASSWORD: optionalText,
  MICROSOFT_APP_TYPE: z.enum(['SingleTenant', 'UserAssignedMSI', 'MultiTenant']).optional(),
  MICROSOFT_APP_TENANT_ID: optionalText.pipe(guid.optional()),
  ALLOWED_TENANT_IDS: list(guid),
  TENANT_ORGANISATIONS: tenantOrganisationsVariable,
  BOT_REGION: z.enum(BOT_REGIONS).default('europe'),
  BOOTSTRAP_ADMIN_IDS: list(z.string().min(1)),
  STORAGE_CONNECTION_STRING: optionalText,
  STORAGE_ACCOUNT_URL: optionalText.pipe(z.url().optional()),
  AZURE_CLIENT_ID: optionalText.pipe(guid.optional()),
  TABLE_PREFIX: z
    .string()
    .regex(/^[A-Za-z][A-Za-z0-9]{0,19}$/, 'ska börja med en bokstav och bara innehålla a–z och 0–9')
    .default('finsam'),
  FORBUND_KOMMUNER: list(z.string().min(2).max(60)),
  SCHEDULER_ENABLED: z.enum(['true', 'false']).default('true'),
  REMINDER_TICK_SECONDS: z.coerce.number().int().min(1).max(3600).default(15),
  REMINDER_GRACE_MINUTES: z.coerce
    .number()
    .int()
    .min(1)
    .max(7 * 24 * 60)
    .default(360),
  REMINDER_LEASE_SECONDS: z.coerce.number().int().min(1).max(3600).default(120),
  CONNECTOR_TIMEOUT_SECONDS: z.coerce.number().int().min(1).max(60).default(10),
  CARD_UPDATE_DELAY_MS: z.coerce.number().int().min(0).max(10_000).default(1000),
  RETENTION_ENABLED: z.enum(['true', 'false']).default('true'),
  RETENTION_DAILY_AT: z
    .string()
    .regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'ska vara en tid TT:MM')
    .default('03:00'),
  RETENTION_CLOSED_CASE_DAYS: z.coerce.number().int().min(1).max(36500).default(730),
  RETENTION_AUDIT_DAYS: z.coerce.number().int().min(1).max(36500).default(1095),
  RETENTION_PARTICIPANT_DAYS: z.coerce.number().int().min(1).max(36500).default(1825),
  APPLICATIONINSIGHTS_CONNECTION_STRING: optionalText.pipe(
    z
      .string()
      .regex(
        /InstrumentationKey=[0-9a-f-]{36}/i,
        'ska vara en anslutningssträng till Application Insights',
      )
      .optional(),
  ),
  SHUTDOWN_GRACE_SECONDS: z.coerce.number().int().min(1).max(300).default(20),
  LANSDELAR: jsonList(lansdelSchema),
  INSATSER: jsonList(insatsSchema),
});

/** Every environment variable the app reads; nothing else in the environment matters to it. */
export const ENVIRONMENT_VARIABLES = Object.keys(rawEnvironment.shape) as readonly (keyof z.infer<
  typeof rawEnvironment
>)[];

/** Whether the app starts without this variable (it has a default or is optional). */
export function isOptionalVariable(name: (typeof ENVIRONMENT_VARIABLES)[number]): boolean {
  return rawEnvironment.shape[name].safeParse(undefined).success;
}

export type BotAuth =
  | { kind: 'none' }
  | { kind: 'SingleTenant'; appId: string; password: string; tenantId: string }
  | { kind: 'UserAssignedMSI'; appId: string; tenantId: string };

export type StorageConfig =
  | { kind: 'connectionString'; connectionString: string }
  | {
      kind: 'accountUrl';
      accountUrl: string;
      /** The user-assigned managed identity to authenticate with; absent: the default chain. */
      managedIdentityClientId?: string;
    };

export interface AppConfig {
  readonly env: 'local' | 'production';
  readonly host: string;
  readonly port: number;
  readonly logLevel: 'debug' | 'info' | 'warn' | 'error' | 'silent';
  readonly auth: BotAuth;
  /**
   * Tenants served without an organisation implied (the förbund's own tenant). With
   * {@link tenantOrganisations} they make up every served tenant; both empty only in local mode,
   * where every tenant is served.
   */
  readonly allowedTenantIds: readonly string[];
  /** Tenant id (lower case) → organisation id: members from these tenants are that organisation. */
  readonly tenantOrganisations: Readonly<Record<string, string>>;
  /** The region the Azure Bot is registered in; decides the Bot Service endpoints used. */
  readonly botRegion: BotRegion;
  readonly bootstrapAdminIds: readonly string[];
  readonly storage: StorageConfig;
  readonly tablePrefix: string;
  readonly kommuner: readonly string[];
  readonly scheduler: {
    readonly enabled: boolean;
    readonly tickMs: number;
    /** Reminders due while the bot was down are still sent if at most this late. */
    readonly graceMs: number;
    /** How long an instance's claim on a reminder holds before another may take over. */
    readonly leaseMs: number;
  };
  /** The longest one call to the Bot Connector may take (sends, updates, replies, token). */
  readonly connectorTimeoutMs: number;
  /** The least time between two updates of a meeting's posted channel cards. */
  readonly cardUpdateDelayMs: number;
  readonly retention: {
    /** Run the daily gallring job in this instance (instances coordinate through a lease row). */
    readonly enabled: boolean;
    /** Stockholm time from which the daily run starts. */
    readonly dailyAt: string;
    /** Days each kind of data is kept, by retention source kind. */
    readonly periods: Readonly<Record<string, number>>;
  };
  /** Application Insights; telemetry is off when absent. */
  readonly telemetry: { readonly connectionString?: string };
  /** How long a stopping instance waits for in-flight requests. */
  readonly shutdownGraceMs: number;
  /** Länsdelar (kommuner, planned flow) and insatser (follow-up interval) of the participants register. */
  readonly program: Program;
}

/** Every tenant the bot serves: the allowed ones and the mapped ones; empty means all (local). */
export function servedTenantIds(
  config: Pick<AppConfig, 'allowedTenantIds' | 'tenantOrganisations'>,
) {
  return [...new Set([...config.allowedTenantIds, ...Object.keys(config.tenantOrganisations)])];
}

/** Azurite on its default port, for local runs that name no storage. */
export const LOCAL_DEVELOPMENT_STORAGE = 'UseDevelopmentStorage=true';

export class ConfigError extends Error {
  readonly reason = 'invalid-config' as const;
  constructor(readonly problems: readonly string[]) {
    super(`Konfigurationen är ogiltig:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

const swedishDefaults = z.locales.sv().localeError;

/** Where a problem is, in words: `LANSDELAR.1.coaches` → `LANSDELAR, post 2, coaches`. */
function problemText(issue: z.core.$ZodIssue): string {
  const [variable, ...rest] = issue.path.map(String);
  const where = [
    variable ?? 'miljön',
    ...rest.map((part) => (/^\d+$/.test(part) ? `post ${Number(part) + 1}` : part)),
  ].join(', ');
  return `${where}: ${issue.message}`;
}

/**
 * Writes the problems of a {@link ConfigError} in Swedish, without a stack trace, and ends the
 * process with exit code 78 (EX_CONFIG). Any other error is thrown on.
 */
export function exitOnConfigError(error: unknown): never {
  if (!(error instanceof ConfigError)) throw error;
  process.stderr.write(`${error.message}\nBoten startas inte.\n`);
  process.exit(78);
}

/**
 * Parses the environment. Throws {@link ConfigError} listing every problem at once.
 * @remarks Production refuses to start without Bot Framework credentials because botbuilder
 * accepts unauthenticated requests when the app id is empty.
 */
export function loadConfig(env: Record<string, string | undefined> = process.env): AppConfig {
  const parsed = rawEnvironment.safeParse(env, { error: swedishDefaults });
  if (!parsed.success) throw new ConfigError(parsed.error.issues.map(problemText));
  const raw = parsed.data;
  const problems: string[] = [];
  const production = raw.APP_ENV === 'production';

  const auth = resolveAuth(raw, production, problems);

  const kommuner =
    raw.FORBUND_KOMMUNER.length > 0
      ? raw.FORBUND_KOMMUNER.map((k) => k.normalize('NFC'))
      : DEFAULT_KOMMUNER;
  const tenantOrganisations = checkTenantOrganisations(
    raw.TENANT_ORGANISATIONS,
    kommuner,
    problems,
  );
  if (
    production &&
    raw.ALLOWED_TENANT_IDS.length === 0 &&
    Object.keys(tenantOrganisations).length === 0
  ) {
    problems.push(
      'ALLOWED_TENANT_IDS: ange vilka Microsoft 365-klienter (tenant-id) som får använda boten.',
    );
  }
  if (raw.STORAGE_CONNECTION_STRING && raw.STORAGE_ACCOUNT_URL) {
    problems.push('Ange antingen STORAGE_CONNECTION_STRING eller STORAGE_ACCOUNT_URL, inte båda.');
  }
  let storage: StorageConfig;
  if (raw.STORAGE_ACCOUNT_URL) {
    storage = {
      kind: 'accountUrl',
      accountUrl: raw.STORAGE_ACCOUNT_URL,
      ...(raw.AZURE_CLIENT_ID ? { managedIdentityClientId: raw.AZURE_CLIENT_ID } : {}),
    };
  } else if (raw.STORAGE_CONNECTION_STRING) {
    storage = { kind: 'connectionString', connectionString: raw.STORAGE_CONNECTION_STRING };
  } else {
    if (production) {
      problems.push(
        'STORAGE_ACCOUNT_URL eller STORAGE_CONNECTION_STRING krävs i produktion (Azure Table Storage eller Cosmos DB for Table).',
      );
    }
    storage = { kind: 'connectionString', connectionString: LOCAL_DEVELOPMENT_STORAGE };
  }
  const explicitDevStorage = /UseDevelopmentStorage|devstoreaccount1/i.test(
    raw.STORAGE_CONNECTION_STRING ?? '',
  );
  if (production && explicitDevStorage) {
    problems.push(
      'STORAGE_CONNECTION_STRING pekar på lokal utvecklingslagring (Azurite), vilket inte är tillåtet i produktion.',
    );
  }

  if (problems.length > 0) throw new ConfigError(problems);

  return {
    env: raw.APP_ENV,
    host: raw.HOST ?? (production ? '0.0.0.0' : '127.0.0.1'),
    port: raw.PORT,
    logLevel: raw.LOG_LEVEL,
    auth,
    allowedTenantIds: raw.ALLOWED_TENANT_IDS.map((id) => id.toLowerCase()),
    tenantOrganisations,
    botRegion: raw.BOT_REGION,
    bootstrapAdminIds: raw.BOOTSTRAP_ADMIN_IDS,
    storage,
    tablePrefix: raw.TABLE_PREFIX,
    kommuner,
    scheduler: {
      enabled: raw.SCHEDULER_ENABLED === 'true',
      tickMs: raw.REMINDER_TICK_SECONDS * 1000,
      graceMs: raw.REMINDER_GRACE_MINUTES * 60_000,
      leaseMs: raw.REMINDER_LEASE_SECONDS * 1000,
    },
    connectorTimeoutMs: raw.CONNECTOR_TIMEOUT_SECONDS * 1000,
    cardUpdateDelayMs: raw.CARD_UPDATE_DELAY_MS,
    retention: {
      enabled: raw.RETENTION_ENABLED === 'true',
      dailyAt: raw.RETENTION_DAILY_AT,
      periods: {
        closedCases: raw.RETENTION_CLOSED_CASE_DAYS,
        endedParticipants: raw.RETENTION_PARTICIPANT_DAYS,
        audit: raw.RETENTION_AUDIT_DAYS,
      },
    },
    telemetry: raw.APPLICATIONINSIGHTS_CONNECTION_STRING
      ? { connectionString: raw.APPLICATIONINSIGHTS_CONNECTION_STRING }
      : {},
    shutdownGraceMs: raw.SHUTDOWN_GRACE_SECONDS * 1000,
    program: {
      lansdelar: raw.LANSDELAR ?? DEFAULT_LANSDELAR,
      insatser: raw.INSATSER ?? DEFAULT_INSATSER,
    },
  };
}

function resolveAuth(
  raw: z.infer<typeof rawEnvironment>,
  production: boolean,
  problems: string[],
): BotAuth {
  const appId = raw.MICROSOFT_APP_ID;
  if (!appId) {
    if (production) {
      problems.push(
        'MICROSOFT_APP_ID saknas: i produktion måste boten ha Bot Framework-uppgifter, annars tas oautentiserade anrop emot.',
      );
    }
    return { kind: 'none' };
  }
  const type = raw.MICROSOFT_APP_TYPE;
  if (type === undefined || type === 'MultiTenant') {
    problems.push(
      'MICROSOFT_APP_TYPE ska vara SingleTenant eller UserAssignedMSI (nya flerklientsbotar kan inte längre skapas).',
    );
    return { kind: 'none' };
  }
  const tenantId = raw.MICROSOFT_APP_TENANT_ID;
  if (!tenantId) {
    problems.push(`MICROSOFT_APP_TENANT_ID krävs när MICROSOFT_APP_TYPE är ${type}.`);
    return { kind: 'none' };
  }
  if (type === 'SingleTenant') {
    if (!raw.MICROSOFT_APP_PASSWORD) {
      problems.push('MICROSOFT_APP_PASSWORD krävs när MICROSOFT_APP_TYPE är SingleTenant.');
      return { kind: 'none' };
    }
    return { kind: 'SingleTenant', appId, password: raw.MICROSOFT_APP_PASSWORD, tenantId };
  }
  return { kind: 'UserAssignedMSI', appId, tenantId };
}
