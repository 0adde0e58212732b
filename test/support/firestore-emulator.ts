import { spawn, type ChildProcess } from 'node:child_process';
import { accessSync, constants } from 'node:fs';
import { createServer } from 'node:net';
import { delimiter, join } from 'node:path';

const BINARY = 'cloud_firestore_emulator';
/** Where the Google Cloud CLI packages (apt, tarball, snap) put the emulator launcher. */
const KNOWN_DIRS = [
  '/usr/lib/google-cloud-sdk/platform/cloud-firestore-emulator',
  '/usr/share/google-cloud-sdk/platform/cloud-firestore-emulator',
  '/opt/google-cloud-sdk/platform/cloud-firestore-emulator',
  '/snap/google-cloud-cli/current/platform/cloud-firestore-emulator',
];

export const SKIP_LINE = 'Firestore emulator not installed: Firestore store tests skipped';

export interface RunningEmulator {
  /** `127.0.0.1:PORT`, the form FIRESTORE_EMULATOR_HOST takes. */
  host: string;
  stop(): Promise<void>;
}

function executable(path: string): boolean {
  try {
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/**
 * The emulator launcher: FIRESTORE_EMULATOR_BINARY (`none` = run without it), then PATH, then the
 * Cloud CLI's usual places.
 */
export function findEmulatorBinary(env: NodeJS.ProcessEnv = process.env): string | null {
  const explicit = env.FIRESTORE_EMULATOR_BINARY;
  if (explicit === 'none') return null;
  if (explicit) {
    if (executable(explicit)) return explicit;
    throw new Error(`FIRESTORE_EMULATOR_BINARY=${explicit} is not an executable file`);
  }
  const dirs = [...(env.PATH ?? '').split(delimiter).filter(Boolean), ...KNOWN_DIRS];
  for (const dir of dirs) {
    const candidate = join(dir, BINARY);
    if (executable(candidate)) return candidate;
  }
  return null;
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

/** Points the Firestore client at the emulator; no metadata server lookups on a laptop. */
export function useEmulator(host: string): void {
  process.env.FIRESTORE_EMULATOR_HOST = host;
  process.env.METADATA_SERVER_DETECTION = 'none';
}

/** Kills the launcher's whole process group: the bash script leaves java as its child. */
function killGroup(child: ChildProcess, signal: NodeJS.Signals): void {
  if (child.pid === undefined || child.exitCode !== null || child.signalCode !== null) return;
  try {
    process.kill(-child.pid, signal);
  } catch {
    // Already gone.
  }
}

/**
 * Starts the emulator on a free loopback port and waits until it answers; null when it is not
 * installed. The caller owns `stop()`.
 */
export async function startFirestoreEmulator(options: { timeoutMs?: number } = {}): Promise<RunningEmulator | null> {
  const binary = findEmulatorBinary();
  if (!binary) return null;
  const port = await freePort();
  const host = `127.0.0.1:${port}`;
  const child = spawn(binary, ['start', '--host=127.0.0.1', `--port=${port}`], {
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const keep = (chunk: Buffer) => {
    output = (output + chunk.toString('utf8')).slice(-4000);
  };
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  const onExit = () => killGroup(child, 'SIGKILL');
  process.once('exit', onExit);

  const stop = async () => {
    process.removeListener('exit', onExit);
    if (child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    killGroup(child, 'SIGTERM');
    const timer = setTimeout(() => killGroup(child, 'SIGKILL'), 5000);
    await exited;
    clearTimeout(timer);
  };

  const deadline = Date.now() + (options.timeoutMs ?? 60_000);
  while (Date.now() < deadline) {
    if (child.exitCode !== null) {
      throw new Error(`the Firestore emulator exited with ${child.exitCode} before answering:\n${output}`);
    }
    try {
      const res = await fetch(`http://${host}/`);
      if (res.ok) return { host, stop };
    } catch {
      // Not listening yet.
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  await stop();
  throw new Error(`the Firestore emulator did not answer on ${host} within ${options.timeoutMs ?? 60_000} ms:\n${output}`);
}

/**
 * An emulator to run against: the developer's own (FIRESTORE_EMULATOR_HOST, reused, which saves its
 * start-up), else one started here, else none (host null: not installed). `release()` stops one
 * started here and takes its host back out of the environment, so whatever runs next in this process
 * starts its own instead of waiting on a stopped one (the SDK retries a dead host for ever).
 */
export async function acquireEmulator(): Promise<{ host: string | null; release(): Promise<void> }> {
  const existing = process.env.FIRESTORE_EMULATOR_HOST;
  if (existing) {
    useEmulator(existing);
    return { host: existing, release: async () => {} };
  }
  const emulator = await startFirestoreEmulator();
  if (!emulator) return { host: null, release: async () => {} };
  useEmulator(emulator.host);
  return {
    host: emulator.host,
    async release() {
      if (process.env.FIRESTORE_EMULATOR_HOST === emulator.host) delete process.env.FIRESTORE_EMULATOR_HOST;
      await emulator.stop();
    },
  };
}

/** Deletes every document of a project's default database in the emulator. */
export async function resetFirestore(projectId: string, host = process.env.FIRESTORE_EMULATOR_HOST): Promise<void> {
  if (!host) throw new Error('resetFirestore needs FIRESTORE_EMULATOR_HOST (is the emulator running?)');
  const res = await fetch(`http://${host}/emulator/v1/projects/${encodeURIComponent(projectId)}/databases/(default)/documents`, {
    method: 'DELETE',
  });
  if (!res.ok) throw new Error(`resetting Firestore project ${projectId} failed: ${res.status} ${await res.text()}`);
}

/**
 * Runs each kind of request once so the emulator's JVM has compiled its paths before the first
 * test's timer starts (a cold first request takes seconds).
 */
export async function warmUpFirestore(host: string): Promise<void> {
  useEmulator(host);
  const { Firestore } = await import('@google-cloud/firestore');
  const projectId = 'warm-up';
  const db = new Firestore({ projectId });
  try {
    const col = db.collection('warmUp');
    await Promise.all(Array.from({ length: 5 }, (_, i) => col.doc(`d${i}`).set({ id: `d${i}`, n: i, s: i % 2 === 0 ? 'a' : null })));
    await col.where('n', '==', 1).orderBy('s', 'desc').limit(3).get();
    await col.orderBy('id', 'desc').startAfter('d3').get();
    await db.runTransaction(async (t) => {
      const d = await t.get(col.doc('d0'));
      t.set(col.doc('d0'), { ...d.data(), n: 9 });
    });
    const batch = db.batch();
    for (let i = 0; i < 5; i++) batch.delete(col.doc(`d${i}`));
    await batch.commit();
  } finally {
    await db.terminate();
  }
  await resetFirestore(projectId, host);
}
