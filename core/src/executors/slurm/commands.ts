import { execFile } from 'node:child_process';

/** The SLURM client programs the executor calls; injectable so the poll logic is tested without a cluster. */
export interface SlurmCommands {
  /** `sbatch --parsable ARGS…`: the job id. */
  sbatch(args: readonly string[]): Promise<string>;
  /** `squeue -h -t all -o '%i|%T|%r' -j ID,ID,…`: one line per job the controller still knows. */
  squeue(jobIds: readonly string[]): Promise<string>;
  /** `scontrol show job ID`; undefined when the controller no longer knows the job. */
  scontrolShowJob(jobId: string): Promise<string | undefined>;
  /** `scancel [--signal=SIG --full] ID`. */
  scancel(jobId: string, signal?: 'KILL'): Promise<void>;
}

/** How many SLURM calls were made, by program: what the poll benchmark and tests count. */
export interface CallCounts {
  sbatch: number;
  squeue: number;
  scontrol: number;
  scancel: number;
}

function run(file: string, args: readonly string[], env?: NodeJS.ProcessEnv): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(file, args, { env: env ?? process.env, maxBuffer: 16 * 1024 * 1024 }, (error, stdout, stderr) => {
      const code = error === null ? 0 : typeof error.code === 'number' ? error.code : 127;
      resolve({ code, stdout, stderr: stderr || (error !== null && code === 127 ? error.message : '') });
    });
  });
}

/**
 * sbatch runs with `--export=ALL` from a nearly empty environment: the job gets what the env file
 * sets and SLURM's own variables, not whatever the CLI's process holds. (`--export=NONE` would do
 * the same but makes slurmd read the user's login environment first, about 7 s per job here.)
 */
function sbatchEnvironment(from: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  const out: NodeJS.ProcessEnv = {};
  for (const name of ['PATH', 'HOME', 'USER', 'LOGNAME', 'SLURM_CONF']) if (from[name] !== undefined) out[name] = from[name];
  return out;
}

/** The real programs on PATH, always as argv arrays (no shell reads a job's name, paths or extra arguments). */
export function slurmCommands(counts?: CallCounts, env?: NodeJS.ProcessEnv): SlurmCommands {
  return {
    async sbatch(args) {
      if (counts) counts.sbatch++;
      const r = await run('sbatch', ['--parsable', ...args], sbatchEnvironment(env ?? process.env));
      if (r.code !== 0) throw new Error(`sbatch failed: ${r.stderr.trim() || `exit ${r.code}`}`);
      // `--parsable` prints `id` or `id;cluster`.
      const id = r.stdout.trim().split(';')[0] ?? '';
      if (!/^\d+$/.test(id)) throw new Error(`sbatch answered '${r.stdout.trim()}', not a job id`);
      return id;
    },
    async squeue(jobIds) {
      if (counts) counts.squeue++;
      const r = await run('squeue', ['-h', '-t', 'all', '-o', '%i|%T|%r', '-j', jobIds.join(',')], env);
      // Every id forgotten by the controller: squeue refuses the list instead of printing nothing.
      if (r.code !== 0 && /Invalid job id/i.test(r.stderr)) return '';
      if (r.code !== 0) throw new Error(`squeue failed: ${r.stderr.trim() || `exit ${r.code}`}`);
      return r.stdout;
    },
    async scontrolShowJob(jobId) {
      if (counts) counts.scontrol++;
      const r = await run('scontrol', ['show', 'job', jobId], env);
      if (r.code !== 0 && /Invalid job id/i.test(r.stderr)) return undefined;
      if (r.code !== 0) throw new Error(`scontrol show job ${jobId} failed: ${r.stderr.trim() || `exit ${r.code}`}`);
      return r.stdout;
    },
    async scancel(jobId, signal) {
      if (counts) counts.scancel++;
      const r = await run('scancel', signal === undefined ? [jobId] : [`--signal=${signal}`, '--full', jobId], env);
      if (r.code !== 0) throw new Error(`scancel ${jobId} failed: ${r.stderr.trim() || `exit ${r.code}`}`);
    },
  };
}
