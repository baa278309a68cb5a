import { loadPipelines } from './loadPipelines.ts';

// The child process of loadApart.ts (bundled as dist/triggerLoader.cjs): reads and checks the
// files named on its command line, sends back the compact trigger data, and exits, taking the
// validator and all it allocated with it.
const files = process.argv.slice(2);
process.send?.(loadPipelines(files), undefined, {}, () => process.disconnect());
