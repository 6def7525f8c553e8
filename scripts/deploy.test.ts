/**
 * `npm run deploy`: the plan against a fake `wrangler` first on PATH, which records its calls (no Cloudflare account
 * is reachable from tests), and the dry run for real — the project's wrangler bundling offline, no login (an empty
 * HOME holds no credentials), sizes checked against Workers' limits.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { repoRoot } from './lib/backend-process.ts';

const tsx = join(repoRoot, 'node_modules/.bin/tsx');
const fake = join(repoRoot, 'test/support/deploy/fake-wrangler.mjs');

interface Account {
  loggedIn: boolean;
  workerExists: boolean;
  buckets: string[];
  queues: string[];
  secrets: string[];
}

interface Run {
  code: number | null;
  output: string;
  calls: { args: string[]; secrets?: Record<string, string> }[];
  account: Account;
}

const dirs: string[] = [];
afterEach(() => dirs.splice(0).forEach((dir) => rmSync(dir, { recursive: true, force: true })));

function runScript(
  args: string[],
  env: Record<string, string>,
  timeoutMs = 60_000,
): Promise<{ code: number | null; output: string }> {
  const home = mkdtempSync(join(tmpdir(), 'modalfuse-home-'));
  dirs.push(home);
  const base = Object.fromEntries(
    Object.entries(process.env).filter(
      ([name]) => !/^(CLOUDFLARE_|BACKEND_|API_KEY_HASHES|HF_TOKEN)/.test(name),
    ),
  );
  const child = spawn(tsx, ['scripts/deploy.ts', ...args], {
    cwd: repoRoot,
    env: { ...base, HOME: home, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
  const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
  return new Promise((resolve) =>
    child.once('close', (code) => (clearTimeout(timer), resolve({ code, output }))),
  );
}

/** Runs `npm run deploy`'s script against the fake wrangler on `account`; returns what it called and what it left. */
async function deployAgainst(
  account: Account,
  env: Record<string, string>,
  args: string[] = [],
): Promise<Run> {
  const dir = mkdtempSync(join(tmpdir(), 'modalfuse-fake-wrangler-'));
  dirs.push(dir);
  symlinkSync(fake, join(dir, 'wrangler'));
  const state = join(dir, 'state.json');
  const log = join(dir, 'calls.jsonl');
  writeFileSync(state, JSON.stringify(account));
  writeFileSync(log, '');
  const { code, output } = await runScript(args, {
    PATH: `${dir}${delimiter}${process.env.PATH ?? ''}`,
    FAKE_WRANGLER_STATE: state,
    FAKE_WRANGLER_LOG: log,
    ...env,
  });
  const calls = readFileSync(log, 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((line) => JSON.parse(line) as Run['calls'][number]);
  return { code, output, calls, account: JSON.parse(readFileSync(state, 'utf8')) as Account };
}

const fresh: Account = { loggedIn: true, workerExists: false, buckets: [], queues: [], secrets: [] };
const secrets = {
  BACKEND_TOKEN: 'tok-123',
  API_KEY_HASHES: `ci:${'a'.repeat(64)}`,
  BACKEND_URL: 'https://gpu.example.com',
};
const commands = (run: Run) =>
  run.calls.map((call) => call.args.filter((arg) => !arg.startsWith('/')).join(' '));

describe('npm run deploy against a fake wrangler', () => {
  it('on a fresh account: lists, creates the bucket, the queue and its dead-letter queue, deploys with the secrets', async () => {
    const run = await deployAgainst(fresh, secrets);
    expect(run.code, run.output).toBe(0);
    expect(commands(run)).toEqual([
      'whoami --json',
      'secret list --format json',
      'r2 bucket list',
      'r2 bucket create modalfuse-files',
      'queues list',
      'queues create modalfuse-batch',
      'queues create modalfuse-batch-dlq',
      'deploy --var BACKEND_URL:https://gpu.example.com --secrets-file',
    ]);
    expect(run.calls.at(-1)?.secrets).toEqual({
      BACKEND_TOKEN: 'tok-123',
      API_KEY_HASHES: secrets.API_KEY_HASHES,
    });
    expect(run.account.queues).toEqual(['modalfuse-batch', 'modalfuse-batch-dlq']);
    expect(run.output).not.toContain('tok-123');
  });

  it('creates only what is missing (a DLQ alone is not its queue) and keeps secrets already set', async () => {
    const account = {
      ...fresh,
      workerExists: true,
      buckets: ['modalfuse-files'],
      queues: ['modalfuse-batch-dlq'],
      secrets: ['BACKEND_TOKEN', 'API_KEY_HASHES'],
    };
    const run = await deployAgainst(account, { BACKEND_URL: secrets.BACKEND_URL });
    expect(run.code, run.output).toBe(0);
    expect(commands(run).filter((command) => / create /.test(command))).toEqual([
      'queues create modalfuse-batch',
    ]);
    expect(commands(run).at(-1)).toBe('deploy --var BACKEND_URL:https://gpu.example.com');
    expect(run.output).toMatch(/R2 bucket modalfuse-files: exists/);
  });

  it('stops before changing anything when a required secret is missing (no terminal to ask on)', async () => {
    const run = await deployAgainst(fresh, {
      BACKEND_URL: secrets.BACKEND_URL,
      API_KEY_HASHES: secrets.API_KEY_HASHES,
    });
    expect(run.code).toBe(1);
    expect(run.output).toMatch(/deploy stopped: missing secrets .*\n {2}BACKEND_TOKEN: /);
    expect(commands(run)).toEqual(['whoami --json', 'secret list --format json']);
  });

  it('deploys an open API only when asked to (--open), saying so', async () => {
    const closed = await deployAgainst(fresh, { BACKEND_URL: secrets.BACKEND_URL, BACKEND_TOKEN: 't' });
    expect(closed.output).toMatch(/API_KEY_HASHES: /);
    expect(closed.code).toBe(1);
    const open = await deployAgainst(fresh, { BACKEND_URL: secrets.BACKEND_URL, BACKEND_TOKEN: 't' }, [
      '--open',
    ]);
    expect(open.code, open.output).toBe(0);
    expect(open.output).toMatch(/WARNING: no API_KEY_HASHES: the API is open/);
  });

  it('refuses half a Cloudflare Access service token', async () => {
    const run = await deployAgainst(fresh, { ...secrets, BACKEND_ACCESS_CLIENT_ID: 'id.access' });
    expect(run.code).toBe(1);
    expect(run.output).toMatch(/BACKEND_ACCESS_CLIENT_ID without its other half/);
    expect(commands(run).some((command) => command.startsWith('deploy') || command.includes('create'))).toBe(
      false,
    );
  });

  it('names wrangler login when not logged in, and a loopback backend before calling wrangler at all', async () => {
    const loggedOut = await deployAgainst({ ...fresh, loggedIn: false }, secrets);
    expect(loggedOut.code).toBe(1);
    expect(loggedOut.output).toMatch(
      /not logged in to Cloudflare: run `npx wrangler login`, or set CLOUDFLARE_API_TOKEN/,
    );
    expect(commands(loggedOut)).toEqual(['whoami --json']);
    const noUrl = { BACKEND_TOKEN: secrets.BACKEND_TOKEN, API_KEY_HASHES: secrets.API_KEY_HASHES };
    const loopback = await deployAgainst(fresh, noUrl);
    expect(loopback.code).toBe(1);
    expect(loopback.output).toMatch(/BACKEND_URL \(http:\/\/127\.0\.0\.1:8000\) is loopback/);
    expect(loopback.calls).toEqual([]);
  });

  it('refuses an unknown argument', async () => {
    const run = await deployAgainst(fresh, secrets, ['--dryrun']);
    expect(run.code).toBe(2);
    expect(run.output).toMatch(/unknown argument --dryrun\nusage: npm run deploy/);
    expect(run.calls).toEqual([]);
  });
});

describe('npm run deploy -- --dry-run, with the real wrangler', () => {
  it('bundles offline with no login, checks size and startup against the limits, prints the plan', async () => {
    const { code, output } = await runScript(['--dry-run'], {}, 180_000);
    expect(code, output).toBe(0);
    const size =
      /^bundle: \d+ modules, ([\d.]+) KiB raw, ([\d.]+) KiB gzip — fits Free \(3 MiB\) and Paid \(10 MiB\)$/m.exec(
        output,
      );
    expect(size, output).not.toBeNull();
    expect(Number(size?.[2])).toBeLessThan(Number(size?.[1]));
    expect(output).toMatch(/^startup: \d+ ms CPU measured locally — within the 1000 ms limit$/m);
    expect(output).toContain(
      'would create, where the account lacks them: R2 bucket modalfuse-files; queues modalfuse-batch, modalfuse-batch-dlq',
    );
    expect(output).toContain('Durable Object migrations (wrangler applies the new ones): v1, v2');
    expect(existsSync(join(repoRoot, 'dist/worker/index.js'))).toBe(true);
  }, 200_000);
});
