/**
 * @module
 * Task shapes on the wire and in KV. A task is a label set, one head per modality (its model, temperature and
 * prototype state: per-label sums of normalised example vectors as base64 float32, and counts), and a fusion
 * config. Names (modalities, heads, strategies) are plain strings here and checked against the registries when a
 * task is built, so that a refusal can list what is known.
 */
import { z } from '@hono/zod-openapi';

export const maxLabels = 1000;

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
  })
  .openapi('FusionConfig');

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
    .openapi({ description: 'Softmax temperature, default 0.1.' }),
});

export const CreateTaskSchema = z
  .object({
    id: TaskIdSchema,
    labels: LabelsSchema,
    modalities: z
      .record(z.string(), z.union([ModalityOptionsSchema, z.literal(false)]))
      .optional()
      .openapi({
        description: 'Per modality options; every registered modality is included unless set to false.',
      }),
    fusion: FusionConfigSchema.optional(),
  })
  .openapi('CreateTask');

export const PrototypeSchema = z.object({
  sums: z
    .record(z.string(), z.string())
    .openapi({ description: 'Per label: sum of unit vectors, base64 float32 LE.' }),
  counts: z.record(z.string(), z.number().int().min(0)),
});

export const TaskModalitySchema = z.object({
  model: z.string(),
  head: z.string(),
  temperature: z.number().positive(),
  examples: z.number().int().min(0),
  prototype: PrototypeSchema,
});

export const TaskSchema = z
  .object({
    id: TaskIdSchema,
    labels: z.array(z.string()),
    modalities: z.record(z.string(), TaskModalitySchema),
    fusion: z.object({ strategy: z.string(), weights: z.record(z.string(), z.number()) }),
    version: z.number().int().min(1),
    createdAt: z.string().openapi({ format: 'date-time' }),
    updatedAt: z.string().openapi({ format: 'date-time' }),
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
export type TaskSummary = z.infer<typeof TaskSummarySchema>;
