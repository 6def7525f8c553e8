/**
 * @module
 * The decoder: the static ffmpeg binary of `@ffmpeg-installer/linux-x64` (chosen over ffmpeg in WebAssembly after
 * measuring both, adapters/README.md), spawned once per job. A child process is what makes a stall containable:
 * a run past its deadline, or one whose output passes its bound, is killed with SIGKILL and answered as the
 * client's 422, while the backend's own process never runs decoder code. `MODALFUSE_FFMPEG` names another binary
 * (e.g. a newer system ffmpeg) on platforms the package does not cover.
 */
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AdapterInputError } from '../errors.ts';

export interface FfmpegJob {
  /** Arguments after `-i <input>`. */
  readonly output: readonly string[];
  readonly deadlineMs: number;
  readonly maxOutputBytes: number;
}

function packagedBinary(): string | undefined {
  try {
    return createRequire(import.meta.url).resolve('@ffmpeg-installer/linux-x64/ffmpeg');
  } catch {
    return undefined;
  }
}

/** The ffmpeg to spawn; a missing one is the server's fault (a 500 naming the fix), never the client's. */
export function ffmpegPath(env: NodeJS.ProcessEnv = process.env): string {
  const path = env.MODALFUSE_FFMPEG || packagedBinary();
  if (!path || !existsSync(path)) {
    throw new Error(
      'no ffmpeg: install the optional dependency @ffmpeg-installer/linux-x64, or set MODALFUSE_FFMPEG',
    );
  }
  return path;
}

interface Collected {
  readonly stdout: Buffer;
  readonly stderr: string;
  readonly code: number | null;
  readonly killed?: 'deadline' | 'output';
}

function collect(path: string, args: readonly string[], job: FfmpegJob): Promise<Collected> {
  return new Promise((resolve, reject) => {
    // Its own process group, so that a kill reaches anything it started (and a wrapper script's children).
    const child = spawn(path, args, { stdio: ['ignore', 'pipe', 'pipe'], detached: true });
    const chunks: Buffer[] = [];
    let size = 0;
    let stderr = '';
    let killed: Collected['killed'];
    const kill = (why: NonNullable<Collected['killed']>) => {
      killed ??= why;
      if (child.pid !== undefined) process.kill(-child.pid, 'SIGKILL');
    };
    const timer = setTimeout(() => kill('deadline'), job.deadlineMs);
    child.stdout.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > job.maxOutputBytes) kill('output');
      else chunks.push(chunk);
    });
    // Only the tail matters: the last lines name the error.
    child.stderr.on('data', (chunk: Buffer) => (stderr = (stderr + chunk.toString()).slice(-2000)));
    child.on('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ stdout: Buffer.concat(chunks), stderr, code, ...(killed ? { killed } : {}) });
    });
  });
}

function lastLine(text: string): string {
  return text.trim().split('\n').pop()?.trim() || 'no message';
}

/** Runs ffmpeg on `bytes` (written to a private temporary file: MP4 indexes may sit at the end, so no pipe). */
export async function runFfmpeg(bytes: Uint8Array, job: FfmpegJob): Promise<Buffer> {
  const path = ffmpegPath();
  const dir = await mkdtemp(join(tmpdir(), 'modalfuse-video-'));
  try {
    const input = join(dir, 'input');
    await writeFile(input, bytes);
    const args = ['-nostdin', '-hide_banner', '-loglevel', 'error', '-i', input, ...job.output];
    const result = await collect(path, args, job);
    if (result.killed === 'deadline') {
      throw new AdapterInputError(
        'over-limit',
        `video decoding passed its deadline of ${job.deadlineMs} ms`,
        {
          limit: `${job.deadlineMs} ms`,
        },
      );
    }
    if (result.killed === 'output') {
      throw new AdapterInputError('over-limit', `video decodes to more than ${job.maxOutputBytes} bytes`, {
        limit: job.maxOutputBytes,
      });
    }
    if (result.code !== 0) {
      throw new AdapterInputError('malformed', `video could not be decoded: ${lastLine(result.stderr)}`);
    }
    return result.stdout;
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
