import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { analyzeDocument, CstCache, documentSymbols, foldingRanges, type DocumentAnalysis } from '../../core/src/index.ts';
import { generatePipeline } from '../../bench/generate.ts';

// The language server re-analyzes each version with the pieces of the previous ones (CstCache).
// Whatever the edits, that must give exactly what a fresh analysis of the same text gives.

/** What editor features read from an analysis, with every offset. */
function observable(analysis: DocumentAnalysis): unknown {
  const { result } = analysis;
  return {
    diagnostics: result.diagnostics.map((d) => `${d.span.start}-${d.span.end} ${d.code} ${d.message}`),
    blocks: result.pipeline.blocks.map((b) => ({ id: b.id, idSpan: b.idSpan, span: b.span, deps: b.dependsOn, run: b.run?.value, outputs: b.outputs })),
    variables: [...result.pipeline.variables.values()].map((v) => ({ name: v.name, span: v.span, keySpan: v.keySpan, default: v.default })),
    expressions: result.expressions.map((e) => JSON.stringify(e.expr)),
    symbols: JSON.stringify(documentSymbols(analysis)),
    folding: JSON.stringify(foldingRanges(analysis)),
  };
}

function random(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state * 1103515245 + 12345) & 0x7fffffff;
    return state / 0x7fffffff;
  };
}

// Typing as people do, plus the characters that change how YAML reads a piece.
const INSERTS = ['x', ' ', '\n', ':', '  ', '- ', '&a ', '*a', '#', '"', '[', '}', '\n  b_new:\n    run: echo new\n', '${{ vars.env }}', '\t', '---\n'];

function editSequence(text: string, seed: number, steps: number): string[] {
  const next = random(seed);
  const versions: string[] = [];
  let current = text;
  for (let i = 0; i < steps; i++) {
    const at = Math.floor(next() * (current.length + 1));
    if (next() < 0.4 && current.length > 0) {
      current = current.slice(0, at) + current.slice(Math.min(current.length, at + 1 + Math.floor(next() * 6)));
    } else {
      const insert = INSERTS[Math.floor(next() * INSERTS.length)] ?? 'x';
      current = current.slice(0, at) + insert + current.slice(at);
    }
    versions.push(current);
    // Undoing brings back pieces cached at other offsets.
    if (next() < 0.2) versions.push(text);
  }
  return versions;
}

const examples = join(import.meta.dirname, '..', '..', 'examples');
const sources: [string, string][] = [
  ['generated 60 blocks', generatePipeline(60)],
  ...readdirSync(examples).filter((f) => f.endsWith('.pipeline.yaml')).sort().map((f): [string, string] => [f, readFileSync(join(examples, f), 'utf8')]),
];

for (const [name, text] of sources) {
  test(`incremental analysis equals a fresh one under random edits: ${name}`, () => {
    for (let seed = 1; seed <= 3; seed++) {
      const cache = new CstCache();
      for (const version of [text, ...editSequence(text, seed * 7 + name.length, 40)]) {
        const incremental = analyzeDocument(version, { cache });
        assert.deepEqual(observable(incremental), observable(analyzeDocument(version)), `seed ${seed}, text:\n${version}`);
      }
    }
  });
}
