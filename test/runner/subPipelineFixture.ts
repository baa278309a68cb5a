// The sub-pipeline shape the runner's and the debugger's tests share: a parent whose `train` block
// runs ./train.pipeline.yaml as a child run, between `prepare` and `report`.

/** The parent: prepare → train (`pipeline: ./train.pipeline.yaml` with `epochs`) → report, then `tail`. Line 4 (1-based) is train's id. */
export function parentPipeline(epochs: string, tail = ''): string {
  return `blocks:
  prepare:
    run: echo prepared
  train:
    depends_on: [prepare]
    pipeline: ./train.pipeline.yaml
    with: { epochs: "${epochs}" }
  report:
    depends_on: [train]
    run: echo reported
${tail}`;
}

/** The child: `epochs` defaults to "1"; fit runs `fitRun`, evaluate depends on it and runs `evaluate` (its own lines). Line 4 (1-based) is fit's id. */
export function trainPipeline(fitRun: string, evaluate: string): string {
  return `variables:
  epochs: "1"
blocks:
  fit:
    run: ${fitRun}
  evaluate:
    depends_on: [fit]
    ${evaluate}
`;
}
