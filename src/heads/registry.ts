/**
 * @module
 * The built-in heads, in the order refusals list them. Registering one is one line here; its name then becomes
 * valid in tasks, and unknown names are refused with the list of these. `prototype` learns from examples as they
 * are taught; `linear` uses given weights or is fitted by refit; `zero-shot` needs no examples (label prompts
 * embedded by a text model sharing its model's space); `provider-label` maps a classification endpoint's own
 * labels onto the task's — the only head such a model fits, as it gives no embedding.
 */
import { UnknownNameError } from '../lookup-error.ts';
import type { Head } from './head.ts';
import { linearHead } from './linear.ts';
import { prototypeHead } from './prototype.ts';
import { providerLabelHead } from './provider-label.ts';
import { zeroShotHead } from './zero-shot.ts';

export const heads = [prototypeHead, linearHead, zeroShotHead, providerLabelHead] as const;

export type HeadName = (typeof heads)[number]['name'];

export const headNames: readonly HeadName[] = heads.map((head) => head.name);

export function findHead(name: string): Head {
  const head = heads.find((candidate) => candidate.name === name);
  if (head === undefined) throw new UnknownNameError('head', name, headNames);
  return head;
}
