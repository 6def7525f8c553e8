/**
 * @module
 * The built-in fusion strategies. Registering one is one line here; its name then becomes valid in tasks and
 * requests, and unknown names are refused with the list of these.
 */
import { UnknownNameError } from '../lookup-error.ts';
import { confidence } from './confidence.ts';
import { max } from './max.ts';
import { product } from './product.ts';
import { stacking } from './stacking.ts';
import type { FusionStrategy } from './strategy.ts';
import { vote } from './vote.ts';
import { weighted } from './weighted.ts';

export const strategies = [weighted, product, max, vote, confidence, stacking] as const;

export type StrategyName = (typeof strategies)[number]['name'];

export const strategyNames: readonly StrategyName[] = strategies.map((strategy) => strategy.name);

export const defaultStrategy: StrategyName = 'weighted';

export function findStrategy(name: string): FusionStrategy {
  const strategy = strategies.find((candidate) => candidate.name === name);
  if (strategy === undefined) throw new UnknownNameError('fusion strategy', name, strategyNames);
  return strategy;
}
