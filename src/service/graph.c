/*
 * src/service/graph.c - the dependency graph: cycles and the start order.
 *
 * Both are iterative depth-first walks (a chain of 100 000 services
 * must not overflow the host stack), linear in services plus edges.  A
 * walk marks a service with the manager's stamp; a new walk takes new
 * stamps, so nothing is cleared between walks.
 *
 * The start order of a target is the depth-first post-order from it,
 * each service's dependencies taken in name order (they are kept sorted):
 * every dependency comes before its dependents, and the order depends on
 * the names alone, never on ids or addresses.  A start walks it without
 * going through what is up already, so starting every service of a
 * graph one by one costs services plus edges in all, not their closures.
 */
#include <stdio.h>
#include <string.h>

#include "service_int.h"
#include "util/alloc.h"
#include "util/error_int.h"

typedef struct frame {
	mos_svc_t *s;
	uint32_t next;              /* the next edge to follow */
} frame_t;

/* Two fresh stamps (service_int.h): gray (on the walk's stack), black. */
uint32_t mos__svc_stamps(mos_svc_mgr_t *m)
{
	if (m->stamp > UINT32_MAX - 3) { /* wrapped: clear every mark */
		for (uint32_t i = 0; i < m->nids; i++)
			if (m->by_id[i])
				m->by_id[i]->mark = 0;
		m->stamp = 0;
	}
	m->stamp += 2;
	return m->stamp;
}

/* Spell the cycle st[from .. top] back to st[from], starting at its
 * smallest name (one cycle, one spelling). */
static int spell(mos_svc_mgr_t *m, frame_t *st, size_t from, size_t top,
		 mos_error_t *err)
{
	size_t len = top - from + 1, first = 0, bytes = 1;
	char *t, *p;

	for (size_t i = 1; i < len; i++)
		if (strcmp(st[from + i].s->name, st[from + first].s->name) < 0)
			first = i;
	for (size_t i = 0; i <= len; i++)
		bytes += strlen(st[from + (first + i) % len].s->name) + 4;
	if (!(t = mos__malloc(m->a, bytes))) {
		return mos__error_path(err, MOS_ECYCLE, "service", "",
				       "circular dependency through %s",
				       st[from].s->name);
	}
	p = t;
	for (size_t i = 0; i <= len; i++)
		p += sprintf(p, "%s%s", i ? " -> " : "",
			     st[from + (first + i) % len].s->name);
	mos__free(m->a, m->errtext);
	m->errtext = t;
	if (strlen(t) + 40 < MOS_ERROR_TEXT_LEN)
		return mos__error_path(err, MOS_ECYCLE, "service", "",
				       "circular dependency: %s", t);
	return mos__error_path(err, MOS_ECYCLE, "service", "",
			       "circular dependency of %zu services: %.*s... "
			       "(mos_service_error_text() has all of it)",
			       len, MOS_ERROR_TEXT_LEN - 90, t);
}

int mos__svc_check_cycles(mos_svc_mgr_t *m, mos_svc_t **batch, size_t n,
			  mos_error_t *err)
{
	uint32_t gray = mos__svc_stamps(m), black = gray + 1;
	frame_t *st = mos__malloc_array(m->a, n + 1, sizeof(*st));
	int e = 0;

	if (!st)
		return MOS_ENOMEM;
	for (size_t r = 0; r < n && e == 0; r++) {
		size_t top = 0;

		if (batch[r]->mark == black)
			continue;
		st[0] = (frame_t){batch[r], 0};
		batch[r]->mark = gray;
		while (e == 0) {
			frame_t *f = &st[top];
			mos_svc_t *d;

			if (f->next == f->s->ndeps) {
				f->s->mark = black;
				if (top-- == 0)
					break;
				continue;
			}
			d = f->s->deps[f->next++].dep;
			/* Registered services never lead back into a batch. */
			if (d->id != 0 || d->mark == black)
				continue;
			if (d->mark == gray) {
				size_t from = top;

				while (st[from].s != d)
					from--;
				e = spell(m, st, from, top, err);
				break;
			}
			d->mark = gray;
			st[++top] = (frame_t){d, 0};
		}
	}
	mos__free(m->a, st);
	return e;
}


int mos__svc_order(mos_svc_mgr_t *m, mos_svc_t *target, bool skip_up,
		   mos_svc_t **out, size_t cap, size_t *n)
{
	uint32_t gray = mos__svc_stamps(m), black = gray + 1;
	frame_t *st = mos__malloc_array(m->a, (size_t)m->nids + 1, sizeof(*st));
	size_t top = 0, c = 0;

	if (!st)
		return MOS_ENOMEM;
	if (skip_up && mos__svc_is_up(target)) {
		mos__free(m->a, st);
		*n = 0;
		return 0;
	}
	st[0] = (frame_t){target, 0};
	target->mark = gray;
	for (;;) {
		frame_t *f = &st[top];
		mos_svc_t *d;

		if (f->next == f->s->ndeps) {
			f->s->mark = black;
			if (c < cap)
				out[c] = f->s;
			c++;
			if (top-- == 0)
				break;
			continue;
		}
		d = f->s->deps[f->next++].dep;
		if (d->mark == gray || d->mark == black || (skip_up && mos__svc_is_up(d)))
			continue; /* done, or (never: no cycles) on the stack */
		d->mark = gray;
		st[++top] = (frame_t){d, 0};
	}
	mos__free(m->a, st);
	*n = c;
	return 0;
}

int mos_service_start_order(mos_kernel_t *k, mos_service_id_t target,
			    mos_service_id_t *out, size_t cap, size_t *n)
{
	mos_svc_mgr_t *m;
	mos_svc_t *s, **v;
	size_t c = 0;
	int e;

	if (!k || !n || (cap && !out))
		return MOS_EINVAL;
	m = mos__svc_mgr_peek(k);
	if (!(s = mos__svc_get(m, target)))
		return MOS_ESVCNOTFOUND;
	if (!(v = mos__malloc_array(m->a, (size_t)m->nids + 1, sizeof(*v))))
		return MOS_ENOMEM;
	if ((e = mos__svc_order(m, s, false, v, (size_t)m->nids + 1, &c)) == 0) {
		for (size_t i = 0; i < c && i < cap; i++)
			out[i] = v[i]->id;
		*n = c;
	}
	mos__free(m->a, v);
	return e;
}
