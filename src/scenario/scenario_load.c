/*
 * src/scenario/scenario_load.c - mos_scenario_load: a scenario file into
 * a checked mos_scenario_t.
 *
 * The document is read with the shared JSON reader (src/json/jsonload.h),
 * so a syntax error names the file, line and column, and a bad value its
 * JSON path ("processes[2].start", "actions[3].at").  The "config" object
 * is the configuration overlay of mos_config_load_json, the inline
 * services are read by the service descriptor reader, and service files
 * by the service loader.  What only a kernel can tell (a script program's
 * steps, dependencies between services, a program's name) is checked by
 * registering everything on a throwaway kernel, so that a loaded scenario
 * runs without surprises.  On any error everything made is freed.
 */
#include <stdlib.h>
#include <string.h>

#include "json/config_int.h"
#include "scenario_int.h"
#include "util/error_int.h"

static const char *const top_keys[] = {
	"name", "description", "seed", "until", "cap", "sample_interval",
	"config", "programs", "services", "autostart", "processes", "actions",
	"faults", "invariants", "probe_jitter", NULL,
};
static const char *const proc_keys[] = {
	"name", "command", "start", "priority", "class", "uid", "limits",
	NULL,
};

#define DEFAULT_CAP (60 * MOS_SEC)

/* ---- programs ------------------------------------------------------------ */

static const sc_program_t *program_named(const mos_scenario_t *sc,
					 const char *name)
{
	for (size_t i = 0; i < sc->nprogs; i++)
		if (!strcmp(sc->progs[i].name, name))
			return &sc->progs[i];
	return NULL;
}

/* "programs": {"NAME": [steps...], ...}; each checked later, on the
 * throwaway kernel. */
static int read_programs(mos_jload_t *ld, json_t *o, void *ctx)
{
	mos_scenario_t *sc = ctx;
	const char *key;
	json_t *v;

	if (json_object_size(o) > SC_MAX_PROGRAMS)
		return mos__json_fail(ld, MOS_ECONFIG,
				      "must have at most %u programs",
				      SC_MAX_PROGRAMS);
	if (!(sc->progs = calloc(json_object_size(o) + 1, sizeof(*sc->progs))))
		return mos__json_fail(ld, MOS_ENOMEM, "out of memory");
	json_object_foreach(o, key, v) {
		sc_program_t *p = &sc->progs[sc->nprogs];
		int rc = 0;

		mos__jpath_push_key(&ld->path, key);
		if (!*key || strlen(key) >= sizeof(p->name))
			rc = mos__json_fail(ld, MOS_ECONFIG,
					    "a program name has 1 to %zu "
					    "characters", sizeof(p->name) - 1);
		else if (!json_is_array(v))
			rc = mos__json_fail(ld, MOS_ECONFIG,
					    "expected an array of script steps");
		else if (!(p->text = json_dumps(v, JSON_COMPACT)))
			rc = mos__json_fail(ld, MOS_ENOMEM, "out of memory");
		mos__jpath_pop(&ld->path);
		if (rc)
			return rc;
		snprintf(p->name, sizeof(p->name), "%s", key);
		sc->nprogs++;
	}
	return 0;
}

int mos__sc_expand(mos_jload_t *ld, mos_scenario_t *sc,
		   const char *const *argv, const char *const **out)
{
	const sc_program_t *p;
	const char **v;

	*out = argv;
	if (!argv || !argv[0] || !(p = program_named(sc, argv[0])))
		return 0;
	if (argv[1])
		return mos__json_fail(ld, MOS_ECONFIG,
				      "program '%s' is a script: it takes no "
				      "arguments", argv[0]);
	if (!(v = mos__svc_json_take(&sc->svc, 3 * sizeof(*v))))
		return mos__json_fail(ld, MOS_ENOMEM, "out of memory");
	v[0] = "script";
	v[1] = p->text;
	*out = v;
	return 0;
}

/* ---- services ------------------------------------------------------------ */

