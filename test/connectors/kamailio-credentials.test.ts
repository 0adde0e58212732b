import { afterEach, describe, expect, it } from 'vitest';
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { credentialStore, ha1 } from '../../server/connectors/kamailio/kamailio-connector.js';

const REALM = 'ip-phone-net.sip.shelter-line.jp';
const dirs: string[] = [];
const fileIn = () => {
  const dir = mkdtempSync(join(tmpdir(), 'sl-creds-'));
  dirs.push(dir);
  return join(dir, 'credentials.json');
};
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

describe('the Kamailio connector\'s credential store (the member\'s side)', () => {
  it('computes HA1 as RFC 2617 does: MD5 of user:realm:password', () => {
    // The RFC 2617 example: Mufasa, testrealm@host.com, Circle Of Life.
    expect(ha1('Mufasa', 'testrealm@host.com', 'Circle Of Life')).toBe('939e7578ed9e3c518a452acee763bce9');
  });

  it('keeps only HA1, bound to its realm, in a file only its owner reads', () => {
    const file = fileIn();
    const store = credentialStore(REALM, file);
    store.set('h1', ha1('h1', REALM, 's3cret-password'));
    expect(statSync(file).mode & 0o777).toBe(0o600);
    const text = readFileSync(file, 'utf8');
    expect(text).not.toContain('s3cret-password');
    expect(JSON.parse(text)).toEqual({ realm: REALM, ha1: { h1: ha1('h1', REALM, 's3cret-password') } });
    expect(credentialStore(REALM, file).all()).toEqual(new Map([['h1', ha1('h1', REALM, 's3cret-password')]]));
    store.delete('h1');
    expect(JSON.parse(readFileSync(file, 'utf8'))).toEqual({ realm: REALM, ha1: {} });
  });

  it('hashes the passwords of an older connector\'s file when it loads it, and writes no password back', () => {
    const file = fileIn();
    writeFileSync(file, JSON.stringify({ h1: 'pw-one', h2: 'pw-two' }), { mode: 0o600 });
    const store = credentialStore(REALM, file);
    expect(store.all()).toEqual(new Map([['h1', ha1('h1', REALM, 'pw-one')], ['h2', ha1('h2', REALM, 'pw-two')]]));
    const text = readFileSync(file, 'utf8');
    expect(text).not.toMatch(/pw-one|pw-two/);
    expect(JSON.parse(text).realm).toBe(REALM);
  });

  it('refuses a file whose HA1 were computed for another realm, and changes nothing', () => {
    const file = fileIn();
    const other = JSON.stringify({ realm: 'kaga.sip.shelter-line.jp', ha1: { h1: ha1('h1', 'kaga.sip.shelter-line.jp', 'pw') } });
    writeFileSync(file, other, { mode: 0o600 });
    expect(() => credentialStore(REALM, file)).toThrow(/realm kaga\.sip\.shelter-line\.jp.*serves ip-phone-net/);
    expect(readFileSync(file, 'utf8')).toBe(other);
  });
});
