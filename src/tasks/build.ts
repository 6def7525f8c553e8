/**
 * @module
 * A stored task from a create request: every registered input's modality unless the request sets it to `false`,
 * and the derived parts it names (`image.text`), each with its adapter's default model, the head its model and
 * options call for (`heads/model-fit.ts`: a prototype head, a linear one when weights are given, the head that reads labels for a provider's classification endpoint) and
 * temperature 0.1 unless the request says otherwise; fusion `weighted` with weight 1 per modality unless given (a
 * cascade, when given, names the task's modalities only); a derived part that may borrow its lender's head is
 * marked so (`borrow.ts`).
 * Unknown modalities, heads and strategies are refused with the known names, and a head that does not fit its model
 * is refused. Nothing is stored here; a head may ask the model catalog what its model declares (the zero-shot head:
 * its shared space), and what a head needs embedded is done before storing (`prepare-heads.ts`).
 */
import type { ModelCatalog } from '../backend/model-catalog.ts';
import { checkCascade } from '../fusion/cascade.ts';
import { defaultStrategy, findStrategy } from '../fusion/registry.ts';
import { checkModelFit, defaultHeadFor, initialFields } from '../heads/model-fit.ts';
import { defaultTemperature, emptyPrototype } from '../heads/prototype.ts';
import { findHead } from '../heads/registry.ts';
import { UnknownNameError } from '../lookup-error.ts';
import type { Modalities } from '../modalities.ts';
import { ApiError } from '../problem.ts';
import { withLenders } from './borrow.ts';
import type { CreateTask, Task, TaskModality } from './schema.ts';

type GivenModality = Exclude<NonNullable<CreateTask['modalities']>[string], false>;

async function buildModality(
  name: string,
  given: GivenModality,
  labels: readonly string[],
  setup: { modalities: Modalities; models: ModelCatalog },
): Promise<TaskModality> {
  const model = given.model ?? setup.modalities.get(name).defaultModel;
  const description = setup.models.describe(model);
  const head = findHead(given.head ?? defaultHeadFor(description.gives, given).name);
  checkModelFit(name, model, description, head, given);
  const at = `modalities.${name}`;
  return {
    model,
    head: head.name,
    temperature: given.temperature ?? defaultTemperature,
    examples: 0,
    prototype: emptyPrototype(),
    calibration: 1,
    evicted: 0,
    stored: [],
    ...(await initialFields(head, { at, modality: name, model, labels, given, models: setup.models })),
  };
}

async function buildModalities(
  request: CreateTask,
  modalities: Modalities,
  models: ModelCatalog,
): Promise<Record<string, TaskModality>> {
  const options = request.modalities ?? {};
  const inputs = modalities.names.filter((name) => modalities.get(name).partsOnly !== true);
  for (const name of Object.keys(options)) {
    modalities.get(name);
    // `false` may name any registered input (an import names them all), `video` included.
    if (options[name] !== false && !inputs.includes(name) && !modalities.parts.includes(name))
      throw new UnknownNameError('modality', name, [...inputs, ...modalities.parts]);
  }
  // Inputs are in unless set to false; derived parts (`image.text`, an OCR pass per image) only when named.
  const included = [
    ...inputs.filter((name) => options[name] !== false),
    ...modalities.parts.filter((name) => options[name] !== undefined && options[name] !== false),
  ];
  const built: Record<string, TaskModality> = {};
  // One after another, so that a refusal is always the first modality's, in order.
  for (const name of included)
    built[name] = await buildModality(name, options[name] || {}, request.labels, { modalities, models });
  return withLenders(built, modalities, models);
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

export async function buildTask(
  request: CreateTask,
  modalities: Modalities,
  models: ModelCatalog,
  now: Date,
): Promise<Task> {
  const taskModalities = await buildModalities(request, modalities, models);
  const names = Object.keys(taskModalities);
  if (names.length === 0) {
    throw new ApiError(400, 'no-modalities', 'a task needs at least one modality', {
      extensions: { known: modalities.names },
    });
  }
  const strategy = findStrategy(request.fusion?.strategy ?? defaultStrategy).name;
  const cascade = request.fusion?.cascade ?? undefined;
  checkCascade(cascade, names);
  const timestamp = now.toISOString();
  return {
    id: request.id,
    labels: request.labels,
    modalities: taskModalities,
    fusion: {
      strategy,
      weights: checkWeights(request.fusion?.weights, names),
      ...(cascade ? { cascade } : {}),
      ...(request.coverage === undefined ? {} : { coverage: request.coverage }),
      ...(request.abstain ? { abstain: request.abstain } : {}),
    },
    version: 1,
    nextExample: 1,
    createdAt: timestamp,
    updatedAt: timestamp,
  };
}
