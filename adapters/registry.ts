/**
 * @module
 * The built-in adapters, as the edge registers them: one line per adapter. Adding a modality is one folder under
 * `adapters/` and one entry here (plus its model in the repository); nothing in `src/` or `gpu-backend/` changes.
 */
import { audio } from './audio/edge.ts';
import { html } from './html/edge.ts';
import { image } from './image/edge.ts';
import { text } from './text/edge.ts';
import type { EdgeAdapter } from './types.ts';

export const builtinAdapters = [text, image, audio, html] as const;

/** A lookup of a modality no adapter registers; the message lists the ones that exist. */
export class UnknownModalityError extends Error {
  override readonly name = 'UnknownModalityError';

  constructor(
    readonly modality: string,
    readonly known: readonly string[],
  ) {
    super(`unknown modality ${JSON.stringify(modality)}; known: ${known.join(', ') || '(none)'}`);
  }
}

/** The adapter of `modality` among `adapters` (the built-ins by default); throws {@link UnknownModalityError}. */
export function findAdapter(
  modality: string,
  adapters: readonly EdgeAdapter[] = builtinAdapters,
): EdgeAdapter {
  const adapter = adapters.find((candidate) => candidate.modality === modality);
  if (!adapter)
    throw new UnknownModalityError(
      modality,
      adapters.map((candidate) => candidate.modality),
    );
  return adapter;
}
