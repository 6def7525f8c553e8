/**
 * The backend half of the adapter contract suite, run by every adapter with a model in the default repository:
 * the repository is prepared (`npm run models`, up to date in a few milliseconds) and a real backend process
 * serves it for the whole file. (Named preprocess.test.ts so that it runs in the node project.)
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll } from 'vitest';
import {
  prepareModels,
  repoRoot,
  startBackend,
  type BackendProcess,
} from '../../scripts/lib/backend-process.ts';
import { encodeWav, sine } from '../audio/fixtures/wav.ts';
import { html } from '../html/edge.ts';
import { image } from '../image/edge.ts';
import { video as videoAdapter } from '../video/edge.ts';
import { builtinAdapters } from '../registry.ts';
import type { RawInput } from '../types.ts';
import { describeBackendConformance, type BackendConformance } from './backend.node.ts';

let backend: BackendProcess | undefined;
/** The repository `npm run models` prepares and the backend serves (the fixed contract's default). */
const repository = process.env.MODALFUSE_MODEL_REPOSITORY || join(repoRoot, 'models');

beforeAll(async () => {
  await prepareModels(() => undefined);
  backend = await startBackend({
    env: { MODALFUSE_EXECUTION_PROVIDER: 'cpu', MODALFUSE_MODEL_REPOSITORY: repository },
  });
});

afterAll(async () => {
  await backend?.stop();
});

const fixture = (path: string): RawInput => ({
  kind: 'bytes',
  bytes: readFileSync(new URL(path, import.meta.url)),
});
const wav = encodeWav({ sampleRate: 16_000, data: sine(440, 16_000, 0.5) });
const png = readFileSync(new URL('../image/fixtures/red-64x48.png', import.meta.url));
const noise = Uint8Array.from({ length: 512 }, (_, i) => (i * 97 + 13) % 256);

const cases: Record<string, Omit<BackendConformance, 'adapter'>> = {
  // USE-lite embeds white space as its reference does; text without a single piece is what it refuses.
  text: {
    model: 'use-lite',
    samples: [
      { kind: 'text', value: 'Hello, wörld! 😀' },
      { kind: 'text', value: '中文句子的例子。' },
    ],
    broken: [Uint8Array.of(0xff, 0xfe, 0xfd), new Uint8Array(0)],
  },
  image: {
    model: 'mobilenetv2-int8',
    samples: ['red-64x48.png', 'ramp-64x48.jpg', 'green-8x8.webp', 'green-8x8.gif'].map((name) =>
      fixture(`../image/fixtures/${name}`),
    ),
    broken: [png.subarray(0, png.length - 40), noise],
  },
  audio: {
    model: 'speech-embedding',
    samples: [
      { kind: 'bytes', bytes: wav },
      ...['tone-16k-mono.flac', 'tone-44k-stereo-vbr.mp3', 'tone-44k-stereo.opus'].map((name) =>
        fixture(`../audio/fixtures/${name}`),
      ),
    ],
    broken: [wav.subarray(0, 30), noise],
  },
};

cases.html = {
  model: 'html-use-lite',
  samples: [{ kind: 'text', value: '<!doctype html><title>Example</title><p>Hello, <b>wörld</b> 😀</p>' }],
  broken: [new TextEncoder().encode('plain text'), new TextEncoder().encode('<html><style>x</style></html>')],
};

const video = (name: string) => fixture(`../../test/fixtures/media/video/${name}`);
const mp4 = readFileSync(new URL('../../test/fixtures/media/video/mp4-ffmpeg-h264-aac.mp4', import.meta.url));
cases.video = {
  model: 'video-frames-mobilenetv2-int8',
  part: 'frames',
  samples: ['mp4-ffmpeg-h264-aac.mp4', 'webm-ffmpeg-vp9-opus.webm'].map(video),
  broken: [mp4.subarray(0, mp4.length - 4000), noise],
};

const running = () => {
  if (!backend) throw new Error('the backend did not start');
  return { url: backend.url, repository };
};

for (const adapter of [...builtinAdapters, html]) {
  const spec = cases[adapter.modality];
  if (!spec)
    throw new Error(
      `adapter "${adapter.modality}" has no backend conformance case in ${repoRoot}adapters/conformance`,
    );
  describeBackendConformance({ adapter, ...spec }, running);
}

const captioned = fixture('../../test/fixtures/ocr/screenshot.png');
describeBackendConformance(
  {
    adapter: image,
    model: 'image-text-use-lite',
    part: 'text',
    samples: [captioned],
    broken: [png.subarray(0, 40), noise],
  },
  running,
);

describeBackendConformance(
  {
    adapter: videoAdapter,
    model: 'video-text-use-lite',
    part: 'text',
    samples: [video('mp4-ffmpeg-h264-aac-captions.mp4')],
    broken: [mp4.subarray(0, mp4.length - 4000), noise],
  },
  running,
);
