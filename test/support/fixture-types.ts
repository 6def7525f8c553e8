/**
 * @module
 * The shape of the test media handed from the Node global setup to the tests inside workerd.
 */

export const fixtureLabels = ['red', 'blue'] as const;
export type Label = (typeof fixtureLabels)[number];

export interface FixtureItem {
  label: Label;
  /** Variant 0–2: task examples; variant 3: held out for classification. */
  variant: number;
  text: string;
  /** Base64 of a PNG (even variants) or JPEG (odd variants). */
  image: string;
  imageType: 'image/png' | 'image/jpeg';
  /** Base64 of a WAV (PCM16 mono, 22 050 Hz, espeak-ng's rate). */
  audio: string;
}

/** Labels to tell the photos of `photos.ts` apart by: their own, and two that none of them shows. */
export const photoCandidates = ['cat', 'dog', 'starfish', 'airplane', 'car', 'boat', 'mountain', 'flower'];

/** A photo as the e2e tests get it: its label, where it comes from, and its JPEG bytes in base64. */
export interface PhotoFixture {
  readonly label: string;
  /** Its path under node_modules. */
  readonly file: string;
  readonly jpeg: string;
}
