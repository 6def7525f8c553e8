/**
 * @module
 * The adapters the edge serves, by modality name. Built once from a list (the built-ins of
 * `adapters/registry.ts` in production, any list in tests); lookups that fail name the registered modalities.
 * An adapter's derived parts are modalities too, named `<input>.<part>` (`image.text`): each reads its input's
 * value, normalised by the input's adapter, and has its own default model; a task has one only when it names it.
 * Per request it also carries how inputs given as URLs are fetched ({@link withUrlPolicy}), since that depends on
 * the Worker's configuration (`DOH_URL`) and every path that reads inputs goes through the adapters.
 */
import type { EdgeAdapter } from '../adapters/types.ts';
import type { UrlPolicy } from './inputs/raw-input.ts';
import { UnknownNameError } from './lookup-error.ts';

export interface Modalities {
  /** Registered inputs (an adapter each: the keys of `inputs: {...}`), in registration order. */
  readonly names: readonly string[];
  /** Derived modalities (`image.text`), in registration order of their inputs. */
  readonly parts: readonly string[];
  /** Whether `name` is an input or a derived part. */
  has(name: string): boolean;
  /**
   * The adapter for a modality; for a part, its input's adapter under the part's name and default model. Throws
   * {@link UnknownNameError} listing the registered inputs and parts.
   */
  get(name: string): EdgeAdapter;
  /** The input a modality reads its value from: itself, or a part's input (`image` for `image.text`). */
  inputOf(name: string): string;
  /** The modality whose head a part may borrow (its declared `borrows`: `text` for `image.text`), if any. */
  lenderOf(name: string): string | undefined;
  /** How URL inputs are fetched; default: Cloudflare's DNS-over-HTTPS resolver vets their hosts. */
  readonly urlPolicy?: UrlPolicy;
}

/** The same adapters, fetching URL inputs under the given policy. */
export function withUrlPolicy(modalities: Modalities, urlPolicy: UrlPolicy): Modalities {
  return { ...modalities, urlPolicy };
}

interface Entry {
  readonly adapter: EdgeAdapter;
  readonly input: string;
  readonly lender?: string | undefined;
}

/** Each adapter's parts as adapters of their own, named `<input>.<part>`, with the input each reads. */
function partsOf(adapters: readonly EdgeAdapter[]): [string, Entry][] {
  return adapters.flatMap((adapter) =>
    Object.entries(adapter.parts ?? {}).map(([part, { defaultModel, borrows }]): [string, Entry] => {
      const modality = `${adapter.modality}.${part}`;
      const derived = Object.freeze({ ...adapter, modality, defaultModel });
      return [modality, { adapter: derived, input: adapter.modality, lender: borrows }];
    }),
  );
}

export function createModalities(adapters: readonly EdgeAdapter[]): Modalities {
  const inputs = adapters.map((adapter): [string, Entry] => [
    adapter.modality,
    { adapter, input: adapter.modality },
  ]);
  const parts = partsOf(adapters);
  const byName = new Map([...inputs, ...parts]);
  if (byName.size !== inputs.length + parts.length)
    throw new Error('two adapters register the same modality');
  for (const [name, { lender }] of parts)
    if (lender !== undefined && !inputs.some(([input]) => input === lender))
      throw new Error(`the part ${name} borrows ${lender}, which is not a registered input`);
  const names = Object.freeze(inputs.map(([name]) => name));
  const partNames = Object.freeze(parts.map(([name]) => name));
  const entry = (name: string) => {
    const found = byName.get(name);
    if (found === undefined) throw new UnknownNameError('modality', name, [...names, ...partNames]);
    return found;
  };
  return {
    names,
    parts: partNames,
    has: (name) => byName.has(name),
    get: (name) => entry(name).adapter,
    inputOf: (name) => entry(name).input,
    lenderOf: (name) => entry(name).lender,
  };
}
