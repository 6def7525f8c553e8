/**
 * @module
 * `npm run deploy`: from `wrangler.toml` to a deployed Worker, creating what is missing in the account first.
 * Everything that can stop the deploy (login, the backend's URL, the secrets) is settled before anything is created.
 * Durable Object migrations are wrangler's own (`[[migrations]]`, applied by `wrangler deploy`). `dryRun` builds and
 * checks the bundle offline, with no login, and prints what a deploy would create.
 */
import { chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { absent, isLoopbackUrl, readWranglerConfig, secretNames, type WranglerConfig } from './plan.ts';
import { measureBundle, sizeReport, startupCpuMs } from './bundle.ts';
import { planSecrets, SECRETS, type SecretSpec } from './secrets.ts';
import { must, type Wrangler } from './wrangler.ts';

export interface DeployOptions {
  readonly root: string;
  readonly wrangler: Wrangler;
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly dryRun: boolean;
  /** Deploy without API_KEY_HASHES (an open API), on purpose. */
  readonly open: boolean;
  readonly log: (line: string) => void;
  /** Terminal prompts; undefined when stdin is not a terminal. */
  readonly prompt?:
    | {
        readonly text: (question: string) => Promise<string>;
        readonly secret: (spec: SecretSpec) => Promise<string>;
      }
    | undefined;
}

function config(root: string): WranglerConfig {
  return readWranglerConfig(readFileSync(join(root, 'wrangler.toml'), 'utf8'));
}

/** `--var BACKEND_URL:…` from the environment or the terminal when wrangler.toml's is one a Worker cannot reach. */
async function backendVars(wrangler: WranglerConfig, options: DeployOptions): Promise<string[]> {
  const fromEnv = options.env.BACKEND_URL?.trim();
  if (fromEnv) return ['--var', `BACKEND_URL:${fromEnv}`];
  const configured = wrangler.vars.BACKEND_URLS ?? wrangler.vars.BACKEND_URL ?? '';
  if (configured && !isLoopbackUrl(configured)) return [];
  const asked = (
    await options.prompt?.text('Backend URL (public https, e.g. https://gpu.example.com): ')
  )?.trim();
  if (asked && !isLoopbackUrl(asked)) return ['--var', `BACKEND_URL:${asked}`];
  throw new Error(
    `wrangler.toml's BACKEND_URL (${configured || 'unset'}) is loopback, which a deployed Worker cannot reach: set BACKEND_URL to the backend's public URL (docs/operating.md)`,
  );
}

async function ensureLogin(options: DeployOptions): Promise<void> {
  // Plain `whoami` exits 0 logged out too; with --json it exits non-zero then.
  if ((await options.wrangler(['whoami', '--json'])).code === 0) return;
  if (!options.prompt) {
    throw new Error(
      'not logged in to Cloudflare: run `npx wrangler login`, or set CLOUDFLARE_API_TOKEN (and CLOUDFLARE_ACCOUNT_ID)',
    );
  }
  await must(options.wrangler, ['login'], { interactive: true });
}

async function existingSecrets(options: DeployOptions): Promise<Set<string>> {
  const listed = await options.wrangler(['secret', 'list', '--format', 'json']);
  // Before the first deploy there is no Worker to list secrets of: none are set.
  if (listed.code !== 0) return new Set();
  return new Set(secretNames(listed.stdout));
}

/** Lists first, then creates only what the listing lacks. */
async function createMissing(wrangler: WranglerConfig, options: DeployOptions): Promise<void> {
  const kinds = [
    {
      what: 'R2 bucket',
      names: wrangler.buckets,
      list: ['r2', 'bucket', 'list'],
      create: ['r2', 'bucket', 'create'],
    },
    { what: 'queue', names: wrangler.queues, list: ['queues', 'list'], create: ['queues', 'create'] },
  ];
  for (const kind of kinds) {
    if (kind.names.length === 0) continue;
    const missing = absent(kind.names, await must(options.wrangler, kind.list));
    for (const name of kind.names.filter((each) => !missing.includes(each)))
      options.log(`${kind.what} ${name}: exists`);
    for (const name of missing) {
      await must(options.wrangler, [...kind.create, name]);
      options.log(`${kind.what} ${name}: created`);
    }
  }
}

async function deployForReal(options: DeployOptions): Promise<void> {
  const wrangler = config(options.root);
  const vars = await backendVars(wrangler, options);
  await ensureLogin(options);
  const secrets = await planSecrets({
    existing: await existingSecrets(options),
    env: options.env,
    open: options.open,
    ask: options.prompt?.secret,
  });
  if (!('API_KEY_HASHES' in secrets.upload) && !secrets.kept.includes('API_KEY_HASHES'))
    options.log('WARNING: no API_KEY_HASHES: the API is open to anyone (--open)');
  await createMissing(wrangler, options);
  const names = Object.keys(secrets.upload);
  const dir = mkdtempSync(join(tmpdir(), 'modalfuse-deploy-'));
  try {
    const args = ['deploy', ...vars];
    if (names.length > 0) {
      const file = join(dir, 'secrets.json');
      writeFileSync(file, JSON.stringify(secrets.upload), { mode: 0o600 });
      chmodSync(file, 0o600);
      args.push('--secrets-file', file);
    }
    options.log(
      `deploying ${wrangler.name}: secrets uploaded ${names.join(', ') || 'none'}; kept ${secrets.kept.join(', ') || 'none'}; migrations ${wrangler.migrations.join(', ')} applied by wrangler where new`,
    );
    await must(options.wrangler, args, { interactive: true });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

async function dryRun(options: DeployOptions): Promise<boolean> {
  const wrangler = config(options.root);
  const outdir = join(options.root, 'dist', 'worker');
  rmSync(outdir, { recursive: true, force: true });
  await must(options.wrangler, ['deploy', '--dry-run', '--outdir', outdir]);
  const profile = join(options.root, 'dist', 'worker-startup.cpuprofile');
  await must(options.wrangler, ['check', 'startup', '--outfile', profile]);
  const report = sizeReport(measureBundle(outdir), startupCpuMs(readFileSync(profile, 'utf8')));
  report.lines.forEach((line) => options.log(line));
  options.log(
    `would create, where the account lacks them: R2 bucket ${wrangler.buckets.join(', ')}; queues ${wrangler.queues.join(', ')}`,
  );
  options.log(`Durable Object migrations (wrangler applies the new ones): ${wrangler.migrations.join(', ')}`);
  for (const spec of SECRETS) {
    const source = options.env[spec.name]?.trim()
      ? 'from the environment'
      : spec.required
        ? 'asked for, or required in the environment'
        : 'optional';
    options.log(`secret ${spec.name}: ${source}`);
  }
  options.log(`bundle written to ${outdir}; nothing was sent`);
  return report.fits;
}

/** Resolves false when the dry run's bundle does not fit Workers' limits. */
export async function runDeploy(options: DeployOptions): Promise<boolean> {
  if (options.dryRun) return dryRun(options);
  await deployForReal(options);
  return true;
}
