/**
 * The backend's Dockerfiles, read as text (no docker engine here to build them): each builds the bundle in a stage
 * of its own and ships a final stage with production dependencies only, running the built entry with plain node;
 * everything a COPY takes from the build context exists and passes its `.dockerignore`.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { backendEntries, DEFAULT_OUTDIR } from '../../scripts/lib/build-backend.ts';
import { repoRoot } from '../../scripts/lib/backend-process.ts';

interface Stage {
  readonly from: string;
  readonly lines: string[];
}

/** The instructions of each stage, continuation lines joined. */
function stages(file: string): Stage[] {
  const text = readFileSync(join(repoRoot, 'gpu-backend', file), 'utf8').replace(/\s*\\\n\s*/g, ' ');
  const result: Stage[] = [];
  for (const line of text.split('\n').map((each) => each.trim())) {
    if (line === '' || line.startsWith('#')) continue;
    if (line.startsWith('FROM ')) result.push({ from: line, lines: [] });
    else result.at(-1)?.lines.push(line);
  }
  return result;
}

/** Whether the allow-list `.dockerignore` (`**`, then `!path` or `!dir/**` lines) lets `path` into the context. */
function admitted(ignore: string, path: string): boolean {
  const allowed = ignore
    .split('\n')
    .filter((line) => line.startsWith('!'))
    .map((line) => line.slice(1).replace(/\/\*\*$/, ''));
  return allowed.some((entry) => path === entry || path.startsWith(`${entry}/`));
}

describe.each(['Dockerfile', 'Dockerfile.cpu'])('gpu-backend/%s', (file) => {
  const all = stages(file);
  const final = all.at(-1);
  const build = all.find((stage) => / AS build$/.test(stage.from));

  it('bundles in a build stage and runs the bundle with plain node, no tsx', () => {
    expect(build?.lines).toContain('RUN npm run build:backend');
    const outdir = DEFAULT_OUTDIR.slice(repoRoot.length);
    expect(final?.lines).toContain(`COPY --from=build /app/${outdir} ./${outdir}`);
    expect(backendEntries().main).toBeDefined();
    expect(final?.lines).toContain(`CMD ["node", "--enable-source-maps", "${outdir}/main.js"]`);
    expect(final?.lines.join('\n')).not.toMatch(/tsx/);
  });

  it('installs production dependencies only in the final stage', () => {
    const installs = final?.lines.filter((line) => /\bnpm (ci|install)\b/.test(line)) ?? [];
    expect(installs.length).toBe(1);
    expect(installs[0]).toMatch(/npm ci --omit=dev /);
    const environment = final?.lines.find((line) => line.startsWith('ENV ')) ?? '';
    expect(environment).toMatch(/ NODE_ENV=production /);
    expect(environment).toMatch(
      file === 'Dockerfile' ? / MODALFUSE_EXECUTION_PROVIDER=cuda / : / MODALFUSE_EXECUTION_PROVIDER=cpu$/,
    );
    expect(final?.lines.some((line) => line.startsWith('USER ') && !/USER (root|0)\b/.test(line))).toBe(true);
  });

  it('copies only files that exist and that its .dockerignore lets in', () => {
    const ignore = readFileSync(join(repoRoot, 'gpu-backend', `${file}.dockerignore`), 'utf8');
    const sources = all
      .flatMap((stage) => stage.lines)
      .filter((line) => line.startsWith('COPY ') && !line.startsWith('COPY --from='))
      .flatMap((line) => line.split(/\s+/).slice(1, -1));
    expect(sources).toContain('adapters');
    for (const source of sources) {
      expect(existsSync(join(repoRoot, source)), source).toBe(true);
      expect(admitted(ignore, source), source).toBe(true);
    }
  });
});

describe('the .dockerignore check', () => {
  it('refuses paths the allow-list leaves out', () => {
    const ignore = '**\n!package.json\n!adapters/**\n';
    expect(admitted(ignore, 'adapters/text/preprocess.ts')).toBe(true);
    expect(admitted(ignore, 'src/index.ts')).toBe(false);
    expect(admitted(ignore, 'package.json.bak')).toBe(false);
  });
});
