/**
 * @module
 * The playground as the Worker serves it, inside workerd: a page whose every control is labelled and whose
 * strategies are the registry's, and its script from the same origin.
 */
import { describe, expect, it } from 'vitest';
import { strategyNames } from '../fusion/registry.ts';
import { call } from '../../test/edge/helpers.ts';

describe('GET /', () => {
  it('serves the page with a same-origin content security policy', async () => {
    const response = await call('/');
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^text\/html/);
    expect(response.headers.get('content-security-policy')).toContain("default-src 'self'");
    const page = await response.text();
    expect(page).toContain('<script type="module" src="/playground.js"></script>');
    expect(page).not.toMatch(/https?:\/\//);
  });

  it('offers every fusion strategy, the default first, and a weight per modality', async () => {
    const page = await (await call('/')).text();
    const offered = [...page.matchAll(/<option value="([^"]+)">/g)].map((match) => match[1]);
    expect(offered[0]).toBe('weighted');
    expect([...offered].sort()).toEqual([...strategyNames].sort());
    for (const modality of ['text', 'image', 'audio']) expect(page).toContain(`id="weight-${modality}"`);
  });

  it('labels every control', async () => {
    const page = await (await call('/')).text();
    const controls = [...page.matchAll(/<(?:input|select|textarea)[^>]* id="([^"]+)"/g)].map((m) => m[1]);
    expect(controls.length).toBeGreaterThan(8);
    for (const id of controls) expect(page, id).toContain(`for="${id}"`);
  });
});

describe('GET /playground.js', () => {
  it('serves the script as JavaScript, calling only this origin', async () => {
    const response = await call('/playground.js');
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('text/javascript; charset=utf-8');
    const script = await response.text();
    expect(script).toContain('wireApp();');
    expect(script).not.toMatch(/https?:\/\//);
  });

  it('leaves other paths to the API (404 problem+json)', async () => {
    const response = await call('/playground.css');
    expect(response.status).toBe(404);
    expect(response.headers.get('content-type')).toBe('application/problem+json');
  });
});
