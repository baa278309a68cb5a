// bench/lsp: our language server against Red Hat's yaml-language-server (with the format's JSON
// Schema), over the protocol, on the same generated pipelines in the same run.
// Run: scripts/node24.sh npm run bench:lsp   (builds dist/server.cjs first)
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { generatePipeline } from './generate.ts';
import { BenchClient } from './lsp-client.ts';

const root = join(import.meta.dirname, '..');
const SIZES = [200, 1000, 3000];
const OURS = join(root, 'dist', 'server.cjs');
const PEER = join(root, 'node_modules', 'yaml-language-server', 'bin', 'yaml-language-server');
const SCHEMA = join(root, 'schemas', 'pipeline.schema.json');
const EDITS = 12;
const COMPLETIONS = 60;

interface Measures {
  open: number;
  change: number[];
  dependsOn: number[];
  expression: number[];
  key: number[];
  rss: number;
}

if (!existsSync(OURS)) throw new Error('dist/server.cjs is missing: run `npm run build` first');
const folder = mkdtempSync(join(tmpdir(), 'bench-lsp-'));
const schemaPath = existsSync(SCHEMA) ? SCHEMA : writeFallbackSchema(folder);
const peerSettings = {
  yaml: {
    schemas: { [pathToFileURL(schemaPath).href]: ['*.pipeline.yaml'] },
    validate: true, hover: true, completion: true, format: { enable: false }, schemaStore: { enable: false },
  },
};

/** Offsets of the places we type and complete at, in the block in the middle of the file. */
function places(text: string, blocks: number): { edit: number; dependsOn: number; expression: number; key: number } {
  const block = text.indexOf(`\n  b${Math.floor(blocks / 2)}:\n`);
  const run = text.indexOf('run: echo "', block) + 'run: echo "'.length;
  const deps = text.indexOf('depends_on: [', block) + 'depends_on: ['.length;
  const expression = text.indexOf('${{ blocks.', block) + '${{ blocks.'.length;
  const key = text.indexOf('outputs:', block);
  if (block < 0 || run < 11 || deps < 13 || expression < 11 || key < 0) throw new Error('unexpected generated pipeline');
  return { edit: run + 1, dependsOn: deps, expression, key };
}

function position(text: string, offset: number): { line: number; character: number } {
  const before = text.slice(0, offset);
  const line = before.split('\n').length - 1;
  return { line, character: offset - (before.lastIndexOf('\n') + 1) };
}

async function measure(kind: 'ours' | 'peer', blocks: number): Promise<Measures> {
  const client = kind === 'ours'
    ? await BenchClient.start('ours', [OURS, '--stdio'])
    : await BenchClient.start('yaml-language-server', [PEER, '--stdio'], peerSettings);
  try {
    const text = generatePipeline(blocks);
    const uri = pathToFileURL(join(folder, `bench-${blocks}.pipeline.yaml`)).href;
    const at = places(text, blocks);
    let started = performance.now();
    await client.connection.sendNotification('textDocument/didOpen', { textDocument: { uri, languageId: kind === 'ours' ? 'pipeline' : 'yaml', version: 1, text } });
    const open = (await client.waitForPublish(uri, 0, 1)) - started;
    // One character typed inside the middle block's command, then deleted again, and so on.
    const change: number[] = [];
    const editPosition = position(text, at.edit);
    for (let i = 0; i < EDITS; i++) {
      const version = i + 2;
      const typing = i % 2 === 0;
      const range = typing ? { start: editPosition, end: editPosition } : { start: editPosition, end: { ...editPosition, character: editPosition.character + 1 } };
      const seen = client.publishCount(uri);
      started = performance.now();
      await client.connection.sendNotification('textDocument/didChange', { textDocument: { uri, version }, contentChanges: [{ range, text: typing ? 'x' : '' }] });
      change.push((await client.waitForPublish(uri, seen, version)) - started);
      await new Promise((resolve) => setTimeout(resolve, 30));
    }
    const complete = async (offset: number): Promise<number[]> => {
      const times: number[] = [];
      const params = { textDocument: { uri }, position: position(text, offset), context: { triggerKind: 1 } };
      for (let i = 0; i < COMPLETIONS; i++) {
        const t = performance.now();
        await client.connection.sendRequest('textDocument/completion', params);
        times.push(performance.now() - t);
      }
      return times;
    };
    // EDITS is even, so the text is back to the generated one.
    const dependsOn = await complete(at.dependsOn);
    const expression = await complete(at.expression);
    const key = await complete(at.key);
    return { open, change, dependsOn, expression, key, rss: client.peakRssMiB() };
  } finally {
    await client.stop();
  }
}

