import { existsSync } from 'node:fs';
import { join } from 'node:path';

/** A small pipeline that runs anywhere with a POSIX shell and shows dependencies, variables and outputs. */
export const EXAMPLE_PIPELINE = `# An example pipeline: three blocks, run in dependency order.
# Run it with the ▶ button in the editor title, or: pipeline-studio run example.pipeline.yaml
name: example
description: Count the words of a greeting, then report them.

variables:
  greeting:
    default: Hello from Pipeline Studio
    type: string
    description: The text the first block writes.

blocks:
  write:
    description: Write the greeting to a file.
    outputs: [file]
    run: |
      mkdir -p .out
      printf '%s\\n' \${{ vars.greeting }} > .out/greeting.txt
      echo "file=.out/greeting.txt" >> "$PIPELINE_OUTPUT"

  count:
    description: Count the words of what the first block wrote.
    depends_on: write
    outputs: [words]
    run: |
      words=$(wc -w < \${{ blocks.write.outputs.file }})
      echo "words=$words" >> "$PIPELINE_OUTPUT"

  report:
    description: Print the result.
    depends_on: count
    run: echo "The greeting has \${{ blocks.count.outputs.words }} words."
`;

/** `example.pipeline.yaml`, or `example-2.pipeline.yaml`… so that an existing file is never overwritten. */
export function examplePipelinePath(folder: string): string {
  for (let n = 1; ; n++) {
    const path = join(folder, n === 1 ? 'example.pipeline.yaml' : `example-${n}.pipeline.yaml`);
    if (!existsSync(path)) return path;
  }
}
