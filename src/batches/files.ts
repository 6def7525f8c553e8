/**
 * @module
 * A tenant's files in R2 (binding `BATCH_FILES`): `tenant/files/<id>`, the object's custom metadata holding what
 * `FileObject` shows. A store reaches its tenant's files only, so another tenant's file id is, to it, a file that
 * does not exist (the same 404).
 */
import { ApiError } from '../problem.ts';
import type { Tenant } from '../tenants/tenant.ts';
import { fileIdPattern, newFileId } from './ids.ts';
import type { FileObject } from './schema.ts';

type Purpose = FileObject['purpose'];

export interface FilePage {
  readonly data: FileObject[];
  readonly hasMore: boolean;
}

export function unknownFile(id: string): ApiError {
  return new ApiError(404, 'unknown-file', `there is no file ${JSON.stringify(id)}`);
}

function fileObject(id: string, object: R2Object): FileObject {
  const meta = object.customMetadata ?? {};
  return {
    id,
    object: 'file',
    bytes: object.size,
    created_at: Number(meta.created_at ?? Math.floor(object.uploaded.getTime() / 1000)),
    filename: meta.filename ?? id,
    purpose: (meta.purpose ?? 'batch') as Purpose,
    status: 'processed',
  };
}

export class FileStore {
  constructor(
    private readonly bucket: R2Bucket,
    readonly tenant: Tenant,
  ) {}

  #prefix(): string {
    return this.tenant.ownedName('files/');
  }

  #key(id: string): string | undefined {
    return fileIdPattern.test(id) ? `${this.#prefix()}${id}` : undefined;
  }

  put(
    filename: string,
    purpose: Purpose,
    body: ArrayBuffer | string | ReadableStream,
    createdBy?: string,
  ): Promise<FileObject> {
    return this.putAs(newFileId(), filename, purpose, body, createdBy);
  }

  /** Stores the file under `id`, replacing what it held: writing it again is writing it once. */
  async putAs(
    id: string,
    filename: string,
    purpose: Purpose,
    body: ArrayBuffer | string | ReadableStream,
    createdBy?: string,
  ): Promise<FileObject> {
    const customMetadata = {
      filename,
      purpose,
      created_at: String(Math.floor(Date.now() / 1000)),
      ...(createdBy === undefined ? {} : { created_by: createdBy }),
    };
    const stored = await this.bucket.put(`${this.#prefix()}${id}`, body, { customMetadata });
    return fileObject(id, stored);
  }

  async require(id: string): Promise<FileObject> {
    const key = this.#key(id);
    const object = key === undefined ? null : await this.bucket.head(key);
    if (object === null) throw unknownFile(id);
    return fileObject(id, object);
  }

  /** The name of the key that uploaded the file (`ownership.ts`); undefined when none did; 404 if none such. */
  async createdBy(id: string): Promise<string | undefined> {
    const key = this.#key(id);
    const object = key === undefined ? null : await this.bucket.head(key);
    if (object === null) throw unknownFile(id);
    return object.customMetadata?.created_by;
  }

  /** The file's bytes, or of `range` of them. */
  async content(id: string, range?: { offset: number; length: number }): Promise<R2ObjectBody> {
    const key = this.#key(id);
    const object = key === undefined ? null : await this.bucket.get(key, range ? { range } : {});
    if (object === null) throw unknownFile(id);
    return object;
  }

  async delete(id: string): Promise<void> {
    await this.require(id);
    await this.bucket.delete(this.#key(id) as string);
  }

  async list(limit: number, after?: string): Promise<FilePage> {
    const prefix = this.#prefix();
    const startAfter = after !== undefined && fileIdPattern.test(after) ? `${prefix}${after}` : undefined;
    // `include` is R2's (listed objects carry no custom metadata without it), missing from workers-types.
    const options = { prefix, limit, include: ['customMetadata'], ...(startAfter ? { startAfter } : {}) };
    const listed = await this.bucket.list(options as R2ListOptions);
    const data = listed.objects.map((object) => fileObject(object.key.slice(prefix.length), object));
    return { data, hasMore: listed.truncated };
  }
}
