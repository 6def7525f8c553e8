/**
 * @module
 * The built-in adapters, as the edge registers them: one line per adapter. Adding a modality is one folder under
 * `adapters/` and one entry here (plus its model in the repository); nothing in `src/` or `gpu-backend/` changes.
 * Lookups by modality are the edge's (`src/modalities.ts`), whose failures list the registered ones.
 */
import { audio } from './audio/edge.ts';
import { html } from './html/edge.ts';
import { image } from './image/edge.ts';
import { text } from './text/edge.ts';
import { video } from './video/edge.ts';

export const builtinAdapters = [text, image, audio, html, video] as const;
