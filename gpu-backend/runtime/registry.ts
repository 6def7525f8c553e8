/**
 * @module
 * The models the server knows, in Triton's states: every folder of the repository is listed, READY when it
 * loaded and warmed up, UNAVAILABLE with the reason otherwise. Lookups that fail say what exists.
 */
import type { RepositoryIndexEntry } from '../protocol/types.ts';
import { notFound, unavailable } from './errors.ts';
import type { ExecutionProvider, ExecutionSettings } from './execution-provider.ts';
import { loadModel } from './load.ts';
import type { Model } from './model.ts';
import { scanRepository, type ModelSource } from '../model-repository/scan.ts';
import type { TensorMap } from './tensor.ts';

type State = NonNullable<RepositoryIndexEntry['state']>;

interface Entry {
  readonly name: string;
  version?: string;
  state: State;
  reason?: string;
  model?: Model;
}

export interface RegistryOptions {
  readonly root: string;
  readonly provider: ExecutionProvider;
  readonly settings: ExecutionSettings;
  /** One line per model loaded. */
  readonly info: (line: string) => void;
  /** Warnings (a model falling back to CPU). */
  readonly warn: (line: string) => void;
  /** Models that failed to load. */
  readonly error: (line: string) => void;
}

export class ModelRegistry {
  private readonly entries = new Map<string, Entry>();
  private loaded = false;

  constructor(private readonly options: RegistryOptions) {}

  /** Scans the repository and loads every model; a model that fails is kept as UNAVAILABLE. */
  async loadAll(): Promise<void> {
    const results = await scanRepository(this.options.root);
    for (const result of results) {
      const name = result.ok ? result.source.name : result.name;
      this.entries.set(name, { name, state: 'LOADING' });
    }
    for (const result of results) {
      if (!result.ok) this.fail(result.name, result.reason);
      else await this.loadOne(result.source);
    }
    this.loaded = true;
  }

  private async loadOne(source: ModelSource): Promise<void> {
    const { provider, settings, warn, info } = this.options;
    const runModel = (name: string, feeds: TensorMap) => this.get(name).run(feeds);
    try {
      const model = await loadModel(source, { provider, settings, runModel, warn });
      this.entries.set(source.name, { name: source.name, version: source.version, state: 'READY', model });
      const adapter = model.parameters.adapter ? `, adapter ${model.parameters.adapter}` : '';
      info(`model ${source.name} version ${source.version} ready (${model.parts.provider}${adapter})`);
    } catch (error) {
      this.fail(source.name, error instanceof Error ? error.message : String(error), source.version);
    }
  }

  private fail(name: string, reason: string, version?: string): void {
    this.entries.set(name, { name, state: 'UNAVAILABLE', reason, ...(version ? { version } : {}) });
    this.options.error(`model ${name} UNAVAILABLE: ${reason}`);
  }

  /** True once loading finished and every model is READY. */
  allReady(): boolean {
    return this.loaded && [...this.entries.values()].every((entry) => entry.state === 'READY');
  }

  /** Names of models that are not READY, with their reasons. */
  notReady(): string[] {
    return [...this.entries.values()]
      .filter((entry) => entry.state !== 'READY')
      .map((entry) => `${entry.name} (${entry.reason ?? entry.state})`);
  }

  /** Triton's repository index: one row per model folder, sorted by name. */
  index(): RepositoryIndexEntry[] {
    return [...this.entries.values()]
      .sort((a, b) => a.name.localeCompare(b.name))
      .map(({ name, version, state, reason }) => ({
        name,
        ...(version ? { version } : {}),
        state,
        ...(reason ? { reason } : {}),
      }));
  }

  /** A READY model (of `version`, when given): 404 when unknown, 503 when it cannot serve. */
  get(name: string, version?: string): Model {
    const entry = this.entries.get(name);
    if (!entry) {
      const known = [...this.entries.keys()].sort().join(', ') || 'none';
      throw notFound(`unknown model "${name}" (models: ${known})`);
    }
    if (version !== undefined && entry.version !== undefined && version !== entry.version) {
      throw notFound(`model "${name}" has no version "${version}" (versions: ${entry.version})`);
    }
    if (!entry.model)
      throw unavailable(`model "${name}" is ${entry.state}: ${entry.reason ?? 'not loaded yet'}`);
    return entry.model;
  }

  /** The loaded models, sorted by name. */
  models(): Model[] {
    return [...this.entries.values()]
      .sort((a, b) => a.name.localeCompare(b.name))
      .flatMap((entry) => (entry.model ? [entry.model] : []));
  }

  /** Releases every session; the registry serves nothing afterwards. */
  async release(): Promise<void> {
    const models = [...this.entries.values()].flatMap((entry) => (entry.model ? [entry.model] : []));
    for (const entry of this.entries.values()) {
      entry.state = 'UNAVAILABLE';
      entry.reason = 'the server is shutting down';
      delete entry.model;
    }
    await Promise.all(models.map((model) => model.release()));
  }
}
