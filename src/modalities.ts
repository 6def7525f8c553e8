/**
 * @module
 * The adapters the edge serves, by modality name. Built once from a list (the built-ins of
 * `adapters/registry.ts` in production, any list in tests); lookups that fail name the registered modalities.
 */
import type { EdgeAdapter } from '../adapters/types.ts';
import { UnknownNameError } from './lookup-error.ts';

export interface Modalities {
  /** Registered modality names, in registration order. */
  readonly names: readonly string[];
  has(name: string): boolean;
  /** The adapter for a modality; throws {@link UnknownNameError} listing the registered ones. */
  get(name: string): EdgeAdapter;
}

export function createModalities(adapters: readonly EdgeAdapter[]): Modalities {
  const byName = new Map(adapters.map((adapter) => [adapter.modality, adapter]));
  if (byName.size !== adapters.length) throw new Error('two adapters register the same modality');
  const names = Object.freeze([...byName.keys()]);
  return {
    names,
    has: (name) => byName.has(name),
    get(name) {
      const adapter = byName.get(name);
      if (adapter === undefined) throw new UnknownNameError('modality', name, names);
      return adapter;
    },
  };
}
