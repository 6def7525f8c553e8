/**
 * @module
 * Export and import of a task as JSONL, inside workerd through the routes (backend: embeddings by keyword,
 * `test/edge/keyword-app.ts`): a task taught in one tenant, exported and imported into another, answers a classify
 * there exactly as at home, with nothing embedded again; the export is a read (an `inference` key may) and the
 * import a write (it may not); a model not served, a vector of another dimension, a malformed line and a line over
 * the limit are refused naming what is wrong, and leave no task behind.
 */
import { describe, expect, it } from 'vitest';
import { expectProblem } from '../../test/edge/helpers.ts';
import { callApp, jsonInit, keywordApp } from '../../test/edge/keyword-app.ts';
import { freshTenant, makeKeys, type Call } from '../../test/edge/tenants.ts';
import { encodeFloat32 } from '../vectors.ts';

const textOnly = { image: false, audio: false, html: false };

async function ok(response: Response, status = 200): Promise<string> {
  const text = await response.text();
  expect({ status: response.status, text }).toMatchObject({ status });
  return text;
}

const importInit = (body: string): RequestInit => ({
  method: 'POST',
  headers: { 'content-type': 'application/x-ndjson' },
  body,
});

const classify = async (caller: Call, task: string, text: string) =>
  JSON.parse(await ok(await caller('/v1/classify', jsonInit('POST', { task, inputs: { text } })))) as unknown;

async function taughtExport(caller: Call, id: string): Promise<string> {
  const labels = ['red', 'blue', 'cat'];
  await ok(await caller('/v1/tasks', jsonInit('POST', { id, labels, modalities: textOnly })), 201);
  const texts = ['a red sun', 'red', 'a blue moon', 'blue fish', 'a cat', 'cat and dog'];
  const examples = texts.map((text, i) => ({ label: labels[Math.floor(i / 2)], inputs: { text } }));
  await ok(await caller(`/v1/tasks/${id}/examples`, jsonInit('POST', { examples })));
  return ok(await caller(`/v1/tasks/${id}/export`));
}

describe('a task exported and imported into another tenant', () => {
  it('answers there as at home, its examples and embeddings kept', async () => {
    const [a, b] = [freshTenant('alice'), freshTenant('bob')];
    const keys = await makeKeys({
      alice: { tenant: a },
      bob: { tenant: b },
      reader: { tenant: b, scope: 'inference' },
    });
    const app = keywordApp();
    const alice = callApp(app, keys, 'alice');
    const bob = callApp(app, keys, 'bob');
    const reader = callApp(app, keys, 'reader');
    const file = await taughtExport(alice, 'colours');
    const lines = file
      .trimEnd()
      .split('\n')
      .map((line) => JSON.parse(line) as Record<string, unknown>);
    expect(lines).toHaveLength(7);
    expect(lines[0]).toMatchObject({ format: 'modalfuse.task', version: 1, labels: ['red', 'blue', 'cat'] });
    expect(lines[0]?.modalities).toEqual({
      text: { model: 'use-lite', head: 'prototype', temperature: 0.1 },
    });
    expect(lines[1]).toMatchObject({ id: 1, label: 'red', embeddings: { text: { model: 'use-lite' } } });

    const refused = await expectProblem(await reader('/v1/tasks/copy/import', importInit(file)), 403);
    expect(refused.code).toBe('forbidden');
    const imported = JSON.parse(
      await ok(await bob('/v1/tasks/copy/import', importInit(file)), 201),
    ) as unknown;
    expect(imported).toMatchObject({ id: 'copy', imported: 6 });

    for (const text of ['a red cat', 'moon', 'a cat on the sun']) {
      const home = (await classify(alice, 'colours', text)) as Record<string, unknown>;
      const away = (await classify(bob, 'copy', text)) as Record<string, unknown>;
      expect({ ...away, task: 'colours' }).toEqual(home);
    }
    // The export is a read: an inference key of the importing tenant may export the copy, which is the same file.
    const again = await ok(await reader('/v1/tasks/copy/export'));
    expect(again.split('\n').slice(1)).toEqual(file.split('\n').slice(1));
  });
});

function header(model = 'use-lite') {
  const modalities = { text: { model, head: 'prototype', temperature: 0.1 } };
  const fusion = { strategy: 'weighted', weights: { text: 1 } };
  return JSON.stringify({
    format: 'modalfuse.task',
    version: 1,
    id: 'x',
    labels: ['red', 'blue'],
    modalities,
    fusion,
  });
}

const example = (label: string, dimension = 8) =>
  JSON.stringify({
    label,
    embeddings: { text: { model: 'use-lite', vector: encodeFloat32(new Array(dimension).fill(1)) } },
  });

describe('a bad import', () => {
  it('is refused naming the model, the dimension or the line, and leaves no task', async () => {
    const keys = await makeKeys({ carol: { tenant: freshTenant('carol') } });
    const carol = callApp(keywordApp(), keys, 'carol');
    const cases: [string, number, string, RegExp][] = [
      [[header('no-such-model'), example('red')].join('\n'), 422, 'model-not-served', /no-such-model/],
      [
        [header(), example('red'), example('blue', 16)].join('\n'),
        422,
        'dimension-mismatch',
        /line 3.*16 dimensions/,
      ],
      [
        [header(), example('red'), '{"label": "red"', example('blue')].join('\n'),
        400,
        'malformed-line',
        /^line 3: not JSON/,
      ],
      [[header(), example('green')].join('\n'), 400, 'malformed-line', /line 2.*green/],
      ['not a header', 400, 'malformed-line', /^line 1/],
      [[header(), 'x'.repeat(1024 * 1024 + 10)].join('\n'), 413, 'line-too-long', /line 2/],
    ];
    for (const [body, status, code, detail] of cases) {
      const problem = await expectProblem(await carol('/v1/tasks/bad/import', importInit(body)), status);
      expect(problem).toMatchObject({ code, detail: expect.stringMatching(detail) as string });
      await expectProblem(await carol('/v1/tasks/bad'), 404);
    }
    const json = await expectProblem(await carol('/v1/tasks/bad/import', jsonInit('POST', {})), 415);
    expect(json.code).toBe('unsupported-media-type');
  });
});
