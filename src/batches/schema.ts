/**
 * @module
 * The shapes of OpenAI's Files and Batch APIs as this API answers them (the `openai` SDK's `FileObject` and
 * `Batch`), the request bodies, and one line of a batch's input file.
 */
import { z } from '@hono/zod-openapi';

/** What a batch may run: the synchronous routes its lines are sent to. */
export const batchEndpoints = ['/v1/embeddings', '/v1/classify'] as const;

export type BatchEndpoint = (typeof batchEndpoints)[number];

export const batchStatuses = [
  'validating',
  'failed',
  'in_progress',
  'finalizing',
  'completed',
  'expired',
  'cancelling',
  'cancelled',
] as const;

export type BatchStatus = (typeof batchStatuses)[number];

export const filePurposes = ['batch', 'batch_output'] as const;

export const FileObjectSchema = z
  .object({
    id: z.string().openapi({ example: 'file-0000abc1234567890abcdef12' }),
    object: z.literal('file'),
    bytes: z.number().int(),
    created_at: z.number().int().openapi({ description: 'Unix seconds.' }),
    filename: z.string(),
    purpose: z.enum(filePurposes),
    status: z.literal('processed'),
  })
  .openapi('FileObject');

export type FileObject = z.infer<typeof FileObjectSchema>;

export const FileDeletedSchema = z
  .object({ id: z.string(), object: z.literal('file'), deleted: z.boolean() })
  .openapi('FileDeleted');

export const FileUploadSchema = z
  .object({
    purpose: z.literal('batch').openapi({ description: 'Only `batch` files are taken.' }),
    file: z.any().openapi({ type: 'string', format: 'binary', description: 'The JSONL file.' }),
  })
  .openapi('FileUpload');

export const BatchErrorSchema = z.object({
  code: z.string(),
  line: z.number().int().nullable(),
  message: z.string(),
  param: z.string().nullable(),
});

export type BatchError = z.infer<typeof BatchErrorSchema>;

export const RequestCountsSchema = z.object({
  total: z.number().int(),
  completed: z.number().int(),
  failed: z.number().int(),
});

export const BatchUsageSchema = z
  .object({
    input_tokens: z.number().int(),
    input_tokens_details: z.object({ cached_tokens: z.number().int() }),
    output_tokens: z.number().int(),
    output_tokens_details: z.object({ reasoning_tokens: z.number().int() }),
    total_tokens: z.number().int(),
  })
  .openapi({
    description:
      "OpenAI's usage shape: the input tokens its answered lines report (embeddings' `usage.prompt_tokens`); " +
      'no line produces output tokens.',
  });

const MetadataSchema = z
  .record(z.string().max(64), z.string().max(512))
  .refine((value) => Object.keys(value).length <= 16, 'at most 16 keys')
  .nullable()
  .openapi({ description: 'Up to 16 key-value pairs, as OpenAI allows.' });

const timestamp = z.number().int().nullable();

export const BatchSchema = z
  .object({
    id: z.string().openapi({ example: 'batch_0000abc1234567890abcdef12' }),
    object: z.literal('batch'),
    endpoint: z.enum(batchEndpoints),
    errors: z.object({ object: z.literal('list'), data: z.array(BatchErrorSchema) }).nullable(),
    input_file_id: z.string(),
    completion_window: z.literal('24h'),
    status: z.enum(batchStatuses),
    output_file_id: z.string().nullable(),
    error_file_id: z.string().nullable(),
    created_at: z.number().int(),
    in_progress_at: timestamp,
    expires_at: timestamp,
    finalizing_at: timestamp,
    completed_at: timestamp,
    failed_at: timestamp,
    expired_at: timestamp,
    cancelling_at: timestamp,
    cancelled_at: timestamp,
    request_counts: RequestCountsSchema,
    usage: BatchUsageSchema,
    metadata: MetadataSchema,
  })
  .openapi('Batch', { description: "A batch, as OpenAI's Batch API shows one; times are Unix seconds." });

export type Batch = z.infer<typeof BatchSchema>;

export const BatchCreateSchema = z
  .object({
    input_file_id: z.string().min(1),
    endpoint: z.enum(batchEndpoints),
    completion_window: z.literal('24h'),
    metadata: MetadataSchema.optional(),
  })
  .openapi('BatchCreate');

export type BatchCreate = z.infer<typeof BatchCreateSchema>;

export const PageQuerySchema = z.object({
  after: z.string().optional().openapi({ description: 'The last id of the previous page.' }),
  limit: z.coerce.number().int().min(1).max(100).default(20),
});

export function pageSchema<T extends z.ZodType>(item: T, name: string) {
  return z
    .object({
      object: z.literal('list'),
      data: z.array(item),
      first_id: z.string().nullable(),
      last_id: z.string().nullable(),
      has_more: z.boolean(),
    })
    .openapi(name);
}

/** A page of a list as OpenAI answers it. */
export function listPage<T extends { id: string }>(data: T[], hasMore: boolean) {
  const ends = { first_id: data[0]?.id ?? null, last_id: data.at(-1)?.id ?? null };
  return { object: 'list' as const, data, ...ends, has_more: hasMore };
}

/** One line of an input file: a request to one of {@link batchEndpoints}. */
export const BatchLineSchema = z.object({
  custom_id: z.string().min(1).max(512),
  method: z.literal('POST'),
  url: z.enum(batchEndpoints),
  body: z.record(z.string(), z.unknown()),
});

export type BatchLine = z.infer<typeof BatchLineSchema>;
