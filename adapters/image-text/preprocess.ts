/**
 * @module
 * The backend face of the derived modality `image.text`: the image's text read by OCR (`ocr.node.ts`: detection and
 * recognition models run through `context.run`), then fed to the text model's own tokenisation (the text adapter's
 * backend face, with the parameters of this model's config: USE-lite's SentencePiece for `image-text-use-lite`),
 * plus the text (UTF-8, at most {@link maxTextBytes} bytes) and its confidence as inputs that the graph passes
 * through to its `text` and `confidence` outputs. An image in which no line is read with confidence ≥ 0.5 is the
 * adapter's `absent` (`no-text`): the edge reports the part missing, the other modalities decide.
 */
import { AdapterInputError, isAdapterInputError } from '../errors.ts';
import { checkedSize, formatBySignature, imageMimeTypes } from '../image/formats.ts';
import { imageLimits } from '../image/limits.ts';
import textPreprocessor from '../text/preprocess.ts';
import { definePreprocessor, type Feeds, type PreprocessContext, type TensorValue } from '../types.ts';
import { readText, type Reading } from './ocr.node.ts';

export const maxTextBytes = 4096;

const encoder = new TextEncoder();

/** The UTF-8 of `text`, cut at a character boundary within {@link maxTextBytes}. */
function utf8Within(text: string): Uint8Array {
  const bytes = encoder.encode(text);
  if (bytes.length <= maxTextBytes) return bytes;
  let end = maxTextBytes;
  while (end > 0 && ((bytes[end] ?? 0) & 0xc0) === 0x80) end--;
  return bytes.slice(0, end);
}

async function read(bytes: Uint8Array, context: PreprocessContext): Promise<Reading> {
  const format = formatBySignature(bytes);
  if (!format)
    throw new AdapterInputError('unsupported-type', `image is not one of ${imageMimeTypes.join(', ')}`);
  checkedSize(bytes, format);
  try {
    return await readText(bytes, context, imageLimits.maxPixels);
  } catch (error) {
    if (
      isAdapterInputError(error) ||
      !(error instanceof Error) ||
      !/Input|VipsJpeg|pngload|webp|gif/i.test(error.message)
    )
      throw error;
    throw new AdapterInputError('malformed', `image could not be decoded: ${error.message}`);
  }
}

/**
 * The image-text graph's feeds for what was read in `where` (`the image`, `the video's frames`): the text model's
 * tokens, the text and its confidence; `absent` (`no-text`) when nothing was read.
 */
export async function textFeeds(
  reading: Reading,
  where: string,
  context: PreprocessContext,
): Promise<Feeds & Record<'ocr_text' | 'ocr_confidence', TensorValue>> {
  if (reading.text.trim() === '')
    throw new AdapterInputError('absent', `no text was found in ${where}`, { reason: 'no-text' });
  const text = utf8Within(reading.text);
  const feeds = await textPreprocessor.preprocess(text, context);
  return {
    ...feeds,
    ocr_text: { type: 'uint8', data: text, dims: [1, text.length] },
    ocr_confidence: { type: 'float32', data: Float32Array.of(reading.confidence), dims: [1, 1] },
  };
}

export default definePreprocessor({
  modality: 'image.text',
  async preprocess(bytes, context) {
    return textFeeds(await read(bytes, context), 'the image', context);
  },
});
