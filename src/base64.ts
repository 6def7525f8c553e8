/**
 * @module
 * Base64 (RFC 4648 §4, standard alphabet, padded) without Node's Buffer. Decoding is strict: `atob` alone would
 * accept whitespace and missing padding, and a lenient decoder hides client bugs. Where the runtime has
 * `Uint8Array.fromBase64` / `toBase64` (workerd does; Node 24 does not) they do the work: a classify's picture and
 * recording are decoded from the request and encoded again for the backend, and on that route the native calls
 * took the edge's CPU per classify from 16.8–18.9 to 11.9–12.1 ms (`bench:edge`, bench/README.md).
 */

const strictBase64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

/** `String.fromCharCode` takes its arguments on the stack; this many stays well below engines' limits. */
const chunkSize = 0x8000;

/** The TC39 base64 methods (ES2026), where the runtime has them. */
interface NativeBase64 {
  fromBase64?(text: string, options: { lastChunkHandling: 'loose' }): Uint8Array;
}
interface NativeToBase64 {
  toBase64?(): string;
}

const nativeDecode = (Uint8Array as unknown as NativeBase64).fromBase64?.bind(Uint8Array);
const nativeEncode = (new Uint8Array(0) as unknown as NativeToBase64).toBase64 !== undefined;

export function encodeBase64(bytes: Uint8Array): string {
  if (nativeEncode) return (bytes as unknown as Required<NativeToBase64>).toBase64();
  let binary = '';
  for (let offset = 0; offset < bytes.length; offset += chunkSize) {
    binary += String.fromCharCode(...bytes.subarray(offset, offset + chunkSize));
  }
  return btoa(binary);
}

/**
 * The native decoder refuses bad characters and padding before the end, but skips ASCII whitespace and, being
 * `loose` (as `atob` is: padding bits that are not zero are ignored, as before), takes a last chunk without its
 * padding: with the length a multiple of 4, either leaves the bytes short of what the text's length and final
 * padding promise, so that comparison refuses them.
 */
function decodeNative(
  fromBase64: Required<NativeBase64>['fromBase64'],
  text: string,
): Uint8Array | undefined {
  try {
    const bytes = fromBase64(text, { lastChunkHandling: 'loose' });
    return bytes.length === decodedLength(text) ? bytes : undefined;
  } catch {
    return undefined;
  }
}

/** The bytes, or `undefined` if the text is not strict base64. */
export function decodeBase64(text: string): Uint8Array | undefined {
  if (text.length % 4 !== 0) return undefined;
  if (nativeDecode !== undefined) return decodeNative(nativeDecode, text);
  if (!strictBase64.test(text)) return undefined;
  const binary = atob(text);
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  return bytes;
}

/** The decoded size of a base64 text, without decoding it (to refuse over-limit inputs cheaply). */
export function decodedLength(text: string): number {
  const padding = text.endsWith('==') ? 2 : text.endsWith('=') ? 1 : 0;
  return Math.max(0, Math.floor((text.length * 3) / 4) - padding);
}
