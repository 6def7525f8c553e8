import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { RepositoryMissingError, scanRepository } from './scan.ts';

const root = mkdtempSync(join(tmpdir(), 'modalfuse-scan-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

const config = (name: string) => ({
  name,
  platform: 'onnxruntime_onnx',
  max_batch_size: 0,
  input: [],
  output: [],
});

function folder(name: string, files: Record<string, string>): void {
  for (const [path, content] of Object.entries(files)) {
    mkdirSync(join(root, name, path, '..'), { recursive: true });
    writeFileSync(join(root, name, path), content);
  }
}

folder('good', {
  'config.json': JSON.stringify(config('good')),
  '1/model.onnx': 'x',
  '10/model.onnx': 'x',
  '9/model.onnx': 'x',
  '11/readme.txt': 'no model here',
});
folder('no-config', { '1/model.onnx': 'x' });
folder('pbtxt', {
  'config.pbtxt': 'name: "pbtxt" platform: "onnxruntime_onnx" max_batch_size: 0 input [] output []',
  '1/model.onnx': 'x',
});
folder('bad-pbtxt', { 'config.pbtxt': 'name: "bad-pbtxt" input [ { name: "x" ', '1/model.onnx': 'x' });
folder('bad-json', { 'config.json': '{ nope', '1/model.onnx': 'x' });
folder('bad-schema', { 'config.json': JSON.stringify({ name: 'bad-schema', platform: 'tensorflow' }) });
folder('renamed', { 'config.json': JSON.stringify(config('other')), '1/model.onnx': 'x' });
folder('no-version', { 'config.json': JSON.stringify(config('no-version')), 'latest/model.onnx': 'x' });
folder('.hidden', { 'config.json': '{}' });

describe('scanRepository', () => {
  it('lists every model folder, the highest version holding model.onnx, and why the others fail', async () => {
    const results = await scanRepository(root);
    const byName = Object.fromEntries(
      results.map((result) =>
        result.ok ? [result.source.name, `ok v${result.source.version}`] : [result.name, result.reason],
      ),
    );
    expect(byName).toEqual({
      good: 'ok v10',
      'no-config': 'no config.json or config.pbtxt',
      pbtxt: 'ok v1',
      'bad-pbtxt': expect.stringMatching(/^config.pbtxt cannot be read: config.pbtxt: expected /),
      'bad-json': expect.stringMatching(/^config.json cannot be read: /),
      'bad-schema': expect.stringMatching(/^config.json is invalid: platform: .*; max_batch_size: /),
      renamed: 'config.json names the model "other" but its folder is "renamed"',
      'no-version': 'no version folder holds model.onnx (numeric version folders: none)',
    });
    const good = results.find((result) => result.ok);
    expect(good?.ok && good.source.modelPath).toBe(join(root, 'good', '10', 'model.onnx'));
  });

  it('a missing repository says how to make one', async () => {
    await expect(scanRepository(join(root, 'missing'))).rejects.toThrow(RepositoryMissingError);
    await expect(scanRepository(join(root, 'missing'))).rejects.toThrow(/run `npm run models` first/);
  });
});
