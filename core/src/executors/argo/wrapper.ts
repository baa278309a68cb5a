import { createHash } from 'node:crypto';
import type { ShellName } from '../../model/pipeline.ts';
import { scriptFileArgv } from '../scriptFile.ts';

/** Where the wrapper keeps its files in the pod; outputs are read by Argo from OUTPUTS_DIR/NAME. */
export const WORK_DIR = '/tmp/pipeline-studio';
export const OUTPUTS_DIR = `${WORK_DIR}/outputs`;

/**
 * The `source` of the block's Argo script template (run by `sh`): the block's script goes into a
 * file through a quoted heredoc (nothing in it is expanded, and its delimiter is a line the script
 * does not contain), runs with the block's shell, and on success each `name=value` (or
 * `name<<DELIM` … `DELIM`) line it wrote to `$PIPELINE_OUTPUT` becomes the file OUTPUTS_DIR/name,
 * which Argo reads as an output parameter. Only this fixed text and the script are in it; values
 * arrive as environment variables.
 */
export function wrapperSource(shell: ShellName, script: string, statusVariables: readonly string[] = [], workDir = WORK_DIR): string {
  const body = script.endsWith('\n') ? script : `${script}\n`;
  const lines = new Set(body.split('\n'));
  let delimiter = `PIPELINE_STUDIO_SCRIPT_${createHash('sha256').update(body).digest('hex').slice(0, 12)}`;
  while (lines.has(delimiter)) delimiter += '_';
  const file = `${workDir}/script`;
  return [
    '# Pipeline Studio: run the block, then hand its outputs to Argo.',
    `outputs=${workDir}/outputs`,
    'mkdir -p "$outputs"',
    `PIPELINE_OUTPUT=${workDir}/output; export PIPELINE_OUTPUT`,
    ': > "$PIPELINE_OUTPUT"',
    // An upstream status arrives as Argo's phase; the script sees the runner's words.
    ...statusVariables.map((v) => `case "$${v}" in Succeeded) ${v}=completed ;; Failed|Error) ${v}=failed ;; Skipped|Omitted) ${v}=skipped ;; esac; export ${v}`),
    `cat > ${file} <<'${delimiter}'`,
    `${body}${delimiter}`,
    scriptFileArgv(shell, file).join(' '),
    'status=$?',
    'valid_name() { case $1 in \'\'|[!A-Za-z_]*|*[!A-Za-z0-9_-]*) return 1 ;; esac; }',
    'if [ "$status" -eq 0 ]; then',
    ...OUTPUT_PARSER.map((l) => `  ${l}`),
    'fi',
    'exit "$status"',
    '',
  ].join('\n');
}

/** POSIX sh reading $PIPELINE_OUTPUT as the runner does (core/src/runner/outputs.ts), for valid names. */
const OUTPUT_PARSER = [
  "cr=$(printf '\\r'); nl=$(printf '\\n_'); nl=${nl%_}; delim=''",
  'while IFS= read -r line || [ -n "$line" ]; do',
  '  line=${line%"$cr"}',
  '  if [ -n "$delim" ]; then',
  '    if [ "$line" = "$delim" ]; then valid_name "$name" && printf \'%s\' "$value" > "$outputs/$name"; delim=\'\'',
  '    elif [ "$first" = 1 ]; then value=$line; first=0',
  '    else value="$value$nl$line"; fi',
  '    continue',
  '  fi',
  '  case $line in *=*) beforeEq=${line%%=*} ;; *) beforeEq=$line ;; esac',
  '  case $line in',
  '    *"<<"*) beforeHeredoc=${line%%"<<"*}',
  '      if [ ${#beforeHeredoc} -lt ${#beforeEq} ]; then name=$beforeHeredoc; delim=${line#*"<<"}; value=\'\'; first=1; fi ;;',
  '  esac',
  '  [ -n "$delim" ] && continue',
  '  case $line in *=*) name=$beforeEq; value=${line#*=} ;; *) continue ;; esac',
  '  valid_name "$name" && printf \'%s\' "$value" > "$outputs/$name"',
  'done < "$PIPELINE_OUTPUT"',
];
