/**
 * @module
 * The heads a task's modality may use. Only `prototype` so far; `linear` and `zero-shot` (see DESIGN.md) join
 * this list when they exist, and tasks naming anything else are refused with this list.
 */
import { UnknownNameError } from '../lookup-error.ts';

export const headNames = ['prototype'] as const;

export type HeadName = (typeof headNames)[number];

export const defaultHead: HeadName = 'prototype';

export function checkHead(name: string): HeadName {
  const head = headNames.find((candidate) => candidate === name);
  if (head === undefined) throw new UnknownNameError('head', name, headNames);
  return head;
}
