/**
 * @module
 * One client value (a JSON string or a multipart part) → the adapter's {@link RawInput}, following the JSON forms
 * the adapter accepts: a data URL, an `https` URL (fetched), plain text, or bare base64 — tried in that order,
 * so that text adapters see text and byte adapters never mistake a URL for base64. A URL's host is vetted through
 * the request's {@link UrlPolicy} (its DNS-over-HTTPS resolver).
 */
import { AdapterInputError } from '../../adapters/errors.ts';
import type { EdgeAdapter, RawInput } from '../../adapters/types.ts';
import { ApiError } from '../problem.ts';
import { decodeInlineBase64, parseDataUrl } from './bytes.ts';
import { defaultFetchTimeoutMs, fetchUrlInput } from './fetch-url.ts';
import type { UrlBudget } from './url-budget.ts';

/** A value as it arrives: a JSON string or form field, or a multipart file part. */
export type InputValue = string | File;

/** How a request fetches URL inputs: the DNS-over-HTTPS resolver that vets their hosts (`DOH_URL`). */
export interface UrlPolicy {
  readonly dohUrl?: string | undefined;
  /** The request's DNS checks by host, so each host is resolved once per request. */
  readonly memo?: Map<string, Promise<void>> | undefined;
  /** The request's fetches at once and total bytes across its URL inputs. */
  readonly budget?: UrlBudget | undefined;
}

const urlLike = /^[a-z][a-z0-9+.-]*:\/\//i;

function fromString(adapter: EdgeAdapter, value: string, policy: UrlPolicy): Promise<RawInput> | RawInput {
  const forms = adapter.jsonForms;
  const { maxBytes } = adapter.limits;
  if (forms.includes('dataUrl') && /^data:/i.test(value)) {
    return { kind: 'bytes', ...parseDataUrl(value, maxBytes) };
  }
  if (forms.includes('url') && urlLike.test(value)) {
    const dns = { dohUrl: policy.dohUrl, memo: policy.memo };
    return fetchUrlInput(value, { maxBytes, timeoutMs: defaultFetchTimeoutMs, dns, budget: policy.budget });
  }
  if (forms.includes('text')) return { kind: 'text', value };
  if (forms.includes('base64')) return { kind: 'bytes', bytes: decodeInlineBase64(value, maxBytes) };
  throw new ApiError(
    400,
    'unsupported-input-form',
    `a ${adapter.modality} input must be given as one of: ${forms.join(', ')}`,
    { extensions: { accepted: forms } },
  );
}

async function fromFile(adapter: EdgeAdapter, file: File): Promise<RawInput> {
  const { maxBytes } = adapter.limits;
  if (file.size > maxBytes) {
    const detail = `the ${adapter.modality} part is ${file.size} bytes; the limit is ${maxBytes}`;
    throw new AdapterInputError('too-large', detail, { limit: maxBytes, actual: file.size });
  }
  const bytes = new Uint8Array(await file.arrayBuffer());
  return { kind: 'bytes', bytes, declaredType: file.type || undefined, filename: file.name || undefined };
}

export async function toRawInput(
  adapter: EdgeAdapter,
  value: InputValue,
  policy: UrlPolicy = {},
): Promise<RawInput> {
  return typeof value === 'string' ? fromString(adapter, value, policy) : fromFile(adapter, value);
}
