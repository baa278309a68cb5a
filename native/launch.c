/*
 * ps-launch: Pipeline Studio's native launch helper (issue 17). The same job as the Node launch
 * helper (core/src/runner/launchHelperScript.ts) without a Node process forking per block: blocks
 * are started with posix_spawn (vfork-like, so the cost does not grow with this process's size,
 * which stays ~1 MB anyway). core/src/runner/nativeLauncher.ts speaks to it; when this binary is
 * missing (no C compiler at build time, another platform) the Node helper is used.
 *
 * Requests on stdin, NUL-separated fields (argv, env and paths cannot hold a NUL):
 *   S <id> <file> <argc> <arg>... <cwd> <envc> <NAME=value>...    start a block
 *   W <pid> <outputFile or "">                                     supervise a block started elsewhere
 *   U <pid>                                                        stop supervising it
 * Answers on stdout, one header line each, output followed by its raw bytes:
 *   spawn <id> <pid> | error <id> <CODE> <message> | out <id> <0|1> <length>\n<bytes>
 *   exit <id> <code|-1> <signal number|0> | close <id> <1 when its process group is empty, else 0>
 * (gathered per turn of the loop and written together; see emit)
 * Every block leads its own session and process group (setsid), its stdin is /dev/null, and it
 * gets PIPELINE_SUPERVISOR_TAG=<tag> (argv[1]) in its environment. SIGINT and SIGTERM are ignored
 * here (the engine decides what to stop) and set back to default in the blocks.
 *
 * When stdin closes (the engine is gone, however it died), everything its runs started is
 * stopped: each live block's process group and every process carrying the tag (/proc), SIGTERM
 * then SIGKILL after the grace; the runs' temporary folders are removed; then it exits.
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <limits.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define DRAIN_MS 200          /* as DRAIN_MS in launchHelperScript.ts */
#define GRACE_MS 500          /* SUPERVISOR_GRACE_MS */
#define POLL_MS 50            /* SUPERVISOR_POLL_MS */
#define RUN_FOLDER_PREFIX "pipeline-run-"
#define MAX_FOLDERS 32

typedef struct Launch {
  long id;
  pid_t pid;
  int fds[2];        /* stdout, stderr; -1 once closed */
  int exited;
  long long drain_at; /* ms; when the pipes are closed regardless, after the exit */
  struct Launch *next;
} Launch;

static Launch *launches = NULL;
static pid_t *watched = NULL;
static size_t watched_count = 0, watched_cap = 0;
static char *folders[MAX_FOLDERS];
static size_t folder_count = 0;
static const char *tag = "";
static int sigchld_pipe[2];
static char tmp_dir[PATH_MAX];

static long long now_ms(void) {
  struct timespec t;
  clock_gettime(CLOCK_MONOTONIC, &t);
  return (long long)t.tv_sec * 1000 + t.tv_nsec / 1000000;
}

/* Blocking writes: when the engine reads slowly, this process waits, and the blocks wait on their full pipes. */
static void write_all(const char *data, size_t length) {
  while (length > 0) {
    ssize_t n = write(1, data, length);
    if (n < 0) {
      if (errno == EINTR) continue;
      if (errno == EAGAIN) {
        struct pollfd p = {1, POLLOUT, 0};
        poll(&p, 1, -1);
        continue;
      }
      return; /* the engine is gone: stdin's end says so */
    }
    data += n;
    length -= (size_t)n;
  }
}

/*
 * Answers are gathered while one turn of the loop handles what poll reported, and written in one
 * write() before the next poll: a block's exit and close (and the spawn of the next block the
 * engine asked for meanwhile) reach the engine in one read, not one wake-up each. Past OUT_FLUSH
 * bytes (a block printing a lot) it is written at once, so the engine's slowness still holds the
 * blocks back rather than this buffer growing.
 */
#define OUT_FLUSH 65536
static char *out_buffer = NULL;
static size_t out_used = 0, out_capacity = 0;

static void flush_out(void) {
  if (out_used == 0) return;
  write_all(out_buffer, out_used);
  out_used = 0;
}

static void emit(const char *data, size_t length) {
  if (out_used + length > out_capacity) {
    size_t wanted = out_capacity == 0 ? 4096 : out_capacity;
    while (wanted < out_used + length) wanted *= 2;
    char *grown = realloc(out_buffer, wanted);
    if (grown == NULL) {
      flush_out();
      write_all(data, length);
      return;
    }
    out_buffer = grown;
    out_capacity = wanted;
  }
  memcpy(out_buffer + out_used, data, length);
  out_used += length;
  if (out_used >= OUT_FLUSH) flush_out();
}

