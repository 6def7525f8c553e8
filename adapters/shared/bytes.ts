/**
 * @module
 * Byte-level checks shared by the edge faces: the raw input's form, its size, magic bytes, and the client's declared
 * type. Web APIs only (it is bundled into the Worker) and also used by the backend faces.
 */
import { AdapterInputError } from '../errors.ts';
import type { RawInput } from '../types.ts';

/** Declared types that say nothing about the content: clients send them when they do not know. */
const undeclaredTypes: readonly string[] = ['', 'application/octet-stream'];

/** The bytes of a binary input; a JSON string is refused because binary modalities travel as data URLs. */
export function requireBytes(
  input: RawInput,
  modality: string,
): { bytes: Uint8Array; declaredType: string | undefined } {
  if (input.kind !== 'bytes') {
    throw new AdapterInputError(
      'unsupported-type',
      `${modality} input must be bytes (data URL, base64 or URL)`,
    );
  }
  return { bytes: input.bytes, declaredType: input.declaredType };
}

/** Refuses an input larger than `maxBytes` before anything reads its content. */
export function assertMaxBytes(size: number, maxBytes: number): void {
  if (size > maxBytes) {
    throw new AdapterInputError('too-large', `input is ${size} bytes, the limit is ${maxBytes}`, {
      limit: maxBytes,
      value: size,
    });
  }
}

/** Whether `bytes` starts with `signature` (magic bytes). */
export function startsWith(bytes: Uint8Array, signature: readonly number[]): boolean {
  return bytes.length >= signature.length && signature.every((byte, i) => bytes[i] === byte);
}

/** Four-character codes (RIFF ids, PNG chunk types) read as Latin-1. */
export function fourCC(bytes: Uint8Array, offset: number): string {
  return String.fromCharCode(...bytes.subarray(offset, offset + 4));
}

/** The essence of a media type (`image/png` from `Image/PNG; q=1`), or undefined when it says nothing. */
export function mediaTypeEssence(declared: string | undefined): string | undefined {
  const essence = (declared ?? '').replace(/;.*$/s, '').trim().toLowerCase();
  return undeclaredTypes.includes(essence) ? undefined : essence;
}

/**
 * Refuses a declared type that contradicts what the bytes are (`found`); `accepted` lists every spelling of the
 * found type (e.g. `image/jpeg`, `image/jpg`). A missing or generic declaration is accepted: the bytes decide.
 */
export function assertDeclaredType(
  declared: string | undefined,
  accepted: readonly string[],
  found: string,
): void {
  const essence = mediaTypeEssence(declared);
  if (essence !== undefined && !accepted.includes(essence)) {
    throw new AdapterInputError('type-mismatch', `declared ${essence} but the bytes are ${found}`, {
      declared: essence,
      found,
    });
  }
}
