/**
 * @module
 * Downloads against a local mirror on 127.0.0.1 (never the internet): a good file lands in place with its progress
 * reported; wrong bytes, a connection dropped halfway, a server that never answers or stops sending, an HTTP error
 * and a server that is down all leave nothing behind and say why; `ensureDefaultRepository` takes what a place
 * holds, downloads only what is missing or wrong, and passes over a wrong file without using it.
 */
import { copyFile, mkdir, readdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { audioRecipe } from './audio-model.ts';
import { downloadSource, downloadUrl } from './download.ts';
import { ensureDefaultRepository } from './prepare.ts';
import { SOURCES, SourceFileError, sha256File } from './sources.ts';
import { freePort } from '../../test/stack/edge-process.ts';
import {
  modelsDir,
  onlyIn,
  serveMirror,
  withTempDir,
  type FileServer,
} from '../../test/support/backend/model-files.ts';

const mel = SOURCES['melspectrogram.onnx'];
let mirror: FileServer;

beforeAll(async () => {
  mirror = await serveMirror(modelsDir);
});

afterAll(() => mirror.close());

/** The download's error message, and what the folder holds afterwards. */
async function failure(mode: string, options = {}): Promise<{ message: string; left: string[] }> {
  return withTempDir(async (dir) => {
    const attempt = downloadSource(mel, dir, { baseUrl: `${mirror.url}/${mode}`, ...options });
    const error = await attempt.then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(SourceFileError);
    return { message: (error as Error).message, left: await readdir(dir) };
  });
}

describe('downloadSource', () => {
  it('uses the canonical URL unless a base URL is given', () => {
    expect(downloadUrl(mel)).toBe(mel.url);
    expect(downloadUrl(mel, 'http://mirror.test/models/')).toBe(
      'http://mirror.test/models/melspectrogram.onnx',
    );
  });

  it('saves a verified file and reports its progress', async () => {
    await withTempDir(async (dir) => {
      const seen: string[] = [];
      const progress = {
        start: (label: string, total: number) => seen.push(`start ${label} ${total}`),
        update: (done: number) => seen.push(`at ${done}`),
        stop: () => seen.push('stop'),
      };
      const path = await downloadSource(mel, join(dir, 'new'), { baseUrl: mirror.url, progress });
      expect(path).toBe(join(dir, 'new', 'melspectrogram.onnx'));
      expect(await sha256File(path)).toBe(mel.sha256);
      expect(await readdir(join(dir, 'new'))).toEqual(['melspectrogram.onnx']);
      expect(seen[0]).toBe('start melspectrogram.onnx 1087958');
      expect(seen.at(-2)).toBe('at 1087958');
      expect(seen.at(-1)).toBe('stop');
    });
  });

  it('keeps nothing from a download with wrong bytes and says both hashes', async () => {
    const { message, left } = await failure('corrupt');
    expect(message).toMatch(/has sha256 [0-9a-f]{64}, expected ba2b0e0f.*nothing was saved/);
    expect(left).toEqual([]);
  });

  it('keeps nothing from a connection dropped halfway and says how far it got', async () => {
    const { message, left } = await failure('drop');
    expect(message).toMatch(/^melspectrogram\.onnx: download from .*\/drop\/melspectrogram\.onnx failed: /);
    expect(message).toMatch(/after \d+ of 1087958 bytes; nothing was saved$/);
    expect(left).toEqual([]);
  });

  it('gives up on a server that never answers, or stops sending', async () => {
    const silent = await failure('silent', { answerTimeoutMs: 300 });
    expect(silent.message).toContain('failed: no answer within 0.3 s');
    const stalled = await failure('stall', { stallTimeoutMs: 300 });
    expect(stalled.message).toMatch(/failed: no data for 0\.3 s after 543979 of 1087958 bytes/);
    expect([...silent.left, ...stalled.left]).toEqual([]);
  });

  it('reports HTTP errors and a server that is down, with the URL', async () => {
    await withTempDir(async (dir) => {
      await expect(downloadSource(mel, dir, { baseUrl: `${mirror.url}/nowhere` })).rejects.toThrow(
        `melspectrogram.onnx: download from ${mirror.url}/nowhere/melspectrogram.onnx failed: HTTP 404 Not Found`,
      );
      const down = `http://127.0.0.1:${await freePort()}`;
      await expect(downloadSource(mel, dir, { baseUrl: down })).rejects.toThrow(
        `melspectrogram.onnx: download from ${down}/melspectrogram.onnx failed: connect ECONNREFUSED`,
      );
      expect(await readdir(dir)).toEqual([]);
    });
  });

  it('asks no server off this machine at test time, and says how to get the files', async () => {
    expect(process.env.MODALFUSE_DOWNLOADS).toBe('loopback-only');
    await withTempDir(async (dir) => {
      await expect(downloadSource(mel, dir)).rejects.toThrow(
        `melspectrogram.onnx: download from ${mel.url} failed: tests download nothing (MODALFUSE_DOWNLOADS=loopback-only): run \`npm run models\` once`,
      );
      expect(await readdir(dir)).toEqual([]);
    });
  });
});

describe('ensureDefaultRepository downloading', () => {
  it('downloads only the missing source into the download place, and builds', async () => {
    await withTempDir(async (dir) => {
      const sources = join(dir, 'sources');
      await mkdir(sources);
      await copyFile(join(modelsDir, 'embedding_model.onnx'), join(sources, 'embedding_model.onnx'));
      const log: string[] = [];
      const results = await ensureDefaultRepository({
        repository: join(dir, 'repo'),
        places: onlyIn(sources),
        baseUrl: mirror.url,
        recipes: [audioRecipe],
        log: (line) => log.push(line),
      });
      expect(results.map((r) => [r.name, r.status])).toEqual([['speech-embedding', 'built']]);
      expect((await readdir(sources)).sort()).toEqual(['embedding_model.onnx', 'melspectrogram.onnx']);
      expect(log.slice(0, 2)).toEqual([
        `melspectrogram.onnx: downloading from ${mirror.url}/melspectrogram.onnx into ${sources}`,
        'melspectrogram.onnx: downloaded, sha256 verified',
      ]);
    });
  });

  it('passes over a wrong local file, and replaces it only by a verified one', async () => {
    await withTempDir(async (dir) => {
      await writeFile(join(dir, 'melspectrogram.onnx'), 'damaged');
      await copyFile(join(modelsDir, 'embedding_model.onnx'), join(dir, 'embedding_model.onnx'));
      const options = { repository: join(dir, 'repo'), places: onlyIn(dir), recipes: [audioRecipe] };
      const log: string[] = [];
      const attempt = ensureDefaultRepository({
        ...options,
        baseUrl: `${mirror.url}/corrupt`,
        log: (l) => log.push(l),
      });
      await expect(attempt).rejects.toThrow(/1 model source file is missing.*\n.*nothing was saved/);
      expect(log[0]).toMatch(
        /^melspectrogram\.onnx: .* is not the expected file \(sha256 [0-9a-f]{64}, .*\); ignored$/,
      );
      expect(await sha256File(join(dir, 'melspectrogram.onnx'))).not.toBe(mel.sha256);
      await ensureDefaultRepository({ ...options, baseUrl: mirror.url });
      expect(await sha256File(join(dir, 'melspectrogram.onnx'))).toBe(mel.sha256);
    });
  });
});
