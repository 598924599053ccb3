/*
 * src/cli/services.c - `multios services DIR`: load service descriptors
 * into a fresh kernel and show them, their start order and their
 * dependency tree, as text or as one JSON document.
 *
 * The library does the loading and every check (mos_service_load_json);
 * a file it refuses is reported with its message and nothing is printed
 * on stdout.  What the public API does not give back about a registered
 * service (its version, restart policy and direct dependencies) is read
 * from the same files again, in the same order, once the library has
 * accepted them: the n-th service read is the n-th registered, id n.
 */
#include <dirent.h>
#include <jansson.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "cli.h"
#include "multios/service.h"

static const char usage[] =
	"Usage: multios services PATH [--order NAME] [--tree [NAME]] [--json]\n"
	"\n"
	"Load service descriptors into a fresh kernel (the default\n"
	"configuration, the built-in programs) and show what was registered.\n"
	"PATH is a JSON file, or a directory whose *.json files are read in\n"
	"name order (docs/SERVICES.md, \"JSON format\").  The load is\n"
	"atomic: one bad file and nothing is shown but the error, which names\n"
	"the file and the line and column or the JSON path.\n"
	"\n"
	"Without options, one line per service in load (id) order: ID, NAME,\n"
	"TYPE, VERSION, RESTART (the policy, the type's default resolved) and\n"
	"DEPENDENCIES (the direct ones, as written; \"?\" marks an optional\n"
	"one, a version constraint follows in parentheses).\n"
	"\n"
	"  --order NAME   print the order in which starting NAME starts it\n"
	"                 and its dependencies, one per line, NAME last\n"
	"                 (mos_service_start_order)\n"
	"  --tree [NAME]  print the dependency tree of NAME, or of every\n"
	"                 service nothing depends on, as systemctl\n"
	"                 list-dependencies does; a service already shown in\n"
	"                 the same tree is not expanded again (\"...\")\n"
	"  --json         print exactly one JSON document: {\"services\":\n"
	"                 [{id, name, type, version, restart, dependencies:\n"
	"                 [{name, required, timeout, version}]}], and with\n"
	"                 --order \"order\": {target, services: [names]}, with\n"
	"                 --tree \"tree\": [{name, required, dependencies}]}\n"
	"  -h, --help     show this text\n"
	"\n"
	"--order and --tree may be given together (the order first); either\n"
	"replaces the table.\n"
	"Exit status: 0 ok; 1 a file or directory that cannot be loaded, or\n"
	"a failed write; 2 a usage error (an unknown option, a NAME that is\n"
	"not registered).\n";

typedef struct opts {
	const char *path, *order, *tree_name;
	int tree, json;
} opts_t;

/* What is shown of one registered service. */
typedef struct svc {
	mos_service_id_t id;
	const char *name;
	mos_service_type_t type;
	json_t *desc;            /* its object in the files (borrowed) */
} svc_t;

typedef struct set {
	svc_t *s;
	size_t n;
	json_t *all;             /* every descriptor object, in load order */
} set_t;

static int bad_usage(const char *fmt, const char *arg)
{
	fputs("multios services: ", stderr);
	fprintf(stderr, fmt, arg);
	fputs("\n(try 'multios services --help')\n", stderr);
	return 2;
}

static int parse(int argc, char **argv, opts_t *o)
{
	memset(o, 0, sizeof(*o));
	for (int i = 1; i < argc; i++) {
		const char *a = argv[i];
		const char *v = i + 1 < argc ? argv[i + 1] : NULL;

		if (!strcmp(a, "-h") || !strcmp(a, "--help")) {
			fputs(usage, stdout);
			return 1;
		} else if (!strcmp(a, "--json")) {
			o->json = 1;
		} else if (!strcmp(a, "--order") && v) {
			o->order = v;
			i++;
		} else if (!strcmp(a, "--tree")) {
			o->tree = 1;
			/* An optional NAME: the next word, unless it is an
			 * option or the PATH still missing at the end. */
			if (v && v[0] != '-' && (o->path || i + 2 < argc)) {
				o->tree_name = v;
				i++;
			}
		} else if (a[0] == '-') {
			return bad_usage("unknown option or missing value: '%s'", a);
		} else if (!o->path) {
			o->path = a;
		} else {
			return bad_usage("one file or directory only ('%s')", a);
		}
	}
	if (!o->path)
		return bad_usage("%s", "no file or directory given");
	return 0;
}

/* ---- the files, read again -------------------------------------------- */

