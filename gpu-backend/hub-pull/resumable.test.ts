/**
 * @module
 * The one downloader against the local mirror the model-builder tests use (127.0.0.1, never the internet), in the
 * resuming mode `models pull` uses: a stalled transfer is given up on and its bytes kept for the next attempt, a
 * server that ignores Range starts the file over, a missing optional file is not an error, and no server off this
 * machine is asked at test time. (The model builder's use, which keeps nothing: model-builder/download.test.ts.)
 */
import { readFile, stat } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  modelsDir,
  serveMirror,
  withTempDir,
  type FileServer,
} from '../../test/support/backend/model-files.ts';
import { DownloadError, downloadToPart } from './resumable.ts';

const file = 'melspectrogram.onnx';
const size = 1087958;
let mirror: FileServer;

beforeAll(async () => {
  mirror = await serveMirror(modelsDir);
});

afterAll(() => mirror.close());

describe('downloadToPart, resuming', () => {
  it('gives up on a stalled server, keeps what arrived, and the next attempt ends with the whole file', async () => {
    await withTempDir(async (dir) => {
      const part = join(dir, `${file}.part`);
      const options = { label: file, resume: true, stallTimeoutMs: 300 };
      const stalled = await downloadToPart(`${mirror.url}/stall/${file}`, part, options).catch(
        (e: unknown) => e,
      );
      expect(stalled).toBeInstanceOf(DownloadError);
      expect(stalled).toMatchObject({ message: 'no data for 0.3 s', received: size >> 1, total: size });
      expect((await stat(part)).size).toBe(size >> 1);
      // The mirror ignores Range (200, not 206): the part starts over rather than growing past the file.
      await expect(downloadToPart(`${mirror.url}/${file}`, part, options)).resolves.toBe(true);
      expect(await readFile(part)).toEqual(await readFile(join(modelsDir, file)));
    });
  });

  it('answers false for a missing optional file, and a DownloadError naming the status otherwise', async () => {
    await withTempDir(async (dir) => {
      const part = join(dir, 'absent.json.part');
      const url = `${mirror.url}/absent.json`;
      await expect(downloadToPart(url, part, { label: 'absent', optional: true })).resolves.toBe(false);
      await expect(downloadToPart(url, part, { label: 'absent' })).rejects.toThrow(
        new DownloadError('HTTP 404 Not Found'),
      );
      expect(existsSync(part)).toBe(false);
    });
  });

  it('asks no server off this machine at test time', async () => {
    expect(process.env.MODALFUSE_DOWNLOADS).toBe('loopback-only');
    await withTempDir(async (dir) => {
      const part = join(dir, 'model.onnx.part');
      const attempt = downloadToPart('https://huggingface.co/acme/x/resolve/main/model.onnx', part, {
        label: 'x',
      });
      await expect(attempt).rejects.toThrow(/^tests download nothing \(MODALFUSE_DOWNLOADS=loopback-only\)/);
      expect(existsSync(part)).toBe(false);
    });
  });
});
