/*
 * tests/svc_helpers.h - what the service manager's suites share: a
 * descriptor from a name and a command, a status, the registry's size.
 */
#ifndef MOS_TEST_SVC_HELPERS_H
#define MOS_TEST_SVC_HELPERS_H

#include <criterion/criterion.h>

#include "multios/service.h"

static const char *const t_idle_cmd[] = {"idle", NULL};

/* A descriptor with a name and a command, the rest defaults. */
static inline mos_service_descriptor_t t_desc(const char *name,
					      const char *const *command)
{
	mos_service_descriptor_t d;

	mos_service_descriptor_init(&d);
	d.name = name;
	d.command = command;
	return d;
}

static inline mos_service_status_t t_status(mos_kernel_t *k,
					    mos_service_id_t id)
{
	mos_service_status_t st;

	cr_assert_eq(mos_service_status(k, id, &st), 0);
	return st;
}

/* Register d (host actor), asserting success; its id. */
static inline mos_service_id_t t_reg(mos_kernel_t *k,
				     const mos_service_descriptor_t *d)
{
	mos_service_id_t id = 0;
	mos_error_t err;
	int rc = mos_service_register(k, 0, d, &id, &err);

	cr_assert_eq(rc, 0, "register %s: %d %s", d->name, rc, err.message);
	return id;
}

/* Instance slot `slot` of service id (a service of at most 8). */
static inline mos_service_instance_t t_inst(mos_kernel_t *k,
					    mos_service_id_t id, uint32_t slot)
{
	mos_service_instance_t in[8];
	size_t n = 0;

	cr_assert_eq(mos_service_instances(k, id, in, 8, &n), 0);
	cr_assert_lt(slot, n);
	return in[slot];
}

/* How many services are registered. */
static inline size_t t_nservices(mos_kernel_t *k)
{
	size_t n = 99;

	cr_assert_eq(mos_service_list(k, NULL, 0, &n), 0);
	return n;
}

#endif
