/**
 * @module
 * A stored task from a create request: every registered modality unless the request sets it to `false`, each with
 * its adapter's default model, a prototype head (a linear one when weights are given) and temperature 0.1 unless
 * the request says otherwise; fusion
 * `weighted` with weight 1 per modality unless given. Unknown modalities, heads and strategies are refused with
 * the known names. A modality served by a provider's classification endpoint gets the provider-label head, and a
 * head that does not fit its model is refused (`model-fit.ts`).
 */
import type { ModelKind } from '../backend/provider-models.ts';
import { defaultStrategy, findStrategy } from '../fusion/registry.ts';
import { checkHead } from '../heads/registry.ts';
import { defaultTemperature, emptyPrototype } from '../heads/prototype.ts';
import { UnknownNameError } from '../lookup-error.ts';
import type { Modalities } from '../modalities.ts';
import { textModelSharing } from '../backend/model-catalog.ts';
import { ApiError } from '../problem.ts';
import { encodeFloat32 } from '../vectors.ts';
import { checkLabelMap, checkModelFit, defaultHeadFor } from '../heads/model-fit.ts';
import type { CreateTask, Task, TaskModality } from './schema.ts';

/** What each model gives (embeddings or a provider's labels); see `backend/model-config.ts`. */
export type ModelKindOf = (model: string) => ModelKind;

/** Without provider models every model is the backend's, which embeds. */
const backendModels: ModelKindOf = () => ({ kind: 'embedding' });

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

type GivenModality = Exclude<NonNullable<CreateTask['modalities']>[string], false>;

function providerLabelOptions(given: GivenModality, labels: readonly string[]): Partial<TaskModality> {
  checkLabelMap(given.label_map, labels);
  return {
    ...(given.label_map ? { label_map: given.label_map } : {}),
    ...(given.unmapped ? { unmapped: given.unmapped } : {}),
  };
}

/**
 * A zero-shot head's label texts (a label's prompt, else its name) and the text model that will embed them; the
 * embeddings are added by `zero-shot.ts` before the task is stored.
 */
function zeroShotTexts(name: string, model: string, given: GivenModality, labels: readonly string[]) {
  const prompts = given.prompts ?? {};
  for (const label of Object.keys(prompts)) {
    if (!labels.includes(label)) throw new UnknownNameError('label', label, labels);
  }
  const texts = Object.fromEntries(labels.map((label) => [label, prompts[label] ?? label]));
  return { textModel: textModelSharing(model, `modalities.${name}`), texts, embeddings: {} };
}

function buildModalities(
  request: CreateTask,
  modalities: Modalities,
  kindOf: ModelKindOf,
): Record<string, TaskModality> {
  const options = request.modalities ?? {};
  for (const name of Object.keys(options)) modalities.get(name);
  const included = modalities.names.filter((name) => options[name] !== false);
  return Object.fromEntries(
    included.map((name) => {
      const given = options[name] || {};
      const model = given.model ?? modalities.get(name).defaultModel;
      const kind = kindOf(model);
      const head = checkHead(given.head ?? defaultHeadFor(kind, given));
      checkModelFit(name, model, kind, head, given);
      const modality: TaskModality = {
        model,
        head,
        temperature: given.temperature ?? defaultTemperature,
        examples: 0,
        prototype: emptyPrototype(),
        calibration: 1,
        evicted: 0,
        stored: [],
        ...(given.linear ? { linear: givenLinear(name, given.linear, request.labels) } : {}),
        ...(head === 'provider-label' ? providerLabelOptions(given, request.labels) : {}),
        ...(head === 'zero-shot' ? { zeroShot: zeroShotTexts(name, model, given, request.labels) } : {}),
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

export function buildTask(
  request: CreateTask,
  modalities: Modalities,
  now: Date,
  kindOf: ModelKindOf = backendModels,
): Task {
  const taskModalities = buildModalities(request, modalities, kindOf);
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
