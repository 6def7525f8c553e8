/**
 * @module
 * Looking adapters up by modality, as the edge registers them (these tests were `adapters/registry.test.ts`'s,
 * against a `findAdapter` beside this one that nothing used): a lookup finds the registered adapter, and one that
 * fails lists the registered modalities.
 */
import { describe, expect, it } from 'vitest';
import { builtinAdapters } from '../adapters/registry.ts';
import { UnknownNameError } from './lookup-error.ts';
import { createModalities } from './modalities.ts';

const findAdapter = (
  modality: string,
  adapters: readonly (typeof builtinAdapters)[number][] = builtinAdapters,
) => createModalities(adapters).get(modality);

describe('registry', () => {
  it('finds an adapter by modality', () => {
    expect(findAdapter('image')).toBe(builtinAdapters[1]);
  });

  it('lists the known modalities when a lookup fails', () => {
    expect(() => findAdapter('smell')).toThrow(
      new UnknownNameError('modality', 'smell', [
        'text',
        'image',
        'audio',
        'html',
        'video',
        'image.text',
        'video.frames',
        'video.audio',
        'video.text',
      ]),
    );
    expect(() => findAdapter('smell')).toThrow(
      'unknown modality "smell"; known: text, image, audio, html, video, image.text, video.frames, video.audio, video.text',
    );
    expect(() => findAdapter('text', [])).toThrow('known: (none)');
  });
});