/* The directory part of path, with its slash ("" for none), into buf. */
static void dir_of(const char *path, char *buf, size_t len)
{
	const char *slash = strrchr(path, '/');
	size_t n = slash ? (size_t)(slash - path) + 1 : 0;

	if (n >= len)
		n = len - 1;
	memcpy(buf, path, n);
	buf[n] = '\0';
}

static int read_service(mos_jload_t *ld, json_t *v, size_t i, void *ctx)
{
	mos_scenario_t *sc = ctx;
	char prefix[32];

	if (json_is_string(v)) {
		const char *f = json_string_value(v);
		char dir[1024], *full;
		size_t len;
		int rc;

		if (!*f)
			return mos__json_fail(ld, MOS_ECONFIG,
					      "expected a service file name");
		if (sc->from_text)
			return mos__json_fail(ld, MOS_ECONFIG,
					      "a scenario given as text cannot "
					      "name service files: declare the "
					      "service inline");
		dir_of(sc->path, dir, sizeof(dir));
		if (f[0] == '/')
			dir[0] = '\0';
		len = strlen(dir) + strlen(f) + 1;
		if (!(full = malloc(len)))
			return mos__json_fail(ld, MOS_ENOMEM, "out of memory");
		snprintf(full, len, "%s%s", dir, f);
		rc = mos__svc_load_file(&sc->svc, full);
		free(full);
		if (rc) {
			/* The service loader's error names its own file. */
			*ld->err = sc->svc_err;
		}
		return rc;
	}
	if (!json_is_object(v))
		return mos__json_fail(ld, MOS_ECONFIG,
				      "expected a service object or the name "
				      "of a service file");
	snprintf(prefix, sizeof(prefix), "services[%zu]", i);
	return mos__svc_load_add(ld, &sc->svc, v, 0, prefix);
}

/* Commands that name a scenario program become script commands. */
static int expand_services(mos_jload_t *ld, mos_scenario_t *sc)
{
	for (size_t i = 0; i < sc->svc.n; i++) {
		mos_service_descriptor_t *d = &sc->svc.descs[i];
		int rc;

		mos__jpath_push_key(&ld->path, "services");
		mos__jpath_push_index(&ld->path, i);
		mos__jpath_push_key(&ld->path, "command");
		rc = mos__sc_expand(ld, sc, d->command, &d->command);
		mos__jpath_pop(&ld->path);
		mos__jpath_pop(&ld->path);
		mos__jpath_pop(&ld->path);
		if (rc)
			return rc;
	}
	return 0;
}

static bool service_declared(const mos_scenario_t *sc, const char *name)
{
	for (size_t i = 0; i < sc->svc.n; i++)
		if (!strcmp(sc->svc.descs[i].name, name))
			return true;
	return false;
}

static int read_autostart(mos_jload_t *ld, mos_scenario_t *sc, json_t *root)
{
	const char *const *v = NULL;
	int rc = mos__svc_json_get_strv(ld, &sc->svc, root, "autostart",
					MAX_SERVICES, NULL, &v);

	if (rc || !v)
		return rc;
	for (size_t i = 0; v[i]; i++)
		if (!service_declared(sc, v[i])) {
			mos__jpath_push_key(&ld->path, "autostart");
			mos__jpath_push_index(&ld->path, i);
			rc = mos__json_fail(ld, MOS_ECONFIG,
					    "no service named '%s'", v[i]);
			mos__jpath_pop(&ld->path);
			mos__jpath_pop(&ld->path);
			return rc;
		}
	sc->autostart = v;
	return 0;
}

/* ---- processes ----------------------------------------------------------- */

long mos__sc_proc_named(const mos_scenario_t *sc, const char *name)
{
	for (size_t i = 0; i < sc->nprocs; i++)
		if (!strcmp(sc->procs[i].name, name))
			return (long)i;
	return -1;
}

