import { parseArgs } from 'node:util';
import { z } from 'zod';

/** What `npm run drill` runs with, from its flags, then the same environment `npm start` reads, then defaults. */
export interface DrillCliOptions {
  port: number;
  dataDir: string;
  /** Simulated days per real second; 0 = as fast as the jobs complete. */
  speed: number;
  replay: boolean;
  /** The simulator's port (`--sim-port`); null = the one the data dir remembers from the last run, else a free one. */
  simPort: number | null;
}

const Port = z.coerce.number().int().min(0).max(65535);
const Speed = z.union([z.literal('max').transform(() => 0), z.coerce.number().min(0).max(1e6)]);

export class DrillOptionsError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'DrillOptionsError';
  }
}

/** Parses `--port/--data-dir/--speed/--replay/--sim-port`; without flags PORT and ORCH_DATA_DIR apply as for `npm start`. */
export function drillOptions(args: string[], env: NodeJS.ProcessEnv): DrillCliOptions {
  let values;
  try {
    ({ values } = parseArgs({
      args,
      options: {
        speed: { type: 'string' },
        replay: { type: 'boolean', default: false },
        port: { type: 'string' },
        'data-dir': { type: 'string' },
        'sim-port': { type: 'string' },
      },
    }));
  } catch (err) {
    throw new DrillOptionsError(err instanceof Error ? err.message : String(err));
  }
  const [portText, portFrom] = values.port !== undefined ? [values.port, '--port'] : env.PORT !== undefined ? [env.PORT, 'PORT'] : ['0', '--port'];
  const port = Port.safeParse(portText);
  if (!port.success) throw new DrillOptionsError(`${portFrom}: a TCP port 0–65535 (got ${JSON.stringify(portText)})`);
  const speed = Speed.safeParse(values.speed ?? '1');
  if (!speed.success) throw new DrillOptionsError(`--speed: simulated days per second, a number ≥ 0 or "max" (got ${JSON.stringify(values.speed)})`);
  const dataDir = values['data-dir'] ?? (env.ORCH_DATA_DIR || './data/drill');
  let simPort: number | null = null;
  if (values['sim-port'] !== undefined) {
    const parsed = Port.min(1).safeParse(values['sim-port']);
    if (!parsed.success) throw new DrillOptionsError(`--sim-port: a TCP port 1–65535 (got ${JSON.stringify(values['sim-port'])})`);
    simPort = parsed.data;
  }
  return { port: port.data, dataDir, speed: speed.data, replay: values.replay, simPort };
}
