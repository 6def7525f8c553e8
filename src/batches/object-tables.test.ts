/**
 * @module
 * A batch object created before `lines.tokens`, `lines.cached_tokens`, `chunks.message` and `chunks.sent` existed
 * gets them, its chunks counted as sent (they were queued by the Worker then), and its rows keep their results.
 */
import { env } from 'cloudflare:workers';
import { runInDurableObject } from 'cloudflare:test';
import { describe, expect, it } from 'vitest';
import { newBatchId } from './ids.ts';
import { createTables } from './object-tables.ts';

const firstVersion = [
  'CREATE TABLE batch (k INTEGER PRIMARY KEY CHECK (k = 0), record TEXT NOT NULL)',
  'CREATE TABLE chunks (chunk INTEGER PRIMARY KEY, lines INTEGER NOT NULL, seen INTEGER NOT NULL)',
  `CREATE TABLE lines (line INTEGER PRIMARY KEY, chunk INTEGER NOT NULL, custom_id TEXT NOT NULL,
     outcome TEXT, text TEXT)`,
];

describe("a batch object's tables", () => {
  it('gain the columns added since an older object was made, its rows kept', async () => {
    const stub = env.BATCH_OBJECTS.getByName(`migration/${newBatchId()}`);
    const rows = await runInDurableObject(stub, (_, state) => {
      const sql = state.storage.sql;
      for (const table of ['lines', 'chunks', 'batch']) sql.exec(`DROP TABLE ${table}`);
      for (const statement of firstVersion) sql.exec(statement);
      sql.exec('INSERT INTO chunks (chunk, lines, seen) VALUES (0, 1, 0)');
      sql.exec("INSERT INTO lines (line, chunk, custom_id, outcome, text) VALUES (0, 0, 'a', 'output', 'x')");
      createTables(sql);
      createTables(sql);
      return {
        chunk: sql.exec('SELECT * FROM chunks').one(),
        line: sql.exec('SELECT * FROM lines').one(),
      };
    });
    expect(rows).toEqual({
      chunk: { chunk: 0, lines: 1, seen: 0, message: null, sent: 1 },
      line: {
        line: 0,
        chunk: 0,
        custom_id: 'a',
        outcome: 'output',
        text: 'x',
        tokens: 0,
        cached_tokens: 0,
        spilled: null,
      },
    });
  });
});
