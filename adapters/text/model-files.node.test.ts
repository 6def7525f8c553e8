/**
 * Files a text model's config names: resolved inside the model's folder only, parsed once per path, a failed load
 * retried by the next request.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { modelFileLoader, modelFilePath } from './model-files.node.ts';

let directory: string;

beforeAll(async () => {
  directory = await mkdtemp(join(tmpdir(), 'modalfuse-model-files-'));
  await writeFile(join(directory, 'vocab.json'), '["a"]');
});

afterAll(() => rm(directory, { recursive: true, force: true }));

const contextOf = (file: string) => ({ model: 'm', parameters: { sentencepiece: file }, directory });

describe('modelFilePath', () => {
  it('resolves the named file inside the model folder', () => {
    expect(modelFilePath(contextOf('vocab.json'), 'sentencepiece')).toBe(join(directory, 'vocab.json'));
    expect(modelFilePath(contextOf('sub/../vocab.json'), 'sentencepiece')).toBe(
      join(directory, 'vocab.json'),
    );
  });

  it('refuses a path that leaves the folder, the folder itself, no folder and no parameter', () => {
    for (const file of ['../vocab.json', '../../etc/passwd', 'a/../../x', '.'])
      expect(() => modelFilePath(contextOf(file), 'sentencepiece'), file).toThrow(/outside its folder/);
    expect(() =>
      modelFilePath({ ...contextOf('vocab.json'), directory: undefined }, 'sentencepiece'),
    ).toThrow('model "m": no model folder to read vocab.json from');
    expect(() => modelFilePath(contextOf('vocab.json'), 'tokenizer')).toThrow(
      'model "m": parameter "tokenizer" is missing',
    );
  });
});

describe('modelFileLoader', () => {
  it('loads a file once per path, and again after a failed load', async () => {
    const loads: string[] = [];
    let failing = true;
    const load = modelFileLoader('sentencepiece', (path) => {
      loads.push(path);
      return failing ? Promise.reject(new Error('broken')) : Promise.resolve(path.length);
    });
    await expect(load(contextOf('vocab.json'))).rejects.toThrow('broken');
    failing = false;
    const [first, second] = await Promise.all([load(contextOf('vocab.json')), load(contextOf('vocab.json'))]);
    expect(first).toBe(second);
    expect(await load(contextOf('other.json'))).toBe(join(directory, 'other.json').length);
    expect(loads).toEqual([
      join(directory, 'vocab.json'),
      join(directory, 'vocab.json'),
      join(directory, 'other.json'),
    ]);
  });
});
