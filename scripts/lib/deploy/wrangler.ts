/**
 * @module
 * The wrangler CLI, as `npm run deploy` calls it: `wrangler` found on PATH (npm scripts put the project's
 * `node_modules/.bin` first; it is appended here for runs outside npm), only its documented commands and flags, so the
 * same calls work on 4.86 and current 4.x. Tests put a fake `wrangler` first on PATH.
 */
import { spawn } from 'node:child_process';
import { delimiter, join } from 'node:path';

export interface WranglerResult {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

export interface RunOptions {
  /** Written to wrangler's stdin (a piped stdin otherwise gets nothing). */
  readonly input?: string;
  /** Wrangler talks to the terminal itself (login, deploy progress); nothing is captured. */
  readonly interactive?: boolean;
}

export type Wrangler = (args: readonly string[], options?: RunOptions) => Promise<WranglerResult>;

export function wranglerCli(root: string, env: NodeJS.ProcessEnv): Wrangler {
  const childEnv = {
    ...env,
    PATH: [env.PATH, join(root, 'node_modules', '.bin')].filter(Boolean).join(delimiter),
    // No usage metrics sent from deploys (and none attempted from the offline dry run).
    WRANGLER_SEND_METRICS: 'false',
  };
  return (args, options = {}) =>
    new Promise((resolve, reject) => {
      const child = spawn('wrangler', [...args], {
        cwd: root,
        env: childEnv,
        stdio: options.interactive ? 'inherit' : ['pipe', 'pipe', 'pipe'],
      });
      const output = { stdout: '', stderr: '' };
      child.stdout?.on('data', (chunk: Buffer) => (output.stdout += chunk.toString('utf8')));
      child.stderr?.on('data', (chunk: Buffer) => (output.stderr += chunk.toString('utf8')));
      child.stdin?.end(options.input ?? '');
      child.once('error', (error) => reject(new Error(`could not run wrangler: ${error.message}`)));
      child.once('close', (code) => resolve({ code: code ?? 1, ...output }));
    });
}

/** Runs a wrangler command that must succeed; its output is in the error when it does not. */
export async function must(
  wrangler: Wrangler,
  args: readonly string[],
  options?: RunOptions,
): Promise<string> {
  const result = await wrangler(args, options);
  if (result.code !== 0) {
    const said = `${result.stdout}\n${result.stderr}`.trim();
    throw new Error(`wrangler ${args.join(' ')} failed (exit ${result.code})${said ? `:\n${said}` : ''}`);
  }
  return result.stdout;
}
