/**
 * @module
 * What a classify needs of a task, as the task's Durable Object hands it to the edge: its labels, fusion config,
 * and per modality the model, head and head fields, every vector a `Float32Array` (Durable Object RPC is a
 * structured clone, which carries typed arrays as their bytes: no base64, no JSON numbers). Stored examples and
 * timestamps stay in the object. Also what such heads weigh once the edge has built its scorers, for the bound of
 * its cache (`heads-cache.ts`).
 */
import type { TaskConformal } from '../conformal/fit.ts';
import type { HeadFields } from '../heads/head.ts';
import type { ZeroShotFields } from '../heads/zero-shot.ts';
import { decodeFloat32, type StoredVector } from '../vectors.ts';
import type { Task, TaskModality } from './schema.ts';

export interface ClassifyModality<V extends StoredVector = StoredVector> extends HeadFields<V> {
  readonly model: string;
  readonly head: string;
  readonly calibration: number;
  /** The modality whose head scores this part while its own cannot (`tasks/borrow.ts`). */
  readonly borrows?: string | undefined;
}

/** A task as classify reads it: a stored {@link Task} is one (base64 vectors), and so is what the edge gets. */
export interface ClassifyTask<V extends StoredVector = StoredVector> {
  readonly id: string;
  readonly version: number;
  readonly labels: readonly string[];
  readonly fusion: Task['fusion'];
  readonly modalities: Readonly<Record<string, ClassifyModality<V>>>;
  /** Refit's conformal calibration, for label sets (`conformal/fit.ts`). */
  readonly conformal?: TaskConformal;
}

function decodedRecord(record: Readonly<Record<string, string>>): Record<string, Float32Array> {
  return Object.fromEntries(Object.entries(record).map(([key, vector]) => [key, decodeFloat32(vector)]));
}

function wireZeroShot(zeroShot: ZeroShotFields | undefined): ZeroShotFields<Float32Array> | undefined {
  return zeroShot && { ...zeroShot, embeddings: decodedRecord(zeroShot.embeddings) };
}

function wireModality(stored: TaskModality): ClassifyModality<Float32Array> {
  const { model, head, calibration, temperature, prototype, linear, zeroShot, label_map, unmapped, borrows } =
    stored;
  return {
    model,
    head,
    calibration,
    temperature,
    prototype: { sums: decodedRecord(prototype.sums), counts: prototype.counts },
    ...(linear ? { linear: { ...linear, weights: decodeFloat32(linear.weights) } } : {}),
    ...(zeroShot ? { zeroShot: wireZeroShot(zeroShot) } : {}),
    ...(label_map ? { label_map } : {}),
    ...(unmapped ? { unmapped } : {}),
    ...(borrows ? { borrows } : {}),
  };
}

/** Two numbers (8 bytes each, as a JS array holds them) per calibration case. */
function conformalBytes(conformal: TaskConformal | undefined): number {
  if (conformal === undefined) return 0;
  const lists = [conformal.modalities, ...Object.values(conformal.fused)].flatMap((r) => Object.values(r));
  return lists.reduce((sum, list) => sum + 16 * list.scores.length, 0);
}

/** The classify view of a stored task, vectors decoded once, in the task's object. */
export function classifyTaskOf(task: Task): ClassifyTask<Float32Array> {
  const modalities = Object.fromEntries(
    Object.entries(task.modalities).map(([name, stored]) => [name, wireModality(stored)]),
  );
  const { id, version, labels, fusion, conformal } = task;
  return { id, version, labels, fusion, modalities, ...(conformal ? { conformal } : {}) };
}

function vectorBytes(modality: ClassifyModality<Float32Array>): number {
  const vectors = [
    ...Object.values(modality.prototype.sums),
    ...Object.values(modality.zeroShot?.embeddings ?? {}),
    ...(modality.linear ? [modality.linear.weights] : []),
  ];
  return vectors.reduce((sum, vector) => sum + vector.byteLength, 0);
}

/**
 * Roughly what the task and its built scorers hold: its float32 vectors, half as much again for the int16 rows the
 * scorers build from them (`heads/kernel/row-matrix.ts`), plus its labels' text.
 */
export function heldBytes(task: ClassifyTask<Float32Array>): number {
  const vectors = Object.values(task.modalities).reduce((sum, modality) => sum + vectorBytes(modality), 0);
  const labels = task.labels.reduce((sum, label) => sum + 2 * label.length + 16, 0);
  return Math.ceil(1.5 * vectors) + labels + conformalBytes(task.conformal);
}

/** What teaching reads of a task before it embeds examples: its labels and each modality's model and head. */
export interface TaskOutline {
  readonly id: string;
  readonly version: number;
  readonly labels: readonly string[];
  readonly modalities: Readonly<Record<string, { readonly model: string; readonly head: string }>>;
}

export function outlineOf(task: Task): TaskOutline {
  const modalities = Object.fromEntries(
    Object.entries(task.modalities).map(([name, { model, head }]) => [name, { model, head }]),
  );
  return { id: task.id, version: task.version, labels: task.labels, modalities };
}

/**
 * A task object's answer to the edge holding `known` heads: its version alone when they are current, else the
 * task as classify reads it too.
 */
export interface HeadsAnswer {
  readonly version: number;
  readonly task?: ClassifyTask<Float32Array>;
}
