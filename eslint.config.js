// Lint rules. Beyond the recommended sets, this enforces the determinism rule of
// ARCHITECTURE.md: only src/kernel/ may read ambient time or randomness.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

const ambient = {
  'no-restricted-properties': [
    'error',
    { object: 'Date', property: 'now', message: 'Time comes from the kernel Clock (ARCHITECTURE.md).' },
    { object: 'Math', property: 'random', message: 'Randomness comes from the kernel Random.' },
    { object: 'crypto', property: 'randomUUID', message: 'Ids come from the kernel Random.' },
    { object: 'performance', property: 'now', message: 'Time comes from the kernel Clock.' },
  ],
  'no-restricted-globals': [
    'error',
    { name: 'setTimeout', message: 'Deadlines are timers on the kernel Clock.' },
    { name: 'setInterval', message: 'Deadlines are timers on the kernel Clock.' },
  ],
};

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', 'models/**', '.drydock/**', 'coverage/**'] },
  js.configs.recommended,
  {
    files: ['**/*.cjs'],
    languageOptions: { sourceType: 'commonjs', globals: { module: 'writable', require: 'readonly' } },
  },
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': 'error',
    },
  },
  {
    files: ['src/**/*.ts'],
    ignores: ['src/kernel/**', 'src/dataplane/**', 'src/cli/**', 'src/main.ts'],
    rules: ambient,
  },
  {
    files: ['src/**/*.test.ts', 'test/**/*.ts', 'bench/**/*.ts'],
    rules: { 'no-restricted-properties': 'off', 'no-restricted-globals': 'off' },
  },
);
