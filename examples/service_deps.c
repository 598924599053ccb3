/*
 * examples/service_deps.c - the MultiOS documentation's "Service
 * Dependency Management": a database service, an application service
 * that requires it (timeout 30 s, no version constraint), both started
 * in dependency order.
 *
 *   db_id  = register_service(db_descriptor)
 *   app_id = register_service(ServiceDescriptor { name: "app-service",
 *                dependencies: [{ service_id: db_id, required: true,
 *                                 timeout: 30000, version: None }], .. })
 *   start_service(db_id); start_service(app_id)
 *
 * Then what a dependency means: the database fails for good (restart
 * policy "no"), and the application, which requires it, is stopped with
 * the reason "dependency failed" and the database named as the culprit;
 * when the database is started again, the application comes back by
 * itself.  Every state is checked at its exact virtual instant.
 *
 * Build: cc -std=c11 service_deps.c $(pkg-config --cflags --libs multios)
 */
#include <stdio.h>
#include <stdlib.h>

#include <multios/multios.h>

#define CHECK(cond, ...)                                                    \
	do {                                                                \
		if (!(cond)) {                                              \
			fprintf(stderr, "service_deps: %s:%d: ",            \
				__FILE__, __LINE__);                        \
			fprintf(stderr, __VA_ARGS__);                       \
			fputc('\n', stderr);                                \
			exit(1);                                            \
		}                                                           \
	} while (0)

static mos_service_status_t show(mos_kernel_t *k, mos_service_id_t id)
{
	mos_service_status_t st;

	CHECK(mos_service_status(k, id, &st) == 0, "status");
	printf("%7.1f ms  %-12s %-9s (%s)\n",
	       (double)mos_kernel_now(k) / MOS_MSEC, st.name,
	       mos_service_state_name(st.state), mos_svc_reason_name(st.reason));
	return st;
}

static mos_service_id_t reg(mos_kernel_t *k, const mos_service_descriptor_t *d)
{
	mos_service_id_t id = 0;
	mos_error_t err;
	int rc = mos_service_register(k, 0, d, &id, &err);

	CHECK(rc == 0, "register %s: %s", d->name, err.message);
	return id;
}

int main(void)
{
	static const char *const server[] = {"server", "1ms", NULL};
	mos_kernel_t *k = NULL;
	mos_service_descriptor_t db, app;
	mos_service_dep_t dep = {.name = "database", .required = true,
				 .timeout_ms = 30000, .version = NULL};
	mos_service_id_t db_id, app_id, order[4];
	size_t n = 0;

	CHECK(mos_kernel_create(NULL, &k, NULL) == 0, "kernel");

	mos_service_descriptor_init(&db);
	db.name = "database";
	db.command = server;
	db.restart.policy = MOS_RESTART_NO;
	db_id = reg(k, &db);

	mos_service_descriptor_init(&app);
	app.name = "app-service";
	app.command = server;
	app.deps = &dep;
	app.ndeps = 1;
	app_id = reg(k, &app);

	/* The order a start of app-service brings them up in. */
	CHECK(mos_service_start_order(k, app_id, order, 4, &n) == 0, "order");
	CHECK(n == 2 && order[0] == db_id && order[1] == app_id,
	      "database first");

	CHECK(mos_service_start(k, 0, db_id) == 0, "start db");
	CHECK(mos_service_start(k, 0, app_id) == 0, "start app");
	CHECK(mos_kernel_run(k, 10 * MOS_MSEC) == 0, "run");
	CHECK(show(k, db_id).state == MOS_SVC_RUNNING, "db running");
	CHECK(show(k, app_id).state == MOS_SVC_RUNNING, "app running");

	/* The database's only instance dies: with no restart it fails, and
	 * the application that requires it is stopped. */
	{
		mos_service_status_t st = show(k, db_id);

		CHECK(mos_process_send_signal(k, st.pids[0], MOS_SIGKILL) == 0,
		      "kill");
	}
	CHECK(mos_kernel_run(k, 20 * MOS_MSEC) == 0, "run");
	CHECK(show(k, db_id).state == MOS_SVC_FAILED, "db failed");
	{
		mos_service_status_t st = show(k, app_id);

		CHECK(st.state == MOS_SVC_STOPPED &&
		      st.reason == MOS_SVC_R_DEP_STOPPED &&
		      st.culprit == db_id,
		      "app stopped by its dependency");
	}

	/* The database is started again: the application follows. */
	CHECK(mos_service_start(k, 0, db_id) == 0, "start db again");
	CHECK(mos_kernel_run(k, 30 * MOS_MSEC) == 0, "run");
	CHECK(show(k, db_id).state == MOS_SVC_RUNNING, "db back");
	CHECK(show(k, app_id).state == MOS_SVC_RUNNING, "app back");
	mos_kernel_destroy(k);
	return 0;
}
