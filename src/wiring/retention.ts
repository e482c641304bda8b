import type { AuditLog } from '../audit/audit.schema.js';
import { caseRegister, closedCaseRetention } from '../cases/case-retention.js';
import type { AppConfig } from '../config.js';
import type { Logger } from '../log.js';
import {
  endedParticipantRetention,
  participantAuditRetention,
  participantMarkerRetention,
  participantRegister,
  PARTICIPANT_MARKER_DAYS,
} from '../participants/participant-retention.js';
import { RetentionService } from '../retention/retention.service.js';
import type { caseTables } from '../storage/case-tables.js';
import type { participantTables } from '../storage/participant-tables.js';
import { auditRetention, retentionLeaseTable } from '../storage/retention-tables.js';
import type { TableStore } from '../storage/table-store.js';

export interface RetentionWiring {
  readonly store: TableStore;
  readonly config: AppConfig;
  readonly caseStore: ReturnType<typeof caseTables>;
  readonly participantStore: ReturnType<typeof participantTables>;
  readonly audit: AuditLog;
  readonly now: () => Date;
  readonly instanceId: string;
  readonly logger: Logger;
  readonly adminNames: () => Promise<string[]>;
}

/** Gallring over every kind of data, each with its own period, and the registers for utdrag. */
export function retentionFor(deps: RetentionWiring): RetentionService {
  const { store, config, caseStore, participantStore, audit, now, instanceId, logger } = deps;
  return new RetentionService({
    sources: [
      closedCaseRetention(caseStore),
      endedParticipantRetention(participantStore),
      auditRetention(store, [caseStore]),
      participantAuditRetention(participantStore),
      participantMarkerRetention(participantStore),
    ],
    registers: [caseRegister(caseStore), participantRegister(participantStore, participantStore)],
    periods: {
      ...config.retention.periods,
      ...(config.retention.periods.audit !== undefined
        ? { participantAudit: config.retention.periods.audit }
        : {}),
      participantMarkers: PARTICIPANT_MARKER_DAYS,
    },
    leases: retentionLeaseTable(store, now),
    audit,
    now,
    instanceId,
    dailyAt: config.retention.dailyAt,
    logger,
    adminNames: deps.adminNames,
  });
}
