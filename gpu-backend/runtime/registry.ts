/**
 * @module
 * The models the server knows, in Triton's states: every folder of the repository is listed, LOADING until it is
 * loaded and warmed up, then READY, or UNAVAILABLE with the reason. Every model is loaded before any is warmed up,
 * since a warm-up sample goes through the model's adapter, which may run another model (speech → its VAD) while
 * that one is still LOADING: such internal runs reach loaded models, clients only READY ones. Lookups that fail
 * say what exists.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { RepositoryIndexEntry } from '../protocol/types.ts';
import { notFound, unavailable } from './errors.ts';
import type { ExecutionProvider, ExecutionSettings } from './execution-provider.ts';
import { loadModel, type LoadOptions } from './load.ts';
import type { Model } from './model.ts';
import { scanRepository, type ModelSource } from '../model-repository/scan.ts';
import type { TensorMap } from './tensor.ts';
import type { WarmupMode } from './warmup.ts';

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
  /** Default `full` (see `warmup.ts`). */
  readonly warmup?: WarmupMode;
  /** Default {@link loadModel}; tests pass models whose warm-up they control. */
  readonly load?: (source: ModelSource, options: LoadOptions) => Promise<Model>;
}

export class ModelRegistry {
  private readonly entries = new Map<string, Entry>();
  private loaded = false;

  constructor(private readonly options: RegistryOptions) {}

  /** Scans the repository, loads every model, then warms each up; a model that fails is kept as UNAVAILABLE. */
  async loadAll(): Promise<void> {
    const results = await scanRepository(this.options.root);
    for (const result of results) {
      const name = result.ok ? result.source.name : result.name;
      this.entries.set(name, { name, state: 'LOADING' });
    }
    const loaded: ModelSource[] = [];
    for (const result of results) {
      if (!result.ok) this.fail(result.name, result.reason);
      else if (await this.loadOne(result.source)) loaded.push(result.source);
    }
    for (const source of loaded) await this.warmOne(source);
    this.loaded = true;
  }

  private async loadOne(source: ModelSource): Promise<boolean> {
    const { provider, settings, warn } = this.options;
    const runModel = (name: string, feeds: TensorMap) => this.loadedModel(name).run(feeds);
    try {
      const load = this.options.load ?? loadModel;
      const model = await load(source, { provider, settings, runModel, warn });
      const reason = 'warming up';
      this.entries.set(source.name, {
        name: source.name,
        version: source.version,
        state: 'LOADING',
        reason,
        model,
      });
      return true;
    } catch (error) {
      this.fail(source.name, error instanceof Error ? error.message : String(error), source.version);
      return false;
    }
  }

  private async warmOne(source: ModelSource): Promise<void> {
    const entry = this.entries.get(source.name);
    const model = entry?.model;
    if (!entry || !model) return;
    const started = performance.now();
    try {
      await model.warmUp((file) => readFileSync(join(source.dir, 'warmup', file)), this.options.warmup);
    } catch (error) {
      delete entry.model;
      await model.release();
      return this.fail(source.name, error instanceof Error ? error.message : String(error), source.version);
    }
    entry.state = 'READY';
    delete entry.reason;
    const adapter = model.parameters.adapter ? `, adapter ${model.parameters.adapter}` : '';
    const ms = Math.round(performance.now() - started);
    this.options.info(`model ${source.name} warmed up (${this.options.warmup ?? 'full'}) in ${ms} ms`);
    this.options.info(
      `model ${source.name} version ${source.version} ready (${model.parts.provider}${adapter})`,
    );
  }

  /** A loaded model, READY or still warming up: what a preprocessor's `context.run` reaches. */
  private loadedModel(name: string): Model {
    const model = this.entries.get(name)?.model;
    return model ?? this.get(name);
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
    if (!entry.model || entry.state !== 'READY')
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
