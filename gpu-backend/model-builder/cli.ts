/**
 * @module
 * `npm run models [-- --force]`: prepares the default model repository (see prepare.ts; source files that no place
 * holds are downloaded, with a progress bar per file) and prints one line per model, where it wrote, and a summary.
 * Exit code 1 with the reason when a model cannot be prepared.
 * `npm run models -- pull <source>` fetches and installs a sentence-transformers export (see pull-command.ts).
 */
import { downloadDir, modelPlaces } from './locate.ts';
import { defaultRepository, ensureDefaultRepository } from './prepare.ts';
import { progressBars } from '../hub-pull/progress.ts';
import { runPull } from '../hub-pull/pull-command.ts';
import { SourceFileError } from './sources.ts';

const FLAGS = ['--force', '--help'] as const;
type Flag = (typeof FLAGS)[number];

const USAGE = `usage: npm run models [-- --force]
       npm run models -- pull <owner/name | https://…/folder> [--revision <rev>] [--name <model>]
  --force     rebuild every model even when it is up to date
Source files are looked for in MODALFUSE_MODELS_DIR, ../shared/models, then the per-user cache
($XDG_CACHE_HOME/modalfuse/models, else ~/.cache/modalfuse/models); missing ones are downloaded (sha256 verified)
into MODALFUSE_MODELS_DIR when set and writable, else into the cache, from their canonical URLs or from
MODALFUSE_MODELS_BASE_URL. Output: MODALFUSE_MODEL_REPOSITORY (default ./models). pull: MODALFUSE_HUB_URL.`;

function parseFlags(args: string[]): Set<Flag> {
  const unknown = args.filter((arg) => !(FLAGS as readonly string[]).includes(arg));
  if (unknown.length > 0)
    throw new Error(`unknown option ${unknown.join(' ')} (known: ${FLAGS.join(', ')})\n${USAGE}`);
  return new Set(args as Flag[]);
}

async function main(): Promise<void> {
  if (process.argv[2] === 'pull') {
    return runPull(process.argv.slice(3), {
      repository: defaultRepository(),
      downloadDir: await downloadDir(modelPlaces()),
    });
  }
  const flags = parseFlags(process.argv.slice(2));
  if (flags.has('--help')) {
    console.log(USAGE);
    return;
  }
  const repository = defaultRepository();
  const places = modelPlaces();
  const started = performance.now();
  console.log(
    `model repository: ${repository} (sources: ${places.search.map((place) => place.dir).join(', ')})`,
  );
  const bars = progressBars();
  const results = await ensureDefaultRepository({
    repository,
    places,
    force: flags.has('--force'),
    progress: () => bars.sink(),
    log: (line) => bars.log(line),
  }).finally(() => bars.close());
  const built = results.filter((r) => r.status === 'built').length;
  const seconds = ((performance.now() - started) / 1000).toFixed(1);
  console.log(
    `${results.length} models ready in ${repository}: ${built} built, ${results.length - built} up to date (${seconds} s)`,
  );
}

main().catch((error: unknown) => {
  console.error(
    error instanceof SourceFileError ? error.message : error instanceof Error ? error.stack : error,
  );
  process.exit(1);
});
