import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { scopesOf, tokenize, type Where } from './tokenize.ts';

/** Asserts that every token of the needle carries `scope`. */
async function expectScope(text: string, needle: string, scope: string, where: Where = {}): Promise<void> {
  const scopes = await scopesOf(text, needle, where);
  assert.ok(scopes.length > 0, `no token for '${needle}'`);
  for (const s of scopes) assert.ok(s.includes(scope), `'${needle}' (occurrence ${where.nth ?? 0}) lacks ${scope}: ${s.join(' ')}`);
}

async function expectNoScope(text: string, needle: string, scope: string, where: Where = {}): Promise<void> {
  for (const s of await scopesOf(text, needle, where)) assert.ok(!s.includes(scope), `'${needle}' has ${scope}: ${s.join(' ')}`);
}

const EXPRESSION = 'meta.embedded.expression.pipeline';
const BLOCK_SHELL = 'meta.embedded.block.shell';
const LINE_SHELL = 'meta.embedded.line.shell';

/** Every part of `${{ … }}` in one expression, wherever the expression stands. */
async function expectExpressionParts(text: string, nth = 0): Promise<void> {
  let from = -1;
  for (let i = 0; i <= nth; i++) from = text.indexOf('${{', from + 1);
  const where = { from };
  await expectScope(text, '${{', 'punctuation.section.embedded.begin.pipeline', where);
  await expectScope(text, '}}', 'punctuation.section.embedded.end.pipeline', where);
  await expectScope(text, 'blocks', 'support.variable.context.pipeline', where);
  await expectScope(text, 'extract', 'variable.other.reference.pipeline', where);
  await expectScope(text, 'outputs', 'variable.other.property.pipeline', where);
  await expectScope(text, '>=', 'keyword.operator.relational.pipeline', where);
  await expectScope(text, '0.8', 'constant.numeric.pipeline', where);
  await expectScope(text, '&&', 'keyword.operator.logical.pipeline', where);
  await expectScope(text, 'vars', 'support.variable.context.pipeline', where);
  await expectScope(text, '!=', 'keyword.operator.comparison.pipeline', where);
  await expectScope(text, 'prod', 'string.quoted.single.pipeline', where);
  for (const part of ['${{', 'blocks', '>=', '0.8', 'prod', '}}']) await expectScope(text, part, EXPRESSION, where);
}

const EXPR = "${{ blocks.extract.outputs.rows >= 0.8 && vars.env != 'prod' }}";

test('expressions in a one-line run, with the command as embedded shell', async () => {
  const text = `blocks:\n  a:\n    run: ./load.sh ${EXPR}\n`;
  await expectExpressionParts(text);
  await expectScope(text, './load.sh', LINE_SHELL);
  await expectScope(text, EXPR, LINE_SHELL);
  await expectScope(text, 'run', 'entity.name.tag.pipeline');
});

test('expressions in a block-scalar run, with every line embedded as shell', async () => {
  const text = `blocks:\n  a:\n    run: |\n      set -x\n      echo ${EXPR} >> "$OUT"\n    shell: bash\n`;
  await expectExpressionParts(text);
  await expectScope(text, 'set -x', BLOCK_SHELL);
  await expectScope(text, '>> "$OUT"', BLOCK_SHELL);
  await expectScope(text, '|', 'keyword.control.flow.block-scalar.pipeline');
  // The block scalar ends where the indentation does.
  await expectNoScope(text, 'shell', BLOCK_SHELL);
  await expectScope(text, 'shell', 'entity.name.tag.pipeline');
});

test('run block scalars with indicators, an anchor and a comment', async () => {
  const text = 'blocks:\n  a:\n    run: &cmd >-  # folded\n      echo a\n      echo b\n';
  await expectScope(text, 'echo b', BLOCK_SHELL);
  await expectScope(text, '&', 'entity.name.type.anchor.pipeline');
  await expectScope(text, '-', 'storage.modifier.chomping-indicator.pipeline');
  await expectScope(text, '# folded', 'comment.line.number-sign.pipeline');
});

