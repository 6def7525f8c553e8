/**
 * @module
 * Files a text model's config names beside it — a Hugging Face `tokenizer.json`, a SentencePiece `vocab.json` —
 * for the text adapter's backend face. The file named by a parameter is resolved inside the model's folder (a path
 * leaving it is the operator's error, never followed), and each file is parsed once per path: parsing a vocabulary
 * costs far more than encoding a sentence. A load that failed is not kept, so a fixed file is picked up by the next
 * request.
 */
import { isAbsolute, join, relative } from 'node:path';
import { stringParameter } from '../shared/parameters.ts';
import type { PreprocessContext } from '../types.ts';

type FileContext = Pick<PreprocessContext, 'model' | 'parameters' | 'directory'>;

/** The path of the file that `parameter` names, inside the model's folder. */
export function modelFilePath(context: FileContext, parameter: string): string {
  const file = stringParameter(context, parameter);
  if (context.directory === undefined)
    throw new Error(`model "${context.model}": no model folder to read ${file} from`);
  const path = join(context.directory, file);
  const inside = relative(context.directory, path);
  if (inside === '' || inside.startsWith('..') || isAbsolute(inside))
    throw new Error(`model "${context.model}": ${parameter} ${file} is outside its folder`);
  return path;
}

/** A loader of the file `parameter` names, parsed by `load` once per path. */
export function modelFileLoader<T>(
  parameter: string,
  load: (path: string) => Promise<T>,
): (context: FileContext) => Promise<T> {
  const loaded = new Map<string, Promise<T>>();
  return (context) => {
    const path = modelFilePath(context, parameter);
    let known = loaded.get(path);
    if (!known) {
      known = load(path);
      known.catch(() => loaded.delete(path));
      loaded.set(path, known);
    }
    return known;
  };
}
