/**
 * @module
 * `npm run samples`: writes the sample media used in the README's curl examples (and the end-to-end tests) to
 * `samples/`: `red-N.png|jpg`, `blue-N.png|jpg` pictures and `red-N.wav`, `blue-N.wav` speech (espeak-ng compiled
 * to WebAssembly: nothing to install beyond `npm install`).
 */
import { fileURLToPath } from 'node:url';
import { makeFixtures } from '../test/support/fixtures.ts';

const dir = fileURLToPath(new URL('../samples/', import.meta.url));
const items = await makeFixtures(dir);
console.log(`wrote ${items.length} image + speech pairs to ${dir}`);
