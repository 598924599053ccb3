/*
 * tests/fuzz/replay.c - run a fuzz harness over files, without libFuzzer.
 *
 * Usage: replay-HARNESS [-v] PATH...
 * Each PATH is a file or a directory whose regular files are read (not
 * recursively, in name order).  Each file's bytes go to
 * LLVMFuzzerTestOneInput once, in a child process of its own, so that one
 * crashing input (a violated invariant aborts, as under libFuzzer; the
 * sanitizers exit non-zero, leaks included) does not hide the next.  At
 * the end it lists the inputs that failed and exits 1 if any did.  An
 * input that runs longer than TIMEOUT_S seconds is killed (SIGALRM) and
 * counts as failed: the harnesses keep one input to milliseconds, so
 * that is a hang.  -v names every input as it runs.  `make check` uses it to replay the seed
 * corpora with any compiler.
 */
#include <dirent.h>
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "fuzz.h"

#define TIMEOUT_S 20

typedef struct tally {
	size_t run, failed;
} tally_t;

/* The child: read path and feed it to the harness. */
static int feed(const char *path)
{
	FILE *fp = fopen(path, "rb");
	unsigned char *buf = NULL;
	size_t len = 0, cap = 0, n;

	if (!fp) {
		fprintf(stderr, "replay: %s: %s\n", path, strerror(errno));
		return 1;
	}
	do {
		if (len == cap) {
			unsigned char *nb = realloc(buf, cap = cap ? cap * 2 : 4096);

			if (!nb) {
				fprintf(stderr, "replay: %s: out of memory\n",
					path);
				free(buf);
				fclose(fp);
				return 1;
			}
			buf = nb;
		}
		n = fread(buf + len, 1, cap - len, fp);
		len += n;
	} while (n > 0);
	if (ferror(fp)) {
		fprintf(stderr, "replay: %s: read error\n", path);
		free(buf);
		fclose(fp);
		return 1;
	}
	fclose(fp);
	LLVMFuzzerTestOneInput(buf, len);
	free(buf);
	return 0;
}

static void replay_file(const char *path, int verbose, tally_t *t)
{
	int status = 0;
	pid_t pid;

	if (verbose)
		fprintf(stderr, "replay: %s\n", path);
	fflush(NULL);
	pid = fork();
	if (pid == 0) {
		alarm(TIMEOUT_S);
		exit(feed(path));
	}
	t->run++;
	if (pid < 0 || waitpid(pid, &status, 0) != pid) {
		fprintf(stderr, "replay: %s: cannot run: %s\n", path,
			strerror(errno));
		t->failed++;
		return;
	}
	if (WIFEXITED(status) && WEXITSTATUS(status) == 0)
		return;
	t->failed++;
	if (WIFSIGNALED(status) && WTERMSIG(status) == SIGALRM)
		fprintf(stderr, "replay: FAILED %s (still running after %d s)\n",
			path, TIMEOUT_S);
	else if (WIFSIGNALED(status))
		fprintf(stderr, "replay: FAILED %s (signal %d)\n", path,
			WTERMSIG(status));
	else
		fprintf(stderr, "replay: FAILED %s (exit %d)\n", path,
			WEXITSTATUS(status));
}

static int by_name(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The regular files of dir, sorted: *out, *n of them. */
static int list_dir(const char *dir, char ***out, size_t *n)
{
	DIR *d = opendir(dir);
	struct dirent *de;
	char **names = NULL;
	size_t cap = 0;
	int rc = 0;

	*n = 0;
	*out = NULL;
	if (!d) {
		fprintf(stderr, "replay: %s: %s\n", dir, strerror(errno));
		return -1;
	}
	while (rc == 0 && (de = readdir(d))) {
		size_t len = strlen(dir) + strlen(de->d_name) + 2;
		char *path = malloc(len);
		struct stat st;

		if (!path) {
			rc = -1;
			break;
		}
		snprintf(path, len, "%s/%s", dir, de->d_name);
		if (stat(path, &st) != 0 || !S_ISREG(st.st_mode)) {
			free(path);
			continue;
		}
		if (*n == cap) {
			size_t ncap = cap ? cap * 2 : 64;
			char **nn = realloc(names, ncap * sizeof(*names));

			if (!nn) {
				free(path);
				rc = -1;
				break;
			}
			names = nn;
			cap = ncap;
		}
		names[(*n)++] = path;
	}
	closedir(d);
	if (rc)
		fprintf(stderr, "replay: %s: out of memory\n", dir);
	if (*n)
		qsort(names, *n, sizeof(*names), by_name);
	*out = names;
	return rc;
}

int main(int argc, char **argv)
{
	tally_t t = {0, 0};
	int i = 1, verbose = 0, rc = 0;

	if (argc > 1 && strcmp(argv[1], "-v") == 0) {
		verbose = 1;
		i++;
	}
	if (i >= argc) {
		fprintf(stderr, "usage: %s [-v] FILE-OR-DIR...\n", argv[0]);
		return 2;
	}
	for (; i < argc; i++) {
		struct stat st;
		char **names;
		size_t n;

		if (stat(argv[i], &st) != 0 || !S_ISDIR(st.st_mode)) {
			replay_file(argv[i], verbose, &t);
			continue;
		}
		if (list_dir(argv[i], &names, &n) != 0)
			rc = 1;
		for (size_t k = 0; k < n; k++) {
			replay_file(names[k], verbose, &t);
			free(names[k]);
		}
		free(names);
	}
	printf("replay: %s: %zu inputs, %zu failed\n", argv[0], t.run,
	       t.failed);
	return rc || t.failed ? 1 : 0;
}
