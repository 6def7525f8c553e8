/**
 * @module
 * What the bytes are, by their magic numbers (`file-type`, whose core runs in workerd), for the edge faces'
 * decisions and error messages.
 */
import { fileTypeFromBuffer } from 'file-type';

/** The sniffed MIME type, or undefined when unknown; a parser error on garbage means it does not know them either. */
export async function sniffMimeType(bytes: Uint8Array): Promise<string | undefined> {
  try {
    return (await fileTypeFromBuffer(bytes))?.mime;
  } catch {
    return undefined;
  }
}
