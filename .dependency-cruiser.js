/**
 * The import graph of src/: no cycles between modules, and no import from a lower layer to a
 * higher one. Layers, top to bottom:
 *   cli, action -> commands -> execute, validate, render, init, bootstrap, storage-server
 *   -> plan, analyze -> introspect, spec, openapi -> db, yaml, git, sql, errors, version
 */
const LAYERS = [
  ['cli', 'action'],
  ['commands'],
  ['execute', 'validate', 'render', 'init', 'bootstrap', 'storage-server'],
  ['plan', 'analyze', 'compare'],
  ['introspect', 'spec', 'openapi', 'catalog'],
  ['db', 'yaml', 'git', 'sql', 'errors', 'version'],
];

const folder = (names) => `^src/(${names.join('|')})(/|\\.ts$)`;

const upward = LAYERS.slice(1).map((layer, i) => ({
  name: `no-upward-from-${layer.join('-')}`,
  comment: `${layer.join(', ')} may not import a higher layer`,
  severity: 'error',
  from: { path: folder(layer) },
  to: { path: folder(LAYERS.slice(0, i + 1).flat()) },
}));

module.exports = {
  forbidden: [
    { name: 'no-circular', severity: 'error', from: {}, to: { circular: true } },
    { name: 'no-folder-cycle', severity: 'error', scope: 'folder', from: { path: '^src/[^/]+' }, to: { circular: true } },
    ...upward,
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.build.json' },
  },
};
