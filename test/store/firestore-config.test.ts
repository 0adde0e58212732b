import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { z } from 'zod';
import * as model from '../../provisioning/model/index.js';
import { COLLECTION_NAMES, type CollectionName } from '../../provisioning/model/index.js';

const SCHEMAS: Record<CollectionName, z.ZodObject> = {
  carriers: model.Carrier,
  numbers: model.PhoneNumber,
  shelters: model.Shelter,
  handsets: model.Handset,
  jobs: model.Job,
  audit: model.AuditEvent,
  tokens: model.ApiToken,
  tokenUses: model.TokenUse,
  sessions: model.Session,
  idempotency: model.IdempotencyRecord,
  workOrders: model.WorkOrder,
  alerts: model.Alert,
  calls: model.CallRecord,
  voiceMessages: model.VoiceMessage,
  suspensions: model.SuspensionReport,
  specialNumberTranslations: model.SpecialNumberTranslation,
  dialPlanSettings: model.DialPlanSettings,
  reports: model.FraudReport,
  fraudHolds: model.FraudHold,
  rateWindows: model.RateWindow,
  carrierSlots: model.CarrierSlot,
  carrierShareRequests: model.CarrierShareRequest,
};

interface IndexFile {
  indexes: { collectionGroup: string; queryScope: string; fields: Array<{ fieldPath: string; order?: string; arrayConfig?: string }> }[];
  fieldOverrides: { collectionGroup: string; fieldPath: string; indexes: unknown[] }[];
}

const read = (file: string) => readFileSync(new URL(`../../${file}`, import.meta.url), 'utf8');

describe('Firestore deployment files', () => {
  const indexes = JSON.parse(read('firestore.indexes.json')) as IndexFile;

  it('declares composite indexes only on real collections and fields of their documents', () => {
    expect(indexes.indexes.length).toBeGreaterThan(0);
    for (const index of indexes.indexes) {
      expect(COLLECTION_NAMES).toContain(index.collectionGroup);
      const shape = SCHEMAS[index.collectionGroup as CollectionName].shape;
      expect(index.fields.length, `${index.collectionGroup} index`).toBeGreaterThanOrEqual(2);
      for (const field of index.fields) {
        expect(Object.keys(shape), `${index.collectionGroup}.${field.fieldPath}`).toContain(field.fieldPath);
        // Each field is ordered, or an array that the query asks to contain a value.
        if (field.arrayConfig === undefined) expect(['ASCENDING', 'DESCENDING']).toContain(field.order);
        else expect({ arrayConfig: field.arrayConfig, order: field.order }).toEqual({ arrayConfig: 'CONTAINS', order: undefined });
      }
    }
    for (const override of indexes.fieldOverrides) {
      expect(Object.keys(SCHEMAS[override.collectionGroup as CollectionName].shape)).toContain(override.fieldPath);
    }
  });

  it('declares no index twice', () => {
    const keys = indexes.indexes.map((i) => `${i.collectionGroup}:${i.fields.map((f) => `${f.fieldPath} ${f.order ?? f.arrayConfig}`).join(',')}`);
    expect(new Set(keys).size).toBe(keys.length);
  });

  it('is wired from firebase.json, and the rules deny every client SDK', () => {
    const firebase = JSON.parse(read('firebase.json')) as { firestore: { rules: string; indexes: string } };
    expect(firebase.firestore).toEqual({ rules: 'firestore.rules', indexes: 'firestore.indexes.json' });
    const rules = read('firestore.rules');
    expect(rules).toMatch(/match \/\{document=\*\*\}\s*\{\s*allow read, write: if false;\s*\}/);
    expect(rules).not.toMatch(/if true|if request/);
  });
});
