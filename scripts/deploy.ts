/**
 * @module
 * `npm run deploy [-- --dry-run] [-- --open]`: see `lib/deploy/run.ts`. Secrets and the backend's URL come from the
 * environment (CI) or, on a terminal, from prompts; a secret is read without echo.
 */
import { createInterface } from 'node:readline/promises';
import { runDeploy } from './lib/deploy/run.ts';
import type { SecretSpec } from './lib/deploy/secrets.ts';
import { wranglerCli } from './lib/deploy/wrangler.ts';
import { repoRoot } from './lib/backend-process.ts';

const USAGE = 'usage: npm run deploy [-- --dry-run] [-- --open]';

async function askText(question: string): Promise<string> {
  const lines = createInterface({ input: process.stdin, output: process.stdout });
  try {
    return await lines.question(question);
  } finally {
    lines.close();
  }
}

/** Reads one line from the terminal in raw mode, echoing nothing; Ctrl-C cancels the deploy. */
function askSecret(spec: SecretSpec): Promise<string> {
  process.stdout.write(`${spec.name} (${spec.why}; empty to skip): `);
  const stdin = process.stdin;
  stdin.setRawMode(true);
  stdin.resume();
  return new Promise((resolve, reject) => {
    let value = '';
    const finish = (error?: Error) => {
      stdin.off('data', onData);
      stdin.setRawMode(false);
      stdin.pause();
      process.stdout.write('\n');
      if (error) reject(error);
      else resolve(value);
    };
    const onData = (chunk: Buffer) => {
      for (const char of chunk.toString('utf8')) {
        if (char === '\r' || char === '\n') return finish();
        if (char === '\u0003') return finish(new Error('cancelled'));
        value = char === '\u007f' ? value.slice(0, -1) : value + char;
      }
    };
    stdin.on('data', onData);
  });
}

const args = process.argv.slice(2);
const unknown = args.filter((arg) => arg !== '--dry-run' && arg !== '--open');
if (unknown.length > 0) {
  console.error(`unknown argument ${unknown.join(' ')}\n${USAGE}`);
  process.exit(2);
}
try {
  const fits = await runDeploy({
    root: repoRoot,
    wrangler: wranglerCli(repoRoot, process.env),
    env: process.env,
    dryRun: args.includes('--dry-run'),
    open: args.includes('--open'),
    log: (line) => console.log(line),
    prompt: process.stdin.isTTY ? { text: askText, secret: askSecret } : undefined,
  });
  process.exitCode = fits ? 0 : 1;
} catch (error) {
  console.error(`deploy stopped: ${error instanceof Error ? error.message : String(error)}`);
  process.exitCode = 1;
}