function percentile(samples: number[], p: number): number {
  const sorted = [...samples].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((sorted.length - 1) * p + 0.5))] ?? Number.NaN;
}

/** A minimal schema for the peer when the real one is not there yet: the shapes, no cross-references. */
function writeFallbackSchema(dir: string): string {
  const path = join(dir, 'pipeline.schema.json');
  const block = { type: 'object', required: ['run'], additionalProperties: false, properties: Object.fromEntries(['run', 'description', 'depends_on', 'shell', 'cwd', 'env', 'retry', 'timeout', 'if', 'continue_on_error', 'disabled', 'outputs', 'cache'].map((k) => [k, {}])) };
  writeFileSync(path, JSON.stringify({
    type: 'object', required: ['blocks'], additionalProperties: false,
    properties: { ...Object.fromEntries(['name', 'description', 'variables', 'env', 'defaults', 'concurrency', 'timeout', 'schedule'].map((k) => [k, {}])), blocks: { type: 'object', additionalProperties: block } },
  }));
  return path;
}

const results: { blocks: number; ours: Measures; peer: Measures }[] = [];
for (const blocks of SIZES) {
  const ours = await measure('ours', blocks);
  const peer = await measure('peer', blocks);
  results.push({ blocks, ours, peer });
}

const f = (n: number): string => (Number.isFinite(n) ? n.toFixed(n >= 100 ? 0 : 1) : '-');
const pad = (s: string, n: number): string => s.padStart(n);
const rows: string[][] = [['blocks', 'measure', 'ours', 'yaml-language-server', 'ratio', 'target', '']];
let missed = 0;
const verdict = (ok: boolean): string => {
  if (!ok) missed++;
  return ok ? 'met' : 'MISSED';
};
for (const { blocks, ours, peer } of results) {
  const changeOurs = percentile(ours.change, 0.5);
  const changePeer = percentile(peer.change, 0.5);
  const ratio = changePeer / changeOurs;
  const big = blocks >= 1000;
  rows.push([String(blocks), 'didOpen → diagnostics ms', f(ours.open), f(peer.open), `${(peer.open / ours.open).toFixed(1)}x`, '', '']);
  rows.push([String(blocks), 'didChange → diagnostics p50 ms', f(changeOurs), f(changePeer), `${ratio.toFixed(1)}x`, big ? '≥ 3x faster' : '', big ? verdict(ratio >= 3) : '']);
  rows.push([String(blocks), 'didChange → diagnostics p95 ms', f(percentile(ours.change, 0.95)), f(percentile(peer.change, 0.95)), '', '', '']);
  for (const [label, a, b] of [['depends_on', ours.dependsOn, peer.dependsOn], ['${{ blocks. }}', ours.expression, peer.expression], ['block key', ours.key, peer.key]] as const) {
    const p50 = percentile(a, 0.5);
    const target = blocks === 3000 && label !== 'block key';
    rows.push([String(blocks), `completion ${label} p50 / p95 ms`, `${f(p50)} / ${f(percentile(a, 0.95))}`, `${f(percentile(b, 0.5))} / ${f(percentile(b, 0.95))}`, '', target ? 'p50 ≤ 10 ms' : '', target ? verdict(p50 <= 10) : '']);
  }
  rows.push([String(blocks), 'peak RSS MiB (VmHWM)', f(ours.rss), f(peer.rss), '', 'below peer', verdict(ours.rss < peer.rss)]);
}
const widths = rows[0]?.map((_, i) => Math.max(...rows.map((r) => (r[i] ?? '').length))) ?? [];
console.log(`node ${process.version}; peer: yaml-language-server with ${schemaPath === SCHEMA ? 'schemas/pipeline.schema.json' : 'a minimal fallback schema (schemas/pipeline.schema.json missing)'}`);
console.log(`${EDITS} edits and ${COMPLETIONS} completions per measure; our diagnostics debounce (10–50 ms, as long as the last validation took) is included in didChange.`);
for (const row of rows) console.log(row.map((cell, i) => (i < 2 ? cell.padEnd(widths[i] ?? 0) : pad(cell, widths[i] ?? 0))).join('  '));
console.log(missed === 0 ? 'all targets met' : `${missed} target(s) missed`);
