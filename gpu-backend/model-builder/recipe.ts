/**
 * @module
 * What a default model is made of: a recipe names its source files and builds the model's files from them (its
 * config written by `model-repository/modality-model.ts`, the way every model of this repository shares).
 */
import type { BuiltModel } from '../model-repository/install.ts';
import type { SourceFile } from './sources.ts';

export interface ModelRecipe {
  readonly name: string;
  /** Bumped whenever the recipe's output changes, so that stamped models are rebuilt. */
  readonly version: number;
  readonly sources: readonly SourceFile[];
  /** The constants the build depends on besides its sources; part of the stamp, so changing one rebuilds. */
  readonly settings: Readonly<Record<string, unknown>>;
  /** Builds the model from the verified paths of its sources. */
  build(sources: Readonly<Partial<Record<SourceFile, string>>>): Promise<BuiltModel>;
}

/** The verified path of a source the recipe declared; a recipe asking for an undeclared one is a bug. */
export function sourceOf(sources: Readonly<Partial<Record<SourceFile, string>>>, file: SourceFile): string {
  const path = sources[file];
  if (!path)
    throw new Error(`source ${file} was not prepared (prepared: ${Object.keys(sources).join(', ')})`);
  return path;
}
