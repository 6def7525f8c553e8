/**
 * @module
 * The `pull` subcommand of `npm run models`: `npm run models -- pull <owner/name | https://…/folder> [--revision
 * <branch|tag|commit>] [--name <model>]`, with a progress bar per file (cli-progress, on stderr). The Hub is
 * `MODALFUSE_HUB_URL` or huggingface.co; downloads are cached under `hub/` in the download folder the caller gives
 * (model-builder/locate.ts: MODALFUSE_MODELS_DIR when set and writable, else the per-user cache).
 */
import { join } from 'node:path';
import { Command } from 'commander';
import { progressBars } from './progress.ts';
import { pullModel } from './pull.ts';

/** Where the pull writes: the model repository, and the download folder whose `hub/` caches downloads. */
export interface PullPaths {
  readonly repository: string;
  readonly downloadDir: string;
}

export async function runPull(args: string[], { repository, downloadDir }: PullPaths): Promise<void> {
  const command = new Command('models pull')
    .argument('<source>', 'Hub repository (owner/name) or https URL of a folder with the export')
    .option('--revision <revision>', 'branch, tag or commit on the Hub (pinned to its commit)')
    .option('--name <name>', 'model name in the repository (default: the last part of the source)')
    .exitOverride();
  command.parse(args, { from: 'user' });
  const [source = ''] = command.args;
  const { revision, name } = command.opts<{ revision?: string; name?: string }>();
  const bars = progressBars();
  await pullModel({
    source,
    revision,
    name,
    repository,
    cacheDir: join(downloadDir, 'hub'),
    hubUrl: process.env.MODALFUSE_HUB_URL || undefined,
    progress: bars.sink(),
    log: (line) => bars.log(line),
  }).finally(() => bars.close());
}
