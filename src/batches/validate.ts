/**
 * @module
 * Validation of a batch's input file before anything is queued, as OpenAI's Batch API does it: the file's bytes,
 * its number of lines, each line's bytes; each line JSON `{custom_id, method: "POST", url, body}` with the batch's
 * endpoint as `url` and a `custom_id` no other line has. What fails is reported by line number (1-based, as an
 * editor shows it), at most {@link maxReported} of them. Blank lines (and a final newline) are skipped; CRLF is
 * read as LF. What passes is a list of byte ranges, one per request, from which the queue's chunks are cut.
 */
import type { BatchLimits } from './limits.ts';
import { BatchLineSchema, type BatchEndpoint, type BatchError } from './schema.ts';

/** Where one request sits in the input file. */
export interface LineRef {
  readonly offset: number;
  readonly length: number;
  readonly customId: string;
}

export type Validation =
  { readonly ok: true; readonly lines: LineRef[] } | { readonly ok: false; readonly errors: BatchError[] };

export const maxReported = 20;

const newline = 0x0a;
const decoder = new TextDecoder('utf-8', { fatal: true, ignoreBOM: false });

function fail(code: string, message: string, line: number | null = null, param: string | null = null) {
  return { code, line, message, param };
}

/** The ranges of the file's non-blank lines, with their line numbers. */
function splitLines(bytes: Uint8Array): { number: number; offset: number; length: number }[] {
  const lines = [];
  let start = 0;
  for (let number = 1; start < bytes.length; number++) {
    const end = bytes.indexOf(newline, start);
    const stop = end < 0 ? bytes.length : end;
    const length = stop > start && bytes[stop - 1] === 0x0d ? stop - start - 1 : stop - start;
    if (bytes.subarray(start, start + length).some((byte) => byte > 0x20)) {
      lines.push({ number, offset: start, length });
    }
    start = stop + 1;
  }
  return lines;
}

type LineCheck = Omit<BatchError, 'line'> | { readonly customId: string };

/** What is wrong with one line, or its custom_id; `seen` collects the custom_ids. */
function checkLine(text: string, endpoint: BatchEndpoint, seen: Set<string>): LineCheck {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return fail('invalid_json_line', 'this line is not JSON');
  }
  const parsed = BatchLineSchema.safeParse(value);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const param = issue?.path.map(String).join('.') || null;
    return fail('invalid_request', `${param ?? 'the line'}: ${issue?.message ?? 'invalid'}`, null, param);
  }
  const { url, custom_id: id } = parsed.data;
  if (url !== endpoint) {
    return fail('mismatched_url', `url is ${url} but the batch's endpoint is ${endpoint}`, null, 'url');
  }
  if (seen.has(id))
    return fail('duplicate_custom_id', `custom_id ${JSON.stringify(id)} is on an earlier line`);
  seen.add(id);
  return { customId: id };
}

function textOf(bytes: Uint8Array): string | undefined {
  try {
    return decoder.decode(bytes);
  } catch {
    return undefined;
  }
}

/** A file over the size limit fails as a whole, before it is read. */
export function sizeCheck(bytes: number, limits: BatchLimits): Validation | undefined {
  if (bytes <= limits.fileBytes) return undefined;
  const message = `the file has ${bytes} bytes, over the limit of ${limits.fileBytes}`;
  return { ok: false, errors: [fail('file_too_large', message)] };
}

export function validateInput(bytes: Uint8Array, endpoint: BatchEndpoint, limits: BatchLimits): Validation {
  const tooLarge = sizeCheck(bytes.length, limits);
  if (tooLarge !== undefined) return tooLarge;
  const lines = splitLines(bytes);
  if (lines.length === 0) return { ok: false, errors: [fail('empty_file', 'the file holds no request')] };
  if (lines.length > limits.lines) {
    const message = `the file has ${lines.length} requests, over the limit of ${limits.lines}`;
    return { ok: false, errors: [fail('too_many_requests', message)] };
  }
  const errors: BatchError[] = [];
  const refs: LineRef[] = [];
  const seen = new Set<string>();
  for (const { number, offset, length } of lines) {
    const text = length > limits.lineBytes ? undefined : textOf(bytes.subarray(offset, offset + length));
    const check =
      length > limits.lineBytes
        ? fail('line_too_large', `the line has ${length} bytes, over the limit of ${limits.lineBytes}`)
        : text === undefined
          ? fail('invalid_utf8', 'the line is not UTF-8')
          : checkLine(text, endpoint, seen);
    if ('customId' in check) refs.push({ offset, length, customId: check.customId });
    else errors.push({ ...check, line: number });
    if (errors.length === maxReported) break;
  }
  return errors.length > 0 ? { ok: false, errors } : { ok: true, lines: refs };
}
