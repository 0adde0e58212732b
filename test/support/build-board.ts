import { build } from 'vite';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const CLIENT = fileURLToPath(new URL('../../client/', import.meta.url));
const MODEL = fileURLToPath(new URL('../../provisioning/model/', import.meta.url));
const DIST = join(CLIENT, 'dist');
const STAMP = join(DIST, '.sources-sha256');
const LOCK = join(CLIENT, '.build-lock');
const LOCK_STALE_MS = 180_000;

/** A digest of everything the build reads (sources, map data, config): an unchanged board is not rebuilt. */
function sourcesDigest(): string {
  const hash = createHash('sha256');
  const walk = (dir: string): string[] => readdirSync(dir).sort().flatMap((f) => {
    const p = join(dir, f);
    return statSync(p).isDirectory() ? walk(p) : [p];
  });
  // The board also bundles the model's words (message-words.ts and the like): a change there is a change of the board.
  const files = [...walk(join(CLIENT, 'src')), ...walk(join(CLIENT, 'public')), ...walk(MODEL), ...readdirSync(CLIENT).filter((f) => /\.(ts|html)$/.test(f)).map((f) => join(CLIENT, f))];
  for (const f of files) hash.update(relative(CLIENT, f)).update('\0').update(readFileSync(f));
  return hash.digest('hex');
}

/** One build at a time across test processes (e2e files run two at a time): mkdir is atomic; a lock left by a dead process goes stale. */
async function withBuildLock<T>(work: () => Promise<T>): Promise<T> {
  const deadline = Date.now() + 2 * LOCK_STALE_MS;
  for (;;) {
    try {
      mkdirSync(LOCK);
      break;
    } catch {
      if (existsSync(LOCK) && Date.now() - statSync(LOCK).mtimeMs > LOCK_STALE_MS) rmSync(LOCK, { recursive: true, force: true });
      if (Date.now() > deadline) throw new Error(`the board build lock ${LOCK} was held too long`);
      await new Promise((r) => setTimeout(r, 100));
    }
  }
  try {
    return await work();
  } finally {
    rmSync(LOCK, { recursive: true, force: true });
  }
}

/**
 * Builds client/ into client/dist, as `npm run build:client` does, so the server serves this very code.
 * Built once per change of the sources: e2e files running side by side share one build, and none
 * empties client/dist under another's running server.
 * Vitest sets NODE_ENV=test, with which Vite builds React's development code (≈ 80 % more JS):
 * the build runs with NODE_ENV=production, as outside the tests.
 */
export async function buildBoard(): Promise<void> {
  await withBuildLock(async () => {
    const digest = sourcesDigest();
    if (existsSync(STAMP) && readFileSync(STAMP, 'utf8') === digest) return;
    const before = process.env.NODE_ENV;
    process.env.NODE_ENV = 'production';
    try {
      await build({ configFile: join(CLIENT, 'vite.config.ts'), logLevel: 'warn', mode: 'production' });
    } finally {
      process.env.NODE_ENV = before;
    }
    writeFileSync(STAMP, digest);
  });
}
