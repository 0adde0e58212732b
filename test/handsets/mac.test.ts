import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { macFromUserAgent, normalizeMac, pseudoMacFor } from '../../provisioning/handsets/index.js';

describe('normalizeMac', () => {
  it.each([
    '80:5E:C0:11:22:33',
    '80-5e-c0-11-22-33',
    '805e.c011.2233',
    '805EC0112233',
    '  80:5e:c0:11:22:33 ',
  ])('accepts the common notation %j', (input) => {
    expect(normalizeMac(input)).toEqual({ ok: true, mac: '805ec0112233' });
  });

  it('gives the same MAC for every notation of any unicast address', () => {
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 6, maxLength: 6 }), (bytes) => {
        bytes[0] = (bytes[0] ?? 0) & 0xfe;
        const hex = Buffer.from(bytes).toString('hex');
        fc.pre(hex !== '000000000000');
        const pairs = hex.match(/.{2}/g)!;
        const quads = hex.match(/.{4}/g)!;
        for (const n of [pairs.join(':').toUpperCase(), pairs.join('-'), quads.join('.'), hex.toUpperCase()]) {
          expect(normalizeMac(n)).toEqual({ ok: true, mac: hex });
        }
      }),
    );
  });

  it.each([
    ['ff:ff:ff:ff:ff:ff', /broadcast/],
    ['00:00:00:00:00:00', /all-zero/],
    ['01:00:5e:00:00:fb', /multicast/],
    ['33:33:00:00:00:01', /multicast/],
    ['80:5e-c0:11:22:33', /not a MAC address/],
    ['80:5e:c0:11:22', /not a MAC address/],
    ['805ec01122334', /not a MAC address/],
    ['80:5e:c0:11:22:zz', /not a MAC address/],
    ['', /empty/],
  ])('refuses %j with a reason', (input, reason) => {
    const r = normalizeMac(input);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.reason).toMatch(reason);
  });
});

describe('macFromUserAgent', () => {
  it('reads the MAC a Yealink names last in its User-Agent', () => {
    expect(macFromUserAgent('Yealink SIP-T46S 66.86.0.15 80:5e:c0:11:22:33')).toBe('805ec0112233');
    expect(macFromUserAgent('Yealink W60B 77.83.0.85 80:5E:C0:AA:BB:CC')).toBe('805ec0aabbcc');
  });

  it('reads the DevId a Grandstream names, with or without a hardware revision', () => {
    expect(macFromUserAgent('Grandstream Model HW GXP2170 SW 1.0.11.6 DevId 000b82aabbcc')).toBe('000b82aabbcc');
    expect(macFromUserAgent('Grandstream Model HW GXV3350  V1.3A SW 1.0.1.8 DevId c074ad150b88')).toBe('c074ad150b88');
  });

  it('finds no MAC where a Polycom, a softphone or a version number is all there is', () => {
    expect(macFromUserAgent('FileTransport PolycomVVX-VVX_450-UA/6.3.1.7 Type/Application')).toBeNull();
    expect(macFromUserAgent('Linphone/5.2.5 (belle-sip/5.2.94)')).toBeNull();
    expect(macFromUserAgent('Yealink SIP-T46S 66.86.0.15')).toBeNull();
    expect(macFromUserAgent('')).toBeNull();
  });

  it('reads a MAC given in parentheses, as Cisco SPA phones do', () => {
    expect(macFromUserAgent('Cisco/SPA504G-7.6.2 (001122aabbcc)(CCQ)')).toBe('001122aabbcc');
  });
});

describe('pseudoMacFor', () => {
  it('gives a softphone a stable, locally administered unicast MAC that normalizeMac accepts', () => {
    const mac = pseudoMacFor('hs_0001');
    expect(pseudoMacFor('hs_0001')).toBe(mac);
    expect(normalizeMac(mac)).toEqual({ ok: true, mac });
    expect(parseInt(mac.slice(0, 2), 16) & 0x03).toBe(0x02);
    expect(pseudoMacFor('hs_0002')).not.toBe(mac);
  });

  it('refuses an empty seed', () => {
    expect(() => pseudoMacFor('')).toThrow(/non-empty seed/);
  });
});
