/**
 * The bearer token in process: which paths need it, which stay open, and the refusal to listen beyond loopback
 * without one.
 */
import { describe, expect, it } from 'vitest';
import { emptyRegistry } from '../../test/support/backend/bare-config.ts';
import { createApp } from './app.ts';
import { defaultOpenPaths, readAuthSettings, type AuthSettings } from './auth.ts';

const token = 'correct-horse-battery-staple';

function app(auth: AuthSettings) {
  const registry = emptyRegistry();
  return createApp({
    registry,
    version: '9.9.9',
    provider: 'cpu',
    isDraining: () => false,
    logError: () => undefined,
    auth,
  });
}

const bearer = (value: string) => ({ headers: { authorization: `Bearer ${value}` } });

describe('with MODALFUSE_BACKEND_TOKEN', () => {
  const secured = app({ token, openPaths: defaultOpenPaths });

  it('answers 401 problem+json with WWW-Authenticate without a token or with a wrong one', async () => {
    for (const init of [{}, bearer('wrong'), bearer(`${token}x`), { headers: { authorization: token } }]) {
      const response = await secured.request('/v2', init);
      expect(response.status).toBe(401);
      expect(response.headers.get('www-authenticate')).toBe('Bearer');
      expect(response.headers.get('content-type')).toBe('application/problem+json');
      const body = (await response.json()) as Record<string, unknown>;
      expect(body).toMatchObject({ status: 401, title: 'Unauthorized', error: expect.any(String) });
      expect(JSON.stringify(body)).not.toContain(token);
    }
  });

  it('serves with the right token', async () => {
    const response = await secured.request('/v2', bearer(token));
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({ version: '9.9.9' });
  });

  it('refuses an infer call before reading its body', async () => {
    const response = await secured.request('/v2/models/m/infer', { method: 'POST', body: 'x'.repeat(1000) });
    expect(response.status).toBe(401);
  });

  it('keeps the health probes and /metrics open by default', async () => {
    expect((await secured.request('/v2/health/live')).status).toBe(200);
    expect((await secured.request('/v2/health/ready')).status).toBe(503);
    expect((await secured.request('/metrics')).status).toBe(200);
  });

  it('opens exactly the configured paths', async () => {
    const env = { MODALFUSE_BACKEND_TOKEN: token, MODALFUSE_BACKEND_OPEN_PATHS: ' /v2/health/live , ' };
    const configured = app(readAuthSettings(env, '127.0.0.1'));
    expect((await configured.request('/v2/health/live')).status).toBe(200);
    expect((await configured.request('/metrics')).status).toBe(401);
    expect((await configured.request('/metrics', bearer(token))).status).toBe(200);
    const closed = app(readAuthSettings({ ...env, MODALFUSE_BACKEND_OPEN_PATHS: '' }, '127.0.0.1'));
    expect((await closed.request('/v2/health/live')).status).toBe(401);
  });
});

describe('readAuthSettings', () => {
  it('leaves a loopback backend open without a token', () => {
    for (const host of ['127.0.0.1', '::1', 'localhost']) {
      expect(readAuthSettings({}, host)).toEqual({ token: undefined, openPaths: [...defaultOpenPaths] });
    }
  });

  it('refuses to listen beyond loopback without a token', () => {
    for (const host of ['0.0.0.0', '::', '10.0.0.7']) {
      expect(() => readAuthSettings({}, host)).toThrow(
        new RegExp(`^refusing to listen on ${host} without authentication: set MODALFUSE_BACKEND_TOKEN`),
      );
    }
  });

  it('listens beyond loopback with a token, or with the explicit opt-out', () => {
    expect(readAuthSettings({ MODALFUSE_BACKEND_TOKEN: token }, '0.0.0.0').token).toBe(token);
    expect(readAuthSettings({ MODALFUSE_BACKEND_INSECURE: '1' }, '0.0.0.0').token).toBeUndefined();
  });
});
