import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { analyzeDocument, quickFixes, type TextEdit } from '../../core/src/index.ts';

const ETL = readFileSync(join(import.meta.dirname, '..', '..', 'examples', 'etl.pipeline.yaml'), 'utf8');

function applyEdits(text: string, edits: readonly TextEdit[]): string {
  let out = text;
  for (const edit of [...edits].sort((a, b) => b.span.start - a.span.start)) out = out.slice(0, edit.span.start) + edit.newText + out.slice(edit.span.end);
  return out;
}

function diagnosticsOf(text: string): string[] {
  return analyzeDocument(text).result.diagnostics.map((d) => `${d.code}: ${d.message}`);
}

test('one typo in depends_on is one diagnostic, and its did-you-mean leaves the file clean', () => {
  assert.deepEqual(diagnosticsOf(ETL), [], 'the example validates clean');
  const typo = '    depends_on: transform\n    if:';
  assert.equal(ETL.split(typo).length, 2, 'the check block depends on transform');
  const broken = ETL.replace(typo, '    depends_on: transformr\n    if:');
  const analysis = analyzeDocument(broken);
  assert.deepEqual(diagnosticsOf(broken), ["unknown-dependency: Unknown block 'transformr' in depends_on of 'check'. Did you mean 'transform'?"]);
  const [diagnostic] = analysis.result.diagnostics;
  assert.ok(diagnostic !== undefined);
  const fixes = quickFixes(analysis, diagnostic.span);
  const preferred = fixes.filter((f) => f.preferred === true);
  assert.deepEqual(preferred.map((f) => f.title), ["Change to 'transform'"]);
  const fixed = applyEdits(broken, preferred[0]?.edits ?? []);
  assert.equal(fixed, ETL);
  assert.deepEqual(diagnosticsOf(fixed), []);
});

test('an unguessable unknown dependency is the only diagnostic; creating the block it names is offered', () => {
  const broken = ETL.replace('    depends_on: transform\n    if:', '    depends_on: [transform, quality_rules]\n    if:').replace('    depends_on: extract\n    timeout: 20s', '    depends_on: [extract, raw_feed]\n    timeout: 20s');
  assert.deepEqual(diagnosticsOf(broken), [
    "unknown-dependency: Unknown block 'raw_feed' in depends_on of 'transform'.",
    "unknown-dependency: Unknown block 'quality_rules' in depends_on of 'check'.",
  ]);
  const analysis = analyzeDocument(broken);
  let text = broken;
  // Fix from the end of the file, so the first fix's edit does not move the second's span.
  for (const d of [...analysis.result.diagnostics].reverse()) {
    const create = quickFixes(analyzeDocument(text), d.span).find((f) => f.title.startsWith('Create block'));
    assert.ok(create !== undefined, `no Create block fix for ${d.message}`);
    text = applyEdits(text, create.edits);
  }
  assert.deepEqual(diagnosticsOf(text), []);
});
