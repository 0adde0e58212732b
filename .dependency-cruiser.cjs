/**
 * The one-way order inside provisioning/ (DESIGN.md, "Layers inside provisioning/"): a module may
 * import its own layer or a lower one, never a higher one; no cycles anywhere; the domain never
 * imports the server or the board. Run by `npm run lint:deps` (part of `npm test`).
 */
const LAYERS = [
  ['model', 'platform', 'errors.ts'],
  ['store'],
  ['audit', 'jobs', 'alerts'],
  // Access sits beside numbers: an area scope reads the municipality table (designated-city wards).
  ['numbers', 'compliance', 'access'],
  ['allocation', 'carriers', 'network', 'handsets'],
  ['shelters', 'suspensions', 'reports'],
  ['reconcile'],
];

const folder = (names) => `^provisioning/(${names.map((n) => n.replace('.', '\\.')).join('|')})(/|$)`;

const layerRules = LAYERS.slice(0, -1).map((names, i) => ({
  name: `layer-${i}-imports-upward`,
  comment: `${names.join(', ')} may not import a higher layer (${LAYERS.slice(i + 1).flat().join(', ')})`,
  severity: 'error',
  from: { path: folder(names) },
  to: { path: folder(LAYERS.slice(i + 1).flat()) },
}));

module.exports = {
  forbidden: [
    ...layerRules,
    { name: 'no-circular', comment: 'a cycle makes every module in it one layer', severity: 'error', from: { path: '^(provisioning|client|server)/' }, to: { circular: true } },
    { name: 'domain-stays-pure', comment: 'provisioning/ never imports the server or the board', severity: 'error', from: { path: '^provisioning/' }, to: { path: '^(server|client)/' } },
    { name: 'board-talks-http', comment: 'the board shares only model types, never server code', severity: 'error', from: { path: '^client/' }, to: { path: '^(server/|provisioning/(?!model/))' } },
    { name: 'every-layer-is-known', comment: 'a new folder under provisioning/ must be placed in LAYERS', severity: 'error', from: { path: '^provisioning/', pathNot: folder(LAYERS.flat()) }, to: {} },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '(^|/)(node_modules|dist)/' },
    tsConfig: { fileName: 'tsconfig.json' },
    tsPreCompilationDeps: true,
  },
};
