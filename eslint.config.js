// @ts-check
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  {
    ignores: [
      'node_modules',
      'models',
      'dist',
      '.wrangler',
      'worker-configuration.d.ts',
      'test/fixtures/.generated',
      'scratch',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.strict,
  {
    rules: {
      '@typescript-eslint/consistent-type-imports': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_' }],
      'no-console': 'off',
    },
  },
  {
    // The edge must stay portable: no Node built-ins and no backend code in the Worker bundle.
    files: ['src/**/*.ts', 'adapters/**/edge.ts', 'adapters/registry.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            { group: ['node:*'], message: 'The Worker uses Web APIs only.' },
            {
              group: ['**/preprocess', '**/preprocess.ts', 'sharp', 'onnxruntime-node'],
              message: 'Node-only code stays out of the Worker.',
            },
            {
              group: ['**/gpu-backend/**'],
              message: 'Only `import type` from gpu-backend/protocol.',
              allowTypeImports: true,
            },
          ],
        },
      ],
    },
  },
  {
    // Plugins never reach into the edge or the backend.
    files: ['adapters/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: ['**/src/**', '**/gpu-backend/**'],
              message: 'adapters/ imports nothing from src/ or gpu-backend/.',
            },
          ],
        },
      ],
    },
  },
);
