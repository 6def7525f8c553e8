/**
 * @module
 * The wire and storage shapes of conformal sets and abstention (`conformal/`, `classify/conformal.ts`): a
 * coverage level, when to abstain, and refit's calibration as stored and as the task's view counts it.
 */
import { z } from '@hono/zod-openapi';

/** When an answer abstains (`label: null`): any condition met is enough. */
export const AbstainSchema = z
  .object({
    max_set_size: z.number().int().min(1).optional().openapi({
      description: 'Abstain when the fused conformal `set` has more labels than this (needs a `coverage`).',
    }),
    min_confidence: z.number().min(0).max(1).optional().openapi({
      description: 'Abstain when the fused score of the best label is below this.',
    }),
    max_missing: z.number().int().min(0).optional().openapi({
      description: "Abstain when more of the task's modalities than this are missing from the answer.",
    }),
  })
  .strict()
  .openapi('Abstain');

export const CoverageSchema = z.number().gt(0).lt(1).openapi({
  description:
    'Answer a conformal `set` of labels that holds the true label with at least this probability (0 < coverage < 1), as calibrated by the last refit.',
  example: 0.9,
});

const ConformalScoresSchema = z.object({ scores: z.array(z.number()), labels: z.array(z.number().int()) });

/** Refit's conformal calibration (`conformal/fit.ts`). */
export const ConformalSchema = z.object({
  modalities: z.record(z.string(), ConformalScoresSchema),
  fused: z.record(z.string(), z.record(z.string(), ConformalScoresSchema)),
  weights: z.record(z.string(), z.number()),
});

/** What the API shows of it: how many calibration examples each modality and pattern of modalities has. */
export const ConformalViewSchema = z.object({
  modalities: z.record(z.string(), z.number().int()),
  fused: z.record(z.string(), z.number().int()).openapi({
    description: 'Per pattern of fused modalities (names sorted, joined by `+`).',
  }),
});

export type Abstain = z.infer<typeof AbstainSchema>;
