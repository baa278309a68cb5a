import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { Workflow, WorkflowTemplate } from '@kubernetes-models/argo-workflows/argoproj.io/v1alpha1';
import { validatePipeline, type ExecutorProfile } from '../../core/src/index.ts';
import { compileArgo, type ArgoCompiled, type Manifest } from '../../core/src/executors/argo/compile.ts';
import { wrapperSource } from '../../core/src/executors/argo/wrapper.ts';
import { runExportTo } from '../../core/src/cli/exportToCommand.ts';

const root = join(import.meta.dirname, '..', '..');
const goldenFolder = join(import.meta.dirname, 'argo-golden');

function compileText(text: string, options: Parameters<typeof compileArgo>[1] = {}, extraProfile?: ExecutorProfile): ArgoCompiled {
  const result = validatePipeline(text, { fileName: 'x.pipeline.yaml' });
  assert.deepEqual(result.diagnostics.filter((d) => d.severity === 'error'), [], 'the pipeline itself must be valid');
  if (extraProfile !== undefined) result.pipeline.executors.set(extraProfile.name, extraProfile);
  return compileArgo(result.pipeline, options);
}

/** The maintained Argo schema (@kubernetes-models/argo-workflows) must accept the manifest. */
function assertArgoValid(manifest: Manifest | undefined, what: string): void {
  assert.ok(manifest !== undefined, `${what}: no manifest`);
  const model = manifest['kind'] === 'WorkflowTemplate' ? new WorkflowTemplate(manifest as never) : new Workflow(manifest as never);
  assert.doesNotThrow(() => model.validate(), what);
}

const K8S: ExecutorProfile = {
  name: 'k8s', nameSpan: { start: 0, end: 0 }, type: 'argo', image: 'python:3.12-slim', engine: 'auto', partition: undefined, timeMs: undefined,
  cpus: undefined, memoryMb: undefined, gres: undefined, extra: [], namespace: 'pipelines', serviceAccount: undefined,
};

test('every example compiles to a Workflow and a WorkflowTemplate that the Argo schema accepts', () => {
  const examples = readdirSync(join(root, 'examples')).filter((f) => f.endsWith('.pipeline.yaml'));
  assert.ok(examples.length >= 3);
  for (const file of examples) {
    const text = readFileSync(join(root, 'examples', file), 'utf8');
    for (const template of [false, true]) {
      const compiled = compileText(text, { template }, K8S);
      assert.deepEqual(compiled.problems.filter((p) => p.severity === 'error'), [], file);
      assertArgoValid(compiled.manifest, `${file}${template ? ' (template)' : ''}`);
      const tasks = ((compiled.manifest?.['spec'] as Manifest)['templates'] as Manifest[])[0];
      const enabled = validatePipeline(text).pipeline.blocks.filter((b) => !b.disabled).length;
      assert.ok(((tasks?.['dag'] as Manifest)['tasks'] as unknown[]).length <= enabled, file);
    }
  }
});

for (const file of readdirSync(goldenFolder).filter((f) => f.endsWith('.pipeline.yaml')).sort()) {
  test(`golden manifest: ${file}`, () => {
    const compiled = compileText(readFileSync(join(goldenFolder, file), 'utf8'));
    assertArgoValid(compiled.manifest, file);
    const actual = `${compiled.problems.map((p) => `# ${p.severity}: ${p.message}\n`).join('')}${stringify(compiled.manifest, { lineWidth: 0 })}`;
    const expectedPath = join(goldenFolder, file.replace(/\.pipeline\.yaml$/, '.argo.yaml'));
    if (process.env['UPDATE_GOLDEN'] === '1') writeFileSync(expectedPath, actual);
    assert.equal(actual, readFileSync(expectedPath, 'utf8'));
  });
}

test('golden: retry, timeout, parallelism and the service account map to Argo fields', () => {
  const manifest = compileText(readFileSync(join(goldenFolder, 'retry-timeout.pipeline.yaml'), 'utf8')).manifest as Manifest;
  const spec = manifest['spec'] as Manifest;
  assert.equal(spec['parallelism'], 3);
  assert.equal(spec['activeDeadlineSeconds'], 3600);
  assert.equal(spec['serviceAccountName'], 'runner');
  const [, flaky, steady] = spec['templates'] as Manifest[];
  assert.deepEqual(flaky?.['retryStrategy'], { limit: 3, retryPolicy: 'Always', backoff: { duration: '5s', factor: '1.5', cap: '60s' } });
  assert.equal(flaky?.['activeDeadlineSeconds'], 90);
  assert.deepEqual(steady?.['retryStrategy'], { limit: 1, retryPolicy: 'Always' });
  assert.equal(steady?.['activeDeadlineSeconds'], 1);
});

