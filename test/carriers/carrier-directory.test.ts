import { afterEach, describe, expect, it } from 'vitest';
import type { WorkOrder } from '../../provisioning/model/index.js';
import { carrierAdapterFactory } from '../../provisioning/carriers/adapter-factory.js';
import { createCarrierDirectory } from '../../provisioning/carriers/carrier-directory.js';
import { CarrierPending } from '../../provisioning/carriers/carrier.js';
import { ManualClock } from '../../provisioning/platform/clock.js';
import { SecretBox } from '../../provisioning/platform/secrets.js';
import type { SqliteStore } from '../../provisioning/store/sqlite/sqlite-store.js';
import { SECRET_KEY_HEX } from '../support/api-server.js';
import { openTempSqliteStore, removeTempSqliteStore } from '../support/temp-sqlite-store.js';
import { carrier } from '../support/model-fixtures.js';

const ROUTING = { voiceUrl: 'https://line.example.jp/twilio/voice/inbound', voiceFallbackUrl: 'https://line.example.jp/twilio/voice/fallback', statusCallback: 'https://line.example.jp/twilio/status' };

describe('the carrier directory on an instance that did not make the change', () => {
  let store: SqliteStore;
  afterEach(async () => {
    if (store) await removeTempSqliteStore(store);
  });

  it('rebuilds an api member\'s adapter when another instance changed its call control: route_number then carries the TwiML URLs', async () => {
    store = openTempSqliteStore();
    const clock = new ManualClock('2024-01-10T00:00:00.000Z');
    const secrets = new SecretBox(Buffer.from(SECRET_KEY_HEX, 'hex'));
    await store.put('carriers', carrier('kaga', { callControl: 'json' }));
    const directory = createCarrierDirectory({ store, clock, factory: carrierAdapterFactory({ store, clock, secrets }) });
    const orderFor = async (e164: string) => {
      await expect((await directory.get('kaga')).routeNumber(e164, ROUTING)).rejects.toBeInstanceOf(CarrierPending);
      return ((await store.query('workOrders', { where: { carrierId: 'kaga', dedupeKey: `number:${e164}` }, limit: 5 })).items as WorkOrder[])[0]!;
    };
    expect((await orderFor('+815031200001')).params).toMatchObject({ callControl: 'json', inboundDecisionUrl: 'https://line.example.jp/api/v1/call-decisions/inbound' });

    // Another instance took the PATCH (and invalidated only its own cache): this one sees the document change.
    const doc = (await store.get('carriers', 'kaga'))!;
    await store.put('carriers', { ...doc, callControl: 'twiml', version: doc.version + 1 });
    const order = await orderFor('+815031200002');
    expect(order.params).toMatchObject({ callControl: 'twiml', voiceUrl: ROUTING.voiceUrl, voiceFallbackUrl: ROUTING.voiceFallbackUrl, statusCallback: ROUTING.statusCallback });
    expect(order.params.inboundDecisionUrl).toBeUndefined();
  });
});
