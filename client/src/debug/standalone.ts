import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ServiceDriver } from '../../../core/src/debug/index.ts';
import { PipelineDebugSession } from './pipelineDebugSession.ts';

/**
 * The debug adapter as its own process speaking DAP over stdio (dist/debugAdapter.cjs): what the
 * DAP tests drive, and a way to debug pipelines from other DAP clients. Blocks run in the runner
 * service it starts: the CLI next to it, or PIPELINE_STUDIO_CLI (the CLI's source, in tests).
 */
const here = dirname(fileURLToPath(import.meta.url));
const cli = process.env.PIPELINE_STUDIO_CLI ?? join(here, 'cli.cjs');
if (!existsSync(cli)) {
  process.stderr.write(`pipeline debug adapter: the CLI is missing at ${cli}; run npm run build\n`);
  process.exit(1);
}
const session = new PipelineDebugSession({ createDriver: () => new ServiceDriver(process.execPath, [cli, 'serve', '--stdio']) });
session.setRunAsServer(false);
session.start(process.stdin, process.stdout);
