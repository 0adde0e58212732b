import { readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath, pathToFileURL } from 'node:url';

/**
 * Runs every `test/bench/*.bench.ts` in file-name order; each default-exports `bench()`, which
 * prints its own figures (and may return them). A new benchmark is a new file, not code here.
 * `npm run bench -- store ws` runs only the files whose names contain one of the words.
 */
type Bench = () => Promise<unknown>;

const here = dirname(fileURLToPath(import.meta.url));
const only = process.argv.slice(2);
const files = readdirSync(here)
  .filter((f) => f.endsWith('.bench.ts'))
  .filter((f) => only.length === 0 || only.some((word) => f.includes(word)))
  .sort();

if (files.length === 0) {
  console.error(`no benchmark in ${here} matches ${only.join(' ') || '*.bench.ts'}`);
  process.exit(1);
}

const failed: string[] = [];
for (const file of files) {
  console.log(`\n== ${file}`);
  const started = performance.now();
  try {
    const mod = (await import(pathToFileURL(join(here, file)).href)) as { default?: unknown };
    if (typeof mod.default !== 'function') throw new Error(`${file} does not default-export a bench() function`);
    await (mod.default as Bench)();
  } catch (err) {
    failed.push(file);
    console.error(`${file} failed:`, err);
  }
  console.log(`== ${file}: ${((performance.now() - started) / 1000).toFixed(1)} s`);
}

if (failed.length > 0) {
  console.error(`\n${failed.length} benchmark(s) failed: ${failed.join(', ')}`);
  process.exit(1);
}
// Benchmarks may leave SDK sockets or timers behind; their figures are printed, so end here.
process.exit(0);
