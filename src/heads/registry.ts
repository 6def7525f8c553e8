/**
 * @module
 * The heads a task's modality may use; tasks naming anything else are refused with this list. `prototype` learns
 * incrementally from examples; `linear` uses given weights or is fitted from the stored examples by refit;
 * `zero-shot` needs no examples: label prompts embedded by a text model sharing the modality model's space
 * (`shared-spaces.ts`) at task creation. `provider-label` maps a classification endpoint's own labels onto the task's
 * (`provider-label.ts`); it is the only head such a model fits, and fits no other model.
 */
import { UnknownNameError } from '../lookup-error.ts';

export const headNames = ['prototype', 'linear', 'zero-shot', 'provider-label'] as const;

export type HeadName = (typeof headNames)[number];

export const defaultHead: HeadName = 'prototype';

export function checkHead(name: string): HeadName {
  const head = headNames.find((candidate) => candidate === name);
  if (head === undefined) throw new UnknownNameError('head', name, headNames);
  return head;
}
