/**
 * @module
 * The contract suite every edge adapter runs (built-in or third-party): `describeAdapterConformance(adapter,
 * samples)` inside a test file of the `edge` project. It checks the declaration, that valid samples canonicalise
 * consistently (and idempotently), that the byte limit and empty input are refused, and — fuzzing random bytes and
 * broken copies of the samples — that `normalize` never throws anything but an {@link AdapterInputError} with a 4xx.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isAdapterInputError } from './errors.ts';
import type { CanonicalInput, EdgeAdapter, JsonForm, RawInput } from './types.ts';

const jsonForms: readonly JsonForm[] = ['text', 'dataUrl', 'base64', 'url'];
/** The backend turns the adapter name into a path; modality names follow the same rule. */
const modalityName = /^[a-z0-9-]+$/;

function expectCanonical(adapter: EdgeAdapter, result: CanonicalInput): void {
  expect(result.modality).toBe(adapter.modality);
  expect(result.bytes).toBeInstanceOf(Uint8Array);
  expect(result.bytes.length).toBeGreaterThan(0);
  expect(result.bytes.length).toBeLessThanOrEqual(adapter.limits.maxBytes);
  expect(result.mimeType).toMatch(/^[a-z]+\/[a-z0-9.+-]+/);
  for (const value of Object.values(result.meta)) expect(['number', 'string']).toContain(typeof value);
}

/** `normalize` as a promise: the contract lets it return or throw synchronously. */
async function normalized(adapter: EdgeAdapter, input: RawInput): Promise<CanonicalInput> {
  return adapter.normalize(input);
}

/** Settles `normalize`: a canonical input, or an input error with a 4xx; anything else fails the test. */
async function settle(adapter: EdgeAdapter, input: RawInput): Promise<void> {
  try {
    expectCanonical(adapter, await adapter.normalize(input));
  } catch (error) {
    if (!isAdapterInputError(error)) throw error;
    expect(error.status).toBeGreaterThanOrEqual(400);
    expect(error.status).toBeLessThan(500);
  }
}

/** Broken copies of a sample: cut short, one byte changed, or a random prefix. */
function brokenCopies(bytes: Uint8Array): fc.Arbitrary<Uint8Array> {
  return fc.oneof(
    fc.nat({ max: bytes.length }).map((length) => bytes.slice(0, length)),
    fc
      .tuple(fc.nat({ max: bytes.length - 1 }), fc.integer({ min: 0, max: 255 }))
      .map(([at, value]) => bytes.slice().fill(value, at, at + 1)),
    fc
      .uint8Array({ maxLength: 64 })
      .map((prefix) => Uint8Array.of(...prefix, ...bytes.subarray(prefix.length))),
  );
}

export function describeAdapterConformance(adapter: EdgeAdapter, samples: readonly RawInput[]): void {
  describe(`adapter "${adapter.modality}" conformance`, () => {
    it('declares itself completely and is frozen', () => {
      expect(adapter.modality).toMatch(modalityName);
      expect(adapter.defaultModel).not.toBe('');
      expect(adapter.jsonForms.length).toBeGreaterThan(0);
      for (const form of adapter.jsonForms) expect(jsonForms).toContain(form);
      expect(Number.isSafeInteger(adapter.limits.maxBytes) && adapter.limits.maxBytes > 0).toBe(true);
      expect(Object.isFrozen(adapter) && Object.isFrozen(adapter.limits)).toBe(true);
      expect(samples.length).toBeGreaterThan(0);
    });

    it('canonicalises its samples, idempotently', async () => {
      for (const sample of samples) {
        const first = await adapter.normalize(sample);
        expectCanonical(adapter, first);
        const again = await adapter.normalize({
          kind: 'bytes',
          bytes: first.bytes,
          declaredType: first.mimeType,
        });
        expect(again.bytes).toEqual(first.bytes);
        expect(again.mimeType).toBe(first.mimeType);
      }
    });

    it('refuses more than maxBytes as too-large before parsing, and empty bytes with an input error', async () => {
      // The oversized input starts like a valid sample, so only a size check made first can call it too-large.
      for (const sample of samples) {
        const { bytes } = await adapter.normalize(sample);
        const oversized = new Uint8Array(adapter.limits.maxBytes + 1);
        oversized.set(bytes.subarray(0, oversized.length));
        await expect(normalized(adapter, { kind: 'bytes', bytes: oversized })).rejects.toMatchObject({
          code: 'too-large',
          status: 413,
        });
      }
      await expect(normalized(adapter, { kind: 'bytes', bytes: new Uint8Array(0) })).rejects.toSatisfy(
        isAdapterInputError,
      );
    });

    it('answers random bytes and declared types with a canonical input or an input error', async () => {
      const declared = fc.option(
        fc.oneof(fc.constantFrom(...adapter.mimeTypes, 'image/png', 'text/plain'), fc.string()),
      );
      await fc.assert(
        fc.asyncProperty(fc.uint8Array({ maxLength: 1024 }), declared, (bytes, declaredType) =>
          settle(adapter, { kind: 'bytes', bytes, declaredType: declaredType ?? undefined }),
        ),
        { numRuns: 200 },
      );
    });

    it('answers broken copies of its samples with a canonical input or an input error', async () => {
      for (const sample of samples) {
        const { bytes } = await adapter.normalize(sample);
        await fc.assert(
          fc.asyncProperty(brokenCopies(bytes), (broken) =>
            settle(adapter, { kind: 'bytes', bytes: broken }),
          ),
          { numRuns: 300 },
        );
      }
      // Video decodes 300 broken copies per sample: 25 s on a loaded 2-core machine, past the 5 s default.
    }, 60_000);
  });
}