static int add_file(json_t *all, const char *path)
{
	json_t *root = json_load_file(path, JSON_REJECT_DUPLICATES, NULL);
	json_t *list;
	int rc = 0;

	if (!root)
		return -1;
	if ((list = json_object_get(root, "services")))
		rc = json_array_extend(all, list);
	else
		rc = json_array_append(all, root);
	json_decref(root);
	return rc;
}

static int by_name(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The library's rules (mos_service_load_json): *.json, not hidden,
 * regular files, bytewise name order. */
static json_t *read_all(const char *path)
{
	json_t *all = json_array();
	struct stat st;
	DIR *d;
	struct dirent *e;
	char **names = NULL;
	size_t n = 0, cap = 0;
	int bad = 0;

	if (!all)
		return NULL;
	if (stat(path, &st) != 0 || !S_ISDIR(st.st_mode)) {
		if (add_file(all, path) != 0)
			bad = 1;
		goto out;
	}
	if (!(d = opendir(path))) {
		bad = 1;
		goto out;
	}
	while ((e = readdir(d))) {
		size_t len = strlen(e->d_name);

		if (e->d_name[0] == '.' || len <= 5 ||
		    strcmp(e->d_name + len - 5, ".json"))
			continue;
		if (n == cap) {
			char **t = realloc(names, (cap = cap ? cap * 2 : 32) *
							  sizeof(*t));
			if (!t) {
				bad = 1;
				break;
			}
			names = t;
		}
		if (!(names[n] = strdup(e->d_name))) {
			bad = 1;
			break;
		}
		n++;
	}
	closedir(d);
	if (n)
		qsort(names, n, sizeof(*names), by_name);
	for (size_t i = 0; i < n && !bad; i++) {
		size_t len = strlen(path) + strlen(names[i]) + 2;
		char *p = malloc(len);

		if (!p) {
			bad = 1;
			break;
		}
		snprintf(p, len, "%s/%s", path, names[i]);
		if (stat(p, &st) == 0 && S_ISREG(st.st_mode) && add_file(all, p))
			bad = 1;
		free(p);
	}
	for (size_t i = 0; i < n; i++)
		free(names[i]);
	free(names);
out:
	if (bad) {
		json_decref(all);
		return NULL;
	}
	return all;
}

/* ---- what is shown ---------------------------------------------------- */

static const char *str_or(json_t *o, const char *key, const char *dflt)
{
	const char *s = json_string_value(json_object_get(o, key));

	return s ? s : dflt;
}

static const char *restart_of(const svc_t *s)
{
	const char *p = str_or(json_object_get(s->desc, "restart"), "policy",
			       NULL);

	if (p)
		return p;
	return mos_restart_policy_name(s->type == MOS_SVC_SYSTEM
					       ? MOS_RESTART_ALWAYS
					       : MOS_RESTART_NO);
}

/* A dependency (a name, or an object) as name, required, version. */
static const char *dep_name(json_t *d, int *required, const char **version)
{
	json_t *r;

	*required = 1;
	*version = NULL;
	if (json_is_string(d))
		return json_string_value(d);
	if ((r = json_object_get(d, "required")))
		*required = json_is_true(r);
	*version = json_string_value(json_object_get(d, "version"));
	return str_or(d, "name", "?");
}

static const svc_t *by_service_name(const set_t *set, const char *name)
{
	for (size_t i = 0; i < set->n; i++)
		if (!strcmp(set->s[i].name, name))
			return &set->s[i];
	return NULL;
}

static void print_table(const set_t *set, FILE *out)
{
	size_t w = 4;

	for (size_t i = 0; i < set->n; i++)
		if (strlen(set->s[i].name) > w)
			w = strlen(set->s[i].name);
	fprintf(out, "%4s  %-*s  %-19s  %-10s  %-10s  %s\n", "ID", (int)w,
		"NAME", "TYPE", "VERSION", "RESTART", "DEPENDENCIES");
	for (size_t i = 0; i < set->n; i++) {
		const svc_t *s = &set->s[i];
		json_t *deps = json_object_get(s->desc, "dependencies"), *d;
		size_t j;

		fprintf(out, "%4u  %-*s  %-19s  %-10s  %-10s ", s->id, (int)w,
			s->name, mos_service_type_name(s->type),
			str_or(s->desc, "version", "0.0.0"), restart_of(s));
		if (!json_array_size(deps))
			fputs(" -", out);
		json_array_foreach (deps, j, d) {
			int req;
			const char *ver, *name = dep_name(d, &req, &ver);

			fprintf(out, "%s%s%s", j ? ", " : " ", name,
				req ? "" : "?");
			if (ver)
				fprintf(out, " (%s)", ver);
		}
		fputc('\n', out);
	}
}

/* ---- the tree --------------------------------------------------------- */

static int by_dep_name(const void *a, const void *b)
{
	int r;
	const char *v;

	return strcmp(dep_name(*(json_t *const *)a, &r, &v),
		      dep_name(*(json_t *const *)b, &r, &v));
}

/* Walk the tree of s: text lines under prefix, or JSON (node). seen marks
 * the services expanded already in this tree. */
static json_t *tree(const set_t *set, const svc_t *s, int required,
		    char *prefix, size_t plen, unsigned char *seen, FILE *out,
		    int json)
{
	json_t *deps = json_object_get(s->desc, "dependencies"), *d;
	json_t *node = NULL, *kids = NULL;
	size_t j, n = json_array_size(deps), idx = (size_t)(s - set->s);
	int expand = !seen[idx];

	if (json) {
		node = json_pack("{s:s, s:b}", "name", s->name, "required",
				 required);
		if (expand)
			json_object_set_new(node, "dependencies",
					    kids = json_array());
	}
	seen[idx] = 1;
	if (!expand) {
		if (!json)
			fputs(n ? " ...\n" : "\n", out);
		return node;
	}
	if (!json)
		fputc('\n', out);
	json_t **sorted = calloc(n + 1, sizeof(*sorted));

	if (!sorted)
		return node;
	json_array_foreach (deps, j, d)
		sorted[j] = d;
	/* Name order, as the start order takes them (and systemctl). */
	qsort(sorted, n, sizeof(*sorted), by_dep_name);
	for (j = 0; j < n; j++) {
		int req;
		const char *ver, *name = dep_name(d = sorted[j], &req, &ver);
		const svc_t *c = by_service_name(set, name);
		int last = j + 1 == n;

		if (!c)
			continue; /* the library refused such a set */
		if (!json)
			fprintf(out, "%s%s%s%s", prefix,
				last ? "\u2514\u2500" : "\u251c\u2500", c->name,
				req ? "" : " (optional)");
		/* Room for one more level: 4 bytes ("│ " is 4 in UTF-8). */
		snprintf(prefix + plen, 5, "%s", last ? "  " : "\u2502 ");
		json_t *k = tree(set, c, req, prefix, strlen(prefix), seen,
				 out, json);
		prefix[plen] = '\0';
		if (json)
			json_array_append_new(kids, k);
	}
	free(sorted);
	return node;
}

static int is_root(const set_t *set, const svc_t *s)
{
	for (size_t i = 0; i < set->n; i++) {
		json_t *deps = json_object_get(set->s[i].desc, "dependencies"), *d;
		size_t j;

		json_array_foreach (deps, j, d) {
			int req;
			const char *ver;

			if (!strcmp(dep_name(d, &req, &ver), s->name))
				return 0;
		}
	}
	return 1;
}

/* The trees asked for: of one, or of every root (id order). */
static json_t *trees(const set_t *set, const svc_t *only, FILE *out,
		     int json)
{
	json_t *arr = json ? json_array() : NULL;
	/* A path has at most n levels of 4 bytes. */
	char *prefix = calloc(set->n + 1, 4);
	unsigned char *seen = calloc(set->n + 1, 1);

	if (prefix && seen)
		for (size_t i = 0; i < set->n; i++) {
			const svc_t *s = &set->s[i];
			json_t *t;

			if (only ? s != only : !is_root(set, s))
				continue;
			memset(seen, 0, set->n);
			if (!json)
				fputs(s->name, out);
			t = tree(set, s, 1, prefix, 0, seen, out, json);
			if (json)
				json_array_append_new(arr, t);
		}
	free(prefix);
	free(seen);
	return arr;
}

/* ---- JSON ------------------------------------------------------------- */

static json_t *service_json(const svc_t *s)
{
	json_t *deps = json_array(), *d;
	json_t *src = json_object_get(s->desc, "dependencies");
	size_t j;

	json_array_foreach (src, j, d) {
		int req;
		const char *ver, *name = dep_name(d, &req, &ver);
		json_t *o = json_pack("{s:s, s:b}", "name", name, "required", req);
		json_t *t = json_is_object(d) ? json_object_get(d, "timeout") : NULL;
		mos_time_t ns = 0;

		/* In ms, as the file may write it ("5s"): the library took it. */
		if (json_is_number(t))
			ns = (mos_time_t)(json_number_value(t) * 1e6 + 0.5);
		else if (json_is_string(t) &&
			 mos_duration_parse(json_string_value(t), &ns) < 0)
			ns = 0;
		if (t)
			json_object_set_new(o, "timeout",
					    json_integer((json_int_t)(ns / MOS_MSEC)));
		if (ver)
			json_object_set_new(o, "version", json_string(ver));
		json_array_append_new(deps, o);
	}
	return json_pack("{s:I, s:s, s:s, s:s, s:s, s:o}", "id",
			 (json_int_t)s->id, "name", s->name, "type",
			 mos_service_type_name(s->type), "version",
			 str_or(s->desc, "version", "0.0.0"), "restart",
			 restart_of(s), "dependencies", deps);
}

/* ---- the command ------------------------------------------------------ */

static int order_of(mos_kernel_t *k, const set_t *set, const svc_t *t,
		    mos_service_id_t **out, size_t *n)
{
	size_t cap = set->n;

	if (!(*out = calloc(cap + 1, sizeof(**out))))
		return MOS_ENOMEM;
	return mos_service_start_order(k, t->id, *out, cap, n);
}

static int show(mos_kernel_t *k, const set_t *set, const opts_t *o)
{
	const svc_t *ot = NULL, *tt = NULL;
	mos_service_id_t *order = NULL;
	size_t no = 0;
	json_t *doc = NULL;
	int rc = 0;

	if (o->order && !(ot = by_service_name(set, o->order)))
		return bad_usage("--order '%s': no such service", o->order);
	if (o->tree_name && !(tt = by_service_name(set, o->tree_name)))
		return bad_usage("--tree '%s': no such service", o->tree_name);
	if (ot && (rc = order_of(k, set, ot, &order, &no)) < 0) {
		fprintf(stderr, "multios services: --order %s: %s\n", o->order,
			mos_strerror(rc));
		free(order);
		return 1;
	}
	if (o->json) {
		json_t *svcs = json_array();

		doc = json_object();
		json_object_set_new(doc, "services", svcs);
		for (size_t i = 0; i < set->n; i++)
			json_array_append_new(svcs, service_json(&set->s[i]));
		if (ot) {
			json_t *names = json_array();

			for (size_t i = 0; i < no; i++)
				json_array_append_new(
					names, json_string(set->s[order[i] - 1].name));
			json_object_set_new(doc, "order",
					    json_pack("{s:s, s:o}", "target",
						      ot->name, "services", names));
		}
		if (o->tree)
			json_object_set_new(doc, "tree", trees(set, tt, stdout, 1));
		rc = json_dumpf(doc, stdout, JSON_INDENT(2)) ? 1 : 0;
		fputc('\n', stdout);
		json_decref(doc);
	} else {
		if (ot)
			for (size_t i = 0; i < no; i++)
				printf("%zu %s\n", i + 1, set->s[order[i] - 1].name);
		if (o->tree)
			trees(set, tt, stdout, 0);
		if (!ot && !o->tree)
			print_table(set, stdout);
	}
	free(order);
	return rc;
}

int cli_services(int argc, char **argv)
{
	mos_config_t cfg;
	mos_kernel_t *k = NULL;
	mos_error_t err;
	set_t set = {0};
	size_t n = 0;
	opts_t o;
	int rc = parse(argc, argv, &o);

	if (rc)
		return rc == 1 ? 0 : rc;
	mos_config_default(&cfg);
	if ((rc = mos_kernel_create(&cfg, &k, &err)) < 0) {
		fprintf(stderr, "multios services: %s\n", err.message);
		return 1;
	}
	if ((rc = mos_service_load_json(k, 0, o.path, NULL, 0, &n, &err)) < 0) {
		fprintf(stderr, "multios services: %s\n", err.message);
		if (rc == MOS_ECYCLE && strlen(mos_service_error_text(k)) + 40 >
						MOS_ERROR_TEXT_LEN)
			fprintf(stderr, "multios services: the whole cycle: %s\n",
				mos_service_error_text(k));
		mos_kernel_destroy(k);
		return 1;
	}
	set.all = read_all(o.path);
	if (!set.all || json_array_size(set.all) != n ||
	    !(set.s = calloc(n + 1, sizeof(*set.s)))) {
		fprintf(stderr, "multios services: %s changed while read\n",
			o.path);
		rc = 1;
		goto out;
	}
	set.n = n;
	for (size_t i = 0; i < n; i++) {
		mos_service_status_t st;

		set.s[i].id = (mos_service_id_t)(i + 1);
		if (mos_service_status(k, set.s[i].id, &st) < 0) {
			rc = 1;
			goto out;
		}
		set.s[i].name = st.name;
		set.s[i].type = st.type;
		set.s[i].desc = json_array_get(set.all, i);
	}
	rc = show(k, &set, &o);
out:
	free(set.s);
	json_decref(set.all);
	mos_kernel_destroy(k);
	return rc;
}
