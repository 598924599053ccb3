/*
 * src/util/list.h - intrusive doubly linked lists (circular, with a head node).
 *
 * Nodes live inside the objects they link, so linking and unlinking never
 * allocate and cannot fail.  An unlinked node points at itself.
 */
#ifndef MOS_LIST_H
#define MOS_LIST_H

#include <stdbool.h>
#include <stddef.h>

typedef struct mos_list {
	struct mos_list *prev, *next;
} mos_list_t;

#define mos_container_of(ptr, type, member) \
	((type *)(void *)((char *)(ptr) - offsetof(type, member)))

static inline void mos_list_init(mos_list_t *l) { l->prev = l->next = l; }
static inline bool mos_list_empty(const mos_list_t *l) { return l->next == l; }
static inline bool mos_list_linked(const mos_list_t *n) { return n->next != n; }

static inline void mos__list_insert(mos_list_t *n, mos_list_t *prev,
				    mos_list_t *next)
{
	n->prev = prev;
	n->next = next;
	prev->next = n;
	next->prev = n;
}

static inline void mos_list_push_back(mos_list_t *head, mos_list_t *n)
{
	mos__list_insert(n, head->prev, head);
}

static inline void mos_list_push_front(mos_list_t *head, mos_list_t *n)
{
	mos__list_insert(n, head, head->next);
}

static inline void mos_list_remove(mos_list_t *n)
{
	n->prev->next = n->next;
	n->next->prev = n->prev;
	n->prev = n->next = n;
}

static inline mos_list_t *mos_list_pop_front(mos_list_t *head)
{
	mos_list_t *n = head->next;
	if (n == head)
		return NULL;
	mos_list_remove(n);
	return n;
}

#define mos_list_for_each(pos, head) \
	for ((pos) = (head)->next; (pos) != (head); (pos) = (pos)->next)

#define mos_list_for_each_safe(pos, tmp, head)                      \
	for ((pos) = (head)->next, (tmp) = (pos)->next; (pos) != (head); \
	     (pos) = (tmp), (tmp) = (pos)->next)

#endif
