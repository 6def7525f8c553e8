/**
 * @module
 * Loading an adapter's backend face (`adapters/<name>/preprocess.ts`, or its build, default export) by the `adapter` parameter
 * of a model's config. The name is checked before it becomes a path, and a miss lists the adapters that do ship a
 * preprocessor.
 */
import { existsSync, readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { Preprocessor } from '../../adapters/types.ts';
import { adaptersDir, preprocessFile } from './layout.ts';

const ADAPTER_NAME = /^[a-z0-9-]+$/;

function available(): string {
  const dir = fileURLToPath(adaptersDir);
  const names = readdirSync(dir, { withFileTypes: true })
    .filter(
      (entry) =>
        entry.isDirectory() &&
        existsSync(fileURLToPath(new URL(`${entry.name}/${preprocessFile}`, adaptersDir))),
    )
    .map((entry) => entry.name)
    .sort();
  return names.length > 0 ? names.join(', ') : 'none';
}

function isPreprocessor(value: unknown): value is Preprocessor {
  return (
    typeof value === 'object' &&
    value !== null &&
    typeof (value as { preprocess?: unknown }).preprocess === 'function'
  );
}

export async function loadPreprocessor(adapter: string): Promise<Preprocessor> {
  if (!ADAPTER_NAME.test(adapter)) {
    throw new Error(`adapter name "${adapter}" is invalid (expected ${ADAPTER_NAME.source})`);
  }
  const url = new URL(`${adapter}/${preprocessFile}`, adaptersDir);
  if (!existsSync(fileURLToPath(url))) {
    throw new Error(`adapter "${adapter}" has no ${preprocessFile} (adapters with one: ${available()})`);
  }
  const module = (await import(url.href)) as { default?: unknown };
  if (!isPreprocessor(module.default)) {
    throw new Error(
      `adapters/${adapter}/${preprocessFile} must default-export a preprocessor with preprocess()`,
    );
  }
  return module.default;
}
