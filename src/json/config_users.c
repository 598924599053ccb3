/*
 * src/json/config_users.c - the configuration's "users" table: uid ->
 * name, for the admin's ps (multios/config.h documents the rules).
 *
 * The same rules hold for a table read from JSON (errors at
 * "users.UID") and one filled in C (errors at "users[i]", from
 * mos_config_validate and mos_kernel_create).
 */
#include <stdio.h>
#include <string.h>

#include "config_int.h"
#include "util/error_int.h"

/* The largest uid a table may name: MOS_UID_INHERIT is no uid. */
#define MAX_UID 4294967294u

/* NULL when name is acceptable, else why not. */
static const char *bad_name(const char *name, size_t len)
{
	if (len == 0)
		return "must not be empty";
	if (len >= MOS_USER_NAME_LEN)
		return "must be at most 31 characters";
	for (size_t i = 0; i < len; i++)
		if (name[i] <= ' ' || name[i] > '~')
			return "must be printable ASCII without spaces";
	return NULL;
}

/* The uid spelled by key in decimal, or -1. */
static long long parse_uid(const char *key)
{
	long long v = 0;

	if (!key[0] || (key[0] == '0' && key[1]))
		return -1;
	for (const char *p = key; *p; p++) {
		if (*p < '0' || *p > '9')
			return -1;
		v = v * 10 + (*p - '0');
		if (v > MAX_UID)
			return -1;
	}
	return v;
}

/* The index of the first of the n entries named name, or -1. */
static long named(const mos_user_t *u, size_t n, const char *name)
{
	for (size_t i = 0; i < n; i++)
		if (!strcmp(u[i].name, name))
			return (long)i;
	return -1;
}

int mos__config_users_read(mos_jload_t *ld, json_t *o, void *ctx)
{
	mos_config_t *c = ctx;
	const char *key, *why;
	json_t *v;
	uint32_t n = 0;
	int rc = 0;

	if (json_object_size(o) > MOS_CONFIG_MAX_USERS)
		return mos__json_fail(ld, MOS_ECONFIG,
				      "must have at most %u entries",
				      MOS_CONFIG_MAX_USERS);
	json_object_foreach(o, key, v) {
		long long uid = parse_uid(key);
		mos_user_t *u = &c->users[n];

		mos__jpath_push_key(&ld->path, key);
		if (uid < 0)
			rc = mos__json_fail(ld, MOS_ECONFIG,
					    "a uid is 0 to %u in decimal "
					    "digits, without leading zeros",
					    MAX_UID);
		else if (!json_is_string(v))
			rc = mos__json_fail(ld, MOS_ECONFIG,
					    "expected a user name (a string)");
		else if ((why = bad_name(json_string_value(v),
					 json_string_length(v))) ||
			 strlen(json_string_value(v)) != json_string_length(v))
			rc = mos__json_fail(ld, MOS_ECONFIG, "user name %s",
					    why ? why : "must not hold NUL");
		else if (named(c->users, n, json_string_value(v)) >= 0)
			rc = mos__json_fail(ld, MOS_ECONFIG,
					    "user name '%s' given twice",
					    json_string_value(v));
		mos__jpath_pop(&ld->path);
		if (rc)
			return rc;
		u->uid = (uint32_t)uid;
		snprintf(u->name, sizeof(u->name), "%s", json_string_value(v));
		n++;
	}
	/* Keys are unique (the reader rejects duplicates, and a uid has
	 * one spelling), so uids are too. */
	c->nusers = n;
	return 0;
}

int mos__config_users_check(const mos_config_t *cfg, const char *src,
			    mos_error_t *err)
{
	char path[32];

	if (cfg->nusers > MOS_CONFIG_MAX_USERS)
		return mos__error_path(err, MOS_ECONFIG, src, "users",
				       "must have at most %u entries",
				       MOS_CONFIG_MAX_USERS);
	for (uint32_t i = 0; i < cfg->nusers; i++) {
		const mos_user_t *u = &cfg->users[i];
		const char *why = bad_name(u->name,
					   strnlen(u->name, sizeof(u->name)));

		snprintf(path, sizeof(path), "users[%u]", i);
		if (u->uid > MAX_UID)
			return mos__error_path(err, MOS_ECONFIG, src, path,
					       "uid must be at most %u",
					       MAX_UID);
		if (why)
			return mos__error_path(err, MOS_ECONFIG, src, path,
					       "user name %s", why);
		for (uint32_t j = 0; j < i; j++) {
			if (cfg->users[j].uid == u->uid)
				return mos__error_path(err, MOS_ECONFIG, src,
						       path, "uid %u given "
						       "twice", u->uid);
			if (!strcmp(cfg->users[j].name, u->name))
				return mos__error_path(err, MOS_ECONFIG, src,
						       path, "user name '%s' "
						       "given twice", u->name);
		}
	}
	return 0;
}
