import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

/** The nearest package.json above this file: the repository's in development, the deployed app's beside dist/ in production. */
function findPackageJson(from: string): string {
  for (let dir = from; ; dir = dirname(dir)) {
    const file = join(dir, 'package.json');
    if (existsSync(file)) return file;
    if (dirname(dir) === dir) throw new Error(`no package.json above ${from}`);
  }
}

/** The orchestrator's version, from package.json: what /healthz and the OpenAPI document report. */
export const VERSION = (JSON.parse(readFileSync(findPackageJson(import.meta.dirname), 'utf8')) as { version: string }).version;
