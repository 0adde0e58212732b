import { describe, expect, it } from 'vitest';
import type { Carrier, PhoneNumber, ShelterService } from '../../provisioning/model/index.js';
import { lineHealth, posterOutOfDate, publishedOrder, SHELTER_STATUS_TRANSITIONS, serviceStatus, shelterService, statusAfterServiceChange } from '../../provisioning/numbers/line-health.js';
import { registrarOrder } from '../../provisioning/handsets/registrar-order.js';
import { phoneNumber } from '../support/number-fixtures.js';

const AT = new Date('2024-01-09T09:00:00.000Z');
const SHELTER = { id: 'S1', lines: 2, areaCodes: ['0767'], replacementLines: [] as string[] };
const up = { health: 'up' } as Pick<Carrier, 'health'>;
const down = { health: 'down' } as Pick<Carrier, 'health'>;
const line = (n: number, over: Partial<PhoneNumber> = {}) => phoneNumber(n, { state: 'in_service', shelterId: 'S1', routingConfirmedAt: AT.toISOString(), ...over });
const ip050 = (n: number, over: Partial<PhoneNumber> = {}) => line(n, { e164: `+8150312${String(n).padStart(5, '0')}`, id: `+8150312${String(n).padStart(5, '0')}`, kind: '050', areaCode: null, numberArea: null, emergencyCapable: false, carrierId: 'carrier-c', ...over });