static void say(const char *format, ...) __attribute__((format(printf, 1, 2)));
static void say(const char *format, ...) {
  char line[512];
  va_list args;
  va_start(args, format);
  int n = vsnprintf(line, sizeof line, format, args);
  va_end(args);
  if (n > 0) emit(line, (size_t)n < sizeof line ? (size_t)n : sizeof line - 1);
}

static void on_sigchld(int signal) {
  (void)signal;
  int saved = errno;
  ssize_t ignored = write(sigchld_pipe[1], "c", 1);
  (void)ignored;
  errno = saved;
}

static const char *errno_code(int e) {
  switch (e) {
    case ENOENT: return "ENOENT";
    case EACCES: return "EACCES";
    case ENOTDIR: return "ENOTDIR";
    case E2BIG: return "E2BIG";
    case ENOEXEC: return "ENOEXEC";
    case EMFILE: return "EMFILE";
    case ENFILE: return "ENFILE";
    case ENOMEM: return "ENOMEM";
    case EAGAIN: return "EAGAIN";
    case EPERM: return "EPERM";
    case ELOOP: return "ELOOP";
    case ENAMETOOLONG: return "ENAMETOOLONG";
    case EISDIR: return "EISDIR";
    default: return "EUNKNOWN";
  }
}

/* A command without a slash is looked up on the block's own PATH, as Node's spawn does. */
static const char *resolve_file(const char *file, char **env, char *buffer) {
  if (strchr(file, '/') != NULL) return file;
  const char *path = "/usr/local/bin:/usr/bin:/bin";
  for (char **e = env; *e != NULL; e++) if (strncmp(*e, "PATH=", 5) == 0) path = *e + 5;
  while (*path != '\0') {
    const char *end = strchr(path, ':');
    size_t length = end == NULL ? strlen(path) : (size_t)(end - path);
    if (length > 0 && length + strlen(file) + 2 < PATH_MAX) {
      memcpy(buffer, path, length);
      buffer[length] = '/';
      strcpy(buffer + length + 1, file);
      if (access(buffer, X_OK) == 0) return buffer;
    }
    if (end == NULL) break;
    path = end + 1;
  }
  return file;
}

static void remember_folder(const char *output_file) {
  if (output_file == NULL || output_file[0] == '\0') return;
  const char *slash = strrchr(output_file, '/');
  if (slash == NULL) return;
  size_t folder_length = (size_t)(slash - output_file);
  const char *name_start = output_file;
  for (const char *p = output_file; p < slash; p++) if (*p == '/') name_start = p + 1;
  size_t parent_length = name_start > output_file ? (size_t)(name_start - output_file - 1) : 0;
  if (strncmp(name_start, RUN_FOLDER_PREFIX, strlen(RUN_FOLDER_PREFIX)) != 0) return;
  if (parent_length != strlen(tmp_dir) || strncmp(output_file, tmp_dir, parent_length) != 0) return;
  for (size_t i = 0; i < folder_count; i++) if (strlen(folders[i]) == folder_length && strncmp(folders[i], output_file, folder_length) == 0) return;
  if (folder_count == MAX_FOLDERS) {
    /* Finished runs remove their folders: forget those, so a long-lived engine's list stays short. */
    size_t kept = 0;
    for (size_t i = 0; i < folder_count; i++) {
      if (access(folders[i], F_OK) == 0) folders[kept++] = folders[i];
      else free(folders[i]);
    }
    folder_count = kept;
    if (folder_count == MAX_FOLDERS) return;
  }
  folders[folder_count++] = strndup(output_file, folder_length);
}

static void watch_add(pid_t pid) {
  if (watched_count == watched_cap) {
    watched_cap = watched_cap == 0 ? 16 : watched_cap * 2;
    watched = realloc(watched, watched_cap * sizeof *watched);
  }
  watched[watched_count++] = pid;
}

static void watch_remove(pid_t pid) {
  for (size_t i = 0; i < watched_count; i++) {
    if (watched[i] == pid) {
      watched[i] = watched[--watched_count];
      return;
    }
  }
}

