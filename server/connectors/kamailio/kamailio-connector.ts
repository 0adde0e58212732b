import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { promisify } from 'node:util';
import { startWorkOrderLoop, type ReceivedWorkOrder, type WorkOrderLoop } from '../work-order-loop.js';

const run = promisify(execFile);

/** Kamailio's table (kamailio.cfg `creds`): SIP user name → HA1, read by pv_auth_check with its HA1 flag. */
const TABLE = 'creds';

/** An RPC Kamailio refused, with its code: kamcmd prints `error: 404 - Key not found in htable.` and exits 0. */
export class KamcmdError extends Error {
  constructor(readonly code: number, message: string) {
    super(`kamcmd: ${code} ${message}`);
    this.name = 'KamcmdError';
  }
}

/** One RPC to a running Kamailio over its ctl socket (kamcmd, from the `kamailio` package). */
export async function kamcmd(ctlSocket: string, ...args: string[]): Promise<string> {
  const { stdout } = await run('kamcmd', ['-s', ctlSocket, ...args], { timeout: 5000 });
  const refused = /^error: (\d+) - (.*)$/m.exec(stdout);
  if (refused) throw new KamcmdError(Number(refused[1]), refused[2]!.trim());
  return stdout;
}

/**
 * RFC 2617's HA1 = MD5(username:realm:password), what a digest check needs instead of the password:
 * the connector keeps and loads only this, so no handset password rests on the member's side.
 */
export function ha1(username: string, realm: string, password: string): string {
  return createHash('md5').update(`${username}:${realm}:${password}`, 'utf8').digest('hex');
}

const HA1 = /^[0-9a-f]{32}$/;

/**
 * The credentials this member's Kamailio must hold, kept on the member's side (a JSON file, mode
 * 0600, when given a path): Kamailio's `creds` table lives in its memory, and our orders are sent
 * once, so a restarted Kamailio is filled again from here. HA1 only, bound to the realm (the SIP
 * domain) it was computed for; a file of an older connector holding passwords is hashed on load.
 */
export interface CredentialStore {
  readonly realm: string;
  /** username → HA1 */
  all(): Map<string, string>;
  set(username: string, ha1: string): void;
  delete(username: string): void;
}

interface CredentialFile {
  realm: string;
  ha1: Record<string, string>;
}

export function credentialStore(realm: string, file?: string): CredentialStore {
  const creds = new Map<string, string>();
  let migrated = false;
  if (file && existsSync(file)) {
    const parsed = JSON.parse(readFileSync(file, 'utf8')) as Partial<CredentialFile> & Record<string, unknown>;
    if (typeof parsed.realm === 'string' && parsed.ha1 && typeof parsed.ha1 === 'object') {
      if (parsed.realm !== realm) throw new Error(`${file} holds HA1 for realm ${parsed.realm}, but this Kamailio serves ${realm}: HA1 cannot be moved to another realm; remove the file to start afresh`);
      for (const [user, value] of Object.entries(parsed.ha1)) if (typeof value === 'string' && HA1.test(value)) creds.set(user, value);
    } else {
      // A flat { username: password } file of the connector before HA1: hash it now, keep no password.
      for (const [user, password] of Object.entries(parsed)) if (typeof password === 'string') creds.set(user, ha1(user, realm, password));
      migrated = true;
    }
  }
  const save = () => {
    if (!file) return;
    const tmp = `${file}.tmp`;
    const body: CredentialFile = { realm, ha1: Object.fromEntries([...creds].sort(([a], [b]) => (a < b ? -1 : 1))) };
    writeFileSync(tmp, JSON.stringify(body), { mode: 0o600 });
    // Atomic: a crash leaves the old file or the new one, never half of either.
    renameSync(tmp, file);
  };
  if (migrated) save();
  return {
    realm,
    all: () => new Map(creds),
    set(username, value) {
      if (creds.get(username) === value) return;
      creds.set(username, value);
      save();
    },
    delete(username) {
      if (creds.delete(username)) save();
    },
  };
}

/** Kamailio's `creds` table as `htable.dump` lists it: username → value. */
export async function loadedCredentials(ctlSocket: string): Promise<Map<string, string>> {
  const out = await kamcmd(ctlSocket, 'htable.dump', TABLE);
  const loaded = new Map<string, string>();
  // kamcmd prints each slot's entries as `name: <key>` then `value: <value>` lines.
  let name: string | null = null;
  for (const line of out.split('\n')) {
    const n = /^\s*name:\s*(\S+)\s*$/.exec(line);
    if (n) {
      name = n[1]!;
      continue;
    }
    const v = /^\s*value:\s*(\S*)\s*$/.exec(line);
    if (v && name !== null) {
      loaded.set(name, v[1]!);
      name = null;
    }
  }
  return loaded;
}

async function unload(ctlSocket: string, username: string): Promise<void> {
  await kamcmd(ctlSocket, 'htable.delete', TABLE, username).catch((err: unknown) => {
    // Already gone (a restarted Kamailio never had it): what is asked for is true.
    if (!(err instanceof KamcmdError && err.code === 404)) throw err;
  });
}

