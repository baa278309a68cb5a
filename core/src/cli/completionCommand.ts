import { commandNames } from './cli.ts';
import { UsageError } from './files.ts';
import type { CliIo } from './validateCommand.ts';

const SHELLS = ['bash', 'zsh', 'fish'] as const;
const USAGE = `Usage: pipeline-studio completion ${SHELLS.join('|')}
  Prints a completion script. bash: eval "$(pipeline-studio completion bash)" in ~/.bashrc;
  zsh: pipeline-studio completion zsh > "\${fpath[1]}/_pipeline-studio";
  fish: pipeline-studio completion fish > ~/.config/fish/completions/pipeline-studio.fish`;

/** Options worth completing, per command (every command also takes --help). */
const OPTIONS: Record<string, string[]> = {
  validate: ['--format'],
  run: ['--var', '--only', '--upto', '--from', '--retry', '--replay', '--dry-run', '--concurrency', '--no-cache', '--store', '--ci-groups'],
  runs: ['--pipeline', '--status', '--limit', '--query', '--sort', '--offset', '--json', '--store'],
  show: ['--json', '--timeline', '--store'],
  logs: ['--follow', '--store'],
  stats: ['--query', '--by', '--store'],
  export: ['--query', '--runs', '--format', '--details', '--out', '--to', '--template', '--store'],
  schedule: ['--list', '--at', '--count', '--json', '--drain', '--store'],
  lsp: ['--stdio'],
};
/** Values of options and commands that take one of a few words. */
const VALUES: Record<string, string[]> = {
  '--format': ['text', 'json', 'github', 'gitlab', 'sarif', 'csv'],
  '--ci-groups': ['github', 'gitlab', 'none'],
  '--by': ['day', 'hour', 'pipeline'],
  completion: [...SHELLS],
};

/** `completion bash|zsh|fish`: a script completing commands, their options, option values and pipeline files. */
export function completionCommand(args: string[], io: CliIo): number {
  if (args.includes('--help') || args.includes('-h')) {
    io.out(USAGE);
    return 0;
  }
  const shell = args[0];
  if (args.length !== 1 || !(SHELLS as readonly string[]).includes(shell ?? '')) throw new UsageError(`name a shell: ${SHELLS.join(', ')}.\n${USAGE}`);
  const commands = commandNames();
  io.out(shell === 'bash' ? bash(commands) : shell === 'zsh' ? zsh(commands) : fish(commands));
  return 0;
}

function caseArms(map: Record<string, string[]>, indent: string, format: (words: string) => string): string {
  return Object.entries(map).map(([key, words]) => `${indent}${key}) ${format([...words, ...(key.startsWith('-') || key === 'completion' ? [] : ['--help'])].join(' '))} ;;`).join('\n');
}

function bash(commands: string[]): string {
  return `# bash completion for pipeline-studio: eval "$(pipeline-studio completion bash)"
_pipeline_studio() {
  local cur prev cmd
  cur="\${COMP_WORDS[COMP_CWORD]}"
  prev="\${COMP_WORDS[COMP_CWORD-1]}"
  cmd="\${COMP_WORDS[1]}"
  if [ "$COMP_CWORD" -eq 1 ]; then
    COMPREPLY=($(compgen -W "${commands.join(' ')} --help --version" -- "$cur"))
    return
  fi
  case "$prev" in
${caseArms(VALUES, '    ', (w) => `COMPREPLY=($(compgen -W "${w}" -- "$cur")); return`)}
  esac
  if [[ "$cur" == -* ]]; then
    case "$cmd" in
${caseArms(OPTIONS, '      ', (w) => `COMPREPLY=($(compgen -W "${w}" -- "$cur"))`)}
      *) COMPREPLY=($(compgen -W "--help" -- "$cur")) ;;
    esac
    return
  fi
  # Pipeline files and folders.
  COMPREPLY=($(compgen -f -X '!*.pipeline.y*ml' -- "$cur") $(compgen -d -- "$cur"))
}
complete -o filenames -F _pipeline_studio pipeline-studio`;
}

function zsh(commands: string[]): string {
  return `#compdef pipeline-studio
# zsh completion for pipeline-studio: save as _pipeline-studio in a folder of $fpath
_pipeline_studio() {
  local -a commands options
  commands=(${commands.join(' ')})
  if (( CURRENT == 2 )); then
    _describe 'command' commands
    return
  fi
  case "\${words[CURRENT-1]}" in
${caseArms(VALUES, '    ', (w) => `compadd -- ${w}; return`)}
  esac
  if [[ "\${words[CURRENT]}" == -* ]]; then
    case "\${words[2]}" in
${caseArms(OPTIONS, '      ', (w) => `options=(${w})`)}
      *) options=(--help) ;;
    esac
    compadd -- $options
    return
  fi
  _files -g '*.pipeline.y(a|)ml(-.)'
}
compdef _pipeline_studio pipeline-studio`;
}

function fish(commands: string[]): string {
  const lines = [
    '# fish completion for pipeline-studio: save as ~/.config/fish/completions/pipeline-studio.fish',
    'complete -c pipeline-studio -f',
    `complete -c pipeline-studio -n __fish_use_subcommand -a '${commands.join(' ')}'`,
    "complete -c pipeline-studio -n __fish_use_subcommand -l version -d 'print the version'",
    "complete -c pipeline-studio -l help -d 'usage of a command'",
    `complete -c pipeline-studio -n '__fish_seen_subcommand_from completion' -a '${(VALUES.completion ?? []).join(' ')}'`,
    "complete -c pipeline-studio -n 'not __fish_use_subcommand' -a '(__fish_complete_suffix .pipeline.yaml) (__fish_complete_suffix .pipeline.yml)'",
  ];
  for (const [command, options] of Object.entries(OPTIONS)) {
    for (const option of options) {
      const values = VALUES[option];
      lines.push(`complete -c pipeline-studio -n '__fish_seen_subcommand_from ${command}' -l ${option.slice(2)}${values !== undefined ? ` -x -a '${values.join(' ')}'` : ''}`);
    }
  }
  return lines.join('\n');
}
