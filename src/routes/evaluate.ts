/**
 * @module
 * `POST /v1/tasks/{id}/evaluate`: a labelled set (the shape of examples) is scored by the task's heads as they
 * are, without being stored (`evaluate/cases.ts`); answers accuracy, macro-F1 and log-loss for each single
 * modality and each fusion strategy, and the strategy it recommends; with the conformal calibration of the last
 * refit, the coverage and mean size of the sets at several levels, and the accuracy–abstention curve.
 */
import { createRoute, z } from '@hono/zod-openapi';
import { InputsSchema } from '../classify/schema.ts';
import { casesOf } from '../evaluate/cases.ts';
import {
  coverageLevels,
  coverageReport,
  type CoverageReport,
  type CoverageRow,
} from '../evaluate/coverage.ts';
import { decisionDetail, reliabilityBins, type Detail } from '../evaluate/detail.ts';
import { evaluateCases } from '../evaluate/evaluate.ts';
import { scorersOf } from '../heads/task-heads.ts';
import { json, problems } from '../openapi.ts';
import { ApiError } from '../problem.ts';
import { createRouter } from '../router.ts';
import { checkWeights } from '../tasks/build.ts';
import { LabelSchema, TaskIdSchema, WeightsSchema } from '../tasks/schema.ts';

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

const CoverageRowSchema = z.object({
  name: z.string(),
  level: z.number(),
  n: z.number().int(),
  coverage: z
    .number()
    .nullable()
    .openapi({ description: 'Fraction of the items whose set holds their label.' }),
  meanSetSize: z.number().nullable(),
  calibrated: z.number().int().openapi({
    description: 'Items whose set rests on a calibration; the others are every label, with no guarantee.',
  }),
});

const BinSchema = z.object({
  lower: z.number(),
  upper: z.number(),
  n: z.number().int(),
  confidence: z.number().nullable(),
  accuracy: z.number().nullable(),
});

const DetailSchema = z
  .object({
    strategy: z.string(),
    n: z.number().int(),
    confusion: z
      .array(z.object({ truth: z.string(), predicted: z.string(), count: z.number().int() }))
      .openapi({ description: 'The confusion matrix, sparse: only the cells that occur.' }),
    perLabel: z.array(
      z.object({
        label: z.string(),
        support: z.number().int(),
        precision: z.number().nullable(),
        recall: z.number().nullable(),
        f1: z.number(),
      }),
    ),
    reliability: z
      .object({
        calibrated: z.array(BinSchema),
        uncalibrated: z.array(BinSchema),
        ece: z.object({ calibrated: z.number().nullable(), uncalibrated: z.number().nullable() }),
      })
      .openapi({
        description: `The fused confidence in ${reliabilityBins} equal bins against the accuracy, with the refit's temperatures and without.`,
      }),
    shares: z
      .array(z.object({ modality: z.string(), n: z.number().int(), agreed: z.number(), share: z.number() }))
      .openapi({
        description:
          "Per modality: `agreed`, how often its own best label is the fused one; `share`, classify's `share` (of the winning label's support) averaged over the items.",
      }),
  })
  .openapi({ description: 'The recommended strategy in detail, as the evaluation view draws it.' });

export const EvaluationSchema = z
  .object({
    modalities: z
      .array(RowSchema)
      .openapi({ description: 'Each modality alone, on the items that have it.' }),
    strategies: z.array(RowSchema).openapi({ description: 'Each fusion strategy, on every item.' }),
    recommended: z.string().openapi({ description: 'Best macro-F1, then accuracy, then log-loss.' }),
    coverage: z
      .object({
        modalities: z.array(CoverageRowSchema),
        strategies: z.array(CoverageRowSchema),
      })
      .openapi({
        description: `Conformal sets at coverage ${coverageLevels.join(', ')}, as calibrated by the last refit: each modality alone and each strategy.`,
      }),
    abstention: z
      .array(
        z.object({
          name: z.string(),
          points: z.array(
            z.object({ abstain: z.number(), kept: z.number().int(), accuracy: z.number().nullable() }),
          ),
        }),
      )
      .openapi({
        description:
          'Per strategy, the accuracy–abstention curve: the least confident fraction `abstain` of the items left out, the accuracy of the `kept` rest.',
      }),
    detail: DetailSchema,
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

const finite = (x: number) => (Number.isFinite(x) ? x : null);

/** NaN (no item) becomes null on the wire. */
function wireCoverage(report: CoverageReport) {
  const row = (r: CoverageRow) => ({
    ...r,
    coverage: finite(r.coverage),
    meanSetSize: finite(r.meanSetSize),
  });
  return {
    coverage: { modalities: report.modalities.map(row), strategies: report.strategies.map(row) },
    abstention: report.abstention.map(({ name, points }) => ({
      name,
      points: points.map((p) => ({ ...p, accuracy: finite(p.accuracy) })),
    })),
  };
}

function wireDetail(detail: Detail) {
  const bin = (b: Detail['reliability']['calibrated'][number]) => ({
    ...b,
    confidence: finite(b.confidence),
    accuracy: finite(b.accuracy),
  });
  const { calibrated, uncalibrated, ece } = detail.reliability;
  return {
    ...detail,
    perLabel: detail.perLabel.map((l) => ({
      ...l,
      precision: finite(l.precision),
      recall: finite(l.recall),
    })),
    reliability: {
      calibrated: calibrated.map(bin),
      uncalibrated: uncalibrated.map(bin),
      ece: { calibrated: finite(ece.calibrated), uncalibrated: finite(ece.uncalibrated) },
    },
  };
}

/** NaN (no item had the modality) becomes null on the wire. */
function wire<T extends { accuracy: number; macroF1: number; logLoss: number }>(row: T) {
  return {
    ...row,
    accuracy: finite(row.accuracy),
    macroF1: finite(row.macroF1),
    logLoss: finite(row.logLoss),
  };
}

export const evaluateRoutes = createRouter().openapi(evaluate, async (c) => {
  const body = c.req.valid('json');
  const { services } = c.var;
  const task = await services.tasks.require(c.req.valid('param').id);
  const weights = { ...task.fusion.weights, ...checkWeights(body.weights, Object.keys(task.modalities)) };
  const examples = body.examples.map((e, i) => ({ ...e, at: `examples[${i}].inputs` }));
  const cases = await casesOf(task, scorersOf(task), examples, services);
  if (cases.every((e) => Object.keys(e.scores).length === 0)) {
    const detail = 'no item could be scored: the modalities given have no examples (or weights) yet';
    throw new ApiError(422, 'no-usable-modality', detail);
  }
  const options = { weights, ...(task.fusion.stacking ? { stacking: task.fusion.stacking } : {}) };
  const temperatures = Object.fromEntries(
    Object.entries(task.modalities).map(([m, s]) => [m, s.calibration]),
  );
  const [evaluation, coverage, decisions] = await services.time('fusion', () => {
    const evaluation = evaluateCases(task.labels, cases, options);
    const detail = decisionDetail(task.labels, cases, evaluation.recommended, temperatures, options);
    return [evaluation, coverageReport(cases, task.conformal, options), detail] as const;
  });
  return c.json(
    {
      modalities: evaluation.modalities.map(wire),
      strategies: evaluation.strategies.map(wire),
      recommended: evaluation.recommended,
      ...wireCoverage(coverage),
      detail: wireDetail(decisions),
    },
    200,
  );
});
