import type { CodeAction, CodeActionParams } from 'vscode-languageserver/node';
import { quickFixes, type DocumentAnalysis } from '../../core/src/index.ts';
import { toLspDiagnostic, toSpan, toTextEdit } from './convert.ts';

const QUICK_FIX = 'quickfix';

/** Quick fixes for the diagnostics under the range, read from the analysis of the current version. */
export function codeActions(analysis: DocumentAnalysis, params: CodeActionParams): CodeAction[] {
  const only = params.context.only;
  if (only !== undefined && !only.some((kind) => kind === QUICK_FIX || QUICK_FIX.startsWith(`${kind}.`) || kind === '')) return [];
  const uri = params.textDocument.uri;
  return quickFixes(analysis, toSpan(analysis.lines, params.range)).map((fix) => {
    const action: CodeAction = {
      title: fix.title,
      kind: QUICK_FIX,
      diagnostics: [toLspDiagnostic(uri, analysis.lines, fix.diagnostic)],
      edit: { changes: { [uri]: fix.edits.map((e) => toTextEdit(analysis.lines, e)) } },
    };
    if (fix.preferred === true) action.isPreferred = true;
    return action;
  });
}
