// The one module the app reads its catalogues through. It only re-exports them, so that a test
// build can put pseudo-locale catalogues in its place (test/e2e/pseudo-locale.test.ts wraps
// every message in markers and checks that no text on screen escaped a catalogue) without any
// switch for tests in the shipped code.
export { catalogues } from './catalogues.js';
