/**
 * @module
 * A checkout as a user has it: the project's sources copied into a fresh temporary folder, with `node_modules`
 * linked in and no `../shared` beside it, so that `npm start` and `npm run models` run there look for the model
 * files only where a user's machine has them (MODALFUSE_MODELS_DIR and the per-user cache) and download the rest.
 */
import { cp, mkdtemp, rm, symlink } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const repoRoot = fileURLToPath(new URL('../../', import.meta.url));

/** What `npm start` reads: the package, the Worker's configuration and sources, the backend and the scripts. */
const ENTRIES = [
  'package.json',
  'tsconfig.base.json',
  'tsconfig.json',
  'wrangler.toml',
  'worker-configuration.d.ts',
  'adapters',
  'gpu-backend',
  'scripts',
  'src',
];

export interface Checkout {
  /** The copy's root; `..` holds nothing else. */
  readonly root: string;
  remove(): Promise<void>;
}

export async function makeCheckout(): Promise<Checkout> {
  const parent = await mkdtemp(join(tmpdir(), 'modalfuse-checkout-'));
  const root = join(parent, 'modalfuse');
  for (const entry of ENTRIES) await cp(join(repoRoot, entry), join(root, entry), { recursive: true });
  await symlink(join(repoRoot, 'node_modules'), join(root, 'node_modules'));
  return { root, remove: () => rm(parent, { recursive: true, force: true }) };
}
