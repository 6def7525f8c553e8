/**
 * @module
 * `/docs` in a real browser against the Worker under `wrangler dev`: Swagger UI renders the API from the Worker's
 * own origin (static assets), every request the page makes stays on that origin, and the page's CSP is not
 * violated (Swagger UI needs no eval and no inline script). A screenshot goes to `test/browser/.artifacts/`.
 */
import { mkdir } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { launchChromium, type Browser } from './chromium.ts';

const artifacts = fileURLToPath(new URL('./.artifacts/', import.meta.url));

let browser: Browser;

beforeAll(async () => {
  await mkdir(artifacts, { recursive: true });
  browser = await launchChromium();
});

afterAll(async () => {
  await browser?.close();
});

describe('the API docs page', () => {
  it('renders Swagger UI from the Worker alone, within its CSP', async () => {
    const origin = new URL(inject('edgeUrl')).origin;
    const page = await browser.context.newPage();
    const requested: string[] = [];
    const complaints: string[] = [];
    page.on('request', (request) => requested.push(request.url()));
    page.on('console', (message) => {
      if (message.type() === 'error') complaints.push(message.text());
    });
    // The page's own document is enough to start: the polls below wait for Swagger UI to render (a subresource the
    // load event would wait on once stalled past the 30 s default under the full suite's load, in one CI run of many).
    await page.goto(`${origin}/docs`, { waitUntil: 'domcontentloaded', timeout: 60_000 });
    await expect
      .poll(() => page.locator('.swagger-ui .info .title').textContent(), { timeout: 30_000 })
      .toContain('ModalFuse');
    await expect
      .poll(() => page.locator('.opblock-summary-path').count(), { timeout: 30_000 })
      .toBeGreaterThan(10);
    await page.screenshot({ path: `${artifacts}docs.png`, fullPage: false });
    expect(requested.filter((url) => !url.startsWith(`${origin}/`) && !url.startsWith('data:'))).toEqual([]);
    expect(requested).toEqual(
      expect.arrayContaining([`${origin}/docs/assets/swagger-ui-bundle.js`, `${origin}/openapi.json`]),
    );
    expect(complaints.filter((text) => /content security policy/i.test(text))).toEqual([]);
    await page.close();
  });
});
