// The lint that enforces ARCHITECTURE.md's import table must fail on a forbidden import. Each
// case lints a snippet as if it were a file in that layer, through the project's real config.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ESLint } from 'eslint';

const eslint = new ESLint({ cwd: process.cwd() });

async function ruleIds(filePath: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath });
  return (result?.messages ?? []).map((message) => `${message.ruleId}: ${message.message}`);
}

const forbidden: Array<[string, string, RegExp]> = [
  ['core/bad.ts', "import { serve } from '../runtime/serve.js';\nexport const x = serve;\n", /'core\/' may not import from 'runtime\/'/],
  ['core/api/bad.ts', "import { readFileSync } from 'node:fs';\nexport const x = readFileSync;\n", /free of Node built-ins/],
  ['core/bad.ts', "import mqtt from 'mqtt';\nexport const x = mqtt;\n", /may not import the package 'mqtt'/],
  ['device/bad.ts', "import { NFC } from 'nfc-pcsc';\nexport const x = NFC;\n", /may not import the package 'nfc-pcsc'/],
  ['renderer/bad.ts', "import { TerminalRuntime } from '../runtime/terminal-runtime.js';\nexport const x = TerminalRuntime;\n", /'renderer\/' may not import from 'runtime\/'/],
  ['renderer/components/bad.tsx', "import { Socket } from 'node:net';\nexport const x = Socket;\n", /free of Node built-ins/],
  ['runtime/bad.ts', "import mqtt from 'mqtt';\nexport const x = mqtt;\n", /may not import the package 'mqtt'/],
  ['runtime/bad.ts', "import { app } from 'electron';\nexport const x = app;\n", /may not import the package 'electron'/],
  ['sync/bad.ts', "import { MqttLink } from '../runtime/terminal-runtime.js';\nexport const x = MqttLink;\n", /'sync\/' may not import from 'runtime\/'/],
  ['ledger/bad.ts', "import { x } from '../sync/mqtt-link.js';\nexport const y = x;\n", /'ledger\/' may not import from 'sync\/'/],
  ['drivers/bad.ts', "export const load = () => import('../runtime/serve.js');\n", /'drivers\/' may not import from 'runtime\/'/],
  ['central/bad.ts', "import { upsertDocuments } from '../ledger/storage-writes.js';\nexport const x = upsertDocuments;\n", /'central\/' may not import ledger internals/],
  ['central/bad.ts', "import type { SettingDocument } from '../ledger/schemas.js';\nexport type X = SettingDocument;\n", /'central\/' may not import ledger internals/],
  ['central/bad.ts', "export { SqliteStore } from '../ledger/durable/sqlite-store.js';\n", /'central\/' may not import ledger internals/],
  ['sync/bad.ts', "import { writeInserts } from '../ledger/storage-writes.js';\nexport const x = writeInserts;\n", /'sync\/' may not import ledger internals/],
  ['runtime/bad.ts', "import { openLedgerDatabase } from '../ledger/ledger-database.js';\nexport const x = openLedgerDatabase;\n", /'runtime\/' may not import ledger internals/],
  ['runtime/api/bad.ts', "import type { Ledger } from '../../ledger/ledger.js';\nexport const count = (ledger: Ledger) => ledger.database.collections.outbox.count().exec();\n", /'runtime\/' may not reach the ledger's collections/],
  ['central/bad.ts', "import type { Ledger } from '../ledger/ledger.js';\nexport const read = (ledger: Ledger) => ledger.database.collections.settings.find().exec();\n", /'central\/' may not reach the ledger's collections/],
  ['sync/bad.ts', "import type { Ledger } from '../ledger/ledger.js';\nexport const cold = (ledger: Ledger) => ledger.database.store.cold;\n", /'sync\/' may not reach the ledger's raw database/],
  ['runtime/bad.ts', "import { coldTransactionsTable } from '../ledger/durable/cold-tables.js';\nexport const x = coldTransactionsTable;\n", /'runtime\/' may not import ledger internals/],
  ['central/bad.ts', "export * from '../drivers/sim/virtual-card.js';\n", /'central\/' may not import from 'drivers\/'/],
  ['main/bad.ts', "import { NFC } from 'nfc-pcsc';\nexport const x = NFC;\n", /may not import the package 'nfc-pcsc'/],
  ['sync/bad.ts', 'export const nowMs = () => Date.now();\n', /no-restricted-properties: 'Date.now' is restricted.*Take the time from the Clock/],
  ['core/bad.ts', 'export const draw = () => Math.random();\n', /no-restricted-properties: 'Math.random' is restricted.*Take randomness/],
  ['device/bad.ts', 'export const now = () => new Date();\n', /no-restricted-syntax: Take the time from the Clock/],
];

for (const [filePath, code, expected] of forbidden) {
  test(`lint refuses ${expected.source} in ${filePath}`, async () => {
    const messages = await ruleIds(filePath, code);
    assert.ok(messages.some((message) => expected.test(message)), `expected ${expected} among:\n${messages.join('\n')}`);
  });
}

const allowed: Array<[string, string]> = [
  ['core/ok.ts', "import { z } from 'zod';\nexport const schema = z.string();\n"],
  ['runtime/ok.ts', "import { readFileSync } from 'node:fs';\nimport { MqttLink } from '../sync/mqtt-link.js';\nexport const x = [readFileSync, MqttLink];\n"],
  ['drivers/ok.ts', "import { SerialPort } from 'serialport';\nimport { DeviceError } from '../device/capabilities.js';\nexport const x = [SerialPort, DeviceError];\n"],
  ['renderer/ok.tsx', "import { formatMinor } from '../core/currency.js';\nexport const x = formatMinor;\n"],
  ['main/ok.ts', "import { contentSecurityPolicy } from '../core/api/content-security-policy.js';\nexport const x = contentSecurityPolicy;\n"],
  ['sync/ok.ts', "import { OutboxStore } from '../ledger/stores/outbox-store.js';\nimport { LedgerStorageFailedError } from '../ledger/ledger-errors.js';\nexport const x = [OutboxStore, LedgerStorageFailedError];\n"],
  ['central/ok.ts', "import { CardRegistryStore } from '../ledger/stores/card-registry-store.js';\nimport { loadSecretKey } from '../ledger/durable/data-key.js';\nexport const x = [CardRegistryStore, loadSecretKey];\n"],
];

for (const [filePath, code] of allowed) {
  test(`lint accepts an allowed import in ${filePath}`, async () => {
    assert.deepEqual(await ruleIds(filePath, code), []);
  });
}