static int read_proc(mos_jload_t *ld, json_t *o, size_t i, void *ctx)
{
	mos_scenario_t *sc = ctx;
	sc_proc_t *p = &sc->procs[i];
	mos_rlimits_t lim;
	int prio = MOS_PRIO_NORMAL, cls = MOS_CLASS_USER, rc;
	uint32_t uid = MOS_UID_INHERIT;

	(void)i;
	p->prio = MOS_PRIO_NORMAL;
	if ((rc = mos__json_check_keys(ld, o, proc_keys)) ||
	    (rc = mos__json_require(ld, o, "name")) ||
	    (rc = mos__json_require(ld, o, "command")) ||
	    (rc = mos__json_get_string(ld, o, "name", p->name,
				       sizeof(p->name))) ||
	    (rc = mos__svc_json_get_strv(ld, &sc->svc, o, "command",
					 MAX_CMD_ARGS, NULL, &p->command)) ||
	    (rc = mos__json_get_duration(ld, o, "start", false, &p->start)) ||
	    (rc = mos__svc_json_priority(ld, o, &prio)) ||
	    (rc = mos__svc_json_class(ld, o, &cls)) ||
	    (rc = mos__json_get_u32(ld, o, "uid", 0, UINT32_MAX - 1, &uid)))
		return rc;
	mos_rlimits_init(&lim);
	if ((rc = mos__json_section(ld, o, "limits", mos__svc_json_limits,
				    &lim)))
		return rc;
	p->limits = json_object_get(o, "limits");
	p->prio = (mos_priority_t)prio;
	p->cls = (mos_prio_class_t)cls;
	p->uid = uid;
	if (!p->name[0])
		return mos__json_fail(ld, MOS_ECONFIG, "name: must not be empty");
	if (!p->command[0])
		return mos__json_fail(ld, MOS_ECONFIG,
				      "command: must not be empty");
	sc->nprocs = i; /* the ones before, for the duplicate check */
	if (mos__sc_proc_named(sc, p->name) >= 0)
		return mos__json_fail(ld, MOS_ECONFIG,
				      "duplicate process name '%s'", p->name);
	sc->nprocs = i + 1;
	mos__jpath_push_key(&ld->path, "command");
	rc = mos__sc_expand(ld, sc, p->command, &p->command);
	mos__jpath_pop(&ld->path);
	return rc;
}

/* ---- actions ------------------------------------------------------------- */

int mos__sc_read_action(mos_jload_t *ld, json_t *o, size_t i, void *ctx);

static int by_time(const void *x, const void *y)
{
	const sc_action_t *a = x, *b = y;

	if (a->at != b->at)
		return a->at < b->at ? -1 : 1;
	return (a->index > b->index) - (a->index < b->index);
}

/* The array at root.key, at most max entries: *out a zeroed array of
 * them (plus one), each read by fn; *n their number. */
static int read_list(mos_jload_t *ld, mos_scenario_t *sc, json_t *root,
		     const char *key, size_t max, size_t size, void **out,
		     size_t *n, mos_jeach_fn fn)
{
	json_t *a = NULL;
	int rc = mos__json_get_array(ld, root, key, &a);

	if (rc || !a)
		return rc;
	mos__jpath_push_key(&ld->path, key);
	if (json_array_size(a) > max)
		rc = mos__json_fail(ld, MOS_ECONFIG,
				    "must have at most %zu entries", max);
	else if (!(*out = calloc(json_array_size(a) + 1, size)))
		rc = mos__json_fail(ld, MOS_ENOMEM, "out of memory");
	else
		rc = mos__json_each(ld, a, max, fn, sc);
	mos__jpath_pop(&ld->path);
	if (!rc)
		*n = json_array_size(a);
	return rc;
}

static int read_procs(mos_jload_t *ld, mos_scenario_t *sc, json_t *root)
{
	/* read_proc fills sc->procs as it goes: the array is in place
	 * before the first entry is read. */
	return read_list(ld, sc, root, "processes", SC_MAX_PROCS,
			 sizeof(*sc->procs), (void **)&sc->procs, &sc->nprocs,
			 read_proc);
}