static void start(long id, const char *file, char **argv, const char *cwd, char **env) {
  int out[2], err[2];
  if (pipe2(out, O_CLOEXEC) != 0) {
    say("error %ld %s spawn %s %s\n", id, errno_code(errno), file, errno_code(errno));
    return;
  }
  if (pipe2(err, O_CLOEXEC) != 0) {
    int e = errno;
    close(out[0]);
    close(out[1]);
    say("error %ld %s spawn %s %s\n", id, errno_code(e), file, errno_code(e));
    return;
  }
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0);
  posix_spawn_file_actions_adddup2(&actions, out[1], 1);
  posix_spawn_file_actions_adddup2(&actions, err[1], 2);
  posix_spawn_file_actions_addchdir_np(&actions, cwd);
  posix_spawnattr_t attributes;
  posix_spawnattr_init(&attributes);
  sigset_t all, none;
  sigfillset(&all);
  sigemptyset(&none);
  posix_spawnattr_setsigdefault(&attributes, &all);
  posix_spawnattr_setsigmask(&attributes, &none);
  posix_spawnattr_setflags(&attributes, POSIX_SPAWN_SETSID | POSIX_SPAWN_SETSIGDEF | POSIX_SPAWN_SETSIGMASK);
  char resolved[PATH_MAX];
  pid_t pid;
  int failed = posix_spawn(&pid, resolve_file(file, env, resolved), &actions, &attributes, argv, env);
  posix_spawn_file_actions_destroy(&actions);
  posix_spawnattr_destroy(&attributes);
  close(out[1]);
  close(err[1]);
  if (failed != 0) {
    close(out[0]);
    close(err[0]);
    say("error %ld %s spawn %s %s\n", id, errno_code(failed), file, errno_code(failed));
    return;
  }
  fcntl(out[0], F_SETFL, O_NONBLOCK);
  fcntl(err[0], F_SETFL, O_NONBLOCK);
  Launch *launch = calloc(1, sizeof *launch);
  launch->id = id;
  launch->pid = pid;
  launch->fds[0] = out[0];
  launch->fds[1] = err[0];
  launch->next = launches;
  launches = launch;
  say("spawn %ld %d\n", id, (int)pid);
}

/* Parses one request from buffer[0, length); returns the bytes used, 0 when it is not complete. */
static size_t handle_request(char *buffer, size_t length) {
  char *fields[8192 + 16];
  size_t count = 0, at = 0;
  /* Collects NUL-terminated fields as needed; returns 0 if the buffer ends first. */
#define FIELD(out)                                                     \
  do {                                                                 \
    char *nul = memchr(buffer + at, '\0', length - at);                \
    if (nul == NULL) return 0;                                         \
    (out) = buffer + at;                                               \
    at = (size_t)(nul - buffer) + 1;                                   \
  } while (0)
  char *kind;
  FIELD(kind);
  if (kind[0] == 'W' || kind[0] == 'U') {
    char *pid_text, *output_file = NULL;
    FIELD(pid_text);
    if (kind[0] == 'W') FIELD(output_file);
    pid_t pid = (pid_t)atol(pid_text);
    if (kind[0] == 'W') {
      watch_add(pid);
      remember_folder(output_file);
    } else {
      watch_remove(pid);
    }
    return at;
  }
  char *id_text, *file, *argc_text, *cwd, *envc_text;
  FIELD(id_text);
  FIELD(file);
  FIELD(argc_text);
  long argc = atol(argc_text);
  if (argc < 0 || argc > 4096) argc = 0;
  char **argv = (char **)fields;
  for (long i = 0; i < argc; i++) FIELD(argv[i]);
  argv[argc] = NULL;
  count = (size_t)argc + 1;
  FIELD(cwd);
  FIELD(envc_text);
  long envc = atol(envc_text);
  if (envc < 0 || envc > 4096) envc = 0;
  char **env = (char **)fields + count;
  const char *output_file = NULL;
  for (long i = 0; i < envc; i++) {
    FIELD(env[i]);
    if (strncmp(env[i], "PIPELINE_OUTPUT=", 16) == 0) output_file = env[i] + 16;
  }
  static char tag_entry[256];
  snprintf(tag_entry, sizeof tag_entry, "PIPELINE_SUPERVISOR_TAG=%s", tag);
  env[envc] = tag_entry;
  env[envc + 1] = NULL;
#undef FIELD
  remember_folder(output_file);
  start(atol(id_text), file, argv, cwd, env);
  return at;
}

static void close_launch_fd(Launch *launch, int n) {
  if (launch->fds[n] < 0) return;
  close(launch->fds[n]);
  launch->fds[n] = -1;
}

