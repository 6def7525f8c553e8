/**
 * @module
 * `--download` against a local HTTP server on 127.0.0.1 (never the internet): a good file lands in place, a
 * corrupt one or an HTTP error leaves nothing behind, and `ensureDefaultRepository({ download })` fetches what is
 * missing and builds from it.
 */
import { copyFile, mkdir, mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { audioRecipe } from './audio-model.ts';
import { downloadSource, downloadUrl } from './download.ts';
import { ensureDefaultRepository } from './prepare.ts';
import { SOURCES, SourceFileError, sha256File } from './sources.ts';
import {
  modelsDir,
  serveDirectory,
  withTempDir,
  type FileServer,
} from '../../test/support/backend/model-files.ts';

let server: FileServer;
let baseUrl: string;
let served: string;

/** Serves copies of real files under `/good/`, and a damaged one under `/corrupt/`. */
beforeAll(async () => {
  served = await mkdtemp(join(tmpdir(), 'modalfuse-served-'));
  await mkdir(join(served, 'good'));
  await mkdir(join(served, 'corrupt'));
  for (const file of ['melspectrogram.onnx', 'embedding_model.onnx'] as const) {
    await copyFile(join(modelsDir, file), join(served, 'good', file));
  }
  await writeFile(join(served, 'corrupt', 'melspectrogram.onnx'), 'not a model');
  server = await serveDirectory(served);
  baseUrl = `${server.url}/good`;
});

afterAll(async () => {
  await server.close();
  await rm(served, { recursive: true, force: true });
});

describe('downloadSource', () => {
  it('uses the canonical URL unless a base URL is given', () => {
    const source = SOURCES['melspectrogram.onnx'];
    expect(downloadUrl(source)).toBe(source.url);
    expect(downloadUrl(source, 'http://mirror.test/models/')).toBe(
      'http://mirror.test/models/melspectrogram.onnx',
    );
  });

  it('saves a verified file', async () => {
    await withTempDir(async (dir) => {
      const path = await downloadSource(SOURCES['melspectrogram.onnx'], join(dir, 'new'), { baseUrl });
      expect(path).toBe(join(dir, 'new', 'melspectrogram.onnx'));
      expect(await sha256File(path)).toBe(SOURCES['melspectrogram.onnx'].sha256);
      expect(await readdir(join(dir, 'new'))).toEqual(['melspectrogram.onnx']);
    });
  });

  it('keeps nothing from a corrupt download and says both hashes', async () => {
    await withTempDir(async (dir) => {
      const attempt = downloadSource(SOURCES['melspectrogram.onnx'], dir, {
        baseUrl: `${server.url}/corrupt`,
      });
      await expect(attempt).rejects.toThrow(SourceFileError);
      await expect(attempt).rejects.toThrow(/has sha256 [0-9a-f]{64}, expected ba2b0e0f.*nothing was saved/);
      expect(await readdir(dir)).toEqual([]);
    });
  });

  it('reports HTTP errors and unreachable servers with the URL', async () => {
    await withTempDir(async (dir) => {
      await expect(downloadSource(SOURCES['mobilenetv2-12-int8.onnx'], dir, { baseUrl })).rejects.toThrow(
        `mobilenetv2-12-int8.onnx: download from ${baseUrl}/mobilenetv2-12-int8.onnx failed: HTTP 404`,
      );
      const closed = 'http://127.0.0.1:9';
      await expect(downloadSource(SOURCES['melspectrogram.onnx'], dir, { baseUrl: closed })).rejects.toThrow(
        /download from http:\/\/127\.0\.0\.1:9\/melspectrogram\.onnx failed/,
      );
      expect(await readdir(dir)).toEqual([]);
    });
  });
});

describe('ensureDefaultRepository with download', () => {
  it('fetches missing sources into the models directory and builds', async () => {
    await withTempDir(async (dir) => {
      const sources = join(dir, 'sources');
      const log: string[] = [];
      const options = {
        repository: join(dir, 'repo'),
        modelsDir: sources,
        recipes: [audioRecipe],
        log: (l: string) => log.push(l),
      };
      await expect(ensureDefaultRepository(options)).rejects.toThrow(/melspectrogram\.onnx: not found/);
      const results = await ensureDefaultRepository({ ...options, download: true, baseUrl });
      expect(results.map((r) => [r.name, r.status])).toEqual([['speech-embedding', 'built']]);
      expect((await readdir(sources)).sort()).toEqual(['embedding_model.onnx', 'melspectrogram.onnx']);
      expect(log).toContain(`melspectrogram.onnx: downloading into ${sources}`);
    });
  });

  it('replaces a corrupt local file only by a verified one', async () => {
    await withTempDir(async (dir) => {
      await writeFile(join(dir, 'melspectrogram.onnx'), 'damaged');
      const options = {
        repository: join(dir, 'repo'),
        modelsDir: dir,
        recipes: [audioRecipe],
        download: true,
      };
      await expect(ensureDefaultRepository({ ...options, baseUrl: `${server.url}/corrupt` })).rejects.toThrow(
        /nothing was saved/,
      );
      expect(await sha256File(join(dir, 'melspectrogram.onnx'))).not.toBe(
        SOURCES['melspectrogram.onnx'].sha256,
      );
      await ensureDefaultRepository({ ...options, baseUrl });
      expect(await sha256File(join(dir, 'melspectrogram.onnx'))).toBe(SOURCES['melspectrogram.onnx'].sha256);
    });
  });
});
