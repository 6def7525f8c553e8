/**
 * @module
 * Runs the CLI against the stack: in-process through `runCli` (fast), or as the real `modalfuse` bin in a child
 * process when signals or exit codes of the process itself are the point. Builds labelled folders from the test
 * media.
 */
import { spawn } from 'node:child_process';
import { copyFile, mkdir, mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { inject } from 'vitest';
import { runCli } from '../../cli/program.ts';

export const bin = fileURLToPath(new URL('../../cli/bin.js', import.meta.url));
const media = () => inject('fixtureDir');
const texts = {
  red: ['a red apple', 'red roses', 'a red fire truck', 'ripe red cherries'],
  blue: ['a blue sky', 'deep blue sea', 'blue jeans', 'a blue whale'],
};

export interface Run {
  readonly code: number;
  readonly out: string;
  readonly err: string;
}

export async function cli(...argv: string[]): Promise<Run> {
  const out: string[] = [];
  const err: string[] = [];
  const io = {
    out: (text: string) => out.push(text),
    err: (text: string) => err.push(text),
    interactive: false,
  };
  const code = await runCli(['--url', inject('edgeUrl'), ...argv], io, {});
  return { code, out: out.join('\n'), err: err.join('\n') };
}

export async function cliJson<T>(...argv: string[]): Promise<T> {
  const run = await cli('--json', ...argv);
  if (run.code !== 0) throw new Error(`exit ${run.code}: ${run.err}`);
  return JSON.parse(run.out) as T;
}

/** Copies variants of the red and blue media into `DIR/<label>/<stem>.{txt,png|jpg,wav}`. */
export async function labelledFolder(variants: readonly number[], copies = 1): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'modalfuse-cli-'));
  for (const label of ['red', 'blue'] as const) {
    await mkdir(join(dir, label));
    for (const variant of variants) {
      const image = `${label}-${variant}.${variant % 2 ? 'jpg' : 'png'}`;
      for (let copy = 0; copy < copies; copy++) {
        const stem = join(dir, label, `${variant}-${copy}`);
        await writeFile(`${stem}.txt`, texts[label][variant] ?? label);
        await copyFile(join(media(), image), `${stem}${image.slice(-4)}`);
        await copyFile(join(media(), `${label}-${variant}.wav`), `${stem}.wav`);
      }
    }
  }
  return dir;
}

export interface Child {
  readonly exited: Promise<Run>;
  kill(signal: NodeJS.Signals): void;
}

/** The real bin, as a shell would run it. */
export function spawnBin(...argv: string[]): Child {
  const child = spawn(process.execPath, [bin, '--url', inject('edgeUrl'), ...argv], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const out: string[] = [];
  const err: string[] = [];
  child.stdout.on('data', (chunk: Buffer) => out.push(chunk.toString('utf8')));
  child.stderr.on('data', (chunk: Buffer) => err.push(chunk.toString('utf8')));
  const exited = new Promise<Run>((resolve) =>
    child.once('exit', (code) => resolve({ code: code ?? -1, out: out.join(''), err: err.join('') })),
  );
  return { exited, kill: (signal) => child.kill(signal) };
}
