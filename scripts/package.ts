// Builds the .vsix packages, one per platform (vsce --target), each with only its own SQLite binary:
//   node scripts/package.ts                  the current platform  -> pipeline-studio.vsix
//   node scripts/package.ts --all            every supported target -> pipeline-studio-<target>.vsix
//   node scripts/package.ts --target T [--out F.vsix]
// The bundles are built minified into dist/production/ (their source maps stay there, outside every
// .vsix). Each target is staged in a temporary folder holding exactly what ships: the manifest and
// assets, the bundles, and the SQLite driver under dist/node_modules/ (where the bundles' require
// finds it) with the target's prebuild alone. A target whose prebuild is missing or is not for that
// platform fails with a message saying so; the others are still built, and the exit status is 1.
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { PACKAGE_TARGETS, binaryMismatch, currentTarget, type PackageTarget } from './packageTargets.ts';
import { readZip } from './zipEntries.ts';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const production = join(root, 'dist', 'production');
const driver = join(root, 'node_modules', 'better-sqlite3');
const ASSETS = ['package.json', 'package.nls.json', 'package.nls.fr.json', 'l10n', 'README.md', 'CHANGELOG.md', 'LICENSE', 'language-configuration.json', '.vscodeignore', 'syntaxes', 'schemas', 'resources'];
// The driver's loader and licence; its C sources, build files and other prebuilds stay out.
const DRIVER_FILES = ['package.json', 'LICENSE', 'lib'];

function parseArgs(argv: string[]): { targets: string[]; out: string | undefined; single: boolean } {
  const value = (flag: string): string | undefined => {
    const at = argv.indexOf(flag);
    return at >= 0 ? argv[at + 1] : undefined;
  };
  const all = argv.includes('--all');
  const named = value('--target');
  const targets = all ? PACKAGE_TARGETS.map((t) => t.target) : [named ?? currentTarget()];
  const out = value('--out');
  if (out !== undefined && targets.length > 1) fail('--out names one package; it cannot be used with --all');
  return { targets, out, single: !all && named === undefined };
}

function fail(message: string): never {
  console.error(`package: ${message}`);
  process.exit(1);
}

/** The problem that keeps this target from being packaged, or undefined. */
function prebuildProblem(target: string): string | undefined {
  const t = PACKAGE_TARGETS.find((x) => x.target === target);
  const supported = PACKAGE_TARGETS.map((x) => x.target).join(', ');
  if (t === undefined) return `${target} is not a supported target (supported: ${supported})`;
  const { version } = JSON.parse(readFileSync(join(driver, 'package.json'), 'utf8')) as { version: string };
  const file = join(driver, 'prebuilds', `${t.prebuild}.node`);
  if (!existsSync(file)) {
    return `better-sqlite3 ${version} from the npm registry has no prebuilt binary for ${target} (looked for ${relative(root, file)}); no package is built without its SQLite binary`;
  }
  const mismatch = binaryMismatch(readFileSync(file), t);
  if (mismatch !== undefined) return `${relative(root, file)} ${mismatch}, so it cannot be shipped for ${target}`;
  return undefined;
}

function buildProduction(): void {
  rmSync(production, { recursive: true, force: true });
  const r = spawnSync(process.execPath, [join(root, 'scripts', 'build.mjs'), '--production', '--outdir', production], { cwd: root, stdio: 'inherit' });
  if (r.status !== 0) fail('the production build failed (see above)');
}

