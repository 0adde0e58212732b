import { build } from 'vite';
import { fileURLToPath } from 'node:url';

/** Builds client/ into client/dist, as `npm run build:client` does, so the server serves this very code. */
export async function buildBoard(): Promise<void> {
  await build({ configFile: fileURLToPath(new URL('../../client/vite.config.ts', import.meta.url)), logLevel: 'warn' });
}
