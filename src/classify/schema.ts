/**
 * @module
 * `POST /v1/classify` on the wire: one item (`inputs`) or a batch (`items`), JSON or multipart, and the answer
 * with its per-modality breakdown.
 */
import { z } from '@hono/zod-openapi';
import { FormValueSchema } from '../inputs/body.ts';
import { ProblemSchema } from '../openapi.ts';
import { FusionConfigSchema, TaskIdSchema } from '../tasks/schema.ts';

export const maxBatchItems = 64;

/** Label sets up to this size are answered whole by default; larger ones with their {@link defaultTopK} best. */
export const wholeAnswerUpTo = 100;
export const defaultTopK = 10;

/** The `top_k` an answer over `labels` labels gets when the request names none. */
export function defaultTopKFor(labels: number): number {
  return labels <= wholeAnswerUpTo ? labels : defaultTopK;
}

const topKDescription =
  'How many of the best labels the answer lists, fused and per modality (an integer ≥ 1; more than the task has ' +
  `means all). Default: all for tasks of up to ${wholeAnswerUpTo} labels, else the best ${defaultTopK}. The ` +
  'winning `label` and `share` do not depend on it.';

const TopKSchema = z.number().int().min(1).openapi({ description: topKDescription, example: 5 });

/** Why a derived part of a valid input is not there (its adapter's `absent` refusal's `reason`). */
export const partAbsentReasons = ['no-text', 'no-audio-track'] as const;

/**
 * Why a modality was not fused, when it is not a refused input (`invalid-input`); `cascade-stopped`: its input was
 * not sent, the fusion's cascade having reached its `stop_at` before it; `no-text`, `no-audio-track`: the input is
 * there but the part its modality reads is not (an image without text, a video without sound).
 */
const missingReasons = [
  'absent',
  'no-examples',
  'not-fitted',
  'backend-unavailable',
  'cascade-stopped',
  ...partAbsentReasons,
] as const;

export type MissingReason = (typeof missingReasons)[number];

export const InputsSchema = z.record(z.string(), z.string()).openapi({
  description:
    'One input per modality: text, a data URL, bare base64 or an https URL, as the adapter accepts.',
  example: { text: 'a ripe red apple', image: 'data:image/png;base64,iVBORw0KGgo...' },
});

const ItemSchema = z.object({
  inputs: InputsSchema,
  fusion: FusionConfigSchema.optional(),
  top_k: TopKSchema.optional().openapi({ description: "This item's `top_k`, over the request's." }),
});

const StrictSchema = z.boolean().openapi({
  description:
    'Refuse an item as soon as one of its inputs is refused (with that problem), rather than answer it from the ' +
    'other modalities with the input listed in `missing` as `invalid-input`. Default false.',
});

export const ClassifyJsonSchema = z
  .object({
    task: TaskIdSchema,
    inputs: InputsSchema.optional(),
    items: z
      .array(ItemSchema)
      .min(1)
      .max(maxBatchItems)
      .optional()
      .openapi({ description: `A batch of up to ${maxBatchItems} items; the answer is an array in order.` }),
    fusion: FusionConfigSchema.optional(),
    strict: StrictSchema.optional(),
    top_k: TopKSchema.optional(),
  })
  .refine((body) => (body.inputs === undefined) !== (body.items === undefined), {
    message: 'give either inputs (one item) or items (a batch), not both',
  })
  .openapi('ClassifyRequest');

export const ClassifyFormSchema = z
  .object({
    task: TaskIdSchema,
    fusion: z.string().optional().openapi({ description: 'The fusion config as a JSON string.' }),
    strict: z.enum(['true', 'false']).optional().openapi({
      description: 'As `strict` in JSON: refuse the item as soon as one of its inputs is refused.',
    }),
    top_k: z
      .string()
      .regex(/^[1-9][0-9]{0,8}$/, 'an integer ≥ 1')
      .optional()
      .openapi({ description: topKDescription, example: '5' }),
  })
  .catchall(FormValueSchema)
  .openapi('ClassifyForm', { description: 'A part per modality (file or string), plus task and fusion.' });

const ScoresSchema = z.array(z.object({ label: z.string(), score: z.number() }));

const MissingSchema = z.object({
  modality: z.string(),
  reason: z.enum(missingReasons),
  detail: z.string().optional(),
});

const InvalidInputSchema = z
  .object({
    modality: z.string(),
    reason: z.literal('invalid-input'),
    type: z.string(),
    title: z.string(),
    status: z.number().int(),
    detail: z.string(),
    code: z.string(),
  })
  .openapi({
    description: 'The input was refused (by its adapter or its model): the problem it would have got alone.',
  });

export const ClassificationSchema = z
  .object({
    task: z.string(),
    label: z.string(),
    scores: ScoresSchema.openapi({
      description:
        'The fused distribution, best first: its best `top_k` labels (all by default for small tasks).',
    }),
    modalities: z.record(
      z.string(),
      z.object({
        label: z.string(),
        scores: ScoresSchema.openapi({ description: "The modality's own best `top_k` labels, best first." }),
        weight: z.number(),
        share: z.number().openapi({
          description:
            "The modality's share of the winning label's support: w_m p_m(label) / Σ w p(label), in [0, 1].",
        }),
        text: z.string().optional().openapi({
          description: 'What a derived part read (`image.text`: the text recognised in the image).',
        }),
        confidence: z.number().optional().openapi({
          description: 'How sure that reading is, in [0, 1] (`image.text`: the mean character probability).',
        }),
      }),
    ),
    missing: z.array(z.union([MissingSchema, InvalidInputSchema])).openapi({
      description: "The task's modalities not fused, in task order, and why.",
    }),
    fusion: z.object({ strategy: z.string(), weights: z.record(z.string(), z.number()) }),
  })
  .openapi('Classification');

export type Classification = z.infer<typeof ClassificationSchema>;

export const ItemErrorSchema = z
  .object({ error: ProblemSchema.omit({ instance: true, requestId: true }) })
  .openapi('ClassifyItemError', {
    description:
      'A batch item that could not be answered, in its place: the problem it would have got alone — a 4xx for ' +
      'its inputs, or a 503 (with `retryAfter` seconds) when the backend is unavailable for it; when it is for ' +
      'every item, the batch itself is that 503.',
  });
