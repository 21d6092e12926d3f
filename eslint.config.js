// Lint: typescript-eslint's recommended rules, the layer table of ARCHITECTURE.md (a local rule),
// and determinism in the layers that must replay under a seed: no Date.now(), new Date() or
// Math.random() in core, device, ledger or sync; Clock and Random are passed in.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import layering from './eslint-rules/layering.js';

const deterministicLayers = ['core/**/*.ts', 'device/**/*.ts', 'ledger/**/*.ts', 'sync/**/*.ts'];

export default tseslint.config(
  { ignores: ['node_modules/', 'dist/', 'test-output/', 'scratch/', '**/*.d.ts'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    files: ['**/*.ts', '**/*.tsx', '**/*.js'],
    plugins: { devpay: layering },
    rules: {
      'devpay/layering': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': 'error',
      'no-console': 'error',
    },
  },
  {
    files: deterministicLayers,
    ignores: ['**/*.test.ts'],
    rules: {
      'no-restricted-properties': [
        'error',
        { object: 'Date', property: 'now', message: 'Take the time from the Clock passed in.' },
        { object: 'Math', property: 'random', message: 'Take randomness from the Random passed in.' },
      ],
      'no-restricted-syntax': [
        'error',
        { selector: "NewExpression[callee.name='Date'][arguments.length=0]", message: 'Take the time from the Clock passed in.' },
        { selector: "MemberExpression[object.name='performance'][property.name='now']", message: 'Take the time from the Clock passed in.' },
      ],
    },
  },
  {
    files: ['scripts/**/*.js', 'bin/**/*.js', 'eslint-rules/**/*.js'],
    languageOptions: { globals: { process: 'readonly' } },
  },
);