/** Stages and packs one target into outFile; returns what went wrong, or undefined. */
function packTarget(t: PackageTarget, outFile: string, staging: string): string | undefined {
  const target = t.target;
  const dir = join(staging, target);
  for (const asset of ASSETS) {
    if (existsSync(join(root, asset))) cpSync(join(root, asset), join(dir, asset), { recursive: true });
  }
  // The native launch helper is shipped only to the platform it was compiled for (elsewhere the Node helper starts blocks).
  const foreignLauncher = (src: string): boolean => src.endsWith(join('native', 'ps-launch')) && binaryMismatch(readFileSync(src), t) !== undefined;
  cpSync(production, join(dir, 'dist'), { recursive: true, filter: (src) => !src.endsWith('.map') && !foreignLauncher(src) });
  const staged = join(dir, 'dist', 'node_modules', 'better-sqlite3');
  for (const file of DRIVER_FILES) cpSync(join(driver, file), join(staged, file), { recursive: true });
  cpSync(join(driver, 'prebuilds', `${t.prebuild}.node`), join(staged, 'prebuilds', `${t.prebuild}.node`));

  const vsce = join(root, 'node_modules', '@vscode', 'vsce', 'vsce');
  const args = [vsce, 'package', '--target', target, '--no-dependencies', '--allow-missing-repository', '--no-rewrite-relative-links', '--out', outFile];
  const r = spawnSync(process.execPath, args, { cwd: dir, encoding: 'utf8' });
  if (r.status !== 0) return `vsce failed for ${target}:\n${r.stdout}${r.stderr}`;
  return checkPackage(outFile, t) ?? checkLauncher(outFile, t);
}

/**
 * The native launch helper (native/launch.c), compiled by the production build with cc where there
 * is one: a package for the platform it was built on must carry it, executable (VS Code keeps the
 * zip's mode when it installs); packages of other platforms go without and start blocks through
 * the Node helper.
 */
function checkLauncher(file: string, t: PackageTarget): string | undefined {
  const built = join(production, 'native', 'ps-launch');
  if (!existsSync(built) || binaryMismatch(readFileSync(built), t) !== undefined) return undefined;
  const entry = readZip(file).entries.find((e) => e.name === 'extension/dist/native/ps-launch');
  if (entry === undefined) return `${relative(root, file)} lacks the native launch helper built for ${t.target} (dist/native/ps-launch)`;
  if ((entry.unixMode & 0o111) === 0) return `${relative(root, file)} holds the native launch helper without its executable mode (0${entry.unixMode.toString(8)})`;
  return undefined;
}

/** What is wrong with a built package (undefined when nothing): one binary, the target's, and no map. */
function checkPackage(file: string, t: PackageTarget): string | undefined {
  const names = readZip(file).entries.map((e) => e.name);
  const binaries = names.filter((n) => n.endsWith('.node'));
  const expected = `extension/dist/node_modules/better-sqlite3/prebuilds/${t.prebuild}.node`;
  if (binaries.length !== 1 || binaries[0] !== expected) return `${relative(root, file)} holds ${binaries.join(', ') || 'no SQLite binary'} instead of ${expected}`;
  const maps = names.filter((n) => n.endsWith('.map'));
  if (maps.length > 0) return `${relative(root, file)} holds source maps: ${maps.join(', ')}`;
  return undefined;
}

const { targets, out, single } = parseArgs(process.argv.slice(2));
// Targets that cannot be packaged are known before anything is built.
const problems = new Map(targets.map((target) => [target, prebuildProblem(target)]));
if ([...problems.values()].some((p) => p === undefined)) buildProduction();
const staging = mkdtempSync(join(tmpdir(), 'pipeline-studio-package-'));
const results: { target: string; file: string; problem: string | undefined }[] = [];
try {
  for (const target of targets) {
    const file = out ?? join(root, single ? 'pipeline-studio.vsix' : `pipeline-studio-${target}.vsix`);
    rmSync(file, { force: true });
    const problem = problems.get(target) ?? packTarget(PACKAGE_TARGETS.find((x) => x.target === target) as PackageTarget, file, staging);
    if (problem !== undefined) rmSync(file, { force: true });
    results.push({ target, file, problem });
  }
} finally {
  rmSync(staging, { recursive: true, force: true });
}

for (const { target, file, problem } of results) {
  if (problem === undefined) {
    const bytes = statSync(file).size;
    console.log(`package: ${target.padEnd(13)} ${relative(root, file) || file}  ${bytes} bytes (${(bytes / 1048576).toFixed(2)} MiB)`);
  } else {
    console.error(`package: ${target.padEnd(13)} FAILED: ${problem}`);
  }
}
if (results.some((r) => r.problem === undefined)) console.log(`package: source maps of these bundles are in ${relative(root, production)}/ (not in any .vsix)`);
if (results.some((r) => r.problem !== undefined)) process.exit(1);
