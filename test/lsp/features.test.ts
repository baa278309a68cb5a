import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { CodeAction, CompletionList, Diagnostic, DocumentHighlight, DocumentSymbol, FoldingRange, Hover, Location, WorkspaceEdit } from 'vscode-languageserver-protocol';
import { positionAt, readFixture, showRange, textOf, updateFixture, type Fixture, type Range } from './fixture.ts';
import { LspClient } from './lspClient.ts';
import { NEXT_RUN, renderCodeActions, renderCompletion, renderFolding, renderHighlights, renderHover, renderLocations, renderSymbols, renderWorkspaceEdit } from './render.ts';

// One folder per request under fixtures/; each file is one request at its cursor, with the
// rendered result expected (see fixture.ts). All go to one real server, each as its own document.
const FIXTURES = join(import.meta.dirname, 'fixtures');

type Ask = (client: LspClient, uri: string, fixture: Fixture) => Promise<string[]>;

function cursorOf(fixture: Fixture): { line: number; character: number } {
  if (fixture.offset < 0) throw new Error(`${fixture.path}: no cursor marker`);
  return positionAt(fixture.text, fixture.offset);
}

const REQUESTS: Record<string, Ask> = {
  completion: async (client, uri, f) => {
    const context = f.request['triggerCharacter'] === undefined ? { triggerKind: 1 } : { triggerKind: 2, triggerCharacter: f.request['triggerCharacter'] };
    const result = await client.request<CompletionList | null>('textDocument/completion', { textDocument: { uri }, position: cursorOf(f), context });
    return renderCompletion(f.text, result);
  },
  hover: async (client, uri, f) => {
    const result = await client.request<Hover | null>('textDocument/hover', { textDocument: { uri }, position: cursorOf(f) });
    checkNextRuns(result);
    return renderHover(f.text, result);
  },
  definition: async (client, uri, f) => renderLocations(f.text, await client.request<Location[] | null>('textDocument/definition', { textDocument: { uri }, position: cursorOf(f) })),
  references: async (client, uri, f) => {
    const includeDeclaration = f.request['includeDeclaration'] !== false;
    return renderLocations(f.text, await client.request<Location[] | null>('textDocument/references', { textDocument: { uri }, position: cursorOf(f), context: { includeDeclaration } }));
  },
  highlight: async (client, uri, f) => renderHighlights(f.text, await client.request<DocumentHighlight[] | null>('textDocument/documentHighlight', { textDocument: { uri }, position: cursorOf(f) })),
  rename: async (client, uri, f) => {
    const position = cursorOf(f);
    const lines: string[] = [];
    try {
      const prepared = await client.request<{ range: Range; placeholder: string } | null>('textDocument/prepareRename', { textDocument: { uri }, position });
      lines.push(prepared === null ? 'prepare: (nothing)' : `prepare: ${showRange(prepared.range)} ${textOf(f.text, prepared.range)} placeholder ${prepared.placeholder}`);
    } catch (error) {
      lines.push(`prepare refused: ${(error as Error).message}`);
    }
    if (typeof f.request['newName'] !== 'string') return lines;
    try {
      const edit = await client.request<WorkspaceEdit | null>('textDocument/rename', { textDocument: { uri }, position, newName: f.request['newName'] });
      lines.push(`rename to ${f.request['newName']}:`, ...renderWorkspaceEdit(f.text, uri, edit).map((l) => `  ${l}`));
    } catch (error) {
      lines.push(`rename to ${f.request['newName']} refused: ${(error as Error).message}`);
    }
    return lines;
  },
  'code-action': async (client, uri, f) => {
    // Like an editor: the range is the cursor, the context carries the diagnostics published there.
    const published = await client.waitForDiagnostics(uri, (e) => e.version === 1);
    const at = cursorOf(f);
    const touching = published.diagnostics.filter((d: Diagnostic) => !before_(at, d.range.start) && !before_(d.range.end, at));
    const result = await client.request<CodeAction[] | null>('textDocument/codeAction', { textDocument: { uri }, range: { start: at, end: at }, context: { diagnostics: touching } });
    return renderCodeActions(f.text, uri, result);
  },
  symbols: async (client, uri, f) => renderSymbols(f.text, await client.request<DocumentSymbol[] | null>('textDocument/documentSymbol', { textDocument: { uri } })),
  folding: async (client, uri, f) => renderFolding(f.text, await client.request<FoldingRange[] | null>('textDocument/foldingRange', { textDocument: { uri } })),
};

function before_(a: { line: number; character: number }, b: { line: number; character: number }): boolean {
  return a.line < b.line || (a.line === b.line && a.character < b.character);
}

/** The next times of a schedule hover: three, in the future, increasing (the fixture masks them). */
function checkNextRuns(hover: Hover | null): void {
  if (hover === null || typeof hover.contents !== 'object' || !('value' in hover.contents)) return;
  const times = hover.contents.value.split('\n').map((l) => NEXT_RUN.exec(l)).filter((m) => m !== null).map((m) => Date.parse(`${m[2]}T${m[3]}:00Z`));
  if (times.length === 0) return;
  assert.equal(times.length, 3, 'three next runs');
  assert.ok((times[0] ?? 0) > Date.now() - 60_000, 'the first next run is not in the past');
  for (let i = 1; i < times.length; i++) assert.ok((times[i] ?? 0) > (times[i - 1] ?? 0), 'next runs increase');
}

let client: LspClient;
let documentNumber = 0;

before(async () => {
  client = await LspClient.start();
});

after(async () => {
  await client.stop();
});

for (const folder of readdirSync(FIXTURES).sort()) {
  const ask = REQUESTS[folder];
  describe(`lsp ${folder}`, () => {
    test('has a request', () => assert.ok(ask !== undefined, `no request for fixtures/${folder}`));
    for (const file of readdirSync(join(FIXTURES, folder)).filter((f) => f.endsWith('.yaml')).sort()) {
      test(file, async () => {
        if (ask === undefined) return;
        const fixture = readFixture(join(FIXTURES, folder, file));
        // `documentAt` opens the document where it lies among real files (test/lsp/pipelineFiles), for what lists them.
        const at = fixture.request['documentAt'];
        const uri = typeof at === 'string' ? pathToFileURL(join(import.meta.dirname, at)).href : `file:///fixtures/${folder}/${documentNumber++}/${file.replace(/\.yaml$/, '.pipeline.yaml')}`;
        await client.open(uri, fixture.text);
        try {
          const actual = await ask(client, uri, fixture);
          updateFixture(fixture, actual);
          assert.deepEqual(actual.map((l) => l.trimEnd()), fixture.expected);
        } finally {
          await client.close(uri);
        }
        assert.ok(client.alive, 'the server is still running');
      });
    }
  });
}
