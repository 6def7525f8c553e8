/**
 * @module
 * A stored task from a create request: every registered modality unless the request sets it to `false`, each with
 * its adapter's default model, a prototype head (a linear one when weights are given) and temperature 0.1 unless
 * the request says otherwise; fusion
 * `weighted` with weight 1 per modality unless given. Unknown modalities, heads and strategies are refused with
 * the known names.
 */
import { defaultStrategy, findStrategy } from '../fusion/registry.ts';
import { defaultHead, checkHead } from '../heads/registry.ts';
import { defaultTemperature, emptyPrototype } from '../heads/prototype.ts';
import { UnknownNameError } from '../lookup-error.ts';
import type { Modalities } from '../modalities.ts';
import { ApiError } from '../problem.ts';
import { encodeFloat32 } from '../vectors.ts';
import type { CreateTask, Task, TaskModality } from './schema.ts';

type GivenLinear = NonNullable<Exclude<NonNullable<CreateTask['modalities']>[string], false>['linear']>;

/** Weights trained elsewhere: one row per label, all of one length, and a bias per label (default 0). */
function givenLinear(
  modality: string,
  given: GivenLinear,
  labels: readonly string[],
): NonNullable<TaskModality['linear']> {
  const dimension = given.weights[0]?.length ?? 0;
  const bias = given.bias ?? labels.map(() => 0);
  if (
    given.weights.length !== labels.length ||
    given.weights.some((row) => row.length !== dimension) ||
    bias.length !== labels.length
  ) {
    const detail = `modalities.${modality}.linear: weights need one row per label (${labels.length}), all of the same length, and as many biases`;
    throw new ApiError(400, 'invalid-linear-head', detail);
  }
  return { dimension, weights: encodeFloat32(given.weights.flat()), bias };
}

function buildModalities(request: CreateTask, modalities: Modalities): Record<string, TaskModality> {
  const options = request.modalities ?? {};
  for (const name of Object.keys(options)) modalities.get(name);
  const included = modalities.names.filter((name) => options[name] !== false);
  return Object.fromEntries(
    included.map((name) => {
      const given = options[name] || {};
      const modality: TaskModality = {
        model: given.model ?? modalities.get(name).defaultModel,
        head: checkHead(given.head ?? (given.linear ? 'linear' : defaultHead)),
        temperature: given.temperature ?? defaultTemperature,
        examples: 0,
        prototype: emptyPrototype(),
        calibration: 1,
        evicted: 0,
        stored: [],
        ...(given.linear ? { linear: givenLinear(name, given.linear, request.labels) } : {}),
      };
      return [name, modality];
    }),
  );
}

/** Checks weights name only the task's modalities; fills in weight 1 for the others. */
export function checkWeights(
  weights: Readonly<Record<string, number>> | undefined,
  taskModalities: readonly string[],
): Record<string, number> {
  for (const name of Object.keys(weights ?? {})) {
    if (!taskModalities.includes(name)) throw new UnknownNameError('modality', name, taskModalities);
  }
  return Object.fromEntries(taskModalities.map((name) => [name, weights?.[name] ?? 1]));
}

export function buildTask(request: CreateTask, modalities: Modalities, now: Date): Task {
  const taskModalities = buildModalities(request, modalities);
  const names = Object.keys(taskModalities);
  if (names.length === 0) {
    throw new ApiError(400, 'no-modalities', 'a task needs at least one modality', {
      extensions: { known: modalities.names },
    });
  }
  const strategy = findStrategy(request.fusion?.strategy ?? defaultStrategy).name;
  const timestamp = now.toISOString();
  return {
    id: request.id,
    labels: request.labels,
    modalities: taskModalities,
    fusion: { strategy, weights: checkWeights(request.fusion?.weights, names) },
    version: 1,
    nextExample: 1,
    createdAt: timestamp,
    updatedAt: timestamp,
  };
}