test('a value never enters the script: the hostile variable is a parameter, the script reads an environment variable', () => {
  const manifest = compileText(readFileSync(join(goldenFolder, 'outputs-values.pipeline.yaml'), 'utf8')).manifest as Manifest;
  const text = JSON.stringify(manifest);
  const spec = manifest['spec'] as Manifest;
  assert.deepEqual((spec['arguments'] as Manifest)['parameters'], [{ name: 'message', value: "hello; $(rm -rf /) `id` 'quoted'" }]);
  const load = (spec['templates'] as Manifest[]).find((t) => t['name'] === 'load') as Manifest;
  const script = load['script'] as Manifest;
  assert.ok(!(script['source'] as string).includes('rm -rf'), 'the value is not in the source');
  assert.match(script['source'] as string, /echo "\$\{PIPELINE_EXPR_1\}" "\$\{PIPELINE_EXPR_2\}" "\$SOURCE" run "\$\{PIPELINE_EXPR_3\}"/);
  const env = new Map((script['env'] as { name: string; value: string }[]).map((e) => [e.name, e.value]));
  assert.equal(env.get('PIPELINE_EXPR_1'), '{{workflow.parameters.message}}');
  assert.equal(env.get('PIPELINE_EXPR_2'), '{{inputs.parameters.expr-2}}');
  assert.equal(env.get('PIPELINE_EXPR_3'), '{{workflow.name}}');
  assert.equal(env.get('WHERE'), 'eu-west-1-a');
  assert.deepEqual(script['resources'], { requests: { cpu: '2', memory: '1536Mi' }, limits: { memory: '1536Mi', 'nvidia.com/gpu': '1' } });
  assert.ok(!text.includes('archive'), 'a disabled block and its dependents are left out');
});