/**
 * Makes Kamailio's table what the member's store says: loads what is missing or different, removes
 * what the store no longer holds. The store is written before Kamailio is told, so whatever a
 * crash interrupted (a credential written but not loaded, removed but still loaded), this repairs.
 */
export async function reconcileCredentials(ctlSocket: string, store: CredentialStore): Promise<{ loaded: number; removed: number }> {
  const want = store.all();
  const have = await loadedCredentials(ctlSocket);
  let loaded = 0;
  let removed = 0;
  for (const [username, value] of want) {
    if (have.get(username) === value) continue;
    await kamcmd(ctlSocket, 'htable.sets', TABLE, username, value);
    loaded++;
  }
  for (const username of have.keys()) {
    if (want.has(username)) continue;
    await unload(ctlSocket, username);
    removed++;
  }
  return { loaded, removed };
}

/**
 * Applies our work orders to Kamailio (kamailio.cfg beside this file): handset credentials go, as
 * HA1, first into the member's credential store and then into Kamailio's `creds` table; numbers
 * need nothing, since Kamailio asks the call-decision API per call. Each order may be applied
 * again (a crash before its result was reported brings it back): the outcome is the same.
 */
export function kamailioApply(ctlSocket: string, store: CredentialStore): (order: ReceivedWorkOrder) => Promise<void> {
  return async (order) => {
    const p = order.params;
    switch (order.action) {
      case 'create_credential': {
        if (typeof p.username !== 'string' || typeof p.password !== 'string') throw new Error('create_credential without username and password');
        const value = ha1(p.username, store.realm, p.password);
        store.set(p.username, value);
        await kamcmd(ctlSocket, 'htable.sets', TABLE, p.username, value);
        return;
      }
      case 'delete_credential':
        if (typeof p.username !== 'string') throw new Error('delete_credential without username');
        store.delete(p.username);
        await unload(ctlSocket, p.username);
        return;
      case 'route_number':
        // Only the JSON contract works here: a TwiML voice URL would mean the member declared the wrong call control.
        if (typeof p.inboundDecisionUrl !== 'string') throw new Error('route_number without the call-decision API: declare callControl json for this member');
        return;
      default:
        return;
    }
  };
}

/** Seconds Kamailio has been up, from `core.uptime`. */
async function uptimeOf(ctlSocket: string): Promise<number> {
  const m = /uptime:\s*(\d+)/.exec(await kamcmd(ctlSocket, 'core.uptime'));
  if (!m) throw new Error('core.uptime gave no uptime');
  return Number(m[1]);
}

export interface KamailioConnectorOptions {
  baseUrl: string;
  carrierId: string;
  token: string;
  ctlSocket: string;
  /** The SIP domain Kamailio serves (its SIP_DOMAIN): the digest realm every HA1 is computed for. */
  realm: string;
  credentialsFile?: string;
  checkEveryMs?: number;
  onError?: (err: unknown) => void;
}

/**
 * The member's connector: pulls its work orders with its carrier token and applies them to Kamailio.
 * It reconciles Kamailio's `creds` table with its credential store when it starts and whenever
 * Kamailio restarted (its uptime went back), so handsets register again without new orders and a
 * crash between the store and Kamailio leaves nothing behind — even while the orchestrator is unreachable.
 */
export function startKamailioConnector(opts: KamailioConnectorOptions): WorkOrderLoop & { readonly reconciles: number } {
  const store = credentialStore(opts.realm, opts.credentialsFile);
  // One change to the table at a time: a reconcile that read the table while an order loaded a
  // credential would take it for a leftover and remove it.
  let queue: Promise<unknown> = Promise.resolve();
  const serial = <T>(fn: () => Promise<T>): Promise<T> => {
    const next = queue.then(fn, fn);
    queue = next.catch(() => undefined);
    return next;
  };
  const apply = kamailioApply(opts.ctlSocket, store);
  let lastUptime = -1;
  let reconciles = 0;
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;
  const check = async () => {
    try {
      const uptime = await uptimeOf(opts.ctlSocket);
      if (lastUptime < 0 || uptime < lastUptime) {
        await serial(() => reconcileCredentials(opts.ctlSocket, store));
        reconciles++;
      }
      lastUptime = uptime;
    } catch (err) {
      opts.onError?.(err); // Kamailio down for now: the next check reconciles once it answers
      lastUptime = -1;
    }
    if (!stopped) timer = setTimeout(() => void check(), opts.checkEveryMs ?? 5000);
  };
  void check();
  const loop = startWorkOrderLoop({ baseUrl: opts.baseUrl, carrierId: opts.carrierId, token: opts.token, apply: (order) => serial(() => apply(order)), ...(opts.onError ? { onError: opts.onError } : {}) });
  return {
    get completed() {
      return loop.completed;
    },
    get reconciles() {
      return reconciles;
    },
    pause: () => loop.pause(),
    resume: () => loop.resume(),
    async stop() {
      stopped = true;
      clearTimeout(timer);
      await loop.stop();
    },
  };
}
