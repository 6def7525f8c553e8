/**
 * @module
 * `POST /v1/embeddings` on the wire, as OpenAI defines it (so the official SDK works unchanged, including its
 * default `encoding_format: "base64"`), plus an optional `modality` naming what the inputs are. OpenAI's limits:
 * 2048 inputs (LangChain JS sends 512 at a time), bounded in bytes here rather than tokens (`embed.ts`). Token
 * arrays parse, so that their refusal can say why (`embed.ts`), rather than a bare schema error.
 */
import { z } from '@hono/zod-openapi';

export const maxEmbeddingInputs = 2048;

/** The inputs' UTF-8 bytes in all: 16 MiB, half the body cap, so that JSON's own overhead never decides. */
export const maxEmbeddingInputBytes = 16 * 1024 * 1024;

const tokenArray = z.array(z.number().int()).min(1);

export const encodingFormats = ['float', 'base64'] as const;

export const EmbeddingsRequestSchema = z
  .object({
    model: z.string().min(1).openapi({ example: 'use-lite' }),
    // An empty input is no text, data URL or URL for any model, so it is refused before the backend is asked.
    input: z
      .union([
        z.string().min(1),
        z.array(z.string().min(1)).min(1).max(maxEmbeddingInputs),
        tokenArray,
        z.array(tokenArray).min(1).max(maxEmbeddingInputs),
      ])
      .openapi({
        description:
          'Text, or for image/audio models a data URL or https URL; or an array of up to 2048 of them (none ' +
          'empty, 16 MiB in all). Token arrays are refused (400 `token-input-unsupported`): see docs/inputs.md.',
      }),
    encoding_format: z.enum(encodingFormats).default('float'),
    dimensions: z.number().int().positive().optional().openapi({ description: 'Truncate and renormalise.' }),
    modality: z.string().optional().openapi({ description: "Must match the model's modality if given." }),
    user: z.string().optional(),
  })
  .openapi('EmbeddingsRequest');

export const EmbeddingListSchema = z
  .object({
    object: z.literal('list'),
    data: z.array(
      z.object({
        object: z.literal('embedding'),
        index: z.number().int(),
        embedding: z.union([z.array(z.number()), z.string()]).openapi({
          description: 'Floats, or base64 of little-endian float32 with encoding_format "base64".',
        }),
      }),
    ),
    model: z.string(),
    usage: z.object({ prompt_tokens: z.number().int(), total_tokens: z.number().int() }),
  })
  .openapi('EmbeddingList');

export type EmbeddingsRequest = z.infer<typeof EmbeddingsRequestSchema>;
export type EmbeddingList = z.infer<typeof EmbeddingListSchema>;
