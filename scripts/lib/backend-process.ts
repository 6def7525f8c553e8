/**
 * @module
 * Starts the real backend (`gpu-backend/main.ts`, or its build) as a child process and waits for its "listening"
 * line, so the start script, the tests and the benchmarks all run exactly what `npm run backend` runs.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { fileURLToPath } from 'node:url';

export const repoRoot = fileURLToPath(new URL('../../', import.meta.url));
const tsx = fileURLToPath(new URL('../../node_modules/.bin/tsx', import.meta.url));
const listening = /^ModalFuse backend listening on (http:\/\/\S+) \(execution provider: (\w+)\)$/m;
const killAfterMs = 10_000;

/**
 * A fresh random bearer token: the backend's `MODALFUSE_BACKEND_TOKEN` and the edge's `BACKEND_TOKEN`, so that
 * harnesses run the authenticated path a deployment runs.
 */
export function newBackendToken(): string {
  return randomBytes(32).toString('base64url');
}

export interface BackendProcess {
  readonly url: string;
  /** The bearer token it requires (its `MODALFUSE_BACKEND_TOKEN`); `undefined`: it is open. */
  readonly token: string | undefined;
  /** The execution provider the backend reported (`cpu` or `cuda`). */
  readonly provider: string;
  readonly child: ChildProcess;
  /** Everything the backend printed so far. */
  stdout(): string;
  stderr(): string;
  /** Resolves with the exit code once the process has exited. */
  readonly exited: Promise<number | null>;
  /** Sends SIGTERM (graceful drain), SIGKILL after 10 s; resolves with the exit code. */
  stop(): Promise<number | null>;
}

export interface BackendOptions {
  port?: number;
  env?: Record<string, string>;
  /** Called with every line the backend prints (stdout and stderr). */
  onLine?: (line: string) => void;
  startTimeoutMs?: number;
  /** A built entry (`dist/backend/main.js`) to run with plain `node` instead of the sources under tsx. */
  builtMain?: string;
}

type Spawned = Omit<BackendProcess, 'url' | 'provider'>;

function spawnBackend(options: BackendOptions): Spawned {
  const [command, args] = options.builtMain
    ? [process.execPath, [options.builtMain]]
    : [tsx, ['gpu-backend/main.ts']];
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    MODALFUSE_BACKEND_PORT: String(options.port ?? 0),
    ...options.env,
  };
  const child = spawn(command, args, { cwd: repoRoot, env, stdio: ['ignore', 'pipe', 'pipe'] });
  const output = { out: '', err: '' };
  const collect = (stream: 'out' | 'err') => (chunk: Buffer) => {
    const text = chunk.toString('utf8');
    output[stream] += text;
    if (options.onLine) text.split('\n').filter(Boolean).forEach(options.onLine);
  };
  child.stdout.on('data', collect('out'));
  child.stderr.on('data', collect('err'));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), killAfterMs);
    const code = await exited;
    clearTimeout(timer);
    return code;
  };
  const token = env.MODALFUSE_BACKEND_TOKEN || undefined;
  return { token, child, stdout: () => output.out, stderr: () => output.err, exited, stop };
}

export function startBackend(options: BackendOptions = {}): Promise<BackendProcess> {
  const backend = spawnBackend(options);
  const timeoutMs = options.startTimeoutMs ?? 120_000;
  const printed = () => `stdout:\n${backend.stdout()}\nstderr:\n${backend.stderr()}`;
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      void backend.stop();
      reject(new Error(`backend did not start within ${timeoutMs} ms\n${printed()}`));
    }, timeoutMs);
    const check = () => {
      const match = listening.exec(backend.stdout());
      if (!match) return;
      clearTimeout(timer);
      backend.child.stdout?.off('data', check);
      resolve({ ...backend, url: match[1] ?? '', provider: match[2] ?? '' });
    };
    backend.child.stdout?.on('data', check);
    void backend.exited.then((code) => {
      clearTimeout(timer);
      reject(new Error(`backend exited with ${code} before listening\n${printed()}`));
    });
  });
}

/**
 * Runs `npm run models` (idempotent: up-to-date models are skipped; missing source files are downloaded) and rejects
 * if it fails. Its stdout goes to `onLine`; its stderr (progress bars, and the reason when it fails) is inherited.
 */
export function prepareModels(onLine: (line: string) => void = console.log): Promise<void> {
  const child = spawn(tsx, ['gpu-backend/model-builder/cli.ts'], {
    cwd: repoRoot,
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  child.stdout.on('data', (chunk: Buffer) =>
    chunk.toString('utf8').split('\n').filter(Boolean).forEach(onLine),
  );
  return new Promise((resolve, reject) =>
    child.once('exit', (code) =>
      code === 0 ? resolve() : reject(new Error(`npm run models failed with exit code ${code}`)),
    ),
  );
}
