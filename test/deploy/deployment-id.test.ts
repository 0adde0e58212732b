import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../server/config.js';

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});
const dataDir = () => {
  const d = mkdtempSync(join(tmpdir(), 'sl-deploy-id-'));
  dirs.push(d);
  return d;
};

describe('ORCH_DEPLOYMENT_ID', () => {
  it('defaults to an id derived from the secret key: the same on every start and every instance, another for another deployment', () => {
    const dir = dataDir();
    const first = loadConfig({ ORCH_DATA_DIR: dir }).deploymentId;
    expect(first).toMatch(/^[0-9a-f]{8}$/);
    expect(loadConfig({ ORCH_DATA_DIR: dir }).deploymentId).toBe(first);
    const key = 'a'.repeat(64);
    expect(loadConfig({ ORCH_DATA_DIR: dataDir(), ORCH_SECRET_KEY: key }).deploymentId).toBe(loadConfig({ ORCH_DATA_DIR: dataDir(), ORCH_SECRET_KEY: key }).deploymentId);
    expect(loadConfig({ ORCH_DATA_DIR: dataDir() }).deploymentId).not.toBe(first);
  });

  it('takes a set value, and refuses one Twilio could not put in a domain name, naming the variable', () => {
    expect(loadConfig({ ORCH_DATA_DIR: dataDir(), ORCH_DEPLOYMENT_ID: 'noto-prod' }).deploymentId).toBe('noto-prod');
    for (const bad of ['Noto', 'noto_prod', '-noto', 'x'.repeat(17)]) {
      expect(() => loadConfig({ ORCH_DATA_DIR: dataDir(), ORCH_DEPLOYMENT_ID: bad })).toThrow(ConfigError);
      expect(() => loadConfig({ ORCH_DATA_DIR: dataDir(), ORCH_DEPLOYMENT_ID: bad })).toThrow(/^ORCH_DEPLOYMENT_ID:/);
    }
  });
});
