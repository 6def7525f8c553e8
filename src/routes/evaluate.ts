/**
 * @module
 * `POST /v1/tasks/{id}/evaluate`: a labelled set (the shape of examples) is embedded and scored by the task's
 * heads as they are (calibration included), without being stored (inputs of provider-label modalities are sent to
 * their classification endpoints instead); answers accuracy, macro-F1 and log-loss for
 * each single modality and each fusion strategy, and the strategy it recommends.
 */
import { createRoute, z } from '@hono/zod-openapi';
import { InputsSchema } from '../classify/schema.ts';
import { scorersOf } from '../heads/task-heads.ts';
import { evaluateCases, type EvalCase } from '../evaluate/evaluate.ts';
import { json, problems } from '../openapi.ts';
import { ApiError } from '../problem.ts';
import { createRouter } from '../router.ts';
import { checkWeights } from '../tasks/build.ts';
import { LabelSchema, TaskIdSchema, WeightsSchema, type Task } from '../tasks/schema.ts';
import { TaskStore } from '../tasks/store.ts';
import { askProvider, withoutProviderInputs } from '../tasks/ask-provider.ts';
import { embedExamples, type TeachServices } from '../tasks/teach.ts';
import { timerFor } from '../timer.ts';

export const maxEvaluationItems = 256;

const EvaluateSchema = z
  .object({
    examples: z
      .array(z.object({ label: LabelSchema, inputs: InputsSchema }))
      .min(1)
      .max(maxEvaluationItems),
    weights: WeightsSchema.optional(),
  })
  .openapi('Evaluate');

const RowSchema = z.object({
  name: z.string(),
  n: z.number().int(),
  accuracy: z.number().nullable(),
  macroF1: z.number().nullable(),
  logLoss: z.number().nullable(),
});

const EvaluationSchema = z
  .object({
    modalities: z
      .array(RowSchema)
      .openapi({ description: 'Each modality alone, on the items that have it.' }),
    strategies: z.array(RowSchema).openapi({ description: 'Each fusion strategy, on every item.' }),
    recommended: z.string().openapi({ description: 'Best macro-F1, then accuracy, then log-loss.' }),
  })
  .openapi('Evaluation');

const evaluate = createRoute({
  method: 'post',
  path: '/v1/tasks/{id}/evaluate',
  tags: ['tasks'],
  summary: 'Evaluate every modality and fusion strategy of a task on a labelled set.',
  request: {
    params: z.object({ id: TaskIdSchema.openapi({ param: { name: 'id', in: 'path' } }) }),
    body: { required: true, content: { 'application/json': { schema: EvaluateSchema } } },
  },
  responses: {
    200: json(EvaluationSchema, 'The metrics and the recommended strategy.'),
    ...problems(400, 401, 404, 413, 415, 422, 503),
  },
});

/** Embedded inputs are scored by their heads; provider-label inputs by their endpoint's answers. */
async function casesOf(task: Task, body: z.infer<typeof EvaluateSchema>, services: TeachServices) {
  const examples = body.examples.map((e, i) => ({ ...e, at: `examples[${i}].inputs` }));
  const asked = await askProvider(task, examples, services);
  const rest = withoutProviderInputs(task, examples);
  const embedded = rest.examples.length > 0 ? await embedExamples(task, rest.examples, services) : [];
  const scorers = scorersOf(task);
  const cases: EvalCase[] = examples.map((e) => ({ label: task.labels.indexOf(e.label), scores: {} }));
  const record = (index: number | undefined, modality: string, scores: number[]) => {
    const target = index === undefined ? undefined : cases[index];
    if (target) (target.scores as Record<string, number[]>)[modality] = scores;
  };
  for (const e of embedded) {
    const scorer = scorers.get(e.modality);
    if (typeof scorer === 'function') record(rest.indices[e.index], e.modality, scorer(e.embedding));
  }
  for (const a of asked) record(a.index, a.modality, a.scores);
  return cases;
}

/** NaN (no item had the modality) becomes null on the wire. */
function wire<T extends { accuracy: number; macroF1: number; logLoss: number }>(row: T) {
  const finite = (x: number) => (Number.isFinite(x) ? x : null);
  return {
    ...row,
    accuracy: finite(row.accuracy),
    macroF1: finite(row.macroF1),
    logLoss: finite(row.logLoss),
  };
}

export const evaluateRoutes = createRouter().openapi(evaluate, async (c) => {
  const body = c.req.valid('json');
  const task = await new TaskStore(c.env).require(c.req.valid('param').id);
  const weights = { ...task.fusion.weights, ...checkWeights(body.weights, Object.keys(task.modalities)) };
  const time = timerFor(c);
  const cases = await casesOf(task, body, { modalities: c.var.modalities, backend: c.var.backend, time });
  if (cases.every((e) => Object.keys(e.scores).length === 0)) {
    const detail = 'no item could be scored: the modalities given have no examples (or weights) yet';
    throw new ApiError(422, 'no-usable-modality', detail);
  }
  const evaluation = await time('fusion', () =>
    evaluateCases(task.labels, cases, {
      weights,
      ...(task.fusion.stacking ? { stacking: task.fusion.stacking } : {}),
    }),
  );
  return c.json(
    {
      modalities: evaluation.modalities.map(wire),
      strategies: evaluation.strategies.map(wire),
      recommended: evaluation.recommended,
    },
    200,
  );
});