test('expressions in env, cwd and other plain values', async () => {
  const text = `env:\n  ROWS: ${EXPR}\nblocks:\n  a:\n    cwd: reports/${EXPR}\n    run: x\n`;
  await expectExpressionParts(text);
  await expectExpressionParts(text, 1);
  await expectScope(text, 'reports/', 'string.unquoted.plain.pipeline');
  await expectScope(text, 'ROWS', 'entity.name.tag.pipeline');
});

test('expressions in double- and single-quoted values', async () => {
  const double = `blocks:\n  a:\n    run: x\n    cwd: "out/${EXPR}/x"\n`;
  await expectExpressionParts(double);
  await expectScope(double, 'out/', 'string.quoted.double.pipeline');
  // In a YAML 'string' the expression's own quotes are doubled.
  const single = `env:\n  A: '${EXPR.replace("'prod'", "''prod''")}'\n`;
  await expectExpressionParts(single);
  await expectScope(single, "''prod''", 'string.quoted.single.pipeline');
  await expectScope(single, '}}', 'string.quoted.single.pipeline');
});

test('expressions in block scalars other than run, spanning lines', async () => {
  const text = `description: |\n  Loads ${EXPR} rows\n  and ${'${{'} vars.a &&\n    vars.b }} more\nblocks: {}\n`;
  await expectExpressionParts(text);
  await expectScope(text, 'Loads', 'string.unquoted.block.pipeline');
  await expectScope(text, 'vars', 'support.variable.context.pipeline', { nth: 2 });
  await expectScope(text, '}}', 'punctuation.section.embedded.end.pipeline', { nth: 1 });
  await expectScope(text, 'more', 'string.unquoted.block.pipeline');
  await expectNoScope(text, 'more', EXPRESSION);
});

test('the value of if is an expression with or without braces', async () => {
  const bare = "blocks:\n  a:\n    if: vars.ok && !vars.dry_run && (blocks.extract.status == 'completed' || env.CI) # why\n    run: x\n";
  await expectScope(bare, 'vars', 'support.variable.context.pipeline');
  await expectScope(bare, 'vars.ok', EXPRESSION);
  await expectScope(bare, 'dry_run', 'variable.other.reference.pipeline');
  await expectScope(bare, '!', 'keyword.operator.logical.pipeline');
  await expectScope(bare, '(', 'punctuation.section.parens.begin.pipeline');
  await expectScope(bare, 'status', 'variable.other.property.pipeline');
  await expectScope(bare, '==', 'keyword.operator.comparison.pipeline');
  await expectScope(bare, '||', 'keyword.operator.logical.pipeline');
  await expectScope(bare, 'env', 'support.variable.context.pipeline');
  // YAML reads a value that starts with `!` as a tag, so only braces allow a leading `!`.
  await expectScope('blocks:\n  a:\n    if: !vars.x\n', '!vars.x', 'storage.type.tag-handle.pipeline');
  await expectScope(bare, '# why', 'comment.line.number-sign.pipeline');
  await expectNoScope(bare, '# why', EXPRESSION);
  await expectExpressionParts(`blocks:\n  a:\n    if: ${EXPR}\n`);
  await expectScope('blocks:\n  a:\n    if: true\n', 'true', 'constant.language.boolean.pipeline');
});

test('expression literals, references and members', async () => {
  const text = "blocks:\n  a:\n    run: echo ${{ pipeline.name }} ${{ run.id }} ${{ null }} ${{ true }} ${{ -1.5e3 }} ${{ 'it''s' }} ${{ blocks.load-db.status }} ${{ foo }} ${{ 1 + 2 }}\n";
  await expectScope(text, 'pipeline', 'support.variable.context.pipeline');
  await expectScope(text, 'name', 'variable.other.property.pipeline');
  await expectScope(text, 'run', 'support.variable.context.pipeline', { nth: 1 });
  await expectScope(text, 'id', 'variable.other.property.pipeline');
  await expectScope(text, 'null', 'constant.language.null.pipeline');
  await expectScope(text, 'true', 'constant.language.boolean.pipeline');
  await expectScope(text, '-1.5e3', 'constant.numeric.pipeline');
  await expectScope(text, "''", 'constant.character.escape.pipeline');
  await expectScope(text, 'load-db', 'variable.other.reference.pipeline');
  await expectScope(text, 'foo', 'variable.other.pipeline');
  await expectScope(text, '+', 'invalid.illegal.character.pipeline');
});

