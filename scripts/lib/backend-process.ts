/**
 * @module
 * Starts the real backend (`gpu-backend/main.ts`) as a child process and waits for its "listening" line, so the
 * start script and the end-to-end tests run exactly what `npm run backend` runs.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';

export const repoRoot = fileURLToPath(new URL('../../', import.meta.url));
const tsx = fileURLToPath(new URL('../../node_modules/.bin/tsx', import.meta.url));
const listening = /ModalFuse backend listening on (http:\/\/\S+)/;

export interface BackendProcess {
  readonly url: string;
  readonly child: ChildProcess;
  /** Sends SIGTERM (graceful drain) and resolves with the exit code. */
  stop(): Promise<number | null>;
}

export interface BackendOptions {
  port?: number;
  env?: Record<string, string>;
  /** Called with every line the backend prints (stdout and stderr). */
  onLine?: (line: string) => void;
  startTimeoutMs?: number;
}

export function startBackend(options: BackendOptions = {}): Promise<BackendProcess> {
  const child = spawn(tsx, ['gpu-backend/main.ts'], {
    cwd: repoRoot,
    env: { ...process.env, MODALFUSE_BACKEND_PORT: String(options.port ?? 0), ...options.env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
    return exited;
  };
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      void stop();
      reject(new Error(`backend did not start within ${options.startTimeoutMs ?? 120_000} ms`));
    }, options.startTimeoutMs ?? 120_000);
    const onText = (chunk: Buffer) => {
      for (const line of chunk.toString('utf8').split('\n').filter(Boolean)) {
        options.onLine?.(line);
        const match = listening.exec(line);
        if (match?.[1]) {
          clearTimeout(timer);
          resolve({ url: match[1], child, stop });
        }
      }
    };
    child.stdout.on('data', onText);
    child.stderr.on('data', onText);
    void exited.then((code) => {
      clearTimeout(timer);
      reject(new Error(`backend exited with code ${code} before listening`));
    });
  });
}

/** Runs `npm run models` (idempotent: up-to-date models are skipped) and rejects if it fails. */
export function prepareModels(onLine: (line: string) => void = console.log): Promise<void> {
  const child = spawn(tsx, ['gpu-backend/repository/cli.ts'], {
    cwd: repoRoot,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const forward = (chunk: Buffer) => chunk.toString('utf8').split('\n').filter(Boolean).forEach(onLine);
  child.stdout.on('data', forward);
  child.stderr.on('data', forward);
  return new Promise((resolve, reject) =>
    child.once('exit', (code) =>
      code === 0 ? resolve() : reject(new Error(`npm run models failed with exit code ${code}`)),
    ),
  );
}
