/**
 * @module
 * A task as a JSONL file, to move it to another tenant or deployment without sending its media again. Line 1 is
 * the header: the format and its version, the task's id, labels, per modality its model, head and temperature,
 * and its fusion settings. Every other line is one example: its id, label, `created` (ISO time or null) and per
 * modality `{model, vector}`, the vector base64 float32 little-endian (as rows store it: an export re-encodes
 * nothing, and it weighs 5⅓ characters a dimension where JSON numbers weigh ~10). Pure: parsing and shaping only.
 */
import { z } from '@hono/zod-openapi';
import { ApiError } from '../problem.ts';
import { decodeBase64 } from '../base64.ts';
import type { ExampleRow } from './example-rows.ts';
import {
  FusionConfigSchema,
  LabelSchema,
  LabelsSchema,
  TaskIdSchema,
  type CreateTask,
  type Task,
} from './schema.ts';

export const transferFormat = 'modalfuse.task';
export const transferVersion = 1;

/** Lines of one import: its header and at most the examples a task holds (`examples.ts`). */
export const maxImportLines = 100_001;

/** The longest line: 8 modalities of 4,096 dimensions each weigh ~175 KB. */
export const maxLineBytes = 1024 * 1024;

const HeaderSchema = z.object({
  format: z.literal(transferFormat),
  version: z.literal(transferVersion),
  id: TaskIdSchema,
  labels: LabelsSchema,
  modalities: z
    .record(
      z.string(),
      z.object({
        model: z.string().min(1).max(200),
        head: z.string(),
        temperature: z.number().positive().max(100),
      }),
    )
    .refine((modalities) => Object.keys(modalities).length > 0, 'at least one modality'),
  fusion: FusionConfigSchema,
});

const ExampleLineSchema = z.object({
  id: z.number().int().min(1).optional(),
  label: LabelSchema,
  created: z.string().nullable().optional(),
  embeddings: z
    .record(z.string(), z.object({ model: z.string(), vector: z.string() }))
    .refine((embeddings) => Object.keys(embeddings).length > 0, 'at least one modality'),
});

export type TransferHeader = z.infer<typeof HeaderSchema>;
export type ExampleLine = z.infer<typeof ExampleLineSchema>;

/** The header of `task`. */
export function headerOf(task: Task): TransferHeader {
  const modalities = Object.fromEntries(
    Object.entries(task.modalities).map(([name, { model, head, temperature }]) => [
      name,
      { model, head, temperature },
    ]),
  );
  const { strategy, weights, cascade } = task.fusion;
  const fusion = { strategy, weights, ...(cascade ? { cascade } : {}) };
  return {
    format: transferFormat,
    version: transferVersion,
    id: task.id,
    labels: task.labels,
    modalities,
    fusion,
  };
}

/** One line per example of `rows` (an export's page: every row of each of its examples, in id order). */
export function exampleLines(
  rows: readonly ExampleRow[],
  models: Readonly<Record<string, string>>,
): ExampleLine[] {
  const lines = new Map<number, ExampleLine>();
  for (const row of rows) {
    const created =
      row.created === null || row.created === undefined ? null : new Date(row.created).toISOString();
    const line = lines.get(row.id) ?? { id: row.id, label: row.label, created, embeddings: {} };
    line.embeddings[row.modality] = { model: models[row.modality] ?? '', vector: row.embedding };
    lines.set(row.id, line);
  }
  return [...lines.values()];
}

function malformed(line: number, why: string): ApiError {
  return new ApiError(400, 'malformed-line', `line ${line}: ${why}`, { extensions: { line } });
}

function parsed<T>(schema: z.ZodType<T>, text: string, line: number): T {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw malformed(line, 'not JSON');
  }
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  const issue = result.error.issues[0];
  throw malformed(line, `${issue?.path.join('.') || 'the line'}: ${issue?.message ?? 'invalid'}`);
}

export function parseHeader(text: string): TransferHeader {
  return parsed(HeaderSchema, text, 1);
}

/** What creating the header's task asks for: its modalities, every other one left out. */
export function createRequestOf(
  id: string,
  header: TransferHeader,
  registered: readonly string[],
): CreateTask {
  const named = Object.fromEntries(
    Object.entries(header.modalities).map(([name, { model, head, temperature }]) => [
      name,
      { model, head, temperature },
    ]),
  );
  const others = Object.fromEntries(
    registered.filter((name) => !(name in named)).map((name) => [name, false as const]),
  );
  return { id, labels: header.labels, modalities: { ...others, ...named }, fusion: header.fusion };
}

/** What the import checks an example's embedding against: its modality's model and that model's dimension. */
export type Served = Readonly<Record<string, { readonly model: string; readonly dimension: number }>>;

/** One example line, checked against the task: labels, modalities, models and dimensions. */
export function parseExample(
  text: string,
  line: number,
  labels: readonly string[],
  served: Served,
): { label: string; created: number | null; embeddings: [string, Float32Array][] } {
  const example = parsed(ExampleLineSchema, text, line);
  if (!labels.includes(example.label))
    throw malformed(line, `the label ${JSON.stringify(example.label)} is not the task's`);
  const embeddings = Object.entries(example.embeddings).map(([modality, { model, vector }]) => {
    const want = served[modality];
    if (want === undefined)
      throw malformed(line, `the modality ${JSON.stringify(modality)} is not the task's`);
    if (model !== want.model) {
      const detail = `line ${line}: ${modality} was embedded by ${model}, the task's ${modality} model is ${want.model}`;
      throw new ApiError(422, 'model-mismatch', detail, { extensions: { line, model } });
    }
    return [modality, decodeVector(vector, line, modality, want.dimension)] as [string, Float32Array];
  });
  const created =
    example.created === null || example.created === undefined ? null : Date.parse(example.created);
  if (Number.isNaN(created)) throw malformed(line, 'created: not a date-time');
  return { label: example.label, created, embeddings };
}

function decodeVector(vector: string, line: number, modality: string, dimension: number): Float32Array {
  const bytes = decodeBase64(vector);
  if (bytes === undefined || bytes.length % 4 !== 0) throw malformed(line, `${modality}: not base64 float32`);
  if (bytes.length / 4 !== dimension) {
    const detail = `line ${line}: ${modality} has ${bytes.length / 4} dimensions, its model ${dimension}`;
    throw new ApiError(422, 'dimension-mismatch', detail, {
      extensions: { line, dimension: bytes.length / 4 },
    });
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const out = Float32Array.from({ length: dimension }, (_, i) => view.getFloat32(i * 4, true));
  if (!out.every(Number.isFinite)) throw malformed(line, `${modality}: a value is not finite`);
  return out;
}
