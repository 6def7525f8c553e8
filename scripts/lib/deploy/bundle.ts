/**
 * @module
 * The dry run's checks on the Worker bundle `wrangler deploy --dry-run --outdir` wrote: its size, raw and gzip (what
 * Cloudflare counts), against Workers' published limits, and the startup CPU time of its global scope from the CPU
 * profile `wrangler check startup` records locally (a different CPU than Cloudflare's: an estimate).
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';

const MiB = 1024 * 1024;

/** https://developers.cloudflare.com/workers/platform/limits/ (Worker size after compression; startup time). */
export const WORKER_LIMITS = { freeGzipBytes: 3 * MiB, paidGzipBytes: 10 * MiB, startupMs: 1000 } as const;

export interface BundleSize {
  readonly files: number;
  readonly rawBytes: number;
  readonly gzipBytes: number;
}

/** The modules that are uploaded (source maps and wrangler's README are not). */
export function measureBundle(outdir: string): BundleSize {
  const files = readdirSync(outdir).filter((file) => !file.endsWith('.map') && file !== 'README.md');
  let rawBytes = 0;
  let gzipBytes = 0;
  for (const file of files) {
    const bytes = readFileSync(join(outdir, file));
    rawBytes += bytes.length;
    gzipBytes += gzipSync(bytes).length;
  }
  return { files: files.length, rawBytes, gzipBytes };
}

interface CpuProfile {
  nodes: { id: number; callFrame: { functionName: string } }[];
  samples: number[];
  timeDeltas: number[];
}

/** Milliseconds the profile spent running (anything but `(idle)`), garbage collection included. */
export function startupCpuMs(profileJson: string): number {
  const profile = JSON.parse(profileJson) as CpuProfile;
  const idle = new Set(
    profile.nodes.filter((node) => node.callFrame.functionName === '(idle)').map((node) => node.id),
  );
  let micros = 0;
  profile.samples.forEach((sample, index) => {
    if (!idle.has(sample)) micros += profile.timeDeltas[index] ?? 0;
  });
  return micros / 1000;
}

const kib = (bytes: number) => `${(bytes / 1024).toFixed(1)} KiB`;

/** One line per check, and whether the bundle fits the paid plan (the free plan's limit is reported, not enforced). */
export function sizeReport(
  size: BundleSize,
  startupMs: number | undefined,
): { lines: string[]; fits: boolean } {
  const { freeGzipBytes, paidGzipBytes, startupMs: startupLimit } = WORKER_LIMITS;
  const plan =
    size.gzipBytes <= freeGzipBytes
      ? 'fits Free (3 MiB) and Paid (10 MiB)'
      : size.gzipBytes <= paidGzipBytes
        ? 'over Free (3 MiB), fits Paid (10 MiB)'
        : 'OVER the Paid limit (10 MiB)';
  const lines = [
    `bundle: ${size.files} modules, ${kib(size.rawBytes)} raw, ${kib(size.gzipBytes)} gzip — ${plan}`,
  ];
  if (startupMs !== undefined) {
    const verdict = startupMs <= startupLimit ? 'within' : 'OVER';
    lines.push(
      `startup: ${startupMs.toFixed(0)} ms CPU measured locally — ${verdict} the ${startupLimit} ms limit`,
    );
  }
  const fits = size.gzipBytes <= paidGzipBytes && (startupMs === undefined || startupMs <= startupLimit);
  return { lines, fits };
}
