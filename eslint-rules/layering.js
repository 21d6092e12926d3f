// @ts-check
// Enforces the import table of ../shared/ARCHITECTURE.md: which top-level folder may import
// which, which packages each layer may use, and where Node's built-ins are allowed. Relative
// imports are resolved against the importing file, so `../../ledger/x.js` is caught wherever it
// is written from.
import { builtinModules } from 'node:module';
import { dirname, relative, resolve, sep } from 'node:path';

const nodeBuiltins = new Set(builtinModules.flatMap((name) => [name, `node:${name}`]));

/**
 * For each layer: the layers it may import, the packages it may import (exact names or
 * "scope/*"), and whether Node built-ins are allowed. "*" allows every package except those in
 * `forbiddenPackages`.
 * @type {Record<string, { layers: string[]; packages: string[]; node: boolean; forbiddenPackages?: string[] }>}
 */
export const layerTable = {
  core: { layers: ['core'], packages: ['zod', '@noble/*'], node: false },
  device: { layers: ['device', 'core'], packages: [], node: false },
  drivers: { layers: ['drivers', 'device', 'core'], packages: ['nfc-pcsc', 'node-hid', 'serialport', '@serialport/*'], node: true },
  ledger: { layers: ['ledger', 'core'], packages: ['rxdb', 'rxdb/*', 'better-sqlite3', 'zod', '@noble/*', 'rxjs'], node: true },
  sync: { layers: ['sync', 'core', 'ledger'], packages: ['mqtt', 'zod', 'rxdb', 'rxdb/*', 'rxjs', '@noble/*'], node: true },
  central: { layers: ['central', 'core', 'ledger'], packages: ['mqtt', 'aedes', 'zod', '@noble/*', 'rxdb', 'rxdb/*', 'rxjs'], node: true },
  runtime: {
    layers: ['runtime', 'core', 'device', 'drivers', 'ledger', 'sync', 'central', 'package.json'],
    packages: ['*'],
    forbiddenPackages: ['electron', 'nfc-pcsc', 'node-hid', 'serialport', '@serialport/*', 'mqtt', 'aedes', 'better-sqlite3'],
    node: true,
  },
  main: { layers: ['main', 'core', 'runtime'], packages: ['electron'], node: true },
  renderer: { layers: ['renderer', 'core'], packages: ['preact', 'preact/*', 'zod', '@formatjs/*'], node: false },
};

/**
 * Layers that reach durable state only through ledger/'s typed stores and its engine, never
 * through its collections, storage writers, database or schemas (ARCHITECTURE.md: ledger/ is
 * the only owner of durable state). Their tests, beside the code, may set up and inspect state
 * directly.
 */
export const closedToLedgerInternals = ['central', 'sync', 'runtime'];
/** ledger/ modules that are its internals; loading a key (durable/data-key) is not durable state. */
const ledgerInternalPattern = /^ledger[\\/](storage-writes|ledger-database|schemas)\.js$|^ledger[\\/]durable[\\/](?!data-key\.js$)/;

/** @param {string} name @param {string[]} patterns */
function matchesPackage(name, patterns) {
  return patterns.some((pattern) => pattern === name || (pattern.endsWith('/*') && name.startsWith(pattern.slice(0, -1))));
}

/** @param {string} specifier */
function packageName(specifier) {
  const parts = specifier.split('/');
  return specifier.startsWith('@') ? parts.slice(0, 2).join('/') : (parts[0] ?? specifier);
}

/** @type {import('eslint').Rule.RuleModule} */
export const layeringRule = {
  meta: {
    type: 'problem',
    docs: { description: 'enforce the layer import table of ARCHITECTURE.md' },
    schema: [{ type: 'object', properties: { root: { type: 'string' } }, additionalProperties: false }],
    messages: {
      layer: "'{{from}}/' may not import from '{{to}}/' (ARCHITECTURE.md: {{from}} may import {{allowed}}).",
      package: "'{{from}}/' may not import the package '{{name}}' (ARCHITECTURE.md: {{from}} may use {{allowed}}).",
      node: "'{{from}}/' must stay free of Node built-ins; '{{name}}' is not allowed here.",
      outside: "'{{from}}/' may not import '{{specifier}}', which is outside every layer.",
      ledgerInternal: "'{{from}}/' may not import ledger internals ('{{target}}'): durable state is reached through ledger/'s typed stores and engine.",
      ledgerCollections: "'{{from}}/' may not reach the ledger's collections: durable state is reached through ledger/'s typed stores and engine.",
      ledgerDatabase: "'{{from}}/' may not reach the ledger's raw database (its storage, SQLite store and cold tables): durable state is reached through ledger/'s typed stores and engine.",
    },
  },
  create(context) {
    const root = resolve(context.options[0]?.root ?? context.cwd);
    const file = resolve(context.filename);
    const from = relative(root, file).split(sep)[0] ?? '';
    const rules = layerTable[from];
    if (!rules) return {};
    const isTest = /\.test\.tsx?$/.test(file);

    /** @param {import('estree').Node} node @param {unknown} value */
    function check(node, value) {
      if (typeof value !== 'string') return;
      if (value.startsWith('.')) {
        const target = relative(root, resolve(dirname(file), value));
        const to = target.split(sep)[0] ?? '';
        if (target.startsWith('..')) {
          context.report({ node, messageId: 'outside', data: { from, specifier: value } });
        } else if (!rules.layers.includes(to)) {
          context.report({ node, messageId: 'layer', data: { from, to, allowed: rules.layers.join(', ') } });
        } else if (closedToLedgerInternals.includes(from) && !isTest && ledgerInternalPattern.test(target)) {
          context.report({ node, messageId: 'ledgerInternal', data: { from, target } });
        }
        return;
      }
      // Unit tests sit beside the code and may use the test runner, assertions and test tools,
      // but not a layer their code may not use.
      if (isTest) return;
      if (value.startsWith('node:') || nodeBuiltins.has(value) || nodeBuiltins.has(value.split('/')[0] ?? '')) {
        if (!rules.node) context.report({ node, messageId: 'node', data: { from, name: value } });
        return;
      }
      const name = packageName(value);
      const forbidden = rules.forbiddenPackages ?? [];
      const allowed = rules.packages.includes('*')
        ? !matchesPackage(name, forbidden) && !matchesPackage(value, forbidden)
        : matchesPackage(name, rules.packages) || matchesPackage(value, rules.packages);
      if (!allowed) {
        const list = rules.packages.includes('*') ? `any package but ${forbidden.join(', ')}` : rules.packages.join(', ') || 'no packages';
        context.report({ node, messageId: 'package', data: { from, name, allowed: list } });
      }
    }

    return {
      ImportDeclaration: (node) => check(node, node.source.value),
      ExportNamedDeclaration: (node) => node.source && check(node, node.source.value),
      ExportAllDeclaration: (node) => check(node, node.source.value),
      ImportExpression: (node) => node.source.type === 'Literal' && check(node, node.source.value),
      MemberExpression: (node) => {
        if (!closedToLedgerInternals.includes(from) || isTest) return;
        if (node.property.type !== 'Identifier') return;
        if (node.property.name === 'collections') context.report({ node, messageId: 'ledgerCollections', data: { from } });
        else if (node.property.name === 'database') context.report({ node, messageId: 'ledgerDatabase', data: { from } });
      },
    };
  },
};

export default { rules: { layering: layeringRule } };
