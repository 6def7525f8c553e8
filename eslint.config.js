// @ts-check
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

/** Tests, their cases and fixtures (and the scripts that make them) may import anything; the rest keeps the boundaries. */
const tests = ['**/*.test.ts', '**/*.case.ts', '**/*.case.test.ts', '**/fixtures/**'];

const noTestCode = {
  group: ['**/test/**', '**/scripts/**', '**/bench/**'],
  message: 'Production code does not import tests, scripts or benchmarks.',
};

/** The Worker bundle: Web APIs only, nothing of the backend but its wire types. */
const edgePatterns = [
  // Bar AsyncLocalStorage, which the `nodejs_als` compatibility flag provides (src/trace-scope.ts).
  { group: ['node:*', '!node:async_hooks'], message: 'The Worker uses Web APIs only.' },
  {
    group: ['**/preprocess', '**/preprocess.ts', '**/*.node.ts', 'sharp', 'onnxruntime-node'],
    message: 'Node-only code stays out of the Worker.',
  },
  {
    group: ['**/gpu-backend/**'],
    message: 'Only `import type` from gpu-backend/protocol.',
    allowTypeImports: true,
  },
];

const notIntoEdgeOrBackend = {
  group: ['**/src/**', '**/gpu-backend/**'],
  message: 'adapters/ imports nothing from src/ or gpu-backend/.',
};

/** Build-time tools under the model builder: a TF.js → ONNX converter, USE-lite on it, ConSE's graph edit. */
const builderTools = ['tfjs', 'use-lite', 'conse'];

/** gpu-backend's layers: each folder may import none of the folders listed for it (those above it). */
const backendLayers = {
  'model-repository': ['runtime', 'server', 'model-builder', 'hub-pull', 'onnx', ...builderTools],
  onnx: ['runtime', 'server', 'model-builder', 'hub-pull', ...builderTools],
  tfjs: ['runtime', 'server', 'model-builder', 'hub-pull', 'use-lite', 'conse'],
  'use-lite': ['runtime', 'server', 'model-builder', 'hub-pull', 'conse'],
  conse: ['runtime', 'server', 'model-builder', 'hub-pull', 'tfjs', 'use-lite'],
  'hub-pull': ['runtime', 'server', 'model-builder', ...builderTools],
  'model-builder': ['runtime', 'server'],
  runtime: ['server', 'model-builder', 'hub-pull', ...builderTools],
  server: ['model-builder', 'hub-pull', ...builderTools],
};

function restrict(files, patterns, ignores = []) {
  return { files, ignores, rules: { 'no-restricted-imports': ['error', { patterns }] } };
}

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
  // Later entries win for the files they match, so each group of files gets its whole list once.
  restrict(['src/**/*.ts'], edgePatterns),
  restrict(['src/**/*.ts'], [...edgePatterns, noTestCode], tests),
  restrict(['adapters/**/*.ts'], [notIntoEdgeOrBackend]),
  restrict(['adapters/**/*.ts'], [notIntoEdgeOrBackend, noTestCode], tests),
  restrict(
    ['adapters/**/edge.ts', 'adapters/registry.ts'],
    [...edgePatterns, notIntoEdgeOrBackend, noTestCode],
  ),
  restrict(
    ['gpu-backend/**/*.ts'],
    [{ group: ['**/src/**'], message: 'gpu-backend/ imports nothing of src/.' }, noTestCode],
    tests,
  ),
  ...Object.entries(backendLayers).map(([layer, above]) =>
    restrict(
      [`gpu-backend/${layer}/**/*.ts`],
      [
        {
          group: above.map((name) => `**/${name}/**`),
          message: `gpu-backend/${layer}/ imports no higher layer (${above.join(', ')}).`,
        },
        { group: ['**/src/**'], message: 'gpu-backend/ imports nothing of src/.' },
        noTestCode,
      ],
      tests,
    ),
  ),
);
