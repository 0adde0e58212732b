import { parseArgs } from 'node:util';
import { createTwilioSimulator } from './simulator.js';

/**
 * The Twilio simulator alone, on loopback: `node main.js [--port P] [--latency-ms N]`. Its first
 * line on stdout is `{"url": …}`; set it up through `/_sim` (RemoteSimulator does). SIGTERM ends it.
 */
async function main(): Promise<void> {
  const { values } = parseArgs({ options: { port: { type: 'string', default: '0' }, 'latency-ms': { type: 'string', default: '0' } } });
  const port = Number(values.port);
  const latencyMs = Number(values['latency-ms']);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`--port: a TCP port 0–65535 (got ${values.port})`);
  if (!Number.isFinite(latencyMs) || latencyMs < 0) throw new Error(`--latency-ms: milliseconds ≥ 0 (got ${values['latency-ms']})`);
  const sim = createTwilioSimulator({ latencyMs });
  const server = await sim.listen(port, '127.0.0.1');
  process.stdout.write(`${JSON.stringify({ url: server.url })}\n`);
  process.once('SIGTERM', () => void server.close().then(() => process.exit(0)));
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
