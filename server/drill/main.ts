import { parseArgs } from 'node:util';
import { startDrill } from './start-drill.js';

/** `npm run drill [-- --speed N|max] [--replay] [--port P] [--data-dir D]` */
async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      speed: { type: 'string', default: '1' },
      replay: { type: 'boolean', default: false },
      port: { type: 'string', default: '0' },
      'data-dir': { type: 'string', default: './data/drill' },
    },
  });
  const speed = values.speed === 'max' ? 0 : Number(values.speed);
  if (!Number.isFinite(speed) || speed < 0) throw new Error(`--speed: simulated days per second, a number ≥ 0 or "max" (got ${values.speed})`);
  const port = Number(values.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`--port: 0–65535 (got ${values.port})`);

  const drill = await startDrill({ dataDir: values['data-dir'], port, speed });
  console.log(`Shelter Line drill is running.
  board:        ${drill.boardUrl}
  admin token:  ${drill.adminToken}
  API:          ${drill.url}/api/v1  (Authorization: Bearer <admin token>)
  simulator:    ${drill.simUrl}  (Twilio API under /2010-04-01)
  carriers:     ${drill.carriers.map((c) => `${c.id} (${c.kind}, ${c.numbers.length} numbers)`).join(', ')}
  data dir:     ${values['data-dir']}`);
  const shutdown = async () => {
    await drill.stop();
    process.exit(0);
  };
  process.once('SIGINT', () => void shutdown());
  process.once('SIGTERM', () => void shutdown());
  if (values.replay) {
    console.log(`Replaying the 2024 Nanao timeline at ${speed === 0 ? 'maximum speed' : `${speed} day(s) per second`}…`);
    const r = await drill.replay({
      speed,
      onSnapshot: (s) => console.log(`  ${s.takenAt}  open ${String(s.open.size).padStart(2)}  (+${s.opened.length} −${s.closed.length})`),
    });
    console.log(`Replayed ${r.snapshots} snapshots in ${r.seconds.toFixed(1)} s. The drill keeps running; Ctrl-C to stop.`);
  }
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
