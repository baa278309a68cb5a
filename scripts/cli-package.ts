// Builds the CLI as its own npm package into dist/cli-package/ (or the folder given as the first
// argument): the production bundles of the CLI and of the language server (`pipeline-studio lsp`),
// a package.json whose `bin` is the CLI, the README and the licence. `npm pack` in that folder makes
// the tarball; `npm install -g <tarball>` or `npx <tarball>` runs it with Node >= 22.
// The SQLite driver better-sqlite3 is an optional dependency: where its binary cannot be installed
// (no prebuilt, no compiler, offline) the store uses Node's built-in node:sqlite instead.
// Usage: scripts/node24.sh node scripts/cli-package.ts [outdir]
import { execFileSync } from 'node:child_process';
import { copyFileSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

const root = join(import.meta.dirname, '..');
const out = resolve(process.argv[2] ?? join(root, 'dist', 'cli-package'));
const manifest = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as {
  version: string; license: string; repository?: unknown; engines: { node: string }; dependencies: Record<string, string>;
};

rmSync(out, { recursive: true, force: true });
mkdirSync(out, { recursive: true });
const build = join(out, '.build');
execFileSync(process.execPath, [join(root, 'scripts', 'build.mjs'), '--production', '--outdir', build], { cwd: root, stdio: 'inherit' });
for (const file of ['cli.cjs', 'server.cjs']) copyFileSync(join(build, file), join(out, file));
rmSync(build, { recursive: true, force: true });
copyFileSync(join(root, 'LICENSE'), join(out, 'LICENSE'));

const pkg = {
  name: 'pipeline-studio',
  version: manifest.version,
  description: 'Validate and run *.pipeline.yaml pipelines from the command line; the Pipeline Studio language server for any editor.',
  license: manifest.license,
  ...(manifest.repository !== undefined ? { repository: manifest.repository } : {}),
  bin: { 'pipeline-studio': 'cli.cjs' },
  files: ['cli.cjs', 'server.cjs', 'README.md', 'LICENSE'],
  engines: { node: manifest.engines.node },
  optionalDependencies: { 'better-sqlite3': manifest.dependencies['better-sqlite3'] },
};
writeFileSync(join(out, 'package.json'), `${JSON.stringify(pkg, null, 2)}\n`);
writeFileSync(join(out, 'README.md'), `# pipeline-studio

The command line of [Pipeline Studio](https://marketplace.visualstudio.com/items?itemName=pipeline-studio.pipeline-studio):
validate and run \`*.pipeline.yaml\` pipelines, query the runs they recorded, and serve the language
server to any editor. Node ${manifest.engines.node}.

\`\`\`sh
npm install -g pipeline-studio      # or: npx pipeline-studio --help
pipeline-studio validate .
pipeline-studio run build.pipeline.yaml --var target=release
pipeline-studio runs
pipeline-studio lsp --stdio         # the language server, for Neovim, Helix, …
pipeline-studio completion bash     # shell completions (bash, zsh, fish)
\`\`\`

Runs are recorded in \`.pipelines/runs.sqlite\` (better-sqlite3 when it installed, else Node's node:sqlite).
On CI, \`validate --format github|gitlab|sarif\` annotates the diff and \`run\` groups each block's log.
`);
console.log(`cli-package: ${out} (pipeline-studio ${manifest.version}); npm pack there makes the tarball`);
