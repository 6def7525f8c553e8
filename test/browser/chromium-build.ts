/**
 * @module
 * The Chromium that the browser tests drive comes from npm: the headless build inside `@sparticuz/chromium`'s
 * tarball (`bin/chromium.br`, brotli), with the NSS and expat libraries it links (`bin/al2023.tar.br`) and a font
 * (`bin/fonts.tar.br`), so it needs nothing from the system but glibc. Only those files are used, never the package's
 * JavaScript (which unpacks into a shared `/tmp/chromium` and trusts whatever it finds there). It is unpacked once per
 * package version into `node_modules/.cache/modalfuse-chromium/<version>/` (≈ 3 s), into a temporary folder that is
 * renamed into place, so an interrupted or concurrent unpack is never used.
 */
import { randomBytes } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import { mkdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { createBrotliDecompress } from 'node:zlib';
import { extract } from 'tar';

export interface ChromiumBuild {
  readonly executablePath: string;
  /** Added to the browser's environment: its own libraries first, and a font configuration naming its font. */
  readonly env: Readonly<Record<string, string>>;
}

const packageName = '@sparticuz/chromium';

/** `node_modules/@sparticuz/chromium` wherever npm put it (its entry point's nearest package.json), and its version. */
async function packageDir(): Promise<{ dir: string; version: string }> {
  let dir = dirname(createRequire(import.meta.url).resolve(packageName));
  for (; dir !== dirname(dir); dir = dirname(dir)) {
    const manifest = await readFile(join(dir, 'package.json'), 'utf8').catch(() => undefined);
    const { name, version } = manifest ? (JSON.parse(manifest) as { name?: string; version: string }) : {};
    if (name === packageName && version) return { dir, version };
  }
  throw new Error(`${packageName}: no package.json above its entry point; reinstall it with \`npm ci\``);
}

/** Unpacks a `.tar.br` into `dir`, the files owned by whoever unpacks, not by the uids recorded in the archive. */
function untar(file: string, dir: string): Promise<void> {
  return extract({ file, cwd: dir, brotli: true, preserveOwner: false });
}

/**
 * The bundled fontconfig's configuration: only the bundled font, so that pages render alike on every machine; named
 * relative to this file, so that the folder still works after the checkout moves.
 */
const FONTS_CONF = `<?xml version="1.0"?>
<!DOCTYPE fontconfig SYSTEM "fonts.dtd">
<fontconfig>
  <dir prefix="relative">fonts</dir>
</fontconfig>
`;

async function unpackInto(bin: string, part: string): Promise<void> {
  await mkdir(part, { recursive: true });
  const executable = createWriteStream(join(part, 'chromium'), { mode: 0o755 });
  await pipeline(createReadStream(join(bin, 'chromium.br')), createBrotliDecompress(), executable);
  await untar(join(bin, 'al2023.tar.br'), part);
  await untar(join(bin, 'fonts.tar.br'), part);
  await writeFile(join(part, 'fonts.conf'), FONTS_CONF);
}

async function isDir(path: string): Promise<boolean> {
  return stat(path).then(
    (s) => s.isDirectory(),
    () => false,
  );
}

/** Unpacks the build if this package version has not been unpacked yet; returns how to launch it. */
export async function chromiumBuild(): Promise<ChromiumBuild> {
  const { dir, version } = await packageDir();
  const final = join(dir, '..', '..', '.cache', 'modalfuse-chromium', version);
  if (!(await isDir(final))) {
    const part = `${final}.${process.pid}.${randomBytes(4).toString('hex')}.part`;
    try {
      await unpackInto(join(dir, 'bin'), part);
      // Another process may have won the race; its copy is as good as ours.
      await rename(part, final).catch(async (error: unknown) => {
        if (!(await isDir(final))) throw error;
      });
    } finally {
      await rm(part, { recursive: true, force: true });
    }
  }
  const libraries = [join(final, 'lib'), process.env.LD_LIBRARY_PATH].filter(Boolean).join(':');
  return {
    executablePath: join(final, 'chromium'),
    env: { LD_LIBRARY_PATH: libraries, FONTCONFIG_PATH: final },
  };
}
