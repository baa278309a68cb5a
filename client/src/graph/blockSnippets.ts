import * as vscode from 'vscode';
import type { BlockSnippet } from '../../../server/src/protocol.ts';

/** Where a workspace keeps its own blocks for the designer's palette: one YAML file per snippet. */
export const SNIPPETS_GLOB = '.pipeline-studio/snippets/*.{yaml,yml}';
const MAX_SNIPPETS = 200;
const MAX_SNIPPET_BYTES = 64 * 1024;

/**
 * The workspace's block snippets, by name (the file name without its extension). A file holds a
 * block's keys (`run: …`, `timeout: …`) or one `id:` entry; the server checks the text when it is
 * inserted, and the result is validated like any edit.
 */
export async function readBlockSnippets(): Promise<BlockSnippet[]> {
  const files = await vscode.workspace.findFiles(SNIPPETS_GLOB, undefined, MAX_SNIPPETS);
  const snippets: BlockSnippet[] = [];
  for (const file of files.sort((a, b) => a.path.localeCompare(b.path))) {
    try {
      const bytes = await vscode.workspace.fs.readFile(file);
      if (bytes.byteLength > MAX_SNIPPET_BYTES) continue;
      const name = file.path.slice(file.path.lastIndexOf('/') + 1).replace(/\.ya?ml$/, '');
      snippets.push({ name, body: new TextDecoder().decode(bytes) });
    } catch {
      // A snippet deleted between the search and the read is simply not offered.
    }
  }
  return snippets;
}