describe('line health and a shelter’s service', () => {
  it('counts a line as working only when its carrier is up and its routing is confirmed', () => {
    expect(lineHealth(line(1), up)).toBe('working');
    expect(lineHealth(line(1), down)).toBe('down');
    expect(lineHealth(line(1), undefined)).toBe('down');
    expect(lineHealth(line(1, { routingConfirmedAt: null }), up)).toBe('down');
    // A number stored before routing was tracked: unknown is not confirmed.
    const { routingConfirmedAt: _unknown, ...legacy } = line(1);
    expect(lineHealth(legacy as PhoneNumber, up)).toBe('down');
    expect(lineHealth(line(1, { state: 'reserved' }), up)).toBe('down');
    expect(lineHealth(line(1, { state: 'suspended' }), up)).toBe('suspended');
  });

  it('publishes the area’s emergency-capable 0AB-J first and never a dead line', () => {
    const carriers = new Map([['carrier-a', up], ['carrier-b', down], ['carrier-c', up]]);
    const numbers = [ip050(1), line(2, { carrierId: 'carrier-b' }), line(3)];
    const s = shelterService(SHELTER, numbers, carriers, AT);
    expect(s).toMatchObject({ workingLines: 2, wantedLines: 2, emergencyCapable: true, publishedNumber: line(3).e164 });
    expect(s.lines.find((l) => l.e164 === line(2).e164)!.health).toBe('down');
    expect(s.lines.map((l) => l.e164)).toEqual([line(3).e164, ip050(1).e164, line(2).e164]);
  });

  it('publishes the first working line in the order the shelter got its lines: the original again once it works, the replacement a spare', () => {
    // Opened with line 2 (carrier-b, published) and a 050; carrier-b failed and line 3 replaced it.
    const shelter = { ...SHELTER, replacementLines: [line(3).e164] };
    const numbers = [line(2, { carrierId: 'carrier-b' }), ip050(1), line(3)];
    const during = shelterService(shelter, numbers, new Map([['carrier-a', up], ['carrier-b', down], ['carrier-c', up]]), AT);
    expect(during.publishedNumber).toBe(ip050(1).e164);
    const after = shelterService(shelter, numbers, new Map([['carrier-a', up], ['carrier-b', up], ['carrier-c', up]]), AT);
    expect(after.publishedNumber).toBe(line(2).e164);
    expect(publishedOrder(after).map((l) => l.e164)).toEqual([line(2).e164, ip050(1).e164, line(3).e164]);
    expect(after.lines.find((l) => l.e164 === line(3).e164)!.replacement).toBe(true);
    // The poster printed before the outage is true again; the one printed during it is not.
    const before = { numbers: [line(2).e164, ip050(1).e164], emergencyCapable: true };
    expect(posterOutOfDate(before, during)).toBe(true);
    expect(posterOutOfDate(before, after)).toBe(false);
    expect(posterOutOfDate({ numbers: publishedOrder(during).map((l) => l.e164), emergencyCapable: true }, after)).toBe(true);
  });

  it('says no emergency-capable line when only 050 lines work, and no line when none does', () => {
    const carriers = new Map([['carrier-a', down], ['carrier-c', up]]);
    const only050 = shelterService(SHELTER, [line(1), ip050(2)], carriers, AT);
    expect(only050).toMatchObject({ workingLines: 1, emergencyCapable: false, publishedNumber: ip050(2).e164 });
    expect(serviceStatus(only050)).toBe('degraded');
    const none = shelterService(SHELTER, [line(1)], carriers, AT);
    expect(none).toMatchObject({ workingLines: 0, emergencyCapable: false, publishedNumber: null });
    expect(serviceStatus(none)).toBe('no_line');
  });

  it('keeps the status of an opening or closing shelter and moves a running one through its table', () => {
    const s = (workingLines: number) => ({ workingLines, wantedLines: 2, emergencyCapable: true, publishedNumber: null, lines: [], computedAt: AT.toISOString() }) as ShelterService;
    expect(statusAfterServiceChange('opening', s(0))).toBe('opening');
    expect(statusAfterServiceChange('closing', s(0))).toBe('closing');
    expect(statusAfterServiceChange('open', s(1))).toBe('degraded');
    expect(statusAfterServiceChange('degraded', s(0))).toBe('no_line');
    expect(statusAfterServiceChange('no_line', s(2))).toBe('open');
    for (const [from, tos] of Object.entries(SHELTER_STATUS_TRANSITIONS)) for (const to of tos) expect(Object.keys(SHELTER_STATUS_TRANSITIONS), `${from} → ${to}`).toContain(to);
  });

  it('marks a poster out of date when its first number, a number it printed or the emergency promise changed; not for a spare added since', () => {
    const carriers = new Map([['carrier-a', up], ['carrier-c', up]]);
    const s = shelterService(SHELTER, [line(1), ip050(2)], carriers, AT);
    const printed = { numbers: publishedOrder(s).map((l) => l.e164), emergencyCapable: true };
    expect(posterOutOfDate(printed, s)).toBe(false);
    const after = shelterService(SHELTER, [line(1), ip050(2)], new Map([['carrier-a', down], ['carrier-c', up]]), AT);
    expect(posterOutOfDate(printed, after)).toBe(true);
    expect(posterOutOfDate({ ...printed, emergencyCapable: false }, s)).toBe(true);
    expect(posterOutOfDate(printed, null)).toBe(true);
    const withSpare = shelterService({ ...SHELTER, replacementLines: [ip050(3).e164] }, [line(1), ip050(2), ip050(3)], carriers, AT);
    expect(publishedOrder(withSpare)).toHaveLength(3);
    expect(posterOutOfDate(printed, withSpare)).toBe(false);
  });

  it('puts the backup registrar first only when the primary carrier is down and the backup is not', () => {
    const cred = (carrierId: string, role: 'primary' | 'backup') => ({ carrierId, role, username: 'h1', passwordEncrypted: 'x', domain: `${carrierId}.sip.example`, state: 'active' as const });
    const creds = [cred('a', 'primary'), cred('b', 'backup')];
    expect(registrarOrder(creds, new Map([['a', up], ['b', up]])).map((c) => [c.carrierId, c.role])).toEqual([['a', 'primary'], ['b', 'backup']]);
    expect(registrarOrder(creds, new Map([['a', down], ['b', up]])).map((c) => [c.carrierId, c.role])).toEqual([['b', 'primary'], ['a', 'backup']]);
    expect(registrarOrder(creds, new Map([['a', down], ['b', down]])).map((c) => c.carrierId)).toEqual(['a', 'b']);
  });
});
