import { describe, expect, it } from 'vitest';
import { builtinAdapters, findAdapter, UnknownModalityError } from './registry.ts';

describe('registry', () => {
  it('registers text, image and audio once each, with their default models', () => {
    expect(builtinAdapters.map((adapter) => [adapter.modality, adapter.defaultModel])).toEqual([
      ['text', 'text-hash-256'],
      ['image', 'mobilenetv2-int8'],
      ['audio', 'speech-embedding'],
    ]);
  });

  it('finds an adapter by modality', () => {
    expect(findAdapter('image')).toBe(builtinAdapters[1]);
  });

  it('lists the known modalities when a lookup fails', () => {
    expect(() => findAdapter('video')).toThrow(new UnknownModalityError('video', ['text', 'image', 'audio']));
    expect(() => findAdapter('video')).toThrow('unknown modality "video"; known: text, image, audio');
    expect(() => findAdapter('text', [])).toThrow('known: (none)');
  });
});
