import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Plugin } from 'vite';

/**
 * The offline map's data as static assets the board fetches only when a map is shown, never in
 * the first load: the prefecture outlines as shipped, and the municipalities cut per prefecture
 * (a topology keeping only the arcs its municipalities use), so a town map fetches one
 * prefecture (≈ 4 KB compressed for Ishikawa) instead of the whole country (136 KB).
 * The board imports `virtual:map-data` for the URLs and the prefecture names by their 2-digit code.
 */
const ID = 'virtual:map-data';
const RESOLVED = '\0' + ID;

interface Topology {
  type: 'Topology';
  transform?: unknown;
  arcs: number[][][];
  objects: Record<string, { type: 'GeometryCollection'; geometries: Array<{ type: string; arcs?: unknown; properties?: Record<string, string | null> }> }>;
}

/** A topology with only the geometries `keep` accepts and the arcs they use (arc indices renumbered). */
export function subsetTopology(topo: Topology, object: string, keep: (props: Record<string, string | null>) => boolean, as: string): Topology {
  const geometries = topo.objects[object]!.geometries.filter((g) => keep(g.properties ?? {}));
  const index = new Map<number, number>();
  const arcs: number[][][] = [];
  const remap = (a: unknown): unknown => {
    if (typeof a === 'number') {
      const i = a < 0 ? ~a : a;
      if (!index.has(i)) (index.set(i, arcs.length), arcs.push(topo.arcs[i]!));
      return a < 0 ? ~index.get(i)! : index.get(i)!;
    }
    return (a as unknown[]).map(remap);
  };
  return { type: 'Topology', transform: topo.transform, arcs, objects: { [as]: { type: 'GeometryCollection', geometries: geometries.map((g) => ({ ...g, arcs: remap(g.arcs) })) } } };
}

export function mapData(dataDir: string): Plugin {
  const read = (f: string) => JSON.parse(readFileSync(join(dataDir, f), 'utf8')) as Topology;
  const files = () => {
    const municipalities = read('japan-municipalities.topojson');
    const object = Object.keys(municipalities.objects)[0]!;
    const codes = [...new Set(municipalities.objects[object]!.geometries.map((g) => String(g.properties?.N03_007 ?? '').slice(0, 2)).filter((c) => /^\d\d$/.test(c)))].sort();
    const names = Object.fromEntries(municipalities.objects[object]!.geometries.map((g) => [String(g.properties?.N03_007 ?? '').slice(0, 2), g.properties?.N03_001 ?? '']));
    const out = new Map<string, string>([['prefectures.json', JSON.stringify(read('japan-prefectures.topojson'))]]);
    prefectureNames = Object.fromEntries(codes.map((c) => [c, names[c]!]));
    for (const code of codes) out.set(`municipalities-${code}.json`, JSON.stringify(subsetTopology(municipalities, object, (p) => String(p.N03_007 ?? '').startsWith(code), 'municipalities')));
    return out;
  };
  let cache: Map<string, string> | null = null;
  let prefectureNames: Record<string, string> = {};
  let serving = false;
  return {
    name: 'shelter-line-map-data',
    configResolved(config) {
      serving = config.command === 'serve';
    },
    resolveId: (id) => (id === ID ? RESOLVED : null),
    load(id) {
      if (id !== RESOLVED) return null;
      cache ??= files();
      const urls: Record<string, string> = {};
      const lines: string[] = [];
      for (const [name, source] of cache) {
        const key = name.replace(/\.json$/, '');
        if (serving) urls[key] = JSON.stringify(`/@map-data/${name}`);
        else urls[key] = `import.meta.ROLLUP_FILE_URL_${this.emitFile({ type: 'asset', name: `map-${name}`, source })}`;
      }
      lines.push(`export const PREFECTURE_NAMES = ${JSON.stringify(prefectureNames)};`);
      lines.push(`export const MAP_DATA_URLS = {${Object.entries(urls).map(([k, v]) => `${JSON.stringify(k)}: ${v}`).join(', ')}};`);
      return lines.join('\n');
    },
    configureServer(server) {
      server.middlewares.use('/@map-data/', (req, res, next) => {
        cache ??= files();
        const body = cache.get((req.url ?? '').replace(/^\//, ''));
        if (!body) return next();
        res.setHeader('Content-Type', 'application/json');
        res.end(body);
      });
    },
  };
}
