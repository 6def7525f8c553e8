/**
 * @module
 * The Worker's side of batches, for one tenant: creating one (the input file validated, then its state, chunks
 * included, in the batch's own Durable Object, binding `BATCH_OBJECTS`, named `tenant/batch id`, which queues them),
 * reading, listing and cancelling. The list is R2's (`tenant/batches/<id>`, empty markers whose ids sort newest
 * first). A store reaches its tenant's batches only: another tenant's batch is, to it, one that does not exist.
 */
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import { ApiError } from '../problem.ts';
import type { Answer } from '../tasks/rpc.ts';
import type { Tenant } from '../tenants/tenant.ts';
import type { BatchObject } from './batch-object.ts';
import { chunkMessages, chunksOf, type ChunkMessage } from './chunks.ts';
import type { FileStore } from './files.ts';
import { batchIdPattern, newBatchId } from './ids.ts';
import type { BatchLimits } from './limits.ts';
import { nowSeconds, type BatchRecord } from './record.ts';
import type { Batch, BatchCreate } from './schema.ts';
import { sizeCheck, validateInput, type Validation } from './validate.ts';

export interface BatchBindings {
  readonly BATCH_OBJECTS: DurableObjectNamespace<BatchObject>;
  readonly BATCH_FILES: R2Bucket;
  readonly BATCH_QUEUE: Queue;
}

export interface BatchPage {
  readonly data: Batch[];
  readonly hasMore: boolean;
}

const completionWindowSeconds = 24 * 3600;
/** A marker whose batch has not started after this long never will (a create takes seconds). */
const staleMarkerMs = 3600_000;

function unknownBatch(id: string): ApiError {
  return new ApiError(404, 'unknown-batch', `there is no batch ${JSON.stringify(id)}`);
}

function unwrap<T>(answer: Answer<T>): T {
  if (answer.ok) return answer.value;
  const { status, code, detail } = answer.problem;
  throw new ApiError(status as ContentfulStatusCode, code, detail);
}

export function newRecord(tenant: Tenant, request: BatchCreate, validation: Validation): BatchRecord {
  const now = nowSeconds();
  const failed = !validation.ok;
  return {
    id: newBatchId(),
    object: 'batch',
    tenant: tenant.name,
    endpoint: request.endpoint,
    errors: failed ? { object: 'list', data: validation.errors } : null,
    input_file_id: request.input_file_id,
    completion_window: '24h',
    status: failed ? 'failed' : 'in_progress',
    output_file_id: null,
    error_file_id: null,
    created_at: now,
    in_progress_at: failed ? null : now,
    expires_at: now + completionWindowSeconds,
    finalizing_at: null,
    completed_at: null,
    failed_at: failed ? now : null,
    expired_at: null,
    cancelling_at: null,
    cancelled_at: null,
    metadata: request.metadata ?? null,
  };
}

export class BatchStore {
  constructor(
    private readonly bindings: BatchBindings,
    private readonly tenant: Tenant,
    private readonly files: FileStore,
    private readonly limits: BatchLimits,
  ) {}

  #object(id: string): DurableObjectStub<BatchObject> {
    return this.bindings.BATCH_OBJECTS.getByName(this.tenant.ownedName(id));
  }

  /** The input file checked (size first, before reading it), then the batch stored; its object queues the chunks. */
  async create(request: BatchCreate, createdBy?: string): Promise<Batch> {
    const file = await this.files.require(request.input_file_id);
    if (file.purpose !== 'batch') {
      throw new ApiError(
        400,
        'invalid-input-file',
        `${file.id} is a batch's ${file.purpose} file, not an input`,
      );
    }
    const validation =
      sizeCheck(file.bytes, this.limits) ??
      validateInput(await this.#bytes(request.input_file_id), request.endpoint, this.limits);
    const record = newRecord(this.tenant, request, validation);
    const chunks = validation.ok ? chunksOf(validation.lines, this.limits.linesPerMessage) : [];
    const base = { tenant: this.tenant.name, batch: record.id, file: request.input_file_id };
    const messages = chunkMessages(base, chunks);
    const started = chunks.map((refs, i) => ({
      message: messages[i] as ChunkMessage,
      customIds: refs.map((ref) => ref.customId),
    }));
    // The marker first: a batch never exists unlisted. A marker whose batch failed to start is skipped by the list.
    const customMetadata: Record<string, string> = createdBy === undefined ? {} : { created_by: createdBy };
    await this.bindings.BATCH_FILES.put(this.#marker(record.id), '', { customMetadata });
    return (await this.#object(record.id).start(record, started)) as Batch;
  }

  async #bytes(fileId: string): Promise<Uint8Array> {
    return new Uint8Array(await (await this.files.content(fileId)).arrayBuffer());
  }

  async get(id: string): Promise<Batch> {
    const batch = await this.#find(id);
    if (batch === undefined) throw unknownBatch(id);
    return batch;
  }

  async #find(id: string): Promise<Batch | undefined> {
    return batchIdPattern.test(id) ? ((await this.#object(id).view()) as Batch | undefined) : undefined;
  }

  /** The listing's marker of a batch, which also holds the name of the key that created it (`ownership.ts`). */
  #marker(id: string): string {
    return this.tenant.ownedName(`batches/${id}`);
  }

  /** The name of the key that created the batch; undefined when none did (or its marker is lost); 404 if none such. */
  async createdBy(id: string): Promise<string | undefined> {
    await this.get(id);
    return (await this.bindings.BATCH_FILES.head(this.#marker(id)))?.customMetadata?.created_by;
  }

  async cancel(id: string): Promise<Batch> {
    await this.get(id);
    return unwrap((await this.#object(id).cancel()) as Answer<Batch>);
  }

  async list(limit: number, after?: string): Promise<BatchPage> {
    const prefix = this.tenant.ownedName('batches/');
    const startAfter = after !== undefined && batchIdPattern.test(after) ? `${prefix}${after}` : undefined;
    const listed = await this.bindings.BATCH_FILES.list({
      prefix,
      limit,
      ...(startAfter ? { startAfter } : {}),
    });
    const found = await Promise.all(listed.objects.map((marker) => this.#listed(marker, prefix.length)));
    return { data: found.filter((batch) => batch !== undefined), hasMore: listed.truncated };
  }

  /** A marker's batch; undefined for one whose batch never started (its create failed), deleted once stale. */
  async #listed(marker: R2Object, prefixLength: number): Promise<Batch | undefined> {
    const batch = await this.#find(marker.key.slice(prefixLength));
    // Older than any create still under way: its batch will never start.
    if (batch === undefined && Date.now() - marker.uploaded.getTime() > staleMarkerMs)
      await this.bindings.BATCH_FILES.delete(marker.key);
    return batch;
  }
}
