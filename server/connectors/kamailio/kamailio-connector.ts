import { execFile } from 'node:child_process';
import { existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { promisify } from 'node:util';
import { startWorkOrderLoop, type ReceivedWorkOrder, type WorkOrderLoop } from '../work-order-loop.js';

const run = promisify(execFile);

/** One RPC to a running Kamailio over its ctl socket (kamcmd, from the `kamailio` package). */
export async function kamcmd(ctlSocket: string, ...args: string[]): Promise<string> {
  const { stdout } = await run('kamcmd', ['-s', ctlSocket, ...args], { timeout: 5000 });
  return stdout;
}

/**
 * The credentials this member's Kamailio must hold, kept on the member's side (a JSON file, mode
 * 0600, when given a path): Kamailio's `creds` table lives in its memory, and our orders are sent
 * once, so a restarted Kamailio is filled again from here.
 */
export interface CredentialStore {
  all(): Array<[string, string]>;
  set(username: string, password: string): void;
  delete(username: string): void;
}

export function credentialStore(file?: string): CredentialStore {
  const creds = new Map<string, string>(file && existsSync(file) ? Object.entries(JSON.parse(readFileSync(file, 'utf8')) as Record<string, string>) : []);
  const save = () => {
    if (!file) return;
    const tmp = `${file}.tmp`;
    writeFileSync(tmp, JSON.stringify(Object.fromEntries(creds)), { mode: 0o600 });
    renameSync(tmp, file);
  };
  return {
    all: () => [...creds],
    set(username, password) {
      creds.set(username, password);
      save();
    },
    delete(username) {
      if (creds.delete(username)) save();
    },
  };
}

/**
 * Applies our work orders to Kamailio (kamailio.cfg beside this file): handset credentials go into
 * its `creds` table (and the member's credential store); numbers need nothing, since Kamailio asks
 * the call-decision API per call.
 */
export function kamailioApply(ctlSocket: string, store: CredentialStore = credentialStore()): (order: ReceivedWorkOrder) => Promise<void> {
  return async (order) => {
    const p = order.params;
    switch (order.action) {
      case 'create_credential':
        if (typeof p.username !== 'string' || typeof p.password !== 'string') throw new Error('create_credential without username and password');
        store.set(p.username, p.password);
        await kamcmd(ctlSocket, 'htable.sets', 'creds', p.username, p.password);
        return;
      case 'delete_credential':
        if (typeof p.username !== 'string') throw new Error('delete_credential without username');
        store.delete(p.username);
        await kamcmd(ctlSocket, 'htable.delete', 'creds', p.username).catch((err: unknown) => {
          // Already gone (a restarted Kamailio never had it): what the order asks for is true.
          if (!/doesn't exist|not found/i.test(String((err as { stderr?: string }).stderr ?? err))) throw err;
        });
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

/**
 * The member's connector: pulls its work orders with its carrier token and applies them to Kamailio.
 * It fills Kamailio's `creds` table again from its credential store when it starts and whenever
 * Kamailio restarted (its uptime went back), so handsets register again without new orders.
 */
export function startKamailioConnector(opts: { baseUrl: string; carrierId: string; token: string; ctlSocket: string; credentialsFile?: string; checkEveryMs?: number; onError?: (err: unknown) => void }): WorkOrderLoop & { readonly reloads: number } {
  const store = credentialStore(opts.credentialsFile);
  let lastUptime = -1;
  let reloads = 0;
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;
  const refill = async () => {
    const uptime = await uptimeOf(opts.ctlSocket);
    if (uptime >= lastUptime && lastUptime >= 0) {
      lastUptime = uptime;
      return;
    }
    for (const [username, password] of store.all()) await kamcmd(opts.ctlSocket, 'htable.sets', 'creds', username, password);
    lastUptime = uptime;
    reloads++;
  };
  const check = async () => {
    try {
      await refill();
    } catch (err) {
      opts.onError?.(err); // Kamailio down for now: the next check fills it once it answers
      lastUptime = -1;
    }
    if (!stopped) timer = setTimeout(() => void check(), opts.checkEveryMs ?? 5000);
  };
  void check();
  const loop = startWorkOrderLoop({ baseUrl: opts.baseUrl, carrierId: opts.carrierId, token: opts.token, apply: kamailioApply(opts.ctlSocket, store), ...(opts.onError ? { onError: opts.onError } : {}) });
  return {
    get completed() {
      return loop.completed;
    },
    get reloads() {
      return reloads;
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
