import * as vscode from 'vscode';
import { runFile, type RunFeatures } from '../run/launch.ts';

export const RUN_WITH_PROFILE = 'pipelineStudio.runWithProfile';

/**
 * Run with Profile…: every block, with one of the file's `profiles:` applied (its variables and env),
 * recorded with the run; the `test` profile makes it a test run, left out of success rates. Args as
 * Run Pipeline, plus `{ profile }` to skip the pick.
 */
export function registerRunWithProfile(features: RunFeatures): vscode.Disposable {
  return vscode.commands.registerCommand(RUN_WITH_PROFILE, (...args: unknown[]) => {
    const given = args.find((a): a is { profile: unknown } => typeof a === 'object' && a !== null && 'profile' in a)?.profile;
    return runFile(features, args, {
      title: 'Run with Profile', selection: () => Promise.resolve({ mode: 'all' }), withDefaults: true,
      profile: async (pipeline) => {
        const names = [...(pipeline.profiles?.keys() ?? [])];
        if (typeof given === 'string') return given;
        if (names.length === 0) {
          void vscode.window.showInformationMessage(vscode.l10n.t('{0} has no `profiles:` to run with.', pipeline.name));
          return undefined;
        }
        const picked = await vscode.window.showQuickPick(
          names.map((name) => ({ label: name, description: name === 'test' ? 'test run: left out of success rates' : '' })),
          { placeHolder: vscode.l10n.t('Profile to apply') },
        );
        return picked?.label;
      },
    });
  });
}
