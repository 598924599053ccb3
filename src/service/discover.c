/*
 * src/service/discover.c - service discovery (mos_service_discover): the
 * registered services whose names match a glob (glob.c) and a filter,
 * in name order, as the actor may see them.
 *
 * A query: it changes nothing and may be called from anywhere the
 * registry may be read; mos_sys_discover is the same query from a
 * process (a DiscoveryService's `discovery` program answers it over IPC,
 * src/programs/discovery.c).  The registry's name table is a hash (lookups
 * only), so the matches are collected by id and sorted by name in a
 * scratch array, made only when there is something to return.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "glob.h"
#include "service_int.h"
#include "util/alloc.h"
#include "util/error_int.h"

static bool has_tag(const mos_svc_t *s, const char *tag)
{
	for (char **t = s->tags; t && *t; t++)
		if (strcmp(*t, tag) == 0)
			return true;
	return false;
}

/* Whether s is in the result: the pattern, the filter (may be NULL), and
 * caller (NULL: sees all) may call it. */
static bool wanted(const mos_svc_t *s, const char *pattern,
		   const mos_discover_filter_t *f, const mos_proc_t *caller)
{
	if (f && f->by_type && s->type != f->type)
		return false;
	if (f && f->by_state && s->state != f->state)
		return false;
	if (f && f->tag && !has_tag(s, f->tag))
		return false;
	if (caller && !mos__svc_may_call(s, caller))
		return false;
	return mos__glob_match(pattern, s->name);
}

static int cmp_name(const void *x, const void *y)
{
	const mos_svc_t *const *a = x, *const *b = y;

	return strcmp((*a)->name, (*b)->name);
}

/* The process the actor's visibility is checked for: NULL when it sees
 * every service (the host, or ADMIN). */
static int viewer(mos_kernel_t *k, mos_pid_t actor, const mos_proc_t **out)
{
	mos_proc_t *p;

	*out = NULL;
	if (actor < 0)
		return MOS_EINVALPID;
	if (actor == 0)
		return 0;
	if (!(p = mos__proc_find(k, actor)) ||
	    mos__proc_state(p) >= MOS_STATE_TERMINATED)
		return MOS_EPROCNOTFOUND;
	if (!mos__cred_capable(p, MOS_CAP_ADMIN))
		*out = p;
	return 0;
}

/* The services matching pattern and filter that caller (NULL: all) may
 * call: their number into *n and, when want and there are some, a
 * scratch array of them in name order into *out (to free). */
static int collect(mos_svc_mgr_t *m, const char *pattern,
		   const mos_discover_filter_t *f, const mos_proc_t *caller,
		   bool want, mos_svc_t ***out, size_t *n)
{
	mos_svc_t **found;
	size_t c = 0;

	*out = NULL;
	for (uint32_t i = 0; m && i < m->nids; i++)
		if (m->by_id[i] && wanted(m->by_id[i], pattern, f, caller))
			c++;
	*n = c;
	if (!c || !want)
		return 0;
	if (!(found = mos__malloc_array(m->a, c, sizeof(*found))))
		return MOS_ENOMEM;
	for (uint32_t i = 0, j = 0; i < m->nids; i++)
		if (m->by_id[i] && wanted(m->by_id[i], pattern, f, caller))
			found[j++] = m->by_id[i];
	/* Names are distinct: the order is total. */
	qsort(found, c, sizeof(*found), cmp_name);
	*out = found;
	return 0;
}

static int check_query(const char *pattern, const mos_discover_filter_t *f,
		       mos_error_t *err)
{
	const char *why;
	size_t pos;
	int e;

	if (f && ((f->by_type && (unsigned)f->type >= MOS_SVC_TYPE_COUNT) ||
		  (f->by_state && (unsigned)f->state >= MOS_SVC_STATE_COUNT)))
		return MOS_EINVAL;
	if ((e = mos__glob_check(pattern, &pos, &why)) < 0)
		return mos__error_path(err, e, "discovery", "pattern",
				       "%s at position %zu", why, pos);
	return 0;
}

int mos_service_discover(mos_kernel_t *k, mos_pid_t actor, const char *pattern,
			 const mos_discover_filter_t *filter,
			 mos_service_id_t *ids, size_t cap, size_t *n,
			 mos_error_t *err)
{
	const mos_proc_t *caller;
	mos_svc_t **found;
	size_t c;
	int e;

	mos__error_clear(err);
	if (!k || !pattern || (cap && !ids))
		return MOS_EINVAL;
	if ((e = check_query(pattern, filter, err)) < 0 ||
	    (e = viewer(k, actor, &caller)) < 0 ||
	    (e = collect(mos__svc_mgr_peek(k), pattern, filter, caller, cap > 0,
			 &found, &c)) < 0)
		return e;
	for (size_t i = 0; found && i < c && i < cap; i++)
		ids[i] = found[i]->id;
	if (found)
		mos__free(mos__svc_mgr_peek(k)->a, found);
	if (n)
		*n = c;
	return 0;
}

int mos_sys_discover(mos_proc_t *self, mos_pid_t on_behalf,
		     const char *pattern, const mos_discover_filter_t *filter,
		     char *names, size_t size, size_t *n)
{
	mos_kernel_t *k = mos__sys_enter(self, MOS_SYS_DISCOVER);
	const mos_proc_t *caller;
	mos_svc_t **found;
	size_t c, len = 0;
	int e;

	if (!pattern || (size && !names) || on_behalf < 0)
		return mos__sys_leave(self, MOS_EINVAL);
	if (on_behalf == 0)
		on_behalf = mos__proc_pid(self);
	if (on_behalf != mos__proc_pid(self) &&
	    !mos__cred_capable(self, MOS_CAP_ADMIN))
		return mos__sys_leave(self, MOS_EPERM);
	if ((e = check_query(pattern, filter, NULL)) < 0 ||
	    (e = viewer(k, on_behalf, &caller)) < 0 ||
	    (e = collect(mos__svc_mgr_peek(k), pattern, filter, caller,
			 size > 0, &found, &c)) < 0)
		return mos__sys_leave(self, e);
	if (size)
		names[0] = '\0';
	for (size_t i = 0; found && i < c; i++) {
		size_t l = strlen(found[i]->name);

		if (len + l + 2 > size)
			break; /* whole names only, and the NUL */
		memcpy(names + len, found[i]->name, l);
		names[len + l] = '\n';
		names[len + l + 1] = '\0';
		len += l + 1;
	}
	if (found)
		mos__free(mos__svc_mgr_peek(k)->a, found);
	if (n)
		*n = c;
	return mos__sys_leave(self, 0);
}