/* Reads what the block printed so far; EOF closes that pipe. */
static void drain(Launch *launch, int n) {
  char chunk[65536];
  for (;;) {
    ssize_t got = read(launch->fds[n], chunk, sizeof chunk);
    if (got > 0) {
      say("out %ld %d %zd\n", launch->id, n, got);
      emit(chunk, (size_t)got);
      if ((size_t)got < sizeof chunk) return;
      continue;
    }
    if (got < 0 && (errno == EAGAIN || errno == EINTR)) return;
    close_launch_fd(launch, n);
    return;
  }
}

static void reap(void) {
  for (;;) {
    int status;
    pid_t pid = waitpid(-1, &status, WNOHANG);
    if (pid <= 0) return;
    for (Launch *l = launches; l != NULL; l = l->next) {
      if (l->pid != pid || l->exited) continue;
      l->exited = 1;
      l->drain_at = now_ms() + DRAIN_MS;
      say("exit %ld %d %d\n", l->id, WIFEXITED(status) ? WEXITSTATUS(status) : -1, WIFSIGNALED(status) ? WTERMSIG(status) : 0);
    }
  }
}

/* Exited and its output complete (or DRAIN_MS past the exit, an escaped process holding the pipes): close. */
static void finish_closed(void) {
  long long now = now_ms();
  Launch **link = &launches;
  while (*link != NULL) {
    Launch *l = *link;
    if (l->exited && (now >= l->drain_at || (l->fds[0] < 0 && l->fds[1] < 0))) {
      if (l->fds[0] >= 0) drain(l, 0);
      if (l->fds[1] >= 0) drain(l, 1);
      close_launch_fd(l, 0);
      close_launch_fd(l, 1);
      /* Whether anything is left in the block's group, so that the engine need not ask. */
      say("close %ld %d\n", l->id, kill(-l->pid, 0) == 0 ? 0 : 1);
      *link = l->next;
      free(l);
    } else {
      link = &l->next;
    }
  }
}

/* ---- supervising: the engine has gone ---- */

static int zombie(pid_t pid) {
  char path[64], stat[512];
  snprintf(path, sizeof path, "/proc/%d/stat", (int)pid);
  int fd = open(path, O_RDONLY | O_CLOEXEC);
  if (fd < 0) return 0;
  ssize_t n = read(fd, stat, sizeof stat - 1);
  close(fd);
  if (n <= 0) return 0;
  stat[n] = '\0';
  char *paren = strrchr(stat, ')');
  return paren != NULL && paren[1] == ' ' && paren[2] == 'Z';
}

/* Signals (0: just counts) every live process whose environment carries the tag. */
static int sweep(int signal) {
  if (tag[0] == '\0') return 0;
  DIR *proc = opendir("/proc");
  if (proc == NULL) return 0;
  char needle[300];
  int needle_length = snprintf(needle, sizeof needle, "PIPELINE_SUPERVISOR_TAG=%s", tag) + 1; /* with its NUL */
  static char environ_buffer[1 << 20];
  int found = 0;
  struct dirent *entry;
  while ((entry = readdir(proc)) != NULL) {
    if (entry->d_name[0] < '0' || entry->d_name[0] > '9') continue;
    pid_t pid = (pid_t)atol(entry->d_name);
    if (pid == getpid()) continue;
    char path[300];
    snprintf(path, sizeof path, "/proc/%s/environ", entry->d_name);
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0) continue;
    ssize_t total = 0, n;
    while (total < (ssize_t)sizeof environ_buffer && (n = read(fd, environ_buffer + total, sizeof environ_buffer - (size_t)total)) > 0) total += n;
    close(fd);
    for (ssize_t at = 0; at < total;) {
      size_t length = strnlen(environ_buffer + at, (size_t)(total - at));
      if ((int)length + 1 == needle_length && memcmp(environ_buffer + at, needle, length) == 0) {
        if (kill(pid, signal) == 0) found++;
        break;
      }
      at += (ssize_t)length + 1;
    }
  }
  closedir(proc);
  return found;
}

static int signal_all(int signal) {
  int found = 0;
  for (Launch *l = launches; l != NULL; l = l->next) {
    if (l->exited) continue;
    if (kill(-l->pid, signal) == 0) found++;
  }
  for (size_t i = 0; i < watched_count;) {
    if (zombie(watched[i]) || kill(-watched[i], signal) != 0) {
      watched[i] = watched[--watched_count];
      continue;
    }
    found++;
    i++;
  }
  return found + sweep(signal);
}

