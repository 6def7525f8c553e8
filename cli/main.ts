/**
 * @module
 * The `modalfuse` process: runs the program on the command line's arguments. A first Ctrl-C lets the requests in
 * flight finish and records them (so `examples add` can resume); a second one exits at once.
 */
import { exitCodes } from './output.ts';
import { runCli } from './program.ts';

const interrupt = new AbortController();
process.on('SIGINT', () => {
  if (interrupt.signal.aborted) process.exit(exitCodes.interrupted);
  process.stderr.write('\nmodalfuse: stopping after the requests in flight (Ctrl-C again to quit now)\n');
  interrupt.abort();
});

const io = {
  out: (text: string) => process.stdout.write(`${text}\n`),
  err: (text: string) => process.stderr.write(`${text}\n`),
  interactive: process.stderr.isTTY === true,
};

process.exitCode = await runCli(process.argv.slice(2), io, process.env, interrupt.signal);
