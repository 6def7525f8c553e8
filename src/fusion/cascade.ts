/**
 * @module
 * A cost-aware cascade: a task's (or a request's) fusion may name modalities in order of cost and a confidence to
 * stop at. Classify scores them in that order and sends the rest to no backend once the fused top score reaches
 * `stop_at` (`classify/cascade.ts`). The shape on the wire, and its check against a task's modalities.
 */
import { z } from '@hono/zod-openapi';
import { UnknownNameError } from '../lookup-error.ts';

export const CascadeSchema = z
  .object({
    order: z
      .array(z.string().min(1).max(200))
      .min(1)
      .max(32)
      .refine((order) => new Set(order).size === order.length, 'cascade.order names each modality once')
      .openapi({
        description:
          "The task's modalities in the order they are scored, cheapest first. Modalities not named are scored " +
          'with the first, and never skipped.',
        example: ['text', 'image', 'audio'],
      }),
    stop_at: z
      .number()
      .gt(0)
      .max(1)
      .openapi({
        description:
          'Once the fused top score of the modalities scored so far reaches this (in (0, 1]), the rest are not ' +
          'sent to the backend; the answer lists them in `missing` as `cascade-stopped`.',
        example: 0.9,
      }),
  })
  .openapi('Cascade', {
    description:
      'Score modalities one stage at a time, cheapest first, and stop when the fusion is confident enough.',
  });

export type Cascade = z.infer<typeof CascadeSchema>;

/** Throws an {@link UnknownNameError} (a 400) for a modality the task does not have. */
export function checkCascade(cascade: Cascade | null | undefined, taskModalities: readonly string[]): void {
  for (const name of cascade?.order ?? []) {
    if (!taskModalities.includes(name)) throw new UnknownNameError('modality', name, taskModalities);
  }
}
