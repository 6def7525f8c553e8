import { describe, expect, it } from 'vitest';
import { builtinAdapters } from './registry.ts';

describe('registry', () => {
  it('registers text, image, audio and the html example once each, with their default models', () => {
    expect(builtinAdapters.map((adapter) => [adapter.modality, adapter.defaultModel])).toEqual([
      ['text', 'use-lite'],
      ['image', 'mobilenetv2-int8'],
      ['audio', 'speech-embedding'],
      ['html', 'html-use-lite'],
    ]);
  });
});