static int remove_entry(const char *path, const struct stat *info, int type, struct FTW *ftw) {
  (void)info;
  (void)ftw;
  if (type == FTW_DP) rmdir(path);
  else unlink(path);
  return 0;
}

static void supervise(void) {
  long long deadline = now_ms() + GRACE_MS;
  reap();
  int left = signal_all(SIGTERM);
  int kills = 0;
  while (left > 0) {
    struct timespec pause = {0, POLL_MS * 1000000L};
    nanosleep(&pause, NULL);
    reap();
    if (now_ms() >= deadline) {
      left = signal_all(SIGKILL);
      /* A process stuck in the kernel cannot die yet; do not wait for it forever. */
      if (++kills >= 20) break;
    } else {
      left = signal_all(0);
    }
  }
  for (size_t i = 0; i < folder_count; i++) nftw(folders[i], remove_entry, 16, FTW_DEPTH | FTW_PHYS);
  exit(0);
}

int main(int argc, char **argv) {
  tag = argc > 1 ? argv[1] : "";
  const char *tmp = getenv("TMPDIR");
  snprintf(tmp_dir, sizeof tmp_dir, "%s", tmp != NULL && tmp[0] != '\0' ? tmp : "/tmp");
  size_t tmp_length = strlen(tmp_dir);
  while (tmp_length > 1 && tmp_dir[tmp_length - 1] == '/') tmp_dir[--tmp_length] = '\0';
  signal(SIGINT, SIG_IGN);
  signal(SIGTERM, SIG_IGN);
  signal(SIGPIPE, SIG_IGN);
  if (pipe2(sigchld_pipe, O_CLOEXEC | O_NONBLOCK) != 0) return 1;
  struct sigaction action;
  memset(&action, 0, sizeof action);
  action.sa_handler = on_sigchld;
  action.sa_flags = SA_RESTART | SA_NOCLDSTOP;
  sigaction(SIGCHLD, &action, NULL);
  fcntl(0, F_SETFD, FD_CLOEXEC);
  fcntl(1, F_SETFD, FD_CLOEXEC);

  size_t capacity = 1 << 16, used = 0;
  char *input = malloc(capacity);
  struct pollfd *polls = NULL;
  Launch **owners = NULL;
  size_t poll_capacity = 0;
  for (;;) {
    size_t count = 2;
    for (Launch *l = launches; l != NULL; l = l->next) count += (l->fds[0] >= 0) + (l->fds[1] >= 0);
    if (count > poll_capacity) {
      poll_capacity = count * 2;
      polls = realloc(polls, poll_capacity * sizeof *polls);
      owners = realloc(owners, poll_capacity * sizeof *owners);
    }
    polls[0] = (struct pollfd){0, POLLIN, 0};
    polls[1] = (struct pollfd){sigchld_pipe[0], POLLIN, 0};
    size_t n = 2;
    long long wake = -1, now = now_ms();
    for (Launch *l = launches; l != NULL; l = l->next) {
      for (int s = 0; s < 2; s++) {
        if (l->fds[s] < 0) continue;
        owners[n] = l;
        polls[n++] = (struct pollfd){l->fds[s], POLLIN, 0};
      }
      if (l->exited && (wake < 0 || l->drain_at < wake)) wake = l->drain_at;
    }
    int timeout = wake < 0 ? -1 : (int)(wake > now ? wake - now : 0);
    flush_out();
    if (poll(polls, n, timeout) < 0 && errno != EINTR) return 1;
    if (polls[1].revents != 0) {
      char sink[64];
      while (read(sigchld_pipe[0], sink, sizeof sink) > 0) {}
    }
    for (size_t i = 2; i < n; i++) {
      if (polls[i].revents == 0) continue;
      Launch *l = owners[i];
      drain(l, polls[i].fd == l->fds[0] ? 0 : 1);
    }
    reap();
    if (polls[0].revents != 0) {
      if (used == capacity) {
        capacity *= 2;
        input = realloc(input, capacity);
      }
      ssize_t got = read(0, input + used, capacity - used);
      if (got == 0 || (got < 0 && errno != EINTR && errno != EAGAIN)) supervise();
      if (got > 0) {
        used += (size_t)got;
        size_t consumed = 0, step;
        while (consumed < used && (step = handle_request(input + consumed, used - consumed)) > 0) consumed += step;
        memmove(input, input + consumed, used - consumed);
        used -= consumed;
      }
    }
    finish_closed();
  }
}
