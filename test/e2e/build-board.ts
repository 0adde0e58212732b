import { build } from 'vite';
import { fileURLToPath } from 'node:url';

/**
 * Builds client/ into client/dist, as `npm run build:client` does, so the server serves this very code.
 * Vitest sets NODE_ENV=test, with which Vite builds React's development code (≈ 80 % more JS):
 * the build runs with NODE_ENV=production, as outside the tests.
 */
export async function buildBoard(): Promise<void> {
  const before = process.env.NODE_ENV;
  process.env.NODE_ENV = 'production';
  try {
    await build({ configFile: fileURLToPath(new URL('../../client/vite.config.ts', import.meta.url)), logLevel: 'warn', mode: 'production' });
  } finally {
    process.env.NODE_ENV = before;
  }
}
