import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { UsageError } from './files.ts';
import type { CliIo } from './validateCommand.ts';

const USAGE = `Usage: pipeline-studio lsp --stdio
  The language server (diagnostics, completion, hover, go to definition, rename, formatting…) over
  stdin/stdout, for editors other than VS Code (Neovim, Helix, Emacs, Sublime Text); see docs/editors.md.`;

/**
 * `lsp --stdio`: runs the bundled language server in this process. The server is the same bundle the
 * extension starts (server.cjs beside this CLI's bundle); core/ never imports the LSP libraries, it
 * only loads that file. The returned promise never settles: the server exits the process on `exit`.
 */
export function lspCommand(args: string[], io: CliIo): Promise<number> {
  if (args.includes('--help') || args.includes('-h')) {
    io.out(USAGE);
    return Promise.resolve(0);
  }
  if (args.length !== 1 || args[0] !== '--stdio') throw new UsageError(`the server speaks over stdio only: pass --stdio.\n${USAGE}`);
  // Beside the bundle (dist/cli.cjs, the npm package), or the repository's dist/ when run from sources.
  const candidates = ['./server.cjs', '../../../dist/server.cjs'].map((p) => fileURLToPath(new URL(p, import.meta.url)));
  const server = candidates.find((p) => existsSync(p));
  if (server === undefined) {
    io.err(`pipeline-studio lsp: the language server bundle is missing (looked for ${candidates.join(', ')}).`);
    return Promise.resolve(1);
  }
  // The server reads `--stdio` from process.argv, where it already is.
  createRequire(import.meta.url)(server);
  return new Promise<number>(() => undefined);
}
