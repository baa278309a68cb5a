import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { describeTemplate, instantiate, pipelineFileName, templateStem } from '../../client/src/templates/templateText.ts';
import { validatePipeline } from '../../core/src/index.ts';

test('a typed file name becomes a pipeline file name, or is refused', () => {
  assert.equal(pipelineFileName('orders'), 'orders.pipeline.yaml');
  assert.equal(pipelineFileName('orders.yaml'), 'orders.pipeline.yaml');
  assert.equal(pipelineFileName('orders.pipeline.yml'), 'orders.pipeline.yml');
  assert.equal(pipelineFileName('../x'), undefined);
  assert.equal(pipelineFileName('  '), undefined);
});

test('a template instantiated under a new name keeps its text and still validates clean', () => {
  const text = readFileSync(join(import.meta.dirname, '..', '..', 'templates', 'etl.pipeline.yaml'), 'utf8');
  const made = instantiate(text, 'orders');
  assert.match(made, /^name: orders$/m);
  assert.equal(made.replace(/^name:.*$/m, ''), text.replace(/^name:.*$/m, ''));
  assert.deepEqual(validatePipeline(made).diagnostics, []);
  assert.equal(describeTemplate(text), 'Extract, transform and load a small CSV.');
});

test('template names are file stems', () => {
  assert.equal(templateStem('my team etl'), 'my-team-etl');
  assert.equal(templateStem('x.pipeline.yaml'), 'x');
  assert.equal(templateStem('../evil'), undefined);
});
