/**
 * @module
 * `npm run models [-- --force] [-- --download]`: prepares the default model repository (see prepare.ts) and prints
 * one line per model, where it wrote, and a summary. Exit code 1 with the reason when a model cannot be prepared.
 * `npm run models -- pull <source>` fetches and installs a sentence-transformers export (see pull-command.ts).
 */
import { SourceFileError } from './sources.ts';
import { defaultPaths, ensureDefaultRepository } from './prepare.ts';
import { runPull } from '../hub-pull/pull-command.ts';

const FLAGS = ['--force', '--download', '--help'] as const;
type Flag = (typeof FLAGS)[number];

const USAGE = `usage: npm run models [-- --force] [-- --download]
       npm run models -- pull <owner/name | https://…/folder> [--revision <rev>] [--name <model>]
  --force     rebuild every model even when it is up to date
  --download  fetch missing or wrong source files from their canonical URLs (or MODALFUSE_MODELS_BASE_URL)
environment: MODALFUSE_MODELS_DIR (source files), MODALFUSE_MODEL_REPOSITORY (output), MODALFUSE_HUB_URL (pull)`;

function parseFlags(args: string[]): Set<Flag> {
  const unknown = args.filter((arg) => !(FLAGS as readonly string[]).includes(arg));
  if (unknown.length > 0)
    throw new Error(`unknown option ${unknown.join(' ')} (known: ${FLAGS.join(', ')})\n${USAGE}`);
  return new Set(args as Flag[]);
}

async function main(): Promise<void> {
  if (process.argv[2] === 'pull') return runPull(process.argv.slice(3), defaultPaths());
  const flags = parseFlags(process.argv.slice(2));
  if (flags.has('--help')) {
    console.log(USAGE);
    return;
  }
  const { repository, modelsDir } = defaultPaths();
  const started = performance.now();
  console.log(`model repository: ${repository} (sources: ${modelsDir})`);
  const results = await ensureDefaultRepository({
    repository,
    modelsDir,
    force: flags.has('--force'),
    download: flags.has('--download'),
    log: (line) => console.log(line),
  });
  const built = results.filter((r) => r.status === 'built').length;
  const seconds = ((performance.now() - started) / 1000).toFixed(1);
  console.log(
    `${results.length} models ready in ${repository}: ${built} built, ${results.length - built} up to date (${seconds} s)`,
  );
}

main().catch((error: unknown) => {
  console.error(error instanceof SourceFileError || !(error instanceof Error) ? String(error) : error.stack);
  process.exit(1);
});
