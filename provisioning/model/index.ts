export * from './common.js';
export * from './carrier.js';
export * from './phone-number.js';
export * from './shelter.js';
export * from './handset.js';
export * from './job.js';
export * from './audit-event.js';
export * from './access.js';
export * from './operations.js';
export * from './dial-plan.js';
export * from './messages.js';
export * from './message-words.js';
export * from './fraud-report.js';
export * from './call-decision.js';

import type { z } from 'zod';
import { Carrier, CarrierShareRequest, CarrierSlot } from './carrier.js';
import { PhoneNumber } from './phone-number.js';
import { Shelter } from './shelter.js';
import { Handset } from './handset.js';
import { Job } from './job.js';
import { AuditEvent } from './audit-event.js';
import { ApiToken, IdempotencyRecord, RateWindow, Session, TokenUse } from './access.js';
import { Alert, CallRecord, SuspensionReport, VoiceMessage, WorkOrder } from './operations.js';
import { DialPlanSettings, SpecialNumberTranslation } from './dial-plan.js';
import { FraudHold, FraudReport } from './fraud-report.js';

/** Every collection the store holds, and the document type each one keeps. */
export interface Collections {
  carriers: Carrier;
  numbers: PhoneNumber;
  shelters: Shelter;
  handsets: Handset;
  jobs: Job;
  audit: AuditEvent;
  tokens: ApiToken;
  tokenUses: TokenUse;
  sessions: Session;
  idempotency: IdempotencyRecord;
  workOrders: WorkOrder;
  alerts: Alert;
  calls: CallRecord;
  voiceMessages: VoiceMessage;
  suspensions: SuspensionReport;
  specialNumberTranslations: SpecialNumberTranslation;
  dialPlanSettings: DialPlanSettings;
  reports: FraudReport;
  fraudHolds: FraudHold;
  rateWindows: RateWindow;
  carrierSlots: CarrierSlot;
  carrierShareRequests: CarrierShareRequest;
}
export type CollectionName = keyof Collections;
export const COLLECTION_NAMES = [
  'carriers', 'numbers', 'shelters', 'handsets', 'jobs', 'audit', 'tokens', 'tokenUses', 'sessions',
  'idempotency', 'workOrders', 'alerts', 'calls', 'voiceMessages', 'suspensions', 'reports', 'fraudHolds', 'specialNumberTranslations', 'dialPlanSettings', 'rateWindows', 'carrierSlots', 'carrierShareRequests',
] as const satisfies readonly CollectionName[];

/** The schema of each collection's documents (the SQLite adapter indexes the fields they declare). */
export const COLLECTION_SCHEMAS = {
  carriers: Carrier, numbers: PhoneNumber, shelters: Shelter, handsets: Handset, jobs: Job, audit: AuditEvent,
  tokens: ApiToken, tokenUses: TokenUse, sessions: Session, idempotency: IdempotencyRecord, workOrders: WorkOrder, alerts: Alert,
  calls: CallRecord, voiceMessages: VoiceMessage, suspensions: SuspensionReport, reports: FraudReport, fraudHolds: FraudHold,
  specialNumberTranslations: SpecialNumberTranslation, dialPlanSettings: DialPlanSettings, rateWindows: RateWindow, carrierSlots: CarrierSlot, carrierShareRequests: CarrierShareRequest,
} satisfies { [C in CollectionName]: z.ZodObject & z.ZodType<Collections[C]> };
export * from './api.js';
export * from './api-responses.js';
export * from './access-responses.js';
export * from './carrier-responses.js';
export * from './phone-number-responses.js';
export * from './shelter-responses.js';
export * from './handset-responses.js';
export * from './job-responses.js';
export * from './audit-event-responses.js';
export * from './fraud-report-responses.js';
export * from './call-decision-responses.js';
export * from './board-feed.js';