static int read_actions(mos_jload_t *ld, mos_scenario_t *sc, json_t *root)
{
	int rc = read_list(ld, sc, root, "actions", SC_MAX_ACTIONS,
			   sizeof(*sc->acts), (void **)&sc->acts, &sc->nacts,
			   mos__sc_read_action);

	if (!rc && sc->nacts)
		qsort(sc->acts, sc->nacts, sizeof(*sc->acts), by_time);
	return rc;
}

static int read_faults(mos_jload_t *ld, mos_scenario_t *sc, json_t *root)
{
	json_t *a = NULL;
	int rc = mos__json_get_array(ld, root, "faults", &a);

	if (rc || !a)
		return rc;
	mos__jpath_push_key(&ld->path, "faults");
	rc = mos__sc_read_faults(ld, sc, a);
	mos__jpath_pop(&ld->path);
	return rc;
}

int mos_scenario_set_faults(mos_scenario_t *sc, const char *text,
			    size_t len, const char *name, mos_error_t *err)
{
	mos_scenario_t tmp;
	mos_error_t local;
	mos_jload_t ld;
	json_t *root = NULL;
	int rc;

	mos__error_clear(&local);
	if (!sc || !text || !name) {
		rc = mos__error_path(&local, MOS_EINVAL, name ? name : "faults",
				     "", "sc, text and name must not be NULL");
		goto out;
	}
	if ((rc = mos__json_load_buffer(text, len, name, &root, &local)))
		goto out;
	/* Read into a copy: sc changes only when all of it is good. */
	tmp = *sc;
	tmp.faults = NULL;
	tmp.fault_names = NULL;
	tmp.faults_root = root;
	tmp.nfaults = 0;
	mos__jload_init(&ld, name, &local);
	rc = json_is_array(root)
		     ? mos__sc_read_faults(&ld, &tmp, root)
		     : mos__json_fail(&ld, MOS_ECONFIG,
				      "expected an array of faults");
	if (rc) {
		mos__sc_faults_free(&tmp);
		goto out;
	}
	mos__sc_faults_free(sc);
	sc->faults = tmp.faults;
	sc->fault_names = tmp.fault_names;
	sc->faults_root = tmp.faults_root;
	sc->nfaults = tmp.nfaults;
out:
	if (err)
		*err = local;
	return rc;
}

size_t mos_scenario_fault_count(const mos_scenario_t *sc)
{
	return sc ? sc->nfaults : 0;
}

/* ---- the check on a throwaway kernel ------------------------------------ */

static int dummy_main(mos_proc_t *self, int argc, char **argv)
{
	(void)self;
	(void)argc;
	(void)argv;
	return 0;
}

/* Each program must not shadow a built-in, and its steps must parse. */
static int check_programs(mos_jload_t *ld, mos_scenario_t *sc,
			  mos_kernel_t *k)
{
	for (size_t i = 0; i < sc->nprogs; i++) {
		const char *argv[] = {"script", sc->progs[i].text, NULL};
		mos_process_spec_t spec;
		mos_error_t why;
		mos_pid_t pid;
		int rc;

		mos__jpath_init(&ld->path);
		mos__jpath_push_key(&ld->path, "programs");
		mos__jpath_push_key(&ld->path, sc->progs[i].name);
		if (mos_program_register(k, sc->progs[i].name, dummy_main) ==
		    MOS_EPROCEXISTS)
			return mos__json_fail(ld, MOS_ECONFIG,
					      "'%s' is the name of a built-in "
					      "program", sc->progs[i].name);
		mos_process_spec_init(&spec);
		spec.command = argv;
		spec.start_time = MOS_TIME_NEVER - 1;
		mos__error_clear(&why);
		spec.arg = &why;
		if ((rc = mos_process_create(k, &spec, &pid)) < 0)
			return mos__json_fail(ld, rc, "%s", why.code ?
					      why.text : mos_strerror(rc));
	}
	return 0;
}

/* Each process is created as the run creates it (but never admitted):
 * an unknown program or bad arguments fail the load, not the run. */
