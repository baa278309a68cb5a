/**
 * Run details (issue 16): what a run was made of and what it cost, beside the run and block rows.
 * One row per run (definition snapshot, git extras, host), one per block of a run (when it became
 * ready), one per attempt (resources), and one per declared file a block run read or wrote.
 */
export const DETAILS_TABLES = `
  CREATE TABLE run_detail (
    run_id INTEGER PRIMARY KEY REFERENCES pipeline_run (id) ON DELETE CASCADE,
    definition TEXT,
    definition_sha256 TEXT,
    git_author TEXT,
    git_commit_time INTEGER,
    git_subject TEXT,
    -- Without credentials: https://user:token@host/x is stored as https://host/x.
    git_remote TEXT,
    host_name TEXT,
    host_os TEXT,
    host_cpus INTEGER,
    runtime_version TEXT,
    tool_version TEXT
  );
  CREATE TABLE block_ready (
    run_id INTEGER NOT NULL REFERENCES pipeline_run (id) ON DELETE CASCADE,
    block TEXT NOT NULL,
    ready_at INTEGER NOT NULL,
    PRIMARY KEY (run_id, block)
  );
  CREATE TABLE attempt_resources (
    block_run_id INTEGER PRIMARY KEY REFERENCES block_run (id) ON DELETE CASCADE,
    run_id INTEGER NOT NULL REFERENCES pipeline_run (id) ON DELETE CASCADE,
    pid INTEGER,
    -- 'proc' (Linux /proc samples) or 'none' (not measured on this platform).
    method TEXT NOT NULL,
    cpu_user_ms REAL,
    cpu_system_ms REAL,
    peak_rss_bytes INTEGER,
    read_bytes INTEGER,
    write_bytes INTEGER,
    samples INTEGER NOT NULL DEFAULT 0
  );
  CREATE INDEX attempt_resources_by_run ON attempt_resources (run_id);
  CREATE TABLE artifact (
    id INTEGER PRIMARY KEY,
    run_id INTEGER NOT NULL REFERENCES pipeline_run (id) ON DELETE CASCADE,
    block_run_id INTEGER NOT NULL REFERENCES block_run (id) ON DELETE CASCADE,
    pipeline_file TEXT NOT NULL,
    block TEXT NOT NULL,
    direction TEXT NOT NULL,
    -- The glob or path as the block declares it; path is the absolute file it matched.
    declared TEXT NOT NULL,
    path TEXT NOT NULL,
    size INTEGER,
    mtime_ms REAL,
    sha256 TEXT,
    -- Why there is no hash: 'over size limit', 'missing', 'unreadable: …'.
    hash_note TEXT,
    -- 1/0 against the block's previous completed run; NULL when there is none.
    changed INTEGER,
    -- Inputs: the block run that last wrote this file.
    lineage_block_run_id INTEGER
  );
  CREATE INDEX artifact_by_run ON artifact (run_id, block_run_id);
  CREATE INDEX artifact_by_path ON artifact (path, direction, id);
  CREATE INDEX artifact_by_block ON artifact (pipeline_file, block, direction, block_run_id);
`;

export const DETAILS_TABLE_NAMES = ['run_detail', 'block_ready', 'attempt_resources', 'artifact'];
