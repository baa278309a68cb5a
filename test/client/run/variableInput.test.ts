import { test } from 'node:test';
import assert from 'node:assert/strict';
import { validatePipeline } from '../../../core/src/validate/validate.ts';
import { resolveVariables } from '../../../core/src/runner/variables.ts';
import { parseVariableText, promptVariables } from '../../../client/src/run/variableInput.ts';

const pipeline = validatePipeline(`variables:
  epochs: 3
  rate: { type: number, default: 0.5 }
  env: { default: dev, enum: [dev, prod] }
  dry: false
  level: { type: number, enum: [1, 2, 3], default: 2 }
  who: { type: string }
blocks:
  a:
    run: echo \${{ vars.epochs }} \${{ vars.rate }} \${{ vars.env }} \${{ vars.dry }} \${{ vars.level }} \${{ vars.who }}
`).pipeline;

test('variables are prefilled from the last values used when they still fit, else from the defaults', () => {
  const vars = promptVariables(pipeline, { epochs: 7, env: 'staging', dry: 'yes', who: 'ann', gone: 1 });
  const byName = new Map(vars.map((v) => [v.name, v]));
  assert.deepEqual(vars.map((v) => [v.name, v.type, v.initial, v.source]), [
    ['epochs', 'number', 7, 'last'],
    ['rate', 'number', 0.5, 'default'],
    ['env', 'string', 'dev', 'default'],
    ['dry', 'boolean', false, 'default'],
    ['level', 'number', 2, 'default'],
    ['who', 'string', 'ann', 'last'],
  ]);
  assert.deepEqual(byName.get('env')?.enum, ['dev', 'prod']);
  assert.equal(promptVariables(pipeline, {}).find((v) => v.name === 'who')?.source, 'none');
});

test('typed text is accepted exactly when the runner would accept it as --var', () => {
  const samples = ['', ' ', '3', ' 4 ', '1e3', 'abc', '0x10', 'true', 'false', 'True', 'dev', 'prod', 'staging', '2', '7', 'NaN', 'Infinity', "'; rm -rf ~'"];
  for (const v of promptVariables(pipeline, {})) {
    for (const text of samples) {
      const ours = parseVariableText(v, text);
      const runner = resolveVariables(pipeline, { who: 'someone', [v.name]: text });
      const runnerValue = 'values' in runner ? runner.values[v.name] : undefined;
      const runnerError = 'errors' in runner ? runner.errors.find((e) => e.includes(`'${v.name}'`)) : undefined;
      if ('value' in ours) {
        assert.equal(runnerError, undefined, `${v.name}=${JSON.stringify(text)}: we accept, the runner refuses`);
        assert.equal(ours.value, runnerValue, `${v.name}=${JSON.stringify(text)}`);
      } else {
        assert.notEqual(runnerError, undefined, `${v.name}=${JSON.stringify(text)}: we refuse (${ours.error}), the runner accepts`);
        assert.ok(ours.error.startsWith(v.name), ours.error);
      }
    }
  }
});
