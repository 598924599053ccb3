/*
 * src/cli/services.c - `multios services DIR`: load service descriptors
 * into a fresh kernel and show them, their start order and their
 * dependency tree, as text or as one JSON document.
 *
 * The library does the loading and every check (mos_service_load_json);
 * a file it refuses is reported with its message and nothing is printed
 * on stdout.  Everything shown comes back from the library
 * (mos_service_info), with its defaults resolved: the files are read
 * once, by the loader.
 */
#include <jansson.h>
#include <stdlib.h>
#include <string.h>

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
	"DEPENDENCIES (the direct ones, in name order; \"?\" marks an\n"
	"optional one, a version constraint follows in parentheses).\n"
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
	"                 [{name, required, timeout, version}], instances,\n"
	"                 balance, importance, backends}] (timeout in ms,\n"
	"                 resolved), and with\n"
	"                 --order \"order\": {target, services: [names]}, with\n"
	"                 --tree \"tree\": [{name, required, dependencies}]}\n"
	"  -h, --help     show this text\n"
	"\n"
	"--order and --tree may be given together (the order first); either\n"
	"replaces the table.\n"
	"Exit status: 0 ok; 1 a file or directory that cannot be loaded, a\n"
	"--json tree deeper than 2000 levels, or a failed write; 2 a usage\n"
	"error (an unknown option, a NAME that is not registered).\n";

typedef struct opts {
	const char *path, *order, *tree_name;
	int tree, json;
} opts_t;

/* The registered services, in id order: s[i] has id i + 1. */
typedef struct set {
	mos_service_info_t *s;
	size_t n;
	mos_kernel_t *k;
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

/* ---- what is shown ---------------------------------------------------- */

/* The service of the load named name (the kernel's name table: a fresh
 * kernel, so id i + 1 is s[i]), or NULL. */
static const mos_service_info_t *by_service_name(const set_t *set,
						 const char *name)
{
	mos_service_id_t id;

	if (mos_service_find(set->k, name, &id) < 0 || id == 0 || id > set->n)
		return NULL;
	return &set->s[id - 1];
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
		const mos_service_info_t *s = &set->s[i];

		fprintf(out, "%4u  %-*s  %-19s  %-10s  %-10s ", s->id, (int)w,
			s->name, mos_service_type_name(s->type), s->version,
			mos_restart_policy_name(s->restart.policy));
		if (!s->ndeps)
			fputs(" -", out);
		for (size_t j = 0; j < s->ndeps; j++) {
			const mos_service_dep_t *d = &s->deps[j];

			fprintf(out, "%s%s%s", j ? ", " : " ", d->name,
				d->required ? "" : "?");
			if (d->version)
				fprintf(out, " (%s)", d->version);
		}
		fputc('\n', out);
	}
}

/* ---- the tree --------------------------------------------------------- */

/* Jansson writes a document recursively: a tree nested deeper than
 * this is refused in --json (the text form has no limit). */
#define MAX_JSON_DEPTH 2000

/* A service being expanded, on tree()'s explicit stack: a chain of
 * 100 000 services is as deep, too deep for recursion. */
typedef struct frame {
	const mos_service_info_t *s;
	size_t j;                /* its next dependency */
	size_t plen;             /* its children's prefix length */
	json_t *kids;
} frame_t;

/* s's line has begun (the name): end it, make its JSON node, and say
 * whether to expand it - the first time it shows in this tree (stamp). */
static bool enter(const set_t *set, const mos_service_info_t *s,
		  int required, uint32_t *seen, uint32_t stamp, FILE *out,
		  int json, json_t **node, json_t **kids)
{
	size_t idx = (size_t)(s - set->s);
	bool expand = seen[idx] != stamp;

	*node = *kids = NULL;
	if (json) {
		*node = json_pack("{s:s, s:b}", "name", s->name, "required",
				  required);
		if (expand)
			json_object_set_new(*node, "dependencies",
					    *kids = json_array());
	} else {
		fputs(!expand && s->ndeps ? " ...\n" : "\n", out);
	}
	seen[idx] = stamp;
	return expand;
}

/* The tree of root, as text lines or as a JSON node: the dependencies in
 * name order, as the start order takes them (and systemctl); a service
 * already expanded in this tree is not expanded again ("..."). */
static json_t *tree(const set_t *set, const mos_service_info_t *root,
		    char *prefix, uint32_t *seen, uint32_t stamp,
		    frame_t *stack, FILE *out, int json, size_t *depth)
{
	json_t *top, *kids;
	size_t sp = 0;

	if (!json)
		fputs(root->name, out);
	enter(set, root, 1, seen, stamp, out, json, &top, &kids);
	stack[sp++] = (frame_t){root, 0, 0, kids};
	while (sp) {
		frame_t *f = &stack[sp - 1];
		const mos_service_dep_t *d;
		const mos_service_info_t *c;
		json_t *node, *ckids;
		int last;

		if (f->j == f->s->ndeps) {
			sp--;
			continue;
		}
		d = &f->s->deps[f->j++];
		last = f->j == f->s->ndeps;
		if (!(c = by_service_name(set, d->name)))
			continue; /* registered before this load: not shown */
		prefix[f->plen] = '\0';
		if (!json)
			fprintf(out, "%s%s%s%s", prefix,
				last ? "\u2514\u2500" : "\u251c\u2500", c->name,
				d->required ? "" : " (optional)");
		if (json && sp >= MAX_JSON_DEPTH) {
			/* Too deep to write (or free) as nested JSON:
			 * stop here; the caller refuses the document. */
			*depth = sp + 1;
			continue;
		}
		if (enter(set, c, d->required, seen, stamp, out, json, &node,
			  &ckids)) {
			/* One more level: at most 4 bytes ("│ " in UTF-8). */
			snprintf(prefix + f->plen, 5, "%s", last ? "  " : "\u2502 ");
			stack[sp] = (frame_t){c, 0, strlen(prefix), ckids};
			if (++sp > *depth)
				*depth = sp;
		}
		if (json)
			json_array_append_new(f->kids, node);
	}
	return top;
}

