/**
 * @module
 * Task shapes on the wire and in storage (a Durable Object per task, see `store.ts`). A task is a label set, one
 * head per modality (its model, temperature,
 * prototype state — per-label sums of normalised example vectors as base64 float32, and counts —, an optional
 * linear state, a calibration temperature; its examples' embeddings are rows beside it, `example-rows.ts`), and a
 * fusion config (with the stacking model once refitted). Names (modalities, heads, strategies) are plain strings here and checked against the registries when a
 * task is built, so that a refusal can list what is known.
 */
import { z } from '@hono/zod-openapi';
import { CascadeSchema } from '../fusion/cascade.ts';
import { conformalCounts } from '../conformal/fit.ts';
import { unmappedPolicies } from '../heads/provider-label.ts';
import { AbstainSchema, ConformalSchema, ConformalViewSchema, CoverageSchema } from './decision-schema.ts';

export { AbstainSchema, CoverageSchema, type Abstain } from './decision-schema.ts';

/** Labels per task. */
export const maxLabels = 5000;

/** The longest embedding a given linear head may weigh. */
export const maxDimension = 4096;

export const TaskIdSchema = z
  .string()
  .regex(
    /^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$/,
    'letters, digits, ".", "_" and "-", at most 128, not starting with a symbol',
  )
  .openapi({ example: 'colours' });

/** `__proto__` would not survive as a key of the per-label records (JSON objects) a task stores. */
export const LabelSchema = z
  .string()
  .min(1)
  .max(200)
  .refine((label) => label !== '__proto__', 'the label __proto__ is reserved');

export const LabelsSchema = z
  .array(LabelSchema)
  .min(2)
  .max(maxLabels)
  .refine((labels) => new Set(labels).size === labels.length, 'labels must be unique')
  .openapi({ example: ['red', 'blue'] });

export const WeightsSchema = z.record(z.string(), z.number().min(0).finite()).openapi({
  description: 'Weight per modality (≥ 0; 0 ignores it; unnamed modalities weigh 1).',
  example: { text: 1, image: 2 },
});

export const FusionConfigSchema = z
  .object({
    strategy: z.string().optional().openapi({ example: 'weighted' }),
    weights: WeightsSchema.optional(),
    cascade: CascadeSchema.nullable().optional().openapi({
      description: "A cost-aware cascade; `null` in a classify request turns off the task's.",
    }),
  })
  .openapi('FusionConfig');

/** The most provider labels one map may name (ImageNet has 1,000 classes, AudioSet 527). */
export const maxLabelMapEntries = 5000;

/** A provider-label head's map from the provider's labels to the task's (checked against the labels on build). */
export const ProviderLabelMapSchema = z
  .record(z.string().min(1).max(200), z.string())
  .refine((map) => Object.keys(map).length <= maxLabelMapEntries, `at most ${maxLabelMapEntries} entries`)
  .openapi({
    description:
      'provider-label head: provider label → task label. Provider labels not named here go to the task label of the same name (exactly, else ignoring case).',
    example: { 'tabby cat': 'cat', 'Egyptian cat': 'cat', 'golden retriever': 'dog' },
  });

/** The most texts one label may be given, and the most templates. */
export const maxTemplates = 16;

const PromptSchema = z.string().min(1).max(1000);

const ModalityOptionsSchema = z.object({
  model: z
    .string()
    .min(1)
    .max(200)
    .optional()
    .openapi({ description: "Backend model; default: the adapter's." }),
  head: z.string().optional().openapi({ example: 'prototype' }),
  temperature: z
    .number()
    .positive()
    .max(100)
    .optional()
    .openapi({ description: 'Softmax temperature of the prototype and zero-shot heads, default 0.1.' }),
  linear: z
    .object({
      weights: z.array(z.array(z.number().finite()).min(1).max(maxDimension)).min(2).max(maxLabels),
      bias: z.array(z.number().finite()).max(maxLabels).optional(),
    })
    .optional()
    .openapi({
      description:
        'Weights of a linear head trained elsewhere: one row per label (in label order) over the L2-normalised embedding, and optional biases. Without it a linear head is fitted from the examples by refit.',
    }),
  prompts: z
    .record(
      z.string().min(1).max(200),
      z.union([PromptSchema, z.array(PromptSchema).min(1).max(maxTemplates)]),
    )
    .refine((prompts) => Object.keys(prompts).length <= maxLabels, `at most ${maxLabels} prompts`)
    .optional()
    .openapi({
      description:
        'zero-shot head: per label, the text embedded to represent it (a description or prompt), or several texts whose embeddings are averaged; labels not named here go through `templates`.',
      example: { red: 'something red, crimson or scarlet' },
    }),
  templates: z
    .array(PromptSchema.refine((template) => template.includes('{label}'), 'a template contains {label}'))
    .min(1)
    .max(maxTemplates)
    .optional()
    .openapi({
      description:
        'zero-shot head: prompt templates; each label without a prompt is put into each (`{label}`) and the embeddings averaged. Default: `["a photo of a {label}"]` for images, `["{label}"]` (the bare label) for other modalities.',
      example: ['a photo of a {label}', 'a picture of a {label}'],
    }),
  label_map: ProviderLabelMapSchema.optional(),
  unmapped: z.enum(unmappedPolicies).optional().openapi({
    description:
      "provider-label head: what becomes of the provider's mass that maps to no task label (labels not mapped, and what the endpoint did not return): `spread` (default) shares it equally among the task's labels, `drop` renormalises over the mapped mass.",
  }),
});

