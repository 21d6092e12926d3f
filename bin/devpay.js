#!/usr/bin/env node
// The `devpay` command: loads the TypeScript CLI through tsx, so the sources run as they are.
import { register } from 'tsx/esm/api';

register();
const { main } = await import('../runtime/cli/main.ts');
process.exitCode = await main(process.argv.slice(2));
