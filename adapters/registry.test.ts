import { describe, expect, it } from 'vitest';
import { builtinAdapters, findAdapter, UnknownModalityError } from './registry.ts';

describe('registry', () => {
  it('registers text, image, audio and the html example once each, with their default models', () => {
    expect(builtinAdapters.map((adapter) => [adapter.modality, adapter.defaultModel])).toEqual([
      ['text', 'text-hash-256'],
      ['image', 'mobilenetv2-int8'],
      ['audio', 'speech-embedding'],
      ['html', 'html-hash-256'],
    ]);
  });

  it('finds an adapter by modality', () => {
    expect(findAdapter('image')).toBe(builtinAdapters[1]);
  });

  it('lists the known modalities when a lookup fails', () => {
    expect(() => findAdapter('video')).toThrow(
      new UnknownModalityError('video', ['text', 'image', 'audio', 'html']),
    );
    expect(() => findAdapter('video')).toThrow('unknown modality "video"; known: text, image, audio, html');
    expect(() => findAdapter('text', [])).toThrow('known: (none)');
  });
});
