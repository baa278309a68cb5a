// Command and view ids of the run history, shared by the tree (plain modules) and the VS Code side.

export const RUNS_VIEW = 'pipelineStudio.runs';
export const LOG_SCHEME = 'pipeline-log';

export const OPEN_BLOCK_LOG = 'pipelineStudio.openBlockLog';
export const DELETE_RUN = 'pipelineStudio.deleteRun';
export const CLEAR_HISTORY = 'pipelineStudio.clearHistory';
export const EXPORT_RUN_JSON = 'pipelineStudio.exportRunJson';
export const REFRESH_RUNS = 'pipelineStudio.refreshRuns';
export const FILTER_RUNS = 'pipelineStudio.filterRuns';
export const CLEAR_RUNS_FILTER = 'pipelineStudio.clearRunsFilter';
export const OPEN_PIPELINE_FILE = 'pipelineStudio.openPipelineFile';
export const LOAD_MORE_RUNS = 'pipelineStudio.loadMoreRuns';
export const CREATE_EXAMPLE_PIPELINE = 'pipelineStudio.createExamplePipeline';
export const GET_RUNS_TREE = 'pipelineStudio.internal.getRunsTree';

/** Context keys for `when` clauses (welcome views, title buttons). */
export const STATE_CONTEXT = 'pipelineStudio.runs.state';
export const FILTERED_CONTEXT = 'pipelineStudio.runs.filtered';
