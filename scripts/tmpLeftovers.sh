# Sourced by scripts/test-all.sh and scripts/stress.sh (not run).
# tmp_leftovers DIR: prints, one a line and sorted, what tests left in DIR (their TMPDIR). Allowed:
# Node's module compile cache (Node itself writes it there when a process enables it, e.g. npm), and
# the runner services' private socket folder (pipeline-studio-<uid>, like /run/user/<uid>, kept for
# the next service) once it is empty: every service that ran has exited and removed its socket.
tmp_leftovers() {
  find "$1" -mindepth 1 -maxdepth 1 ! -name node-compile-cache ! \( -type d -name "pipeline-studio-$(id -u)" -empty \) -printf '%f\n' | sort
}