test('${{ }} wins over the embedded shell grammar, even inside its strings', async () => {
  const line = 'blocks:\n  a:\n    run: echo "rows: ${{ vars.rows }}" # note\n';
  await expectScope(line, 'vars', 'support.variable.context.pipeline', { withShell: true });
  await expectScope(line, 'vars', 'string.quoted.double.shell', { withShell: true });
  await expectScope(line, '"rows: ', 'string.quoted.double.shell', { withShell: true });
  // A YAML comment ends a one-line run, whatever the shell would make of it.
  await expectScope(line, '# note', 'comment.line.number-sign.pipeline', { withShell: true });
  const block = "blocks:\n  a:\n    run: |\n      echo 'x ${{ vars.rows }}'\n";
  await expectScope(block, 'vars', 'support.variable.context.pipeline', { withShell: true });
  await expectScope(block, 'vars', 'string.quoted.single.shell', { withShell: true });
});

test('an unfinished quote or expression does not run past its value', async () => {
  const text = "blocks:\n  a:\n    run: echo 'open\n    shell: bash\n  b:\n    run: |\n      echo \"open\n    env:\n      A: ${{ vars.x\n      B: ok\n  c:\n    run: x\n";
  for (const withShell of [false, true]) {
    await expectScope(text, 'shell', 'entity.name.tag.pipeline', { withShell });
    await expectNoScope(text, 'shell', LINE_SHELL, { withShell });
    await expectScope(text, 'env', 'entity.name.tag.pipeline', { withShell });
    await expectNoScope(text, 'env', BLOCK_SHELL, { withShell });
    await expectScope(text, 'B', 'entity.name.tag.pipeline', { withShell });
    await expectNoScope(text, 'B', EXPRESSION, { withShell });
    await expectScope(text, 'c', 'entity.name.function.block.pipeline', { withShell, from: text.indexOf('  c:') });
  }
});

test('block ids, keys and comments', async () => {
  const text = '# A pipeline\nname: hello # trailing\nblocks:  # the blocks\n  load-db:\n    depends_on: [extract]\n    run: echo a#b\n  "quoted id":\n    run: x\nconcurrency: 2\n';
  await expectScope(text, '# A pipeline', 'comment.line.number-sign.pipeline');
  await expectScope(text, '#', 'punctuation.definition.comment.pipeline');
  await expectScope(text, '# trailing', 'comment.line.number-sign.pipeline');
  await expectScope(text, '# the blocks', 'comment.line.number-sign.pipeline');
  await expectNoScope(text, 'a#b', 'comment.line.number-sign.pipeline');
  await expectScope(text, 'name', 'entity.name.tag.pipeline');
  await expectScope(text, 'hello', 'string.unquoted.plain.pipeline');
  await expectScope(text, 'load-db', 'entity.name.function.block.pipeline');
  await expectScope(text, '"quoted id"', 'entity.name.function.block.pipeline');
  await expectScope(text, 'depends_on', 'entity.name.tag.pipeline');
  await expectNoScope(text, 'depends_on', 'entity.name.function.block.pipeline');
  await expectScope(text, 'extract', 'meta.flow-sequence.pipeline');
  await expectScope(text, 'concurrency', 'entity.name.tag.pipeline');
  await expectNoScope(text, 'concurrency', 'meta.block.pipeline');
});

