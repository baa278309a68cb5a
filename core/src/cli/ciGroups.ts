/**
 * Collapsible log groups for `run` on CI: each block's output becomes one group of the job log
 * (GitHub Actions `::group::`, GitLab CI `section_start`/`section_end`). A log group cannot
 * interleave with another, so a block's lines are held until the block ends and printed together;
 * the run's own lines (start, pauses, summary) print at once, outside any group.
 */

export const CI_GROUP_STYLES = ['github', 'gitlab', 'none'] as const;
export type CiGroupStyle = (typeof CI_GROUP_STYLES)[number];

/**
 * The style the environment asks for: GitLab's runner sets GITLAB_CI, GitHub's (and Gitea/Forgejo
 * Actions') GITHUB_ACTIONS. CI=true alone says nothing about the log viewer: other systems would show
 * the markers as text, so they get none unless `--ci-groups` asks.
 */
export function ciGroupStyleOf(env: NodeJS.ProcessEnv): CiGroupStyle {
  if (env.GITLAB_CI === 'true') return 'gitlab';
  if (env.GITHUB_ACTIONS === 'true') return 'github';
  return 'none';
}

/** GitLab section names may hold letters, digits, `_`, `.` and `-` only. */
function sectionName(block: string, index: number): string {
  return `block_${index}_${block.replace(/[^A-Za-z0-9_.-]/g, '_')}`;
}

export interface CiGroupsOptions {
  style: Exclude<CiGroupStyle, 'none'>;
  out: (line: string) => void;
  /** Seconds since the epoch, for GitLab's section timestamps (injected by tests). */
  nowSeconds?: () => number;
}

export class CiGroups {
  private readonly held = new Map<string, string[]>();
  private readonly started = new Map<string, number>();
  private opened = 0;
  private readonly options: CiGroupsOptions;

  constructor(options: CiGroupsOptions) {
    this.options = options;
  }

  private now(): number {
    return (this.options.nowSeconds ?? (() => Math.floor(Date.now() / 1000)))();
  }

  /** A line of a block's output, held until the block ends. */
  line(block: string, text: string): void {
    if (!this.started.has(block)) this.started.set(block, this.now());
    const lines = this.held.get(block) ?? [];
    lines.push(text);
    this.held.set(block, lines);
  }

  /** The block ended: its group is printed, titled with its final status (GitLab opens it when `collapsed` is false). */
  close(block: string, title: string, collapsed = true): void {
    const lines = this.held.get(block) ?? [];
    this.held.delete(block);
    const start = this.started.get(block) ?? this.now();
    this.started.delete(block);
    const { out, style } = this.options;
    if (style === 'github') {
      // A block's own workflow commands (`::error file=…` of a linter) stay commands: lines are not prefixed.
      out(`::group::${title}`);
      for (const line of lines) out(line);
      out('::endgroup::');
      return;
    }
    const name = sectionName(block, this.opened++);
    out(`\x1b[0Ksection_start:${start}:${name}[collapsed=${String(collapsed)}]\r\x1b[0K${title}`);
    for (const line of lines) out(line);
    out(`\x1b[0Ksection_end:${this.now()}:${name}\r\x1b[0K`);
  }

  /** Blocks still open when the run ends (e.g. a cancelled run) are printed as they are. */
  closeAll(titleOf: (block: string) => string): void {
    for (const block of [...this.held.keys()]) this.close(block, titleOf(block));
  }
}
