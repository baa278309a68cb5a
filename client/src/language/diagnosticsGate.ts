import type * as vscode from 'vscode';
import type { HandleDiagnosticsSignature } from 'vscode-languageclient/node';
import { validateEnabled } from '../settings/settings.ts';

/**
 * Applies `pipelineStudio.validate.enable` on the client side, per document: the server's
 * diagnostics are kept, and shown or hidden by the setting, so flipping it takes effect at once
 * without asking the server to validate again.
 */
export class DiagnosticsGate {
  private readonly latest = new Map<string, { uri: vscode.Uri; diagnostics: vscode.Diagnostic[] }>();

  readonly handleDiagnostics = (uri: vscode.Uri, diagnostics: vscode.Diagnostic[], next: HandleDiagnosticsSignature): void => {
    if (diagnostics.length === 0) this.latest.delete(uri.toString());
    else this.latest.set(uri.toString(), { uri, diagnostics });
    next(uri, validateEnabled(uri) ? diagnostics : []);
  };

  /** Shows or hides what the server last published, after the setting changed. */
  reapply(collection: vscode.DiagnosticCollection | undefined): void {
    for (const { uri, diagnostics } of this.latest.values()) collection?.set(uri, validateEnabled(uri) ? diagnostics : []);
  }

  clear(): void {
    this.latest.clear();
  }
}
