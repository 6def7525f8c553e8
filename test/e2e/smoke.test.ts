import { env } from 'cloudflare:workers';
import { expect, it } from 'vitest';
it('reaches node', async () => {
  const res = await fetch(env.BACKEND_URL);
  expect(await res.text()).toBe('hello from node');
});
