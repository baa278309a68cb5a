import * as vscode from 'vscode';
import { registerDebugPipeline } from '../commands/debugPipeline.ts';
import { PipelineAdapterFactory } from './adapterFactory.ts';
import { DEBUG_TYPE, DynamicPipelineConfigurations, PipelineConfigurationProvider } from './configurationProvider.ts';
import { DebugBlockCodeLensProvider } from './debugCodeLens.ts';

/** Debugging pipelines: the `pipeline` debug type, F5 on a pipeline file, Debug Pipeline, Debug block lenses. */
export function registerDebugFeatures(context: vscode.ExtensionContext): void {
  context.subscriptions.push(
    vscode.debug.registerDebugAdapterDescriptorFactory(DEBUG_TYPE, new PipelineAdapterFactory(context.asAbsolutePath('dist/cli.cjs'))),
    vscode.debug.registerDebugConfigurationProvider(DEBUG_TYPE, new PipelineConfigurationProvider()),
    vscode.debug.registerDebugConfigurationProvider(DEBUG_TYPE, new DynamicPipelineConfigurations(), vscode.DebugConfigurationProviderTriggerKind.Dynamic),
    vscode.languages.registerCodeLensProvider({ language: 'pipeline', scheme: 'file' }, new DebugBlockCodeLensProvider()),
    registerDebugPipeline(),
  );
}
