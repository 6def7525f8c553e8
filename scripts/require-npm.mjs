/* global process, console */
// Root `preinstall`: refuses npm older than 11.16.0, the first release that honours package.json `allowScripts`.
// An older npm would run the install scripts listed as false there — onnxruntime-node's would download the CUDA
// provider. npm 10.9–11.15 already stop at `devEngines`; this catches npm ≤ 10.8, which ignores that field (and runs
// the root preinstall only after its dependencies' scripts, so it fails loudly rather than early). Plain JS on
// purpose: it runs on whatever Node runs npm, before anything is installed.
const minimum = [11, 16, 0];
const rank = ([major, minor, patch]) => (major * 1000 + minor) * 1000 + patch;
const agent = process.env.npm_config_user_agent ?? '';
const found = /\bnpm\/(\d+)\.(\d+)\.(\d+)/.exec(agent);
const version = found ? found.slice(1).map(Number) : undefined;
if (version && rank(version) < rank(minimum)) {
  console.error(
    `modalfuse needs npm >= ${minimum.join('.')} (found ${version.join('.')}): older npm ignores allowScripts and ` +
      'would run install scripts this project turns off. Upgrade with `npm install -g npm@11`.',
  );
  process.exit(1);
}
