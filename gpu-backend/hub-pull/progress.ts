/**
 * @module
 * Download progress on a terminal: one cli-progress bar per file (several at once when files download side by
 * side), on stderr, with log lines printed above the bars while they are drawn. Where stderr is not a terminal (a
 * pipe, a CI log) no bar is drawn and log lines go to stdout as they come.
 */
import { MultiBar, Presets, type SingleBar } from 'cli-progress';
import type { ProgressSink } from './resumable.ts';

export interface ProgressBars {
  /** A sink for one download after another; each `start` draws a new bar. */
  sink(): ProgressSink;
  /** Prints a line, above the bars while they are drawn. */
  log(line: string): void;
  /** Draws the bars one last time; call once every download has ended. */
  close(): void;
}

export function progressBars(): ProgressBars {
  let bars: MultiBar | undefined;
  const drawing = () => {
    bars ??= new MultiBar(
      {
        format: '{label} [{bar}] {percentage}% {value}/{total} bytes',
        stream: process.stderr,
        hideCursor: true,
      },
      Presets.shades_classic,
    );
    return bars;
  };
  const quiet: ProgressSink = { start: () => undefined, update: () => undefined, stop: () => undefined };
  return {
    sink() {
      if (!process.stderr.isTTY) return quiet;
      let bar: SingleBar | undefined;
      return {
        start: (label, total, done) => (bar = drawing().create(total, done, { label })),
        update: (done) => bar?.update(done),
        stop: () => bar?.stop(),
      };
    },
    log: (line) => (bars ? bars.log(`${line}\n`) : console.log(line)),
    close: () => {
      bars?.update(); // prints the log lines still waiting for a redraw
      bars?.stop();
    },
  };
}
