/**
 * @module
 * The sources manifest agrees with the models directory's README, every file verifies, and a missing or wrong
 * file is an error that names the file, where we looked, both hashes and the fix.
 */
import { copyFile, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { SOURCE_FILES, SOURCES, SourceFileError, sha256File, verifiedSource } from './sources.ts';
import { modelsDir, withTempDir } from '../../test/support/backend/model-files.ts';

/** `file → sha256 column` from the README's table (`—` where the README gives none). */
async function readmeHashes(): Promise<Map<string, string>> {
  const text = await readFile(join(modelsDir, 'README.md'), 'utf8');
  const rows = text.split('\n').filter((line) => /^\|\s*`[^`]+`\s*\|/.test(line));
  return new Map(
    rows.map((row) => {
      const cells = row.split('|').map((cell) => cell.trim());
      return [cells[1]?.replaceAll('`', '') ?? '', cells.at(-2) ?? ''];
    }),
  );
}

describe('sources manifest', () => {
  it('has the README checksums for every file the README lists', async () => {
    const readme = await readmeHashes();
    expect(readme.size).toBeGreaterThanOrEqual(4);
    for (const [file, sha] of readme) {
      const source = SOURCES[file as keyof typeof SOURCES];
      expect(source, `${file} is in the README but not in the manifest`).toBeDefined();
      if (/^[0-9a-f]{64}$/.test(sha)) expect(source.sha256).toBe(sha);
    }
    const fromModelsDir = SOURCE_FILES.filter((file) => SOURCES[file].from.kind === 'models-dir');
    expect([...readme.keys()].sort()).toEqual([...fromModelsDir].sort());
  });

  it.each(SOURCE_FILES)('verifies %s where it is expected', async (file) => {
    const path = await verifiedSource(SOURCES[file], modelsDir);
    expect(await sha256File(path)).toBe(SOURCES[file].sha256);
    expect(SOURCES[file].url).toMatch(/^https:\/\//);
  });

  it('reports a missing file with the directory, the hash and both fixes', async () => {
    await withTempDir(async (dir) => {
      const error = await verifiedSource(SOURCES['melspectrogram.onnx'], dir).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(SourceFileError);
      const message = (error as Error).message;
      expect(message).toContain('melspectrogram.onnx');
      expect(message).toContain(dir);
      expect(message).toContain(SOURCES['melspectrogram.onnx'].sha256);
      expect(message).toContain('MODALFUSE_MODELS_DIR');
      expect(message).toContain('--download');
    });
  });

  it('reports a corrupt file with the expected and found hashes', async () => {
    await withTempDir(async (dir) => {
      await copyFile(join(modelsDir, 'embedding_model.onnx'), join(dir, 'embedding_model.onnx'));
      await writeFile(join(dir, 'embedding_model.onnx'), 'x', { flag: 'a' });
      const found = await sha256File(join(dir, 'embedding_model.onnx'));
      await expect(verifiedSource(SOURCES['embedding_model.onnx'], dir)).rejects.toThrow(
        new RegExp(`expected sha256 ${SOURCES['embedding_model.onnx'].sha256}, found ${found}.*--download`),
      );
    });
  });

  it('looks for package files in node_modules, whatever the models directory', async () => {
    await withTempDir(async (dir) => {
      const path = await verifiedSource(SOURCES['silero_vad_v6.onnx'], dir);
      expect(path).toMatch(/node_modules\/@ricky0123\/vad-web\/dist\/silero_vad_v6\.onnx$/);
    });
  });
});
