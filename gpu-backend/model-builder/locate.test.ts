/**
 * @module
 * The places source files are looked for: their order and how the environment sets them, the first verified copy
 * winning over a wrong one, and where downloads go (MODALFUSE_MODELS_DIR when writable, else the cache).
 */
import { copyFile, mkdir, writeFile } from 'node:fs/promises';
import { homedir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { downloadDir, findSource, modelPlaces } from './locate.ts';
import { SOURCES } from './sources.ts';
import { modelsDir, withTempDir } from '../../test/support/backend/model-files.ts';

const shared = fileURLToPath(new URL('../../../shared/models', import.meta.url));
const mel = SOURCES['melspectrogram.onnx'];

describe('modelPlaces', () => {
  it('looks in MODALFUSE_MODELS_DIR, ../shared/models, then $XDG_CACHE_HOME/modalfuse/models', () => {
    const places = modelPlaces({ MODALFUSE_MODELS_DIR: 'relative/dir', XDG_CACHE_HOME: '/var/cache/me' });
    expect(places.search).toEqual([
      { name: 'MODALFUSE_MODELS_DIR', dir: resolve('relative/dir') },
      { name: '../shared/models', dir: shared },
      { name: 'the per-user cache', dir: '/var/cache/me/modalfuse/models' },
    ]);
    expect(places.configured).toBe(resolve('relative/dir'));
  });

  it('falls back to ~/.cache, also for a relative XDG_CACHE_HOME, which the spec says to ignore', () => {
    expect(modelPlaces({ HOME: '/home/me' }).search.map((place) => place.dir)).toEqual([
      shared,
      '/home/me/.cache/modalfuse/models',
    ]);
    expect(modelPlaces({ XDG_CACHE_HOME: 'cache' }).cache).toBe(join(homedir(), '.cache/modalfuse/models'));
  });
});

describe('findSource', () => {
  it('takes the first verified copy, reporting a wrong one on the way', async () => {
    await withTempDir(async (dir) => {
      const dirs = ['a', 'b', 'c'].map((name) => join(dir, name));
      for (const place of dirs) await mkdir(place);
      await writeFile(join(dir, 'a', mel.file), 'damaged');
      await copyFile(join(modelsDir, mel.file), join(dir, 'b', mel.file));
      await copyFile(join(modelsDir, mel.file), join(dir, 'c', mel.file));
      const places = { search: dirs.map((place) => ({ name: 'x', dir: place })), cache: '' };
      const notes: string[] = [];
      expect(await findSource(mel, places, (line) => notes.push(line))).toBe(join(dir, 'b', mel.file));
      expect(notes).toEqual([
        expect.stringMatching(/^melspectrogram\.onnx: .*\/a\/melspectrogram\.onnx is not the expected file/),
      ]);
      expect(await findSource(SOURCES['embedding_model.onnx'], places, () => undefined)).toBeUndefined();
    });
  });
});

describe('downloadDir', () => {
  it('is MODALFUSE_MODELS_DIR when it can be made, else the cache', async () => {
    await withTempDir(async (dir) => {
      const cache = join(dir, 'cache');
      expect(await downloadDir({ search: [], configured: join(dir, 'new', 'models'), cache })).toBe(
        join(dir, 'new', 'models'),
      );
      await writeFile(join(dir, 'file'), '');
      expect(await downloadDir({ search: [], configured: join(dir, 'file', 'models'), cache })).toBe(cache);
      expect(await downloadDir({ search: [], cache })).toBe(cache);
    });
  });
});
