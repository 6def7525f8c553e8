/**
 * @module
 * The adapters the edge serves, by modality name. Built once from a list (the built-ins of
 * `adapters/registry.ts` in production, any list in tests); lookups that fail name the registered modalities.
 * Per request it also carries how inputs given as URLs are fetched ({@link withUrlPolicy}), since that depends on
 * the Worker's configuration (`DOH_URL`) and every path that reads inputs goes through the adapters.
 */
import type { EdgeAdapter } from '../adapters/types.ts';
import type { UrlPolicy } from './inputs/raw-input.ts';
import { UnknownNameError } from './lookup-error.ts';

export interface Modalities {
  /** Registered modality names, in registration order. */
  readonly names: readonly string[];
  has(name: string): boolean;
  /** The adapter for a modality; throws {@link UnknownNameError} listing the registered ones. */
  get(name: string): EdgeAdapter;
  /** How URL inputs are fetched; default: Cloudflare's DNS-over-HTTPS resolver vets their hosts. */
  readonly urlPolicy?: UrlPolicy;
}

/** The same adapters, fetching URL inputs under the given policy. */
export function withUrlPolicy(modalities: Modalities, urlPolicy: UrlPolicy): Modalities {
  return { ...modalities, urlPolicy };
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