test('conditions: `when` where Argo can decide, a skipped block skips its dependents', () => {
  const manifest = compileText(readFileSync(join(goldenFolder, 'condition.pipeline.yaml'), 'utf8')).manifest as Manifest;
  const tasks = (((manifest['spec'] as Manifest)['templates'] as Manifest[])[0]?.['dag'] as Manifest)['tasks'] as Manifest[];
  const when = new Map(tasks.map((t) => [t['name'], t['when']]));
  assert.equal(when.get('build'), undefined);
  // One expression tag: values are read by name inside it, never spliced into the expression text.
  assert.equal(when.get('publish'), '{{=asFloat(tasks["build"].outputs.parameters["score"]) > 0.9 && workflow.parameters["env"] == "prod"}}');
  assert.equal(when.get('announce'), "'{{tasks.publish.status}}' != 'Skipped'");
  assert.equal(when.get('rollback'), `{{=tasks["build"].status != "Succeeded" || (workflow.parameters["deploy"] != '' && workflow.parameters["deploy"] != 'false' && workflow.parameters["deploy"] != '0')}}`);
  // No variable or output reaches a \`when\` as a simple tag, whose value Argo would splice into the text.
  for (const [name, text] of when) assert.doesNotMatch(typeof text === 'string' ? text : '', /\{\{(workflow\.parameters|tasks\.[^.}]+\.outputs)/, `when of ${String(name)}`);
});

test('what Argo cannot do is refused with a reason at its place in the file', () => {
  const text = [
    'executors: { k8s: { type: argo, image: alpine } }',
    'blocks:',
    '  a:',
    "    if: env.HOME == '/root'",
    '    run: echo a',
    '  b:',
    "    run: awk '{ print \"${{ pipeline.name }}\" }'",
    '  c:',
    '    run: echo $(( ${{ run.id }} + 1 ))',
    '  d:',
    '    depends_on: a',
    "    if: blocks.a.status == 'queued'",
    '    run: echo d',
    '',
  ].join('\n');
  const compiled = compileText(text);
  assert.equal(compiled.manifest, undefined);
  const messages = compiled.problems.map((p) => `${text.slice(0, p.span.start).split('\n').length}: ${p.message}`);
  assert.equal(messages.length, 4, messages.join("\n"));
  assert.match(messages[0] ?? '', /^4: The condition of block 'a' cannot be decided by Argo: env.HOME is read from the machine/);
  assert.match(messages[1] ?? '', /^7: Block 'b' cannot be exported: .*pipeline\.name/);
  assert.match(messages[2] ?? '', /^9: Block 'c' cannot be exported: .*arithmetic/);
  assert.match(messages[3] ?? '', /^12: .*only with 'completed', 'cached' or 'failed'/);
});

test('the export needs an argo profile, and --executor must name one', () => {
  const plain = 'blocks:\n  a:\n    run: echo a\n';
  assert.match(compileText(plain).problems[0]?.message ?? '', /needs an executor profile of type argo/);
  const two = 'executors:\n  a1: { type: argo, image: x }\n  a2: { type: argo, image: y }\n  s: { type: slurm }\nblocks:\n  a:\n    run: echo a\n';
  assert.match(compileText(two).problems[0]?.message ?? '', /Several argo profiles \(a1, a2\)/);
  assert.match(compileText(two, { executor: 's' }).problems[0]?.message ?? '', /type slurm, not argo/);
  const chosen = compileText(two, { executor: 'a2' }).manifest as Manifest;
  assert.equal(((((chosen['spec'] as Manifest)['templates'] as Manifest[])[1]?.['script']) as Manifest)['image'], 'y');
});

test('the wrapper, run by a real sh: the script stays literal, outputs become files, a failure keeps its exit code', () => {
  const dir = mkdtempSync(join(tmpdir(), 'argo-wrapper-'));
  try {
    const script = [
      'echo "rows=42" >> "$PIPELINE_OUTPUT"',
      "echo 'note<<END' >> \"$PIPELINE_OUTPUT\"",
      'printf "line one\\nline=two\\nEND\\n" >> "$PIPELINE_OUTPUT"',
      'echo "../escape=no" >> "$PIPELINE_OUTPUT"',
      'echo "empty=" >> "$PIPELINE_OUTPUT"',
      "echo 'literal $HOME `id` PIPELINE_STUDIO_SCRIPT_x'",
      'echo "status $PIPELINE_EXPR_1"',
    ].join('\n');
    const source = wrapperSource('bash', script, ['PIPELINE_EXPR_1'], join(dir, 'work'));
    const stdout = execFileSync('sh', ['-c', source], { env: { PATH: process.env['PATH'] ?? '', PIPELINE_EXPR_1: 'Succeeded' }, encoding: 'utf8' });
    assert.equal(stdout, 'literal $HOME `id` PIPELINE_STUDIO_SCRIPT_x\nstatus completed\n');
    const outputs = join(dir, 'work', 'outputs');
    assert.deepEqual(readdirSync(outputs).sort(), ['empty', 'note', 'rows']);
    assert.equal(readFileSync(join(outputs, 'rows'), 'utf8'), '42');
    assert.equal(readFileSync(join(outputs, 'note'), 'utf8'), 'line one\nline=two');
    assert.equal(readFileSync(join(outputs, 'empty'), 'utf8'), '');
    assert.ok(!existsSync(join(dir, 'work', 'escape')));

    const failing = wrapperSource('bash', 'echo "rows=1" >> "$PIPELINE_OUTPUT"\nfalse\necho not reached', [], join(dir, 'fail'));
    assert.throws(() => execFileSync('sh', ['-c', failing], { stdio: 'pipe' }), (e: { status?: number }) => e.status === 1);
    assert.deepEqual(readdirSync(join(dir, 'fail', 'outputs')), [], 'a failed attempt hands over no outputs');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('export --to argo CLI: YAML to --out, usage errors exit 2, pipeline errors exit 1 with positions', () => {
  const dir = mkdtempSync(join(tmpdir(), 'argo-cli-'));
  try {
    const file = join(dir, 'p.pipeline.yaml');
    writeFileSync(file, 'executors:\n  k8s: { type: argo, image: alpine }\nblocks:\n  a:\n    run: echo a\n');
    const lines: string[] = [];
    const io = { out: (l: string) => void lines.push(l), err: (l: string) => void lines.push(l) };
    assert.equal(runExportTo([file, '--to', 'argo', '--template', '--out', join(dir, 'wf.yaml')], io), 0);
    assert.match(readFileSync(join(dir, 'wf.yaml'), 'utf8'), /^apiVersion: argoproj.io\/v1alpha1\nkind: WorkflowTemplate\nmetadata:\n {2}name: p\n/);
    assert.throws(() => runExportTo([file], io), /--to is required/);
    assert.throws(() => runExportTo([file, '--to', 'airflow'], io), /Cannot export to 'airflow'/);
    writeFileSync(file, 'executor: k9s\nexecutors:\n  k8s: { type: argo, image: alpine }\nblocks:\n  a:\n    run: echo a\n');
    lines.length = 0;
    assert.equal(runExportTo([file, '--to=argo'], io), 1);
    assert.match(lines[0] ?? '', /p\.pipeline\.yaml:1:11: error unknown-executor: /);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
