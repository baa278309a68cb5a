import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseTaskDefinition, taskName } from '../../client/src/tasks/taskDefinition.ts';

test('a pipeline task of tasks.json is read with its action, variables and block', () => {
  assert.deepEqual(parseTaskDefinition({ type: 'pipeline', file: 'etl.pipeline.yaml' }), { file: 'etl.pipeline.yaml', action: 'run', variables: {} });
  const task = parseTaskDefinition({ type: 'pipeline', file: 'etl.pipeline.yaml', variables: { region: 'eu', rows: 3, dry: false }, upto: 'load' });
  assert.deepEqual(task, { file: 'etl.pipeline.yaml', action: 'run', variables: { region: 'eu', rows: 3, dry: false }, block: { mode: 'upto', id: 'load' } });
  assert.equal(taskName(task as Exclude<typeof task, { error: string }>), 'run etl.pipeline.yaml (upto load)');
  assert.equal(taskName({ file: 'a.pipeline.yaml', action: 'dryRun', variables: {} }), 'dry run a.pipeline.yaml');
});

test('a wrong definition is refused with a reason, never run', () => {
  const reason = (definition: Record<string, unknown>): string => {
    const parsed = parseTaskDefinition(definition);
    assert.ok('error' in parsed, JSON.stringify(parsed));
    return parsed.error;
  };
  assert.match(reason({ type: 'pipeline' }), /needs "file"/);
  assert.match(reason({ type: 'pipeline', file: 'a.pipeline.yaml', action: 'deploy' }), /"action" must be one of run, dryRun, validate, not "deploy"/);
  assert.match(reason({ type: 'pipeline', file: 'a.pipeline.yaml', variables: ['x'] }), /"variables" must be an object/);
  assert.match(reason({ type: 'pipeline', file: 'a.pipeline.yaml', variables: { x: { y: 1 } } }), /variable "x" must be a string, a number or a boolean/);
  assert.match(reason({ type: 'pipeline', file: 'a.pipeline.yaml', only: 'a', from: 'b' }), /one of "only", "upto" and "from", not "only" and "from"/);
  assert.match(reason({ type: 'pipeline', file: 'a.pipeline.yaml', action: 'validate', only: 'a' }), /applies to "action": "run" only/);
  assert.match(reason({ type: 'pipeline', file: 'a.pipeline.yaml', from: '' }), /"from" must name a block/);
});
