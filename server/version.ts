import { readFileSync } from 'node:fs';

/** The orchestrator's version, from package.json: what /healthz and the OpenAPI document report. */
export const VERSION = (JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string }).version;