export const CreateTaskSchema = z
  .object({
    id: TaskIdSchema,
    labels: LabelsSchema,
    modalities: z
      .record(z.string(), z.union([ModalityOptionsSchema, z.literal(false)]))
      .optional()
      .openapi({
        description:
          'Per modality options; every registered input is included unless set to false, and a derived part ' +
          '(`image.text`: the text in an image) when named.',
      }),
    fusion: FusionConfigSchema.optional(),
    coverage: CoverageSchema.optional().openapi({
      description: "The default `coverage` of the task's answers.",
    }),
    abstain: AbstainSchema.optional().openapi({
      description: "The default `abstain` of the task's answers.",
    }),
  })
  .openapi('CreateTask');

export const PrototypeSchema = z.object({
  sums: z
    .record(z.string(), z.string())
    .openapi({ description: 'Per label: sum of unit vectors, base64 float32 LE.' }),
  counts: z.record(z.string(), z.number().int().min(0)),
});

export const LinearStateSchema = z.object({
  dimension: z.number().int().positive(),
  weights: z.string().openapi({ description: 'W, labels × dimension, row-major, base64 float32 LE.' }),
  bias: z.array(z.number()),
});

/** One example's embedding kept for refitting: the example's id (shared by its modalities) and label. */
export const StoredExampleSchema = z.object({
  id: z.number().int().min(1),
  label: z.string(),
  embedding: z.string().openapi({ description: 'base64 float32 LE.' }),
});

const StackingSchema = z
  .object({
    coefficients: z.record(z.string(), z.tuple([z.number(), z.number()])),
    bias: z.array(z.number()),
  })
  .openapi({ description: 'The stacking meta-classifier fitted by refit.' });

const modalityShape = {
  model: z.string(),
  head: z.string(),
  temperature: z.number().positive(),
  examples: z.number().int().min(0),
  prototype: PrototypeSchema,
  linear: LinearStateSchema.optional(),
  calibration: z
    .number()
    .positive()
    .default(1)
    .openapi({ description: 'Calibration temperature fitted by refit on held-out examples (1 = none).' }),
  /**
   * How many examples were dropped, oldest first, before examples were rows (a task then kept 16 MiB of them): 0
   * for every task since, kept for compatibility.
   */
  evicted: z.number().int().min(0).default(0),
  label_map: z.record(z.string(), z.string()).optional(),
  unmapped: z.enum(unmappedPolicies).optional(),
  borrows: z
    .string()
    .optional()
    .openapi({
      description:
        'A derived part: the modality whose head scores it while its own head cannot (no examples, no weights); ' +
        '`image.text` borrows `text` when the task has both and their models declare one embedding space.',
    }),
  zeroShot: z
    .object({
      textModel: z.string(),
      embeddings: z.record(z.string(), z.string()),
      texts: z.record(z.string(), z.array(z.string())),
    })
    .optional()
    .openapi({
      description:
        "zero-shot head: the text model sharing the modality model's space, and per label the texts embedded for it and the mean direction of their embeddings (base64 float32).",
    }),
};

export const TaskModalitySchema = z.object({
  ...modalityShape,
  /** Only in tasks stored before examples were rows (moved into rows on load); always empty in memory. */
  stored: z.array(StoredExampleSchema).default([]),
});

/** What the API shows of a modality: the stored embeddings are counted, not sent. */
const TaskModalityViewSchema = z.object({
  ...modalityShape,
  storedExamples: z.number().int().openapi({
    description: 'Examples whose embeddings are kept for refit: all of them (`examples` less `evicted`).',
  }),
});

const FusionStateSchema = z.object({
  strategy: z.string(),
  weights: z.record(z.string(), z.number()),
  cascade: CascadeSchema.optional(),
  stacking: StackingSchema.optional(),
  coverage: CoverageSchema.optional(),
  abstain: AbstainSchema.optional(),
});

const taskShape = {
  id: TaskIdSchema,
  labels: z.array(z.string()),
  fusion: FusionStateSchema,
  version: z.number().int().min(1),
  /** The id the next example gets. */
  nextExample: z.number().int().min(1).default(1),
  createdAt: z.string().openapi({ format: 'date-time' }),
  updatedAt: z.string().openapi({ format: 'date-time' }),
};

/** A task as stored. */
export const TaskSchema = z.object({
  ...taskShape,
  modalities: z.record(z.string(), TaskModalitySchema),
  conformal: ConformalSchema.optional(),
});

/** A task as the API shows it (see {@link viewOf}). */
export const TaskViewSchema = z
  .object({
    ...taskShape,
    modalities: z.record(z.string(), TaskModalityViewSchema),
    conformal: ConformalViewSchema.optional().openapi({
      description: 'The conformal calibration of the last refit (absent before one).',
    }),
  })
  .openapi('Task');

export const TaskSummarySchema = z
  .object({
    id: z.string(),
    labels: z.number().int().openapi({ description: 'How many labels.' }),
    modalities: z.array(z.string()),
    version: z.number().int(),
    updatedAt: z.string(),
  })
  .openapi('TaskSummary');

export type CreateTask = z.infer<typeof CreateTaskSchema>;
export type Task = z.infer<typeof TaskSchema>;
export type TaskModality = z.infer<typeof TaskModalitySchema>;
export type TaskView = z.infer<typeof TaskViewSchema>;
export type StoredExample = z.infer<typeof StoredExampleSchema>;

/** The task as the API shows it: its examples (rows) counted. */
export function viewOf({ conformal, ...task }: Task): TaskView {
  const modalities = Object.fromEntries(
    Object.entries(task.modalities).map(([name, { stored: _legacy, ...head }]) => [
      name,
      { ...head, storedExamples: Math.max(0, head.examples - head.evicted) },
    ]),
  );
  return {
    ...task,
    modalities,
    ...(conformal ? { conformal: conformalCounts(conformal, task.fusion.strategy) } : {}),
  };
}
export type TaskSummary = z.infer<typeof TaskSummarySchema>;
