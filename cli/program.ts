/**
 * @module
 * The `modalfuse` program: global options (`--url`, `--api-key` or MODALFUSE_API_KEY, `--tenant` or
 * MODALFUSE_TENANT for admin keys, `--json`), the commands,
 * and one place that turns failures into a message on stderr and an exit code (0 ok, 1 failure or API error,
 * 2 usage, 130 interrupted). Runs in-process for tests; `main.ts` wires it to the real process.
 */
import { Command, CommanderError } from 'commander';
import { ApiError, createModalFuseClient } from '#client';
import { registerCommands, type Context } from './commands.ts';
import { exitCodes, UsageError, type Io } from './output.ts';

export const defaultUrl = 'http://127.0.0.1:8787';

interface GlobalOptions {
  url: string;
  apiKey?: string;
  tenant?: string;
  json?: boolean;
}

function describeFailure(error: unknown): string {
  const { code, path } = error as NodeJS.ErrnoException;
  if (code === 'ENOENT' && path) return `cannot read ${path}: no such file or directory`;
  if (code === 'EISDIR' && path) return `${path} is a folder, not a file`;
  if (error instanceof ApiError && error.status === 0) return `${error.message} (see --url)`;
  return error instanceof Error ? error.message : String(error);
}

function report(io: Io, json: boolean, error: unknown): number {
  if (error instanceof CommanderError) return error.exitCode === 0 ? exitCodes.ok : exitCodes.usage;
  const code = error instanceof UsageError ? exitCodes.usage : exitCodes.failure;
  const message = describeFailure(error);
  const status = error instanceof ApiError ? error.status : undefined;
  io.err(json ? JSON.stringify({ error: message, status }) : `modalfuse: ${message}`);
  return code;
}

/** The key: `--api-key`, else `MODALFUSE_API_KEY`, else `MODALFUSE_KEY` (the name the README once gave it). */
export function apiKeyOf(
  option: string | undefined,
  env: Readonly<Record<string, string | undefined>>,
): string | undefined {
  return option ?? (env.MODALFUSE_API_KEY || undefined) ?? (env.MODALFUSE_KEY || undefined);
}

export async function runCli(
  argv: readonly string[],
  io: Io,
  env: Readonly<Record<string, string | undefined>>,
  signal?: AbortSignal,
): Promise<number> {
  let code: number = exitCodes.ok;
  const program = new Command('modalfuse')
    .description(
      'ModalFuse from the shell: tasks, examples from folders, classification, evaluation, embeddings, batches',
    )
    .option('--url <url>', 'the ModalFuse API', env.MODALFUSE_URL ?? defaultUrl)
    .option('--api-key <key>', 'Bearer key (default: $MODALFUSE_API_KEY, or its old name $MODALFUSE_KEY)')
    .option(
      '--tenant <name>',
      'admin keys: act as this tenant (default: $MODALFUSE_TENANT, else the tenant of the key)',
    )
    .option('--json', 'print JSON, for scripts')
    .exitOverride()
    .configureOutput({
      writeOut: (text) => io.out(text.trimEnd()),
      writeErr: (text) => io.err(text.trimEnd()),
    });
  const options = () => program.opts<GlobalOptions>();
  const context: Context = {
    api: () =>
      createModalFuseClient({
        baseUrl: options().url,
        apiKey: apiKeyOf(options().apiKey, env),
        tenant: options().tenant ?? env.MODALFUSE_TENANT,
      }),
    io,
    json: () => options().json === true,
    signal,
    exit: (exitCode) => (code = exitCode),
  };
  registerCommands(program, context);
  try {
    await program.parseAsync([...argv], { from: 'user' });
    return code;
  } catch (error) {
    return report(io, options().json === true, error);
  }
}