test('YAML scalars: numbers, booleans and null of the core schema; everything else is a string', async () => {
  const text = 'a: 42\nb: -0.5e3\nc: 0x1F\nd: .inf\ne: true\nf: False\ng: ~\nh: null\ni: yes\nj: 5m\nk: 1.2.3\nl: "true"\n';
  await expectScope(text, '42', 'constant.numeric.integer.pipeline');
  await expectScope(text, '-0.5e3', 'constant.numeric.float.pipeline');
  await expectScope(text, '0x1F', 'constant.numeric.integer.hexadecimal.pipeline');
  await expectScope(text, '.inf', 'constant.numeric.float.pipeline');
  await expectScope(text, 'true', 'constant.language.boolean.pipeline');
  await expectScope(text, 'False', 'constant.language.boolean.pipeline');
  await expectScope(text, '~', 'constant.language.null.pipeline');
  await expectScope(text, 'null', 'constant.language.null.pipeline');
  await expectScope(text, 'yes', 'string.unquoted.plain.pipeline');
  await expectScope(text, '5m', 'string.unquoted.plain.pipeline');
  await expectScope(text, '1.2.3', 'string.unquoted.plain.pipeline');
  await expectScope(text, 'true', 'string.quoted.double.pipeline', { nth: 1 });
});

test('flow collections, anchors, aliases, tags, sequences and escapes', async () => {
  const text = 'x: &base { attempts: 3, delay: "5s\\n", ok: [a, 1, ~] }\ny: *base\nz: !tag v\nlist:\n  - one\n  - key: v\n';
  await expectScope(text, 'attempts', 'entity.name.tag.pipeline');
  await expectScope(text, '3', 'constant.numeric.integer.pipeline');
  await expectScope(text, '\\n', 'constant.character.escape.pipeline');
  await expectScope(text, '{', 'punctuation.definition.mapping.begin.pipeline');
  await expectScope(text, ',', 'punctuation.separator.collection.pipeline');
  await expectScope(text, 'a', 'string.unquoted.plain.pipeline', { from: text.indexOf('[a') });
  await expectScope(text, '~', 'constant.language.null.pipeline');
  await expectScope(text, '&base', 'entity.name.type.anchor.pipeline');
  await expectScope(text, '*base', 'variable.other.alias.pipeline');
  await expectScope(text, '!tag', 'storage.type.tag-handle.pipeline');
  await expectScope(text, '-', 'punctuation.definition.block.sequence.item.pipeline', { nth: 0 });
  await expectScope(text, 'one', 'string.unquoted.plain.pipeline');
  await expectScope(text, 'key', 'entity.name.tag.pipeline');
});

test('every example and golden fixture tokenizes, and each run: value is shell', async () => {
  const root = join(import.meta.dirname, '..', '..');
  const files = [
    ...readdirSync(join(root, 'examples')).filter((f) => f.endsWith('.pipeline.yaml')).map((f) => join(root, 'examples', f)),
    join(root, 'test', 'golden', 'valid-complete.golden.yaml'),
  ];
  for (const file of files) {
    const text = readFileSync(file, 'utf8');
    const lines = await tokenize(text);
    let runIndent: number | undefined;
    text.split('\n').forEach((line, i) => {
      const tokens = lines[i] ?? [];
      assert.equal(tokens.map((t) => t.text).join(''), line);
      const indent = /^\s*/.exec(line)?.[0].length ?? 0;
      if (runIndent !== undefined && (line.trim() === '' || indent > runIndent)) {
        for (const t of tokens) assert.ok(t.scopes.includes(BLOCK_SHELL), `${file}:${i + 1}: ${JSON.stringify(t)}`);
        return;
      }
      runIndent = /^\s+run:.*[|>][-+0-9]*\s*$/.test(line) ? indent : undefined;
      // The command of a one-line run is shell.
      const oneLine = /^(\s+run: )(?![|>&*'"])/.exec(line);
      if (oneLine?.[1] !== undefined) {
        const command = tokens.find((t, n) => tokens.slice(0, n).map((p) => p.text).join('').length >= (oneLine[1]?.length ?? 0));
        assert.ok(command?.scopes.includes(LINE_SHELL), `${file}:${i + 1}: ${JSON.stringify(command)}`);
      }
    });
  }
});
