// The language server for `*.pipeline.yaml` files: started by the extension (client/) over stdio
// or IPC, or by any LSP client with `node dist/server.cjs --stdio`. Every feature is a pure
// function in core/src/language; the files next to this one translate between LSP and core.
import { createConnection, ProposedFeatures, RequestType, TextDocuments, TextDocumentSyncKind, type InitializeResult } from 'vscode-languageserver/node';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { Analyses } from './analyses.ts';
import { codeActions } from './codeActions.ts';
import { completion, COMPLETION_TRIGGERS } from './completion.ts';
import { changeDelay, DiagnosticsPublisher } from './diagnostics.ts';
import { foldingRanges } from './folding.ts';
import { graphEdit, readBlockFields } from './graphEditRequest.ts';
import { guard, guardNotification } from './guard.ts';
import { hover } from './hover.ts';
import { definition, highlights, references } from './navigation.ts';
import { BLOCK_FIELDS_METHOD, GRAPH_EDIT_METHOD, type BlockFields, type BlockFieldsParams, type GraphEditParams, type GraphEditResponse } from './protocol.ts';
import { prepareRename, rename } from './rename.ts';
import { documentSymbols } from './symbols.ts';
import { useLocale } from '../../core/src/cli/locale.ts';

const connection = createConnection(ProposedFeatures.all);
const documents = new TextDocuments(TextDocument);
const analyses = new Analyses();
const diagnostics = new DiagnosticsPublisher(connection, documents, analyses);
const log = connection.console;

// Whatever slips past the guards is logged; the editor keeps its server.
process.on('uncaughtException', (error) => log.error(`uncaught: ${error.stack ?? error.message}`));
process.on('unhandledRejection', (reason) => log.error(`unhandled rejection: ${String(reason)}`));

// Diagnostics speak the editor's display language: VS Code sends it as `locale` ("fr" in a French
// workbench); the messages' catalogue is l10n/bundle.l10n.<locale>.json, as for the CLI.
connection.onInitialize((params): InitializeResult => {
  useLocale(params.locale ?? 'en');
  return capabilities();
});

function capabilities(): InitializeResult {
  return {
    capabilities: {
      textDocumentSync: { openClose: true, change: TextDocumentSyncKind.Incremental },
      completionProvider: { triggerCharacters: COMPLETION_TRIGGERS },
      hoverProvider: true,
      definitionProvider: true,
      referencesProvider: true,
      documentHighlightProvider: true,
      renameProvider: { prepareProvider: true },
      documentSymbolProvider: true,
      foldingRangeProvider: true,
      codeActionProvider: { codeActionKinds: ['quickfix'] },
    },
    serverInfo: { name: 'pipeline-studio-language-server', version: '0.1.0' },
  };
}

documents.onDidOpen(guardNotification(log, 'open', (e) => diagnostics.schedule(e.document, 0)));
documents.onDidChangeContent(guardNotification(log, 'change', (e) => diagnostics.schedule(e.document, changeDelay(analyses.costOf(e.document.uri)))));
documents.onDidClose(guardNotification(log, 'close', (e) => {
  analyses.forget(e.document.uri);
  diagnostics.close(e.document.uri);
}));

/** The analysis of the document's current version, for features that return positions in it. */
function current(uri: string) {
  const document = documents.get(uri);
  return document === undefined ? undefined : analyses.current(document);
}

connection.onCompletion(guard(log, 'completion', null, (params) => {
  const document = documents.get(params.textDocument.uri);
  if (document === undefined) return null;
  return completion(document, analyses.latest(document.uri) ?? analyses.current(document), params);
}));

connection.onHover(guard(log, 'hover', null, (params) => {
  const analysis = current(params.textDocument.uri);
  return analysis === undefined ? null : hover(analysis, params);
}));

connection.onDefinition(guard(log, 'definition', null, (params) => {
  const analysis = current(params.textDocument.uri);
  return analysis === undefined ? null : definition(analysis, params);
}));

connection.onReferences(guard(log, 'references', null, (params) => {
  const analysis = current(params.textDocument.uri);
  return analysis === undefined ? null : references(analysis, params);
}));

connection.onDocumentHighlight(guard(log, 'highlight', null, (params) => {
  const analysis = current(params.textDocument.uri);
  return analysis === undefined ? null : highlights(analysis, params);
}));

connection.onPrepareRename(guard(log, 'prepareRename', null, (params) => {
  const analysis = current(params.textDocument.uri);
  return analysis === undefined ? null : prepareRename(analysis, params);
}));

connection.onRenameRequest(guard(log, 'rename', null, (params) => {
  const analysis = current(params.textDocument.uri);
  return analysis === undefined ? null : rename(analysis, params);
}));

connection.onDocumentSymbol(guard(log, 'documentSymbol', null, (params) => {
  const analysis = current(params.textDocument.uri);
  return analysis === undefined ? null : documentSymbols(analysis);
}));

connection.onFoldingRanges(guard(log, 'foldingRange', null, (params) => {
  const analysis = current(params.textDocument.uri);
  return analysis === undefined ? null : foldingRanges(analysis);
}));

connection.onCodeAction(guard(log, 'codeAction', null, (params) => {
  const analysis = current(params.textDocument.uri);
  return analysis === undefined ? null : codeActions(analysis, params);
}));

connection.onRequest(new RequestType<GraphEditParams, GraphEditResponse, void>(GRAPH_EDIT_METHOD), guard(log, 'graphEdit', { error: 'The edit failed; see the language server log.' }, (params) => graphEdit(documents.get(params.textDocument.uri), params)));

connection.onRequest(new RequestType<BlockFieldsParams, BlockFields | null, void>(BLOCK_FIELDS_METHOD), guard(log, 'blockFields', null, (params) => readBlockFields(documents.get(params.textDocument.uri), params)));

documents.listen(connection);
connection.listen();