static int check_procs(mos_jload_t *ld, mos_scenario_t *sc, mos_kernel_t *k)
{
	for (size_t i = 0; i < sc->nprocs; i++) {
		const sc_proc_t *p = &sc->procs[i];
		mos_process_spec_t spec;
		mos_pid_t pid;
		int rc;

		mos_process_spec_init(&spec);
		spec.command = p->command;
		spec.start_time = MOS_TIME_NEVER - 1;
		spec.priority = p->prio;
		spec.prio_class = p->cls;
		spec.uid = p->uid;
		if ((rc = mos_process_create(k, &spec, &pid)) < 0) {
			mos__jpath_init(&ld->path);
			mos__jpath_push_key(&ld->path, "processes");
			mos__jpath_push_index(&ld->path, i);
			if (rc == MOS_ENOPROG || rc == MOS_ECONFIG)
				mos__jpath_push_key(&ld->path, "command");
			return mos__json_fail(ld, rc, "'%s': %s", p->command[0],
					      mos_strerror(rc));
		}
	}
	return 0;
}

static int check_on_kernel(mos_jload_t *ld, mos_scenario_t *sc)
{
	mos_kernel_t *k;
	mos_error_t kerr;
	int rc;

	if ((rc = mos__config_check(&sc->cfg, sc->path, ld->err)))
		return rc;
	if ((rc = mos_kernel_create(&sc->cfg, &k, &kerr)) < 0) {
		*ld->err = kerr;
		return rc;
	}
	mos__error_clear(&sc->svc_err);
	rc = mos_service_register_batch(k, 0, sc->svc.descs, sc->svc.n, NULL,
					&sc->svc_err);
	if (rc) {
		mos__svc_load_rename_error(&sc->svc, k, &sc->svc_err,
					   sc->path);
		if (sc->svc_err.code == 0)
			mos__error_path(&sc->svc_err, rc, sc->path, "", "%s",
					mos_strerror(rc));
		*ld->err = sc->svc_err;
	}
	if (!rc)
		rc = check_programs(ld, sc, k);
	if (!rc)
		rc = check_procs(ld, sc, k);
	mos_kernel_destroy(k);
	return rc;
}

/* ---- the document ------------------------------------------------------- */

/* "probe_jitter" must keep every probe's initial_delay in range. */
static int check_probe_jitter(mos_jload_t *ld, mos_scenario_t *sc)
{
	for (size_t i = 0; sc->probe_jitter && i < sc->svc.n; i++) {
		const mos_probe_spec_t *p[2] = {&sc->svc.descs[i].liveness_probe,
						&sc->svc.descs[i].readiness_probe};

		for (int j = 0; j < 2; j++)
			if (p[j]->kind != MOS_PROBE_NONE &&
			    (sc->probe_jitter > MOS_SVC_PROBE_MAX_TIME ||
			     p[j]->initial_delay >
				     MOS_SVC_PROBE_MAX_TIME - sc->probe_jitter)) {
				mos__jpath_push_key(&ld->path, "probe_jitter");
				return mos__json_fail(
					ld, MOS_ECONFIG,
					"moves service '%s''s first probe past "
					"the longest initial_delay",
					sc->svc.descs[i].name);
			}
	}
	return 0;
}

