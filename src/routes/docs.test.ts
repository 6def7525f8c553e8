/**
 * @module
 * `/docs` without a CDN, inside workerd with the Worker's static assets binding: the page references only
 * same-origin URLs and runs no inline script, its CSP allows nothing else, and every file it references is served
 * by the Worker with the right content type (the stylesheet and bundle straight from swagger-ui-dist). Only the
 * files the page needs are reachable; `DOCS_ASSETS_URL` moves the stylesheet and bundle, and the CSP follows.
 */
import { describe, expect, it } from 'vitest';
import { call, expectProblem } from '../../test/edge/helpers.ts';
import { swaggerUiVersion } from './docs.ts';

/** Every URL in a src or href attribute of the page. */
function referenced(page: string): string[] {
  return [...page.matchAll(/\b(?:src|href)="([^"]*)"/g)].map((match) => match[1] ?? '');
}

describe('GET /docs', () => {
  it('references only same-origin assets and runs no inline script', async () => {
    const response = await call('/docs');
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^text\/html/);
    const page = await response.text();
    const urls = referenced(page);
    expect(urls).toEqual([
      '/docs/assets/swagger-ui.css',
      '/docs/assets/swagger-ui-bundle.js',
      '/docs/init.js',
    ]);
    expect(page).not.toMatch(/<script(?![^>]*\bsrc=)[^>]*>/);
    expect(page).not.toMatch(/cdn|jsdelivr|unpkg|https?:\/\//i);
    const policy = response.headers.get('content-security-policy') ?? '';
    expect(policy).toContain("default-src 'none'");
    expect(policy).toContain("script-src 'self';");
    expect(policy).toContain("connect-src 'self'");
    expect(policy).not.toMatch(/https?:|'unsafe-eval'/);
  });

  it('serves every asset the page references, with its content type', async () => {
    const page = await (await call('/docs')).text();
    const expected: Record<string, [RegExp, string]> = {
      '/docs/assets/swagger-ui.css': [/^text\/css/, '.swagger-ui'],
      '/docs/assets/swagger-ui-bundle.js': [/^text\/javascript/, 'SwaggerUIBundle'],
      '/docs/init.js': [/^text\/javascript/, "url: '/openapi.json'"],
    };
    for (const url of referenced(page)) {
      const [type, content] = expected[url] ?? [/^$/, 'an unexpected asset'];
      const response = await call(url);
      expect(response.status, url).toBe(200);
      expect(response.headers.get('content-type'), url).toMatch(type);
      expect(response.headers.get('x-content-type-options'), url).toBe('nosniff');
      expect(await response.text(), url).toContain(content);
    }
  });

  it('serves nothing else of the package or the Worker', async () => {
    for (const path of [
      '/docs/assets/package.json',
      '/docs/assets/index.html',
      '/docs/assets/swagger-ui-bundle.js.map',
      '/docs/assets/..%2Fwrangler.toml',
      '/docs/assets/',
      '/index.html',
      '/swagger-ui-bundle.js',
    ]) {
      const response = await call(path);
      expect(response.status, path).toBe(404);
      await expectProblem(response, 404);
    }
  });

  it('loads the stylesheet and bundle from DOCS_ASSETS_URL when one is set, and lets the CSP allow it', async () => {
    const response = await call('/docs', {}, { DOCS_ASSETS_URL: 'https://static.example/ui/' });
    const base = `https://static.example/ui/swagger-ui-dist@${swaggerUiVersion}`;
    expect(referenced(await response.text())).toEqual([
      `${base}/swagger-ui.css`,
      `${base}/swagger-ui-bundle.js`,
      '/docs/init.js',
    ]);
    const policy = response.headers.get('content-security-policy') ?? '';
    expect(policy).toContain("script-src 'self' https://static.example;");
    expect(policy).toContain("style-src 'self' 'unsafe-inline' https://static.example;");
  });
});
