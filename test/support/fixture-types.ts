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