/* The trees asked for: of one, or of every root (nothing depends on it),
 * in id order.  *depth gets the deepest nesting. */
static json_t *trees(const set_t *set, const mos_service_info_t *only,
		     FILE *out, int json, size_t *depth)
{
	json_t *arr = json ? json_array() : NULL;
	/* A path has at most n levels of 4 bytes; each service is expanded
	 * at most once per tree, so n frames. */
	char *prefix = calloc(set->n + 1, 4);
	uint32_t *seen = calloc(set->n + 1, sizeof(*seen));
	frame_t *stack = calloc(set->n + 1, sizeof(*stack));

	if (prefix && seen && stack)
		for (size_t i = 0; i < set->n; i++) {
			const mos_service_info_t *s = &set->s[i];
			json_t *t;

			if (only ? s != only : s->ndependents != 0)
				continue;
			t = tree(set, s, prefix, seen, (uint32_t)i + 1, stack,
				 out, json, depth);
			if (json)
				json_array_append_new(arr, t);
		}
	free(prefix);
	free(seen);
	free(stack);
	return arr;
}

/* ---- JSON ------------------------------------------------------------- */

static json_t *service_json(const mos_service_info_t *s)
{
	json_t *deps = json_array(), *backends = json_array();

	for (size_t j = 0; j < s->ndeps; j++) {
		const mos_service_dep_t *d = &s->deps[j];
		json_t *o = json_pack("{s:s, s:b, s:I}", "name", d->name,
				      "required", d->required, "timeout",
				      (json_int_t)d->timeout_ms);

		if (d->version)
			json_object_set_new(o, "version", json_string(d->version));
		json_array_append_new(deps, o);
	}
	for (size_t j = 0; j < s->nbackends; j++)
		json_array_append_new(backends, json_string(s->backends[j]));
	return json_pack("{s:I, s:s, s:s, s:s, s:s, s:o, s:I, s:s, s:s, s:o}",
			 "id", (json_int_t)s->id, "name", s->name, "type",
			 mos_service_type_name(s->type), "version", s->version,
			 "restart", mos_restart_policy_name(s->restart.policy),
			 "dependencies", deps, "instances",
			 (json_int_t)s->instances, "balance",
			 mos_lb_strategy_name(s->balance), "importance",
			 mos_importance_name(s->importance), "backends",
			 backends);
}

/* ---- the command ------------------------------------------------------ */

static int order_of(mos_kernel_t *k, const set_t *set,
		    const mos_service_info_t *t, mos_service_id_t **out,
		    size_t *n)
{
	size_t cap = set->n;

	if (!(*out = calloc(cap + 1, sizeof(**out))))
		return MOS_ENOMEM;
	return mos_service_start_order(k, t->id, *out, cap, n);
}

static int show(mos_kernel_t *k, const set_t *set, const opts_t *o)
{
	const mos_service_info_t *ot = NULL, *tt = NULL;
	mos_service_id_t *order = NULL;
	size_t no = 0, depth = 0;
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
			json_object_set_new(doc, "tree",
					    trees(set, tt, stdout, 1, &depth));
		if (depth > MAX_JSON_DEPTH) {
			fprintf(stderr, "multios services: --json --tree: the "
				"tree is more than %d levels deep (the text "
				"form shows it)\n", MAX_JSON_DEPTH);
			rc = 1;
		} else {
			rc = json_dumpf(doc, stdout, JSON_INDENT(2)) ? 1 : 0;
			fputc('\n', stdout);
		}
		json_decref(doc);
	} else {
		if (ot)
			for (size_t i = 0; i < no; i++)
				printf("%zu %s\n", i + 1, set->s[order[i] - 1].name);
		if (o->tree)
			trees(set, tt, stdout, 0, &depth);
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
	if (!(set.s = calloc(n + 1, sizeof(*set.s)))) {
		fputs("multios services: out of memory\n", stderr);
		rc = 1;
		goto out;
	}
	/* A fresh kernel: the load's services are ids 1 .. n. */
	set.n = n;
	set.k = k;
	for (size_t i = 0; i < n; i++)
		if ((rc = mos_service_info(k, (mos_service_id_t)(i + 1),
					   &set.s[i])) < 0) {
			fprintf(stderr, "multios services: %s\n", mos_strerror(rc));
			rc = 1;
			goto out;
		}
	rc = show(k, &set, &o);
out:
	free(set.s);
	mos_kernel_destroy(k);
	return rc;
}
