/**
 * @module
 * The classify command's conformal and abstention options: `--coverage P` asks for a label set, `--max-set-size
 * K`, `--min-confidence P` and `--max-missing N` for when to abstain. Checked here, so that a typo is a usage
 * error (exit 2) rather than the API's 400.
 */
import type { Command } from 'commander';
import { UsageError } from './output.ts';

export interface DecisionOptions {
  readonly coverage?: number;
  readonly maxSetSize?: number;
  readonly minConfidence?: number;
  readonly maxMissing?: number;
}

function fraction(open: boolean) {
  return (value: string): number => {
    const parsed = Number(value);
    const inside = open ? parsed > 0 && parsed < 1 : parsed >= 0 && parsed <= 1;
    if (!inside) throw new UsageError(`not a number ${open ? 'strictly ' : ''}between 0 and 1: ${value}`);
    return parsed;
  };
}

function wholeNumber(least: number) {
  return (value: string): number => {
    const parsed = Number(value);
    if (!Number.isInteger(parsed) || parsed < least)
      throw new UsageError(`not a whole number ≥ ${least}: ${value}`);
    return parsed;
  };
}

export function decisionOptions(command: Command): Command {
  return command
    .option(
      '--coverage <p>',
      'answer a conformal label set holding the label with this probability',
      fraction(true),
    )
    .option('--max-set-size <k>', 'abstain when the set has more labels (needs --coverage)', wholeNumber(1))
    .option('--min-confidence <p>', 'abstain when the best fused score is lower', fraction(false))
    .option('--max-missing <n>', 'abstain when more modalities are missing', wholeNumber(0));
}

/** The request fields of the options given. */
export function decisionFields(options: DecisionOptions) {
  const abstain = {
    ...(options.maxSetSize === undefined ? {} : { max_set_size: options.maxSetSize }),
    ...(options.minConfidence === undefined ? {} : { min_confidence: options.minConfidence }),
    ...(options.maxMissing === undefined ? {} : { max_missing: options.maxMissing }),
  };
  return {
    ...(options.coverage === undefined ? {} : { coverage: options.coverage }),
    ...(Object.keys(abstain).length > 0 ? { abstain } : {}),
  };
}
