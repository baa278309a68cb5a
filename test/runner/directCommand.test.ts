import { test } from 'node:test';
import assert from 'node:assert/strict';
import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { directCommand } from '../../core/src/runner/shells.ts';
import { runYaml } from './support.ts';

// A plain one-command script runs without its shell (one process instead of two, as make does), and
// only where that cannot change what runs.

const ENV = { PATH: process.env.PATH };
const onPath = (path: string): Record<string, string> => ({ PATH: path });

test('a plain command runs directly: the program found on PATH, the words as arguments', () => {
  const direct = directCommand('sh', 'true', ENV);
  assert.match(direct?.file ?? '', /^\/.*\/true$/);
  assert.deepEqual(direct?.args, []);
  assert.deepEqual(directCommand('bash', '  echo  a-b c.d/e:f,g+h@i%j=k  ', ENV)?.args, ['a-b', 'c.d/e:f,g+h@i%j=k']);
});

test('anything the shell would interpret, answer itself or search differently goes through the shell', () => {
  const shell = [
    'echo $HOME', 'echo "a b"', "echo 'a'", 'echo a\\ b', 'echo *.txt', 'echo ~', 'echo a; echo b', 'echo a | cat',
    'echo a > f', 'echo a && echo b', 'echo `date`', 'echo $(date)', 'echo {a,b}', 'echo a # note', 'echo !x',
    'echo a\necho b', 'echo\ta', 'cd /tmp', 'pwd', 'exit 3', 'export A=1', 'source x', 'FOO=1 env', 'set -e',
    './script.sh', 'bin/tool', 'no-such-program-xyz', '',
  ];
  for (const script of shell) assert.equal(directCommand('sh', script, ENV), undefined, JSON.stringify(script));
  // zsh reads ~/.zshenv and bash reads BASH_ENV even for -c: what they set would be lost.
  for (const other of ['zsh', 'pwsh', 'python', 'node'] as const) assert.equal(directCommand(other, 'true', ENV), undefined, other);
  assert.equal(directCommand('bash', 'true', { ...ENV, BASH_ENV: '/etc/profile.d/x.sh' }), undefined);
});

test('PATH is searched as the shell would: folders skipped, relative entries left to the shell', () => {
  const dir = mkdtempSync(join(tmpdir(), 'direct-'));
  try {
    mkdirSync(join(dir, 'first', 'tool'), { recursive: true }); // a folder named like the program
    mkdirSync(join(dir, 'second'));
    writeFileSync(join(dir, 'second', 'tool'), '#!/bin/sh\necho tool\n');
    chmodSync(join(dir, 'second', 'tool'), 0o755);
    writeFileSync(join(dir, 'second', 'plain'), 'not executable');
    assert.equal(directCommand('sh', 'tool', onPath(`${dir}/first:${dir}/second`))?.file, join(dir, 'second', 'tool'));
    assert.equal(directCommand('sh', 'plain', onPath(`${dir}/second`)), undefined, 'not executable: the shell says so');
    assert.equal(directCommand('sh', 'tool', onPath(`relative:${dir}/second`)), undefined);
    assert.equal(directCommand('sh', 'tool', onPath(`${dir}/second:`)), undefined, 'an empty entry is the current folder');
    assert.equal(directCommand('sh', join(dir, 'second', 'tool'), onPath(''))?.file, join(dir, 'second', 'tool'));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('a block run directly sees what it would under its shell: PWD is its folder, arguments and exit status as given', async () => {
  // The pipeline's folder is not the test process's, whose PWD the block would otherwise inherit.
  const r = await runYaml('blocks:\n  a:\n    run: printenv PWD\n  b:\n    run: printf %s-%s x y\n  c:\n    run: false\n  d:\n    shell: sh\n    run: no-such-command-abc\n');
  assert.notEqual(process.env.PWD, r.dir);
  assert.equal(r.log('a'), `${r.dir}\n`);
  assert.equal(r.log('b'), 'x-y');
  assert.equal(r.block('c').exitCode, 1);
  assert.equal(r.block('d').reason, 'command not found: no-such-command-abc');
});
