/**
 * @module
 * The resume state of `examples add`: which items of a folder are already in a task. Written after every added
 * item, atomically (a temporary file renamed over the old one), so an interrupted run loses nothing it finished.
 */
import { readFile, rename, writeFile } from 'node:fs/promises';

interface StateFile {
  readonly task: string;
  readonly done: readonly string[];
}

export class ResumeState {
  private writing: Promise<void> = Promise.resolve();

  private constructor(
    private readonly path: string,
    private readonly task: string,
    private readonly done: Set<string>,
  ) {}

  /** Loads the state of `task` at `path`; a missing file, or one about another task, starts afresh. */
  static async load(path: string, task: string): Promise<ResumeState> {
    const text = await readFile(path, 'utf8').catch(() => undefined);
    let done: readonly string[] = [];
    if (text !== undefined) {
      const parsed = JSON.parse(text) as Partial<StateFile>;
      if (parsed.task === task && Array.isArray(parsed.done)) done = parsed.done;
    }
    return new ResumeState(path, task, new Set(done));
  }

  has(key: string): boolean {
    return this.done.has(key);
  }

  /** Records an item as added; writes are serialised so the file is never torn. */
  add(key: string): Promise<void> {
    this.done.add(key);
    const snapshot: StateFile = { task: this.task, done: [...this.done] };
    this.writing = this.writing.then(async () => {
      await writeFile(`${this.path}.tmp`, JSON.stringify(snapshot, null, 1));
      await rename(`${this.path}.tmp`, this.path);
    });
    return this.writing;
  }
}
