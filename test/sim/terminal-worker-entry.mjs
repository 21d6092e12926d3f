// Worker threads do not inherit tsx's loader reliably on Node 20: register it here, then load
// the TypeScript worker, as bin/devpay.js does for the CLI.
import { register } from 'tsx/esm/api';

register();
await import('./terminal-worker.ts');
