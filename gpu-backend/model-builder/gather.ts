/**
 * @module
 * Gathers the source files a build needs: each is taken verified from the first place that holds it (locate.ts);
 * the missing ones are downloaded side by side (download.ts) into MODALFUSE_MODELS_DIR or the per-user cache. When
 * any cannot be had, one error names every missing file with its sha256 and source, where it was looked for, and
 * the two ways to provide it.
 */
import { downloadSource, downloadUrl } from './download.ts';
import { downloadDir, findSource, type ModelPlaces } from './locate.ts';
import type { ProgressSink } from '../hub-pull/resumable.ts';
import { SOURCES, SourceFileError, verifiedPackageSource, type SourceFile } from './sources.ts';

export interface GatherOptions {
  readonly places: ModelPlaces;
  /** A mirror holding the files by name (MODALFUSE_MODELS_BASE_URL); else each file's canonical URL. */
  readonly baseUrl?: string | undefined;
  /** A progress sink per download. */
  readonly progress?: (() => ProgressSink) | undefined;
  readonly log: (line: string) => void;
}

function missingReport(failures: readonly string[], options: GatherOptions): string {
  const looked = options.places.search.map((place) => `${place.name} (${place.dir})`).join(', ');
  const mirror = options.baseUrl ? `the mirror ${options.baseUrl}` : 'their canonical URLs';
  return [
    `${failures.length} model source file${failures.length === 1 ? ' is' : 's are'} missing and could not be downloaded from ${mirror}:`,
    ...failures.map((line) => `  - ${line}`),
    `Looked in: ${looked}.`,
    'Provide them either way:',
    '  1. put the files (names and sha256 as above) into a directory and set MODALFUSE_MODELS_DIR to it, or',
    '  2. let them download: give this machine access to the URLs above, or set MODALFUSE_MODELS_BASE_URL to a',
    '     mirror that serves the files by name; then run `npm start` or `npm run models` again.',
  ].join('\n');
}

async function download(
  files: readonly SourceFile[],
  options: GatherOptions,
): Promise<Map<SourceFile, string>> {
  const dir = await downloadDir(options.places);
  const paths = new Map<SourceFile, string>();
  const failures: string[] = [];
  await Promise.all(
    files.map(async (file) => {
      const source = SOURCES[file];
      const url = downloadUrl(source, options.baseUrl);
      options.log(`${file}: downloading from ${url} into ${dir}`);
      try {
        paths.set(
          file,
          await downloadSource(source, dir, { baseUrl: options.baseUrl, progress: options.progress?.() }),
        );
        options.log(`${file}: downloaded, sha256 verified`);
      } catch (error) {
        if (!(error instanceof SourceFileError)) throw error;
        failures.push(`${file} (sha256 ${source.sha256}): ${error.message.replace(`${file}: `, '')}`);
      }
    }),
  );
  if (failures.length > 0) throw new SourceFileError(missingReport(failures.sort(), options));
  return paths;
}

/** The verified path of every file, downloading what no place holds; a SourceFileError naming all it lacks. */
export async function gatherSources(
  files: readonly SourceFile[],
  options: GatherOptions,
): Promise<Map<SourceFile, string>> {
  const paths = new Map<SourceFile, string>();
  const missing: SourceFile[] = [];
  for (const file of files) {
    const source = SOURCES[file];
    const path =
      source.from.kind === 'package'
        ? await verifiedPackageSource(source)
        : await findSource(source, options.places, options.log);
    if (path) paths.set(file, path);
    else missing.push(file);
  }
  if (missing.length === 0) return paths;
  for (const [file, path] of await download(missing, options)) paths.set(file, path);
  return paths;
}
