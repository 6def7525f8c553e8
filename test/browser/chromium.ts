/**
 * @module
 * The Chromium build from npm (see chromium-build.ts) under playwright-core: headless, no sandbox (CI runs as
 * root), no network of its own beyond what the page asks for, a fresh profile per launch, and a fake microphone so
 * that recording can be exercised. Closing the context also removes the profile.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type BrowserContext } from 'playwright-core';
import { chromiumBuild } from './chromium-build.ts';

const args = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--use-fake-device-for-media-stream',
  '--use-fake-ui-for-media-stream',
];

export interface Browser {
  readonly context: BrowserContext;
  close(): Promise<void>;
}

export async function launchChromium(): Promise<Browser> {
  const build = await chromiumBuild();
  const profile = await mkdtemp(join(tmpdir(), 'modalfuse-chromium-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: build.executablePath,
    env: { ...process.env, ...build.env },
    headless: true,
    args,
    viewport: { width: 1200, height: 900 },
  });
  return {
    context,
    async close() {
      await context.close();
      await rm(profile, { recursive: true, force: true });
    },
  };
}
