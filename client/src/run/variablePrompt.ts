import * as vscode from 'vscode';
import type { Pipeline } from '../../../core/src/model/pipeline.ts';
import type { VariableValue } from '../../../core/src/runner/variables.ts';
import { chosenValues, parseVariableText, promptVariables, type PromptVariable } from './variableInput.ts';

const LAST_USED_KEY = 'pipelineStudio.lastVariables:';

export function lastUsedVariables(state: vscode.Memento, file: vscode.Uri): Record<string, unknown> {
  return state.get<Record<string, unknown>>(LAST_USED_KEY + file.toString()) ?? {};
}

export function rememberVariables(state: vscode.Memento, file: vscode.Uri, values: Record<string, VariableValue>): Thenable<void> {
  return state.update(LAST_USED_KEY + file.toString(), values);
}

interface Item extends vscode.QuickPickItem {
  variable?: PromptVariable;
}

/**
 * Asks for the run's variables: a list prefilled with the last values used for this pipeline (or
 * the defaults), where picking a variable edits it (a pick for enums and booleans, a checked input
 * box otherwise) and the first entry runs. Undefined when the user backs out.
 */
export async function promptForVariables(pipeline: Pipeline, lastUsed: Record<string, unknown>, title: string): Promise<Record<string, VariableValue> | undefined> {
  const variables = promptVariables(pipeline, lastUsed);
  const chosen = new Map<string, VariableValue>();
  for (;;) {
    const value = (v: PromptVariable): VariableValue | undefined => chosen.get(v.name) ?? v.initial;
    const missing = variables.filter((v) => value(v) === undefined);
    const items: Item[] = [
      {
        label: '$(play) Run',
        description: missing.length > 0 ? `first give ${missing.map((v) => v.name).join(', ')}` : 'with these values',
      },
      { label: 'Variables', kind: vscode.QuickPickItemKind.Separator },
      ...variables.map((v): Item => {
        const current = value(v);
        const origin = chosen.has(v.name) ? 'edited' : v.source === 'last' ? 'last used' : v.source === 'default' ? 'default' : 'required';
        return {
          label: v.name,
          description: current === undefined ? '(no value)' : `= ${JSON.stringify(current)}`,
          detail: [`${v.type}${v.enum !== undefined ? `, one of ${v.enum.map(String).join(', ')}` : ''} · ${origin}`, v.description].filter((x) => x !== undefined).join(' — '),
          variable: v,
        };
      }),
    ];
    const picked = await vscode.window.showQuickPick(items, { title, placeHolder: vscode.l10n.t('Pick a variable to change it, or Run'), matchOnDetail: true, ignoreFocusOut: true });
    if (picked === undefined) return undefined;
    const target = picked.variable ?? missing[0];
    if (target === undefined) return chosenValues(variables, chosen);
    const edited = await editVariable(target, value(target));
    if (edited !== undefined) chosen.set(target.name, edited);
  }
}

async function editVariable(variable: PromptVariable, current: VariableValue | undefined): Promise<VariableValue | undefined> {
  const options = variable.enum ?? (variable.type === 'boolean' ? [true, false] : undefined);
  if (options !== undefined) {
    const picked = await vscode.window.showQuickPick(
      options.map((o) => ({ label: String(o), description: o === current ? 'current' : undefined, value: o })),
      { title: `${variable.name}${variable.description !== undefined ? ` — ${variable.description}` : ''}` },
    );
    return picked?.value;
  }
  const text = await vscode.window.showInputBox({
    title: `${variable.name} (${variable.type})`,
    prompt: variable.description,
    value: current === undefined ? '' : String(current),
    validateInput: (input) => {
      const parsed = parseVariableText(variable, input);
      return 'error' in parsed ? parsed.error : undefined;
    },
  });
  if (text === undefined) return undefined;
  const parsed = parseVariableText(variable, text);
  return 'value' in parsed ? parsed.value : undefined;
}