static int read_top(mos_jload_t *ld, mos_scenario_t *sc, json_t *root)
{
	uint64_t seed = 0;
	bool has_seed = json_object_get(root, "seed") != NULL;
	json_t *svcs = NULL;
	int rc;

	if (!json_is_object(root))
		return mos__json_fail(ld, MOS_ECONFIG,
				      "expected a scenario object");
	if ((rc = mos__json_check_keys(ld, root, top_keys)) ||
	    (rc = mos__json_get_string(ld, root, "name", sc->name,
				       sizeof(sc->name))) ||
	    (rc = mos__json_get_u64(ld, root, "seed", &seed)) ||
	    (rc = mos__json_get_duration(ld, root, "until", true,
					 &sc->until)) ||
	    (rc = mos__json_get_duration(ld, root, "cap", false, &sc->cap)) ||
	    (rc = mos__json_get_duration(ld, root, "sample_interval", false,
					 &sc->sample)) ||
	    (rc = mos__json_get_duration(ld, root, "probe_jitter", false,
					 &sc->probe_jitter)) ||
	    (rc = mos__json_section(ld, root, "config", mos__config_overlay,
				    &sc->cfg)) ||
	    (rc = mos__json_section(ld, root, "programs", read_programs, sc)) ||
	    (rc = mos__json_get_array(ld, root, "services", &svcs)))
		return rc;
	if (has_seed)
		sc->cfg.seed = seed;
	if (svcs) {
		mos__jpath_push_key(&ld->path, "services");
		rc = mos__json_each(ld, svcs, MAX_SERVICES, read_service, sc);
		mos__jpath_pop(&ld->path);
		if (rc)
			return rc;
	}
	if ((rc = expand_services(ld, sc)) || (rc = check_probe_jitter(ld, sc)) ||
	    (rc = read_autostart(ld, sc, root)) ||
	    (rc = read_procs(ld, sc, root)) ||
	    (rc = read_actions(ld, sc, root)) ||
	    (rc = read_faults(ld, sc, root)) ||
	    (rc = mos__sc_read_invariants(ld, sc, root)))
		return rc;
	return check_on_kernel(ld, sc);
}

/* The body of both loaders: the file at path (text NULL), or the len
 * bytes at text with path as its name in messages. */
static int load(const char *path, const char *text, size_t len,
		mos_scenario_t **out, mos_error_t *err)
{
	mos_error_t local;
	mos_scenario_t *sc = NULL;
	mos_jload_t ld;
	size_t src;
	int rc;

	mos__error_clear(&local);
	if (out)
		*out = NULL;
	if (!path || !out) {
		rc = mos__error_path(&local, MOS_EINVAL, path ? path : "scenario",
				     "", "%s and out must not be NULL",
				     text ? "name" : "path");
		goto done;
	}
	if (!(sc = calloc(1, sizeof(*sc))) || !(sc->path = strdup(path))) {
		rc = mos__error_path(&local, MOS_ENOMEM, path, "",
				     "out of memory");
		goto done;
	}
	mos_config_default(&sc->cfg);
	sc->until = MOS_TIME_NEVER;
	sc->cap = DEFAULT_CAP;
	sc->sample = DEFAULT_SAMPLE;
	sc->svc.err = &sc->svc_err;
	sc->from_text = text != NULL;
	if ((rc = mos__svc_load_source(&sc->svc, path, &src))) {
		local = sc->svc_err;
		goto done;
	}
	rc = text ? mos__json_load_buffer(text, len, path, &sc->root, &local)
		  : mos__json_load_file(path, &sc->root, &local);
	if (rc)
		goto done;
	mos__jload_init(&ld, sc->path, &local);
	rc = read_top(&ld, sc, sc->root);
done:
	if (err)
		*err = local;
	if (rc) {
		mos_scenario_free(sc);
		return rc;
	}
	*out = sc;
	return 0;
}

int mos_scenario_load(const char *path, mos_scenario_t **out,
		      mos_error_t *err)
{
	return load(path, NULL, 0, out, err);
}

void mos_scenario_free(mos_scenario_t *sc)
{
	if (!sc)
		return;
	for (size_t i = 0; i < sc->nprogs; i++)
		free(sc->progs[i].text);
	free(sc->progs);
	free(sc->procs);
	free(sc->acts);
	mos__sc_faults_free(sc);
	free(sc->inv.expect);
	mos__svc_load_free(&sc->svc);
	json_decref(sc->root);
	free(sc->path);
	free(sc);
}

int mos_scenario_load_string(const char *text, size_t len, const char *name,
			     mos_scenario_t **out, mos_error_t *err)
{
	if (!text && name && out) {
		mos_error_t local;

		mos__error_clear(&local);
		*out = NULL;
		mos__error_path(&local, MOS_EINVAL, name, "",
				"text must not be NULL");
		if (err)
			*err = local;
		return MOS_EINVAL;
	}
	return load(name, text ? text : "", len, out, err);
}
