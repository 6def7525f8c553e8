/**
 * @module
 * A task deleted and created again under its id, inside workerd, through the routes of one app (one isolate, one
 * heads cache): the isolate that served the deleted task's heads serves the new task's, because the new task's
 * versions follow the deleted one's (its object keeps the last version) — and an `If-Match` of the deleted task
 * does not match the new one.
 */
import { describe, expect, it } from 'vitest';
import { expectProblem } from '../../test/edge/helpers.ts';
import { callApp, jsonInit, keywordApp } from '../../test/edge/keyword-app.ts';
import { freshTenant, makeKeys, type Call } from '../../test/edge/tenants.ts';

const textOnly = { image: false, audio: false, html: false };

async function ok(response: Response, status = 200): Promise<Record<string, unknown>> {
  const text = await response.text();
  expect({ status: response.status, text }).toMatchObject({ status });
  return text === '' ? {} : (JSON.parse(text) as Record<string, unknown>);
}

async function createAndTeach(caller: Call, id: string, labels: readonly string[]) {
  await ok(await caller('/v1/tasks', jsonInit('POST', { id, labels, modalities: textOnly })), 201);
  const examples = labels.map((label) => ({ label, inputs: { text: `a ${label}` } }));
  return ok(await caller(`/v1/tasks/${id}/examples`, jsonInit('POST', { examples })));
}

const classify = (caller: Call, task: string, text: string) =>
  caller('/v1/classify', jsonInit('POST', { task, inputs: { text } }));

describe('a task deleted and created again', () => {
  it("is classified with the new task's heads in an isolate that cached the old one's", async () => {
    const keys = await makeKeys({ alice: { tenant: freshTenant('alice') } });
    const alice = callApp(keywordApp(), keys, 'alice');
    const first = await createAndTeach(alice, 'again', ['red', 'blue']);
    expect(await ok(await classify(alice, 'again', 'a red cat'))).toMatchObject({ label: 'red' });

    await ok(await alice('/v1/tasks/again', { method: 'DELETE' }), 204);
    const second = await createAndTeach(alice, 'again', ['cat', 'dog']);
    const answer = await ok(await classify(alice, 'again', 'a red cat'));
    expect(answer).toMatchObject({ label: 'cat' });
    expect((answer.scores as { label: string }[]).map((score) => score.label).sort()).toEqual(['cat', 'dog']);
    // Versions never repeat for an id: the deleted task's ETag is no validator of the new one.
    const [before, after] = [first, second].map((teach) => (teach.task as { version: number }).version);
    expect(after).toBeGreaterThan(before ?? Infinity);
    const stale = {
      method: 'PUT',
      headers: { 'content-type': 'application/json', 'if-match': `"${before}"` },
      body: JSON.stringify({ labels: ['x', 'y'] }),
    };
    expect((await expectProblem(await alice('/v1/tasks/again', stale), 412)).code).toBe('version-mismatch');
  });
});
