/**
 * @module
 * The CLI's commands, each a thin layer: parse options → the typed client → print. They get the client and the
 * output through a {@link Context}, so tests run them in-process against the real stack.
 */
import { writeFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import type { Command } from 'commander';
import { SingleBar } from 'cli-progress';
import { ok, type ModalFuseClient, type TaskSummary } from '#client';
import { registerBatch } from './batch.ts';
import { decisionFields, decisionOptions, type DecisionOptions } from './decision.ts';
import { evaluateFolder } from './evaluate.ts';
import { inputOf, modalityOf } from './media.ts';
import {
  exitCodes,
  formatClassification,
  evaluationSource,
  formatEvaluation,
  formatTeachSummary,
  table,
  UsageError,
  type Io,
} from './output.ts';
import { teachFolder } from './teach.ts';
import { reportPage } from '../src/report/page.ts';

export interface Context {
  readonly api: () => ModalFuseClient;
  readonly io: Io;
  readonly json: () => boolean;
  readonly signal?: AbortSignal;
  /** The command's exit code, when it is not 0. */
  exit(code: number): void;
}

function positiveInt(value: string): number {
  const parsed = Number(value);
  if (!Number.isInteger(parsed) || parsed < 1) throw new UsageError(`not a positive whole number: ${value}`);
  return parsed;
}

function parseWeights(value: string): Record<string, number> {
  const weights: Record<string, number> = {};
  for (const pair of value.split(',')) {
    const [name, weight] = pair.split('=');
    if (!name || weight === undefined || !Number.isFinite(Number(weight)) || Number(weight) < 0) {
      throw new UsageError(
        `weights are modality=number pairs, e.g. text=1,image=2 (got ${JSON.stringify(pair)})`,
      );
    }
    weights[name.trim()] = Number(weight);
  }
  return weights;
}

function print(context: Context, value: unknown, text: () => string): void {
  context.io.out(context.json() ? JSON.stringify(value, null, 2) : text());
}

/** Every task, page after page (the API gives at most 1000 at a time). */
async function allTasks(api: ModalFuseClient): Promise<TaskSummary[]> {
  const all: TaskSummary[] = [];
  let cursor: string | undefined;
  do {
    const query = cursor === undefined ? { limit: '1000' } : { limit: '1000', cursor };
    const page = await ok(api.tasks.v1.tasks.$get({ query }));
    all.push(...page.data);
    if (page.cursor !== undefined && page.cursor === cursor) {
      throw new Error(`the API gave the same cursor twice (${cursor}); stopping rather than looping`);
    }
    cursor = page.cursor;
  } while (cursor !== undefined);
  return all;
}

function registerTasks(program: Command, context: Context): void {
  const tasks = program.command('tasks').description('create, list, show and delete tasks');
  tasks
    .command('create <id>')
    .description('create a task with a label set')
    .requiredOption('-l, --labels <labels>', 'comma-separated labels, at least two')
    .option('-s, --strategy <name>', 'default fusion strategy')
    .action(async (id: string, options: { labels: string; strategy?: string }) => {
      const labels = options.labels
        .split(',')
        .map((label) => label.trim())
        .filter(Boolean);
      const fusion = options.strategy ? { strategy: options.strategy } : undefined;
      const task = await ok(context.api().tasks.v1.tasks.$post({ json: { id, labels, fusion } }));
      print(context, task, () => `created ${task.id}: ${task.labels.join(', ')}`);
    });
  tasks
    .command('list')
    .description('list tasks')
    .action(async () => {
      const all = await allTasks(context.api());
      const rows = all.map((t) => [t.id, String(t.labels), t.modalities.join(','), t.updatedAt]);
      print(context, all, () =>
        rows.length ? table([['id', 'labels', 'modalities', 'updated'], ...rows]) : 'no tasks',
      );
    });
  tasks
    .command('show <id>')
    .description('show a task: labels, modalities with their example counts, fusion')
    .action(async (id: string) => {
      const task = await ok(context.api().tasks.v1.tasks[':id'].$get({ param: { id } }));
      const rows = Object.entries(task.modalities).map(([name, m]) => [
        name,
        m.model,
        m.head,
        String(m.examples),
      ]);
      print(context, task, () =>
        [
          `${task.id} (version ${task.version}): ${task.labels.join(', ')}`,
          `fusion: ${task.fusion.strategy} ${JSON.stringify(task.fusion.weights)}`,
          table([['modality', 'model', 'head', 'examples'], ...rows]),
        ].join('\n'),
      );
    });
  tasks
    .command('delete <id>')
    .description('delete a task')
    .action(async (id: string) => {
      await ok(context.api().tasks.v1.tasks[':id'].$delete({ param: { id } }));
      print(context, { deleted: id }, () => `deleted ${id}`);
    });
}

interface ClassifyOptions extends DecisionOptions {
  readonly task: string;
  readonly text?: string;
  readonly image?: string;
  readonly audio?: string;
  readonly strategy?: string;
  readonly weights?: Record<string, number>;
}

function registerClassify(program: Command, context: Context): void {
  const command = program
    .command('classify')
    .description('classify one item of text, image and/or audio')
    .requiredOption('-t, --task <id>', 'the task')
    .option('--text <text>', 'the text')
    .option('--image <file>', 'a PNG or JPEG')
    .option('--audio <file>', 'a WAV file')
    .option('-s, --strategy <name>', 'fusion strategy for this request')
    .option('-w, --weights <pairs>', 'modality weights, e.g. text=1,image=2', parseWeights);
  decisionOptions(command).action(async (options: ClassifyOptions) => {
    const inputs: Record<string, string> = {};
    if (options.text !== undefined) inputs.text = options.text;
    for (const modality of ['image', 'audio'] as const) {
      const file = options[modality];
      if (file !== undefined) inputs[modality] = await inputOf(file);
    }
    if (Object.keys(inputs).length === 0)
      throw new UsageError('give at least one of --text, --image, --audio');
    const { task, strategy, weights } = options;
    const fusion = strategy || weights ? { strategy, weights } : undefined;
    const answer = await ok(context.api().classify({ task, inputs, fusion, ...decisionFields(options) }));
    // One item was sent, so the answer is one classification, not a batch's array.
    const result = answer as Exclude<typeof answer, readonly unknown[]>;
    print(context, result, () => formatClassification(result));
  });
}

function progressBar(context: Context): ((done: number, total: number) => void) | undefined {
  if (!context.io.interactive || context.json()) return undefined;
  const bar = new SingleBar({ format: 'examples [{bar}] {value}/{total} items', stream: process.stderr });
  let started = false;
  return (done, total) => {
    if (!started) bar.start(total, 0);
    started = true;
    bar.update(done);
    if (done >= total) bar.stop();
  };
}

function registerExamples(program: Command, context: Context): void {
  program
    .command('examples')
    .description('teach a task from labelled files')
    .command('add <dir>')
    .description('add DIR/<label>/<files> as examples; files sharing a stem are one multimodal item')
    .requiredOption('-t, --task <id>', 'the task')
    .option('-b, --batch <n>', 'items per request', positiveInt, 8)
    .option('-c, --concurrency <n>', 'requests in flight', positiveInt, 4)
    .option('--state <file>', 'resume state (default: DIR/.modalfuse-<task>.json)')
    .action(
      async (dir: string, options: { task: string; batch: number; concurrency: number; state?: string }) => {
        const statePath = options.state ?? resolve(dir, `.modalfuse-${options.task}.json`);
        const summary = await teachFolder(context.api(), {
          ...options,
          dir,
          statePath,
          signal: context.signal,
          onItem: progressBar(context),
        });
        print(context, summary, () => formatTeachSummary(summary));
        if (summary.interrupted) context.exit(exitCodes.interrupted);
        else if (summary.failed.length > 0) context.exit(exitCodes.failure);
      },
    );
}

function registerEvaluate(program: Command, context: Context): void {
  program
    .command('evaluate <dir>')
    .description('accuracy per fusion strategy and per modality on DIR/<label>/<files>')
    .requiredOption('-t, --task <id>', 'the task')
    .option('-c, --concurrency <n>', 'requests in flight', positiveInt, 4)
    .option('--report <file>', 'also write the evaluation as one self-contained HTML page (pictures)')
    .action(async (dir: string, options: { task: string; concurrency: number; report?: string }) => {
      const evaluation = await evaluateFolder(context.api(), options.task, dir, options.concurrency);
      if (options.report !== undefined) {
        const page = reportPage({ ...evaluation, task: options.task, source: evaluationSource(evaluation) });
        await writeFile(options.report, page);
      }
      print(context, evaluation, () => formatEvaluation(evaluation));
      if (evaluation.failed.length > 0) context.exit(exitCodes.failure);
    });
}

function registerEmbed(program: Command, context: Context): void {
  program
    .command('embed <files...>')
    .description("embed files with their modality's model (by extension, or --modality)")
    .option('-m, --modality <name>', 'the modality of every file')
    .action(async (files: string[], options: { modality?: string }) => {
      const api = context.api();
      const models = (await ok(api.models.v1.models.$get())).data;
      const results: { file: string; model: string; embedding: readonly number[] }[] = [];
      for (const file of files) {
        const modality = options.modality ?? modalityOf(file);
        if (modality === undefined) throw new UsageError(`${file}: unknown file type; say --modality`);
        const ofModality = models.filter((candidate) => candidate.modality === modality);
        const model = ofModality.find((candidate) => candidate.default) ?? ofModality[0];
        if (model === undefined)
          throw new UsageError(`no model for ${modality} (models: ${models.map((m) => m.id).join(', ')})`);
        const input = await inputOf(file);
        const json = { model: model.id, input, encoding_format: 'float' as const };
        const answer = await ok(api.embeddings.v1.embeddings.$post({ json }));
        const embedding = answer.data[0]?.embedding;
        results.push({ file, model: model.id, embedding: Array.isArray(embedding) ? embedding : [] });
      }
      print(context, results, () =>
        table(
          results.map((r) => [
            r.file,
            r.model,
            `${r.embedding.length}-d`,
            r.embedding
              .slice(0, 4)
              .map((v) => v.toFixed(4))
              .join(' ') + ' …',
          ]),
        ),
      );
    });
}

function registerTenants(program: Command, context: Context): void {
  program
    .command('tenants')
    .description('list the tenants, their keys and task counts (admin keys only)')
    .action(async () => {
      const { data } = await ok(context.api().tenants.v1.tenants.$get());
      const rows = data.map((t) => [
        t.id,
        t.keys.map((k) => `${k.name} (${k.scope})`).join(', '),
        String(t.tasks),
      ]);
      print(context, data, () => table([['tenant', 'keys', 'tasks'], ...rows]));
    });
}

export function registerCommands(program: Command, context: Context): void {
  registerTasks(program, context);
  registerTenants(program, context);
  registerClassify(program, context);
  registerExamples(program, context);
  registerEvaluate(program, context);
  registerEmbed(program, context);
  registerBatch(program, context, positiveInt);
}
