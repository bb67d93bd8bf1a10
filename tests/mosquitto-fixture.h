/* mosquitto-fixture.h: a real mosquitto broker with TLS, passwords and an ACL
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

/* A mosquitto started in the foreground as a child process, on a free
 * loopback port, in a fresh temporary folder holding:
 *  - a CA and a server certificate it signed (subjectAltName
 *    DNS:localhost, IP:127.0.0.1), made with openssl;
 *  - a second CA that signed nothing ("wrong CA");
 *  - a password file (mosquitto_passwd) with two accounts;
 *  - an ACL giving each account /open/<account>/# only;
 *  - the configuration: a TLS listener and a plain one, both on 127.0.0.1;
 *  - mosquitto's log.
 * Everything is removed, and the broker stopped by pid, when freed.
 *
 * A part that is missing fails mosquitto_fixture_new within seconds, with a
 * message naming it: mosquitto, mosquitto_passwd or openssl not installed,
 * or a host name for the clients that does not resolve to 127.0.0.1. Tests
 * of the fixture point it elsewhere with JUICE_TEST_MOSQUITTO,
 * JUICE_TEST_MOSQUITTO_PASSWD, JUICE_TEST_OPENSSL (paths) and
 * JUICE_TEST_BROKER_HOST (the clients' host name, "localhost" by default). */
typedef struct _MosquittoFixture MosquittoFixture;

MosquittoFixture *mosquitto_fixture_new                (GError           **error);
void              mosquitto_fixture_free               (MosquittoFixture  *self);

const char       *mosquitto_fixture_get_host           (MosquittoFixture  *self);
guint             mosquitto_fixture_get_port           (MosquittoFixture  *self);
guint             mosquitto_fixture_get_plain_port     (MosquittoFixture  *self);
const char       *mosquitto_fixture_get_ca_file        (MosquittoFixture  *self);
const char       *mosquitto_fixture_get_wrong_ca_file  (MosquittoFixture  *self);
const char       *mosquitto_fixture_get_account        (MosquittoFixture  *self);
const char       *mosquitto_fixture_get_password       (MosquittoFixture  *self);
/* A second account, with its own /open/<other>/# */
const char       *mosquitto_fixture_get_other_account  (MosquittoFixture  *self);
const char       *mosquitto_fixture_get_other_password (MosquittoFixture  *self);

gboolean          mosquitto_fixture_is_running         (MosquittoFixture  *self);
/* Starts the broker (again) on the same ports; returns once it logged that
 * it runs and they accept connections, or fails, with its log, when it
 * ended first or took more than 20 s. */
gboolean          mosquitto_fixture_start              (MosquittoFixture  *self,
                                                        GError           **error);
/* SIGTERM, then waits for the process to end (SIGKILL after 10 s). */
void              mosquitto_fixture_stop               (MosquittoFixture  *self);
/* SIGKILL, then waits: the broker dies without a word to its clients. */
void              mosquitto_fixture_kill               (MosquittoFixture  *self);
gboolean          mosquitto_fixture_restart            (MosquittoFixture  *self,
                                                        GError           **error);

/* The broker's log so far. */
char             *mosquitto_fixture_dup_log            (MosquittoFixture  *self);
/* How many times @needle occurs in the log so far. */
guint             mosquitto_fixture_count_in_log       (MosquittoFixture  *self,
                                                        const char        *needle);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (MosquittoFixture, mosquitto_fixture_free)

G_END_DECLS
