/**
 * @module
 * The `pull` subcommand of `npm run models`: `npm run models -- pull <owner/name | https://…/folder> [--revision
 * <branch|tag|commit>] [--name <model>]`, with a progress bar per file (cli-progress, on stderr). The Hub is
 * `MODALFUSE_HUB_URL` or huggingface.co; downloads are cached under `<MODALFUSE_MODELS_DIR>/hub/`.
 */
import { join } from 'node:path';
import { SingleBar, Presets } from 'cli-progress';
import { Command } from 'commander';
import { pullModel } from './pull.ts';
import type { ProgressSink } from './resumable.ts';

function progressBar(): ProgressSink {
  const bar = new SingleBar(
    {
      format: '{label} [{bar}] {percentage}% {value}/{total} bytes',
      stream: process.stderr,
      hideCursor: true,
    },
    Presets.shades_classic,
  );
  return {
    start: (label, total, done) => bar.start(total, done, { label }),
    update: (done) => bar.update(done),
    stop: () => bar.stop(),
  };
}

/** Where the pull writes: the model repository, and the source files' folder whose `hub/` caches downloads. */
export interface PullPaths {
  readonly repository: string;
  readonly modelsDir: string;
}

export async function runPull(args: string[], { repository, modelsDir }: PullPaths): Promise<void> {
  const command = new Command('models pull')
    .argument('<source>', 'Hub repository (owner/name) or https URL of a folder with the export')
    .option('--revision <revision>', 'branch, tag or commit on the Hub (pinned to its commit)')
    .option('--name <name>', 'model name in the repository (default: the last part of the source)')
    .exitOverride();
  command.parse(args, { from: 'user' });
  const [source = ''] = command.args;
  const { revision, name } = command.opts<{ revision?: string; name?: string }>();
  await pullModel({
    source,
    revision,
    name,
    repository,
    cacheDir: join(modelsDir, 'hub'),
    hubUrl: process.env.MODALFUSE_HUB_URL || undefined,
    progress: progressBar(),
    log: (line) => console.log(line),
  });
}
