import { startDrill } from './start-drill.js';
import { drillOptions } from './drill-options.js';
import { drillBanner } from './drill-banner.js';

/** `npm run drill [-- --speed N|max] [--replay] [--port P] [--data-dir D] [--sim-port S]`; PORT and ORCH_DATA_DIR work as for `npm start`. */
async function main(): Promise<void> {
  const values = drillOptions(process.argv.slice(2), process.env);
  const { speed, port } = values;

  const drill = await startDrill({ dataDir: values.dataDir, port, speed, ...(values.simPort ? { simPort: values.simPort } : {}) });
  console.log(drillBanner({ ...drill, dataDir: values.dataDir }));
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
