/**
 * @module
 * The isolate's recent vectors: found until they expire, bounded in bytes with the least recently used dropped
 * first, a vector larger than the bound never kept.
 */
import { describe, expect, it } from 'vitest';
import { RecentVectors } from './recent-vectors.ts';

const vector = (floats: number) => new Float32Array(floats);

describe('RecentVectors', () => {
  it('answers a vector until its time, then forgets it', () => {
    const recent = new RecentVectors(1_000);
    const kept = vector(4);
    recent.set('a', kept, 100);
    expect(recent.get('a', 99)).toBe(kept);
    expect(recent.get('a', 100)).toBeUndefined();
    expect(recent.size).toEqual({ entries: 0, bytes: 0 });
  });

  it('drops the least recently used beyond its bytes', () => {
    const recent = new RecentVectors(48);
    recent.set('a', vector(4), 1e12);
    recent.set('b', vector(4), 1e12);
    recent.set('c', vector(4), 1e12);
    expect(recent.get('a', 0)).toBeDefined();
    recent.set('d', vector(4), 1e12);
    expect(['a', 'b', 'c', 'd'].map((key) => recent.get(key, 0) !== undefined)).toEqual([
      true,
      false,
      true,
      true,
    ]);
    expect(recent.size).toEqual({ entries: 3, bytes: 48 });
  });

  it('replaces a key in place, and keeps no vector larger than its bound', () => {
    const recent = new RecentVectors(16);
    recent.set('a', vector(2), 1e12);
    recent.set('a', vector(4), 1e12);
    expect(recent.size).toEqual({ entries: 1, bytes: 16 });
    recent.set('b', vector(5), 1e12);
    expect(recent.get('b', 0)).toBeUndefined();
    expect(recent.get('a', 0)).toBeDefined();
  });
});
