/* test-ctl.c: juice-ctl against the fake cloud
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * juice-ctl runs as a child process while the fake cloud answers in this
 * process's main loop: the test iterates the main context while it waits.
 */

#include <locale.h>
#include <string.h>

#include <glib/gstdio.h>

#include "fake-cloud.h"
#include "juice-credentials.h"
#include "juice-device.h"
#include "juice-device-profile.h"
#include "juice-json.h"
#include "juice-quota-format.h"
#include "time-util.h"

#define SN1 "DCABZ8A1B2C3D4E5"
#define SN2 "DCABZ8A1B2C3D4E6"

static FakeCloudCerts *certs;
static char *ctl_path;

typedef struct
{
  FakeCloud      *fake;
  JuiceSimDevice *sim1;
  JuiceSimDevice *sim2;
  char           *home;
} Fixture;

typedef struct
{
  int   status;
  char *out;
  char *err;
} Run;

static void
run_free (Run *run)
{
  g_free (run->out);
  g_free (run->err);
  g_free (run);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Run, run_free)

/* How juice-ctl is started: which keys, host and CA file it gets. */
typedef struct
{
  const char *access_key;   /* NULL: none in the environment */
  const char *secret_key;
  const char *api_host;     /* NULL: the fake cloud's; "" for none */
  const char *ca_file;      /* NULL: the fake cloud's CA; "" for none */
  const char *input;        /* stdin */
} RunOptions;

static const RunOptions with_keys = {
  FAKE_CLOUD_ACCESS_KEY, FAKE_CLOUD_SECRET_KEY, NULL, NULL, NULL
};
static const RunOptions without_keys = { NULL, NULL, NULL, NULL, NULL };

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  f->fake = fake_cloud_new (certs, TRUE);
  f->sim1 = fake_cloud_add_device (f->fake, SN1, "Cabin", "DELTA Pro");
  f->sim2 = fake_cloud_add_device (f->fake, SN2, "Van", NULL);
  juice_sim_device_set_online (f->sim2, FALSE);

  f->home = g_dir_make_tmp ("juice-ctl-home-XXXXXX", &error);
  g_assert_no_error (error);
}

static void
assert_no_keys_in (const char *what,
                   const char *text)
{
  if (strstr (text, FAKE_CLOUD_SECRET_KEY) != NULL || strstr (text, FAKE_CLOUD_ACCESS_KEY) != NULL)
    g_error ("A key appears in %s", what);
}

/* Checks every file under @path for the keys, then removes it. */
static void
scan_and_remove (const char *path)
{
  if (g_file_test (path, G_FILE_TEST_IS_DIR) && !g_file_test (path, G_FILE_TEST_IS_SYMLINK))
    {
      g_autoptr(GDir) dir = g_dir_open (path, 0, NULL);
      const char *name;

      while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
        {
          g_autofree char *child = g_build_filename (path, name, NULL);

          scan_and_remove (child);
        }
      g_rmdir (path);
    }
  else
    {
      g_autofree char *contents = NULL;
      gsize len;

      if (g_file_get_contents (path, &contents, &len, NULL))
        {
          g_assert_null (g_strstr_len (contents, len, FAKE_CLOUD_SECRET_KEY));
          g_assert_null (g_strstr_len (contents, len, FAKE_CLOUD_ACCESS_KEY));
        }
      g_unlink (path);
    }
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  scan_and_remove (f->home);
  g_clear_pointer (&f->home, g_free);
  g_clear_pointer (&f->fake, fake_cloud_free);

  while (g_main_context_iteration (NULL, FALSE))
    ;
}

static void
communicate_cb (GObject      *object,
                GAsyncResult *result,
                gpointer      user_data)
{
  GAsyncResult **out = user_data;

  *out = g_object_ref (result);
}

static gboolean
too_long_cb (gpointer user_data)
{
  gboolean *expired = user_data;

  *expired = TRUE;
  return G_SOURCE_REMOVE;
}

static Run *
run_ctl_v (Fixture          *f,
           const RunOptions *options,
           const char       *first_arg,
           va_list           args)
{
  g_autoptr(GSubprocessLauncher) launcher = NULL;
  g_autoptr(GSubprocess) process = NULL;
  g_autoptr(GPtrArray) argv = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *config = g_build_filename (f->home, "config", NULL);
  g_autofree char *data = g_build_filename (f->home, "data", NULL);
  g_autofree char *cache = g_build_filename (f->home, "cache", NULL);
  g_autofree char *state = g_build_filename (f->home, "state", NULL);
  g_autofree char *command_line = NULL;
  gboolean expired = FALSE;
  guint guard;
  Run *run;

  g_ptr_array_add (argv, g_strdup (ctl_path));
  if (options->api_host == NULL)
    {
      g_ptr_array_add (argv, g_strdup ("--api-host"));
      g_ptr_array_add (argv, g_strdup (fake_cloud_get_base_url (f->fake)));
    }
  else if (options->api_host[0] != '\0')
    {
      g_ptr_array_add (argv, g_strdup ("--api-host"));
      g_ptr_array_add (argv, g_strdup (options->api_host));
    }
  if (options->ca_file == NULL)
    {
      g_ptr_array_add (argv, g_strdup ("--ca-file"));
      g_ptr_array_add (argv, g_strdup (certs->ca_file));
    }
  else if (options->ca_file[0] != '\0')
    {
      g_ptr_array_add (argv, g_strdup ("--ca-file"));
      g_ptr_array_add (argv, g_strdup (options->ca_file));
    }
  for (const char *arg = first_arg; arg != NULL; arg = va_arg (args, const char *))
    g_ptr_array_add (argv, g_strdup (arg));
  g_ptr_array_add (argv, NULL);

  command_line = g_strjoinv (" ", (char **) argv->pdata);
  g_test_message ("$ %s", command_line);
  /* keys travel by environment or stdin, never on the command line */
  assert_no_keys_in ("the command line", command_line);

  launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDIN_PIPE |
                                        G_SUBPROCESS_FLAGS_STDOUT_PIPE |
                                        G_SUBPROCESS_FLAGS_STDERR_PIPE);
  g_subprocess_launcher_setenv (launcher, "HOME", f->home, TRUE);
  g_subprocess_launcher_setenv (launcher, "XDG_CONFIG_HOME", config, TRUE);
  g_subprocess_launcher_setenv (launcher, "XDG_DATA_HOME", data, TRUE);
  g_subprocess_launcher_setenv (launcher, "XDG_CACHE_HOME", cache, TRUE);
  g_subprocess_launcher_setenv (launcher, "XDG_STATE_HOME", state, TRUE);
  g_subprocess_launcher_setenv (launcher, "G_MESSAGES_DEBUG", "all", TRUE);
  g_subprocess_launcher_setenv (launcher, "LC_ALL", "C.UTF-8", TRUE);
  g_subprocess_launcher_unsetenv (launcher, "JUICE_ACCESS_KEY");
  g_subprocess_launcher_unsetenv (launcher, "JUICE_SECRET_KEY");
  if (options->access_key != NULL)
    g_subprocess_launcher_setenv (launcher, "JUICE_ACCESS_KEY", options->access_key, TRUE);
  if (options->secret_key != NULL)
    g_subprocess_launcher_setenv (launcher, "JUICE_SECRET_KEY", options->secret_key, TRUE);

  process = g_subprocess_launcher_spawnv (launcher, (const char * const *) argv->pdata, &error);
  g_assert_no_error (error);

  /* The fake cloud answers from this main loop while juice-ctl runs. */
  guard = g_timeout_add_seconds (test_time_scale_s (90), too_long_cb, &expired);
  g_subprocess_communicate_utf8_async (process, options->input, NULL, communicate_cb, &result);
  while (result == NULL && !expired)
    g_main_context_iteration (NULL, TRUE);
  if (expired)
    {
      g_subprocess_force_exit (process);
      g_error ("juice-ctl did not finish within 90 s: %s", command_line);
    }
  g_source_remove (guard);

  run = g_new0 (Run, 1);
  g_subprocess_communicate_utf8_finish (process, result, &run->out, &run->err, &error);
  g_assert_no_error (error);
  g_clear_object (&result);

  g_subprocess_wait_async (process, NULL, communicate_cb, &result);
  while (result == NULL)
    g_main_context_iteration (NULL, TRUE);
  g_assert_true (g_subprocess_wait_finish (process, result, NULL));
  if (!g_subprocess_get_if_exited (process))
    g_error ("juice-ctl ended by signal %d: %s\n--- stderr\n%s", g_subprocess_get_term_sig (process),
             command_line, run->err);
  run->status = g_subprocess_get_exit_status (process);

  g_test_message ("exit %d\n--- stdout\n%s--- stderr (debug lines left out)", run->status,
                  run->out);
  {
    g_auto(GStrv) lines = g_strsplit (run->err, "\n", -1);

    for (guint i = 0; lines[i] != NULL; i++)
      if (lines[i][0] != '\0' && strstr (lines[i], "-DEBUG: ") == NULL)
        g_test_message ("%s", lines[i]);
  }

  /* G_MESSAGES_DEBUG=all: not even a debug line may show a key */
  assert_no_keys_in ("stdout", run->out);
  assert_no_keys_in ("stderr", run->err);
  /* and juice-ctl must not crash or warn */
  g_assert_null (strstr (run->err, "CRITICAL"));
  g_assert_null (strstr (run->err, "WARNING"));

  return run;
}

static Run *
run_ctl (Fixture          *f,
         const RunOptions *options,
         const char       *first_arg,
         ...)
{
  va_list args;
  Run *run;

  va_start (args, first_arg);
  run = run_ctl_v (f, options, first_arg, args);
  va_end (args);

  return run;
}

static guint
count_lines (const char *text)
{
  guint n = 0;

  for (const char *p = text; *p != '\0'; p++)
    if (*p == '\n')
      n++;

  return n;
}

static gboolean
has_line (const char *text,
          const char *line)
{
  g_auto(GStrv) lines = g_strsplit (text, "\n", -1);

  return g_strv_contains ((const char * const *) lines, line);
}

/* devices */

static void
test_devices (Fixture       *f,
              gconstpointer  data)
{
  g_autoptr(Run) run = NULL;
  g_autoptr(Run) json = NULL;
  g_autoptr(JsonNode) root = NULL;
  JsonArray *devices;
  JsonObject *first;

  juice_sim_device_set_name (f->sim1, "Cabin \x1b[2Jroof");

  run = run_ctl (f, &with_keys, "devices", NULL);
  g_assert_cmpint (run->status, ==, 0);
  g_assert_cmpuint (count_lines (run->out), ==, 2);
  /* the name's escape sequence cannot reach the terminal */
  g_assert_true (has_line (run->out, SN1 "\tCabin \xef\xbf\xbd[2Jroof\tDELTA Pro\tonline"));
  g_assert_true (has_line (run->out, SN2 "\tVan\t-\toffline"));
  g_assert_null (strchr (run->out, '\x1b'));

  json = run_ctl (f, &with_keys, "--json", "devices", NULL);
  g_assert_cmpint (json->status, ==, 0);
  root = json_from_string (json->out, NULL);
  g_assert_nonnull (root);
  devices = json_object_get_array_member (json_node_get_object (root), "devices");
  g_assert_cmpuint (json_array_get_length (devices), ==, 2);
  first = json_array_get_object_element (devices, 0);
  g_assert_cmpstr (json_object_get_string_member (first, "sn"), ==, SN1);
  g_assert_true (json_object_get_boolean_member (first, "online"));
  g_assert_true (json_object_get_null_member (json_array_get_object_element (devices, 1),
                                              "product"));
}

/* quota */

static void
test_quota_all (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(JsonObject) all = juice_sim_device_dup_all_quotas (f->sim1);
  g_autoptr(Run) run = NULL;
  g_auto(GStrv) lines = NULL;
  g_autofree char *soc_line = NULL;
  gint64 soc = 0;
  guint n;

  run = run_ctl (f, &with_keys, "quota", SN1, NULL);
  g_assert_cmpint (run->status, ==, 0);

  /* one line per key, sorted by byte order, raw values */
  n = count_lines (run->out);
  g_assert_cmpuint (n, ==, json_object_get_size (all));
  lines = g_strsplit (run->out, "\n", -1);
  for (guint i = 1; i < n; i++)
    {
      g_autofree char *a = g_strndup (lines[i - 1], strcspn (lines[i - 1], "="));
      g_autofree char *b = g_strndup (lines[i], strcspn (lines[i], "="));

      g_assert_cmpint (strcmp (a, b), <, 0);
    }

  g_assert_true (juice_sim_device_get_quota_int (f->sim1, "pd.soc", &soc));
  soc_line = g_strdup_printf ("pd.soc=%" G_GINT64_FORMAT, soc);
  g_assert_true (has_line (run->out, soc_line));
  g_assert_true (has_line (run->out, "bmsMaster.cellVol=[3333,3334,3334,3335,3332,3335,3336,"
                                     "3337,3334,3335,3332,3335,3336,3337,3332]"));
  g_assert_true (has_line (run->out, "inv.acPassByAutoEn=0"));
}

static void
test_quota_keys (Fixture       *f,
                 gconstpointer  data)
{
  g_autoptr(Run) run = NULL;
  g_autoptr(Run) missing = NULL;
  FakeCloudRequest *request;

  juice_sim_device_set_quota_int (f->sim1, "mppt.carState", 1);

  /* the API page's spelling; the device answers in its own */
  run = run_ctl (f, &with_keys, "quota", SN1, "pd.soc", "inv.acPassbyAutoEn", "mppt.carState",
                 NULL);
  g_assert_cmpint (run->status, ==, 0);
  g_assert_cmpuint (count_lines (run->out), ==, 3);
  g_assert_true (g_str_has_prefix (run->out, "inv.acPassByAutoEn=0\nmppt.carState=1\npd.soc="));

  request = g_ptr_array_index (fake_cloud_get_requests (f->fake), 0);
  g_assert_cmpstr (request->method, ==, "POST");
  g_assert_cmpstr (request->path, ==, "/iot-open/sign/device/quota");

  /* a key the device does not have: the others still print */
  missing = run_ctl (f, &with_keys, "quota", SN1, "pd.soc", "no.such.key", NULL);
  g_assert_cmpint (missing->status, ==, 1);
  g_assert_cmpuint (count_lines (missing->out), ==, 1);
  g_assert_nonnull (strstr (missing->err, "no.such.key"));
}

static void
test_quota_human (Fixture       *f,
                  gconstpointer  data)
{
  const JuiceDeviceProfile *profile = juice_device_profile_delta_pro ();
  const JuiceQuotaInfo *soc_info = juice_device_profile_lookup_quota (profile, "pd.soc");
  const JuiceQuotaInfo *volt_info = juice_device_profile_lookup_quota (profile,
                                                                       "bmsMaster.vol");
  g_autoptr(JsonObject) all = juice_sim_device_dup_all_quotas (f->sim1);
  g_autofree char *soc_text = juice_quota_format_node (soc_info,
                                                       json_object_get_member (all, "pd.soc"));
  g_autofree char *volt_text = NULL;
  g_autofree char *soc_line = NULL;
  g_autofree char *volt_line = NULL;
  g_autoptr(Run) run = NULL;
  g_autoptr(Run) named = NULL;
  g_autoptr(Run) both = NULL;

  g_assert_nonnull (soc_info);
  g_assert_nonnull (volt_info);
  volt_text = juice_quota_format_node (volt_info, json_object_get_member (all, "bmsMaster.vol"));
  soc_line = g_strdup_printf ("%s: %s", soc_info->label, soc_text);
  volt_line = g_strdup_printf ("%s: %s", volt_info->label, volt_text);

  run = run_ctl (f, &with_keys, "quota", "--human", SN1, NULL);
  g_assert_cmpint (run->status, ==, 0);
  g_assert_true (has_line (run->out, soc_line));
  g_assert_true (has_line (run->out, volt_line));
  g_assert_true (g_str_has_suffix (volt_text, " V"));
  /* labels instead of keys, and only keys the profile knows */
  g_assert_null (strstr (run->out, "pd.soc"));
  g_assert_cmpuint (count_lines (run->out), <, json_object_get_size (all));
  g_assert_cmpuint (count_lines (run->out), >, 100);

  named = run_ctl (f, &with_keys, "quota", SN1, "pd.soc", "--human", NULL);
  g_assert_cmpint (named->status, ==, 0);
  g_assert_cmpuint (count_lines (named->out), ==, 1);
  g_assert_true (has_line (named->out, soc_line));

  both = run_ctl (f, &with_keys, "--json", "quota", "--human", SN1, NULL);
  g_assert_cmpint (both->status, ==, 2);
}

static void
test_quota_human_by_product (Fixture       *f,
                             gconstpointer  data)
{
  g_autoptr(Run) known = NULL;
  g_autoptr(Run) unknown = NULL;
  g_autoptr(Run) set = NULL;

  /* a serial number juice-ctl cannot place: the device list names it */
  fake_cloud_add_device (f->fake, "X1TEST0000000001", "Shed", "DELTA Pro");
  fake_cloud_add_device (f->fake, "X1TEST0000000002", "Boat", "RIVER 2");

  known = run_ctl (f, &with_keys, "quota", "--human", "X1TEST0000000001", "pd.soc", NULL);
  g_assert_cmpint (known->status, ==, 0);
  g_assert_true (g_str_has_prefix (known->out, "Charge level: "));
  g_assert_cmpuint (fake_cloud_count_requests (f->fake, "GET", "/iot-open/sign/device/list"),
                    ==, 1);

  unknown = run_ctl (f, &with_keys, "quota", "--human", "X1TEST0000000002", "pd.soc", NULL);
  g_assert_cmpint (unknown->status, !=, 0);
  g_assert_nonnull (strstr (unknown->err, "does not know the product"));

  /* and no command goes to a product juice-ctl does not know */
  fake_cloud_clear_requests (f->fake);
  set = run_ctl (f, &with_keys, "set", "X1TEST0000000002", "beep", "on", NULL);
  g_assert_cmpint (set->status, !=, 0);
  g_assert_cmpuint (fake_cloud_count_requests (f->fake, "PUT", NULL), ==, 0);
}

static void
test_quota_json (Fixture       *f,
                 gconstpointer  data)
{
  g_autoptr(JsonObject) all = juice_sim_device_dup_all_quotas (f->sim1);
  g_autoptr(Run) run = NULL;
  g_autoptr(Run) some = NULL;
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(JsonNode) some_root = NULL;
  JsonObject *object;

  run = run_ctl (f, &with_keys, "--json", "quota", SN1, NULL);
  g_assert_cmpint (run->status, ==, 0);
  root = json_from_string (run->out, NULL);
  g_assert_nonnull (root);
  object = json_node_get_object (root);
  g_assert_cmpuint (json_object_get_size (object), ==, json_object_get_size (all));
  g_assert_true (json_node_equal (json_object_get_member (object, "bmsMaster.cellVol"),
                                  json_object_get_member (all, "bmsMaster.cellVol")));
  g_assert_true (json_node_equal (json_object_get_member (object, "pd.soc"),
                                  json_object_get_member (all, "pd.soc")));

  some = run_ctl (f, &with_keys, "quota", SN1, "--json", "pd.soc", NULL);
  g_assert_cmpint (some->status, ==, 0);
  some_root = json_from_string (some->out, NULL);
  g_assert_nonnull (some_root);
  g_assert_cmpuint (json_object_get_size (json_node_get_object (some_root)), ==, 1);
}

static void
test_quota_errors (Fixture       *f,
                   gconstpointer  data)
{
  g_autoptr(Run) offline = NULL;
  g_autoptr(Run) unknown = NULL;
  g_autoptr(Run) no_sn = NULL;

  offline = run_ctl (f, &with_keys, "quota", SN2, NULL);
  g_assert_cmpint (offline->status, ==, 1);
  g_assert_nonnull (strstr (offline->err, "offline"));
  g_assert_cmpstr (offline->out, ==, "");

  unknown = run_ctl (f, &with_keys, "quota", "DCABZZZZZZZZZZZZ", NULL);
  g_assert_cmpint (unknown->status, ==, 1);
  g_assert_nonnull (strstr (unknown->err, "1006"));
  g_assert_nonnull (strstr (unknown->err, "device not allowed"));

  no_sn = run_ctl (f, &with_keys, "quota", NULL);
  g_assert_cmpint (no_sn->status, ==, 2);
}

/* settings */

static void
test_settings (Fixture       *f,
               gconstpointer  data)
{
  static const char * const names[] = {
    "ac-output", "x-boost", "car-output", "charge-limit", "discharge-limit",
    "car-input-current", "beep", "screen-brightness", "screen-timeout", "unit-timeout",
    "ac-standby", "ac-charging-power", "pv-charging-type", "bypass-ac-auto-start",
    "generator-auto-on", "generator-auto-off",
  };
  g_autoptr(Run) run = NULL;
  g_autoptr(Run) json = NULL;
  g_autoptr(JsonNode) root = NULL;
  g_auto(GStrv) lines = NULL;
  JsonArray *settings;

  run = run_ctl (f, &without_keys, "settings", NULL);
  g_assert_cmpint (run->status, ==, 0);
  g_assert_cmpuint (count_lines (run->out), ==, G_N_ELEMENTS (names));
  lines = g_strsplit (run->out, "\n", -1);
  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    {
      g_autofree char *prefix = g_strdup_printf ("%s ", names[i]);

      g_assert_true (g_str_has_prefix (lines[i], prefix));
    }
  g_assert_nonnull (strstr (run->out, "50..100 %"));
  g_assert_nonnull (strstr (run->out, "auto, mppt, adapter"));
  g_assert_nonnull (strstr (run->out, "on, off"));
  /* no network needed */
  g_assert_cmpuint (fake_cloud_get_n_arrived (f->fake), ==, 0);

  json = run_ctl (f, &without_keys, "--json", "settings", NULL);
  g_assert_cmpint (json->status, ==, 0);
  root = json_from_string (json->out, NULL);
  g_assert_nonnull (root);
  settings = json_object_get_array_member (json_node_get_object (root), "settings");
  g_assert_cmpuint (json_array_get_length (settings), ==, G_N_ELEMENTS (names));
  g_assert_cmpint (json_object_get_int_member (json_array_get_object_element (settings, 3),
                                               "min"), ==, 50);
}

/* set */

static JsonObject *
sent_params (FakeCloud *fake)
{
  GPtrArray *requests = fake_cloud_get_requests (fake);
  g_autoptr(JsonNode) body = NULL;

  for (guint i = 0; i < requests->len; i++)
    {
      FakeCloudRequest *r = g_ptr_array_index (requests, i);

      if (g_str_equal (r->method, "PUT"))
        {
          body = json_from_string (r->body, NULL);
          g_assert_nonnull (body);
          return json_object_ref (json_object_get_object_member (json_node_get_object (body),
                                                                 "params"));
        }
    }

  g_assert_not_reached ();
}

static void
test_set (Fixture       *f,
          gconstpointer  data)
{
  g_autoptr(Run) run = NULL;
  g_autoptr(Run) json = NULL;
  g_autoptr(JsonObject) params = NULL;
  g_autoptr(JsonNode) root = NULL;
  gint64 value = 0;

  run = run_ctl (f, &with_keys, "set", SN1, "charge-limit", "80", NULL);
  g_assert_cmpint (run->status, ==, 0);
  g_assert_nonnull (strstr (run->out, "charge-limit is now 80 %"));
  g_assert_nonnull (strstr (run->out, "confirmed"));

  g_assert_true (juice_sim_device_get_quota_int (f->sim1, "ems.maxChargeSoc", &value));
  g_assert_cmpint (value, ==, 80);

  params = sent_params (f->fake);
  g_assert_cmpint (json_object_get_int_member (params, "cmdSet"), ==, 32);
  g_assert_cmpint (json_object_get_int_member (params, "id"), ==, 49);
  g_assert_cmpint (json_object_get_int_member (params, "maxChgSoc"), ==, 80);
  g_assert_cmpuint (json_object_get_size (params), ==, 3);
  /* one PUT, then readback until the device showed it */
  g_assert_cmpuint (fake_cloud_count_requests (f->fake, "PUT", NULL), ==, 1);
  g_assert_cmpuint (fake_cloud_count_requests (f->fake, "POST", NULL), >=, 1);
  g_clear_pointer (&params, json_object_unref);

  fake_cloud_clear_requests (f->fake);
  json = run_ctl (f, &with_keys, "--json", "set", SN1, "pv-charging-type", "mppt", NULL);
  g_assert_cmpint (json->status, ==, 0);
  root = json_from_string (json->out, NULL);
  g_assert_nonnull (root);
  g_assert_true (json_object_get_boolean_member (json_node_get_object (root), "confirmed"));
  g_assert_cmpint (json_object_get_int_member (json_node_get_object (root), "raw"), ==, 1);
  g_assert_true (juice_sim_device_get_quota_int (f->sim1, "mppt.cfgChgType", &value));
  g_assert_cmpint (value, ==, 1);
  params = sent_params (f->fake);
  g_assert_cmpint (json_object_get_int_member (params, "chgType"), ==, 1);
}

static void
test_set_shared_command (Fixture       *f,
                         gconstpointer  data)
{
  g_autoptr(Run) ac_on = NULL;
  g_autoptr(Run) boost_off = NULL;
  g_autoptr(JsonObject) params = NULL;
  gint64 value = -1;

  /* X-Boost is on: turning AC on must keep it on */
  juice_sim_device_set_quota_int (f->sim1, "inv.cfgAcXboost", 1);

  ac_on = run_ctl (f, &with_keys, "set", SN1, "ac-output", "on", NULL);
  g_assert_cmpint (ac_on->status, ==, 0);
  params = sent_params (f->fake);
  g_assert_cmpint (json_object_get_int_member (params, "id"), ==, 66);
  g_assert_cmpint (json_object_get_int_member (params, "enabled"), ==, 1);
  g_assert_cmpint (json_object_get_int_member (params, "xboost"), ==, 1);
  g_assert_true (juice_sim_device_get_quota_int (f->sim1, "inv.cfgAcEnabled", &value));
  g_assert_cmpint (value, ==, 1);
  g_assert_true (juice_sim_device_get_quota_int (f->sim1, "inv.cfgAcXboost", &value));
  g_assert_cmpint (value, ==, 1);
  g_clear_pointer (&params, json_object_unref);

  /* and X-Boost off keeps AC on */
  fake_cloud_clear_requests (f->fake);
  boost_off = run_ctl (f, &with_keys, "set", SN1, "x-boost", "off", NULL);
  g_assert_cmpint (boost_off->status, ==, 0);
  params = sent_params (f->fake);
  g_assert_cmpint (json_object_get_int_member (params, "enabled"), ==, 1);
  g_assert_cmpint (json_object_get_int_member (params, "xboost"), ==, 0);
  g_assert_true (juice_sim_device_get_quota_int (f->sim1, "inv.cfgAcXboost", &value));
  g_assert_cmpint (value, ==, 0);
  g_assert_true (juice_sim_device_get_quota_int (f->sim1, "inv.cfgAcEnabled", &value));
  g_assert_cmpint (value, ==, 1);
}

/* The params the app builds for @setting = @value on a device that reports
 * what @sim reports now. */
static JsonObject *
app_params (JuiceSimDevice *sim,
            const char     *name,
            gint64          value)
{
  const JuiceDeviceProfile *profile = juice_device_profile_delta_pro ();
  const JuiceSettingInfo *setting = juice_device_profile_lookup_setting (profile, name);
  g_autoptr(JuiceDevice) device = juice_device_new (SN1, profile);
  g_autoptr(JsonObject) report = json_object_new ();
  g_autoptr(JsonNode) node = NULL;
  g_autoptr(GError) error = NULL;
  JsonObject *params;
  gint64 v;

  for (guint i = 0; i < profile->n_settings; i++)
    if (juice_sim_device_get_quota_int (sim, profile->settings[i].readback_key, &v))
      json_object_set_int_member (report, profile->settings[i].readback_key, v);
  node = json_node_init_object (json_node_alloc (), report);
  juice_device_apply_report (device, node, &error);
  g_assert_no_error (error);

  params = juice_device_build_command (device, setting, value, &error);
  g_assert_no_error (error);
  return params;
}

static gboolean
same_params (JsonObject *a,
             JsonObject *b)
{
  g_autoptr(JsonNode) na = json_node_init_object (json_node_alloc (), a);
  g_autoptr(JsonNode) nb = json_node_init_object (json_node_alloc (), b);

  return json_node_equal (na, nb);
}

/* X-Boost "ignored" (0xff): toggling AC output leaves it so, and juice-ctl
 * sends what the app sends. */
static void
test_set_same_as_app (Fixture       *f,
                      gconstpointer  data)
{
  gint64 readbacks[] = { 0, 1, 0xff };

  for (guint i = 0; i < G_N_ELEMENTS (readbacks); i++)
    {
      g_autoptr(Run) run = NULL;
      g_autoptr(JsonObject) sent = NULL;
      g_autoptr(JsonObject) app = NULL;
      gint64 value = -1;

      juice_sim_device_set_quota_int (f->sim1, "inv.cfgAcEnabled", 0);
      juice_sim_device_set_quota_int (f->sim1, "inv.cfgAcXboost", readbacks[i]);
      app = app_params (f->sim1, "ac-output", 1);
      fake_cloud_clear_requests (f->fake);

      run = run_ctl (f, &with_keys, "set", "--http", SN1, "ac-output", "on", NULL);
      g_assert_cmpint (run->status, ==, 0);
      sent = sent_params (f->fake);
      g_assert_true (same_params (sent, app));
      g_assert_cmpint (json_object_get_int_member (sent, "xboost"), ==, readbacks[i]);
      g_assert_true (juice_sim_device_get_quota_int (f->sim1, "inv.cfgAcXboost", &value));
      g_assert_cmpint (value, ==, readbacks[i]);
    }
}

static void
test_set_invalid (Fixture       *f,
                  gconstpointer  data)
{
  g_autoptr(Run) range = NULL;
  g_autoptr(Run) word = NULL;
  g_autoptr(Run) unknown = NULL;
  g_autoptr(Run) missing = NULL;

  range = run_ctl (f, &with_keys, "set", SN1, "charge-limit", "20", NULL);
  g_assert_cmpint (range->status, ==, 2);
  g_assert_nonnull (strstr (range->err, "50..100 %"));

  word = run_ctl (f, &with_keys, "set", SN1, "pv-charging-type", "wind", NULL);
  g_assert_cmpint (word->status, ==, 2);
  g_assert_nonnull (strstr (word->err, "auto, mppt, adapter"));

  unknown = run_ctl (f, &with_keys, "set", SN1, "turbo", "on", NULL);
  g_assert_cmpint (unknown->status, ==, 2);
  g_assert_nonnull (strstr (unknown->err, "charge-limit"));

  missing = run_ctl (f, &with_keys, "set", SN1, "beep", NULL);
  g_assert_cmpint (missing->status, ==, 2);

  /* refused before anything was sent */
  g_assert_cmpuint (fake_cloud_get_n_arrived (f->fake), ==, 0);
}

static void
test_set_offline (Fixture       *f,
                  gconstpointer  data)
{
  g_autoptr(Run) run = NULL;

  run = run_ctl (f, &with_keys, "set", SN2, "car-output", "on", NULL);
  g_assert_cmpint (run->status, ==, 1);
  g_assert_nonnull (strstr (run->err, "1008"));
  g_assert_nonnull (strstr (run->err, "offline"));
}

static void
test_set_unconfirmed (Fixture       *f,
                      gconstpointer  data)
{
  g_autoptr(Run) run = NULL;
  gint64 start = g_get_monotonic_time ();
  /* 2 s; longer in a slow build, where one poll may take a second */
  guint wait_s = test_time_scale_s (2);
  g_autofree char *wait = g_strdup_printf ("%u", wait_s);

  /* accepted, but the device takes longer than juice-ctl waits */
  g_object_set (f->sim1, "apply-delay-ms", 60000, NULL);

  run = run_ctl (f, &with_keys, "set", "--wait", wait, SN1, "beep", "off", NULL);
  g_assert_cmpint (run->status, ==, 1);
  g_assert_nonnull (strstr (run->err, "still shows beep = on"));
  g_assert_cmpuint (fake_cloud_count_requests (f->fake, "PUT", NULL), ==, 1);
  /* polled, but not in a storm: about every half second */
  g_assert_cmpuint (fake_cloud_count_requests (f->fake, "POST", NULL), >=, 3);
  g_assert_cmpuint (fake_cloud_count_requests (f->fake, "POST", NULL), <=, 3 * wait_s);
  g_assert_cmpint (g_get_monotonic_time () - start, >=, 1500 * 1000);
}

/* errors */

static void
test_auth_errors (Fixture       *f,
                  gconstpointer  data)
{
  RunOptions wrong_access = with_keys;
  RunOptions wrong_secret = with_keys;
  RunOptions only_one = with_keys;
  g_autoptr(Run) access = NULL;
  g_autoptr(Run) secret = NULL;
  g_autoptr(Run) permission = NULL;
  g_autoptr(Run) no_keys = NULL;
  g_autoptr(Run) half = NULL;

  wrong_access.access_key = "AKnotmine0000000000000000";
  access = run_ctl (f, &wrong_access, "devices", NULL);
  g_assert_cmpint (access->status, ==, 3);
  g_assert_nonnull (strstr (access->err, "8513"));
  g_assert_nonnull (strstr (access->err, "accessKey is invalid"));
  g_assert_nonnull (strstr (access->err, "region"));

  wrong_secret.secret_key = "SKnotmine0000000000000000000000";
  secret = run_ctl (f, &wrong_secret, "quota", SN1, NULL);
  g_assert_cmpint (secret->status, ==, 3);
  g_assert_nonnull (strstr (secret->err, "8521"));

  fake_cloud_fail (f->fake, NULL, FAKE_CLOUD_FAIL_CODE_8512, 1);
  permission = run_ctl (f, &with_keys, "devices", NULL);
  g_assert_cmpint (permission->status, ==, 3);
  g_assert_nonnull (strstr (permission->err, "8512"));

  /* none of them was tried twice */
  g_assert_cmpuint (fake_cloud_get_n_arrived (f->fake), ==, 3);

  /* no keys in the environment, none stored for this host */
  no_keys = run_ctl (f, &without_keys, "devices", NULL);
  g_assert_cmpint (no_keys->status, ==, 3);
  g_assert_nonnull (strstr (no_keys->err, "JUICE_ACCESS_KEY"));

  /* one of the two is not enough */
  only_one.secret_key = NULL;
  half = run_ctl (f, &only_one, "devices", NULL);
  g_assert_cmpint (half->status, ==, 3);
  g_assert_cmpuint (fake_cloud_get_n_arrived (f->fake), ==, 3);
}

static void
test_service_errors (Fixture       *f,
                     gconstpointer  data)
{
  static const struct {
    FakeCloudFailure  failure;
    const char       *says;
  } cases[] = {
    { FAKE_CLOUD_FAIL_HTTP_500, "500" },
    { FAKE_CLOUD_FAIL_INVALID_JSON, "not an API response" },
    { FAKE_CLOUD_FAIL_DATA_NULL, "without data" },
    { FAKE_CLOUD_FAIL_CODE_1006, "1006" },
    { FAKE_CLOUD_FAIL_CODE_1000, "1000" },
    { FAKE_CLOUD_FAIL_CODE_UNKNOWN, "4711" },
    { FAKE_CLOUD_FAIL_HUGE_CHUNKED, "larger than" },
    { FAKE_CLOUD_FAIL_DEEP, "deeper" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(Run) run = NULL;

      fake_cloud_fail (f->fake, NULL, cases[i].failure, -1);
      run = run_ctl (f, &with_keys, "quota", SN1, NULL);
      g_assert_cmpint (run->status, ==, 1);
      g_assert_nonnull (strstr (run->err, cases[i].says));
      g_assert_null (strchr (run->err, '\x1b'));
      g_assert_cmpstr (run->out, ==, "");

      /* back to normal for the next case */
      fake_cloud_free (f->fake);
      f->fake = fake_cloud_new (certs, TRUE);
      f->sim1 = fake_cloud_add_device (f->fake, SN1, "Cabin", "DELTA Pro");
    }
}

static void
test_tls (Fixture       *f,
          gconstpointer  data)
{
  RunOptions no_ca = with_keys;
  RunOptions other_ca = with_keys;
  RunOptions plain_remote = with_keys;
  RunOptions bad_ca = with_keys;
  g_autoptr(Run) refused = NULL;
  g_autoptr(Run) other = NULL;
  g_autoptr(Run) remote = NULL;
  g_autoptr(Run) unreadable = NULL;
  g_autoptr(Run) plain = NULL;
  g_autoptr(FakeCloud) plain_fake = NULL;
  RunOptions plain_local = with_keys;

  no_ca.ca_file = "";
  refused = run_ctl (f, &no_ca, "devices", NULL);
  g_assert_cmpint (refused->status, ==, 1);
  g_assert_nonnull (strstr (refused->err, "not signed by a trusted certificate authority"));

  other_ca.ca_file = certs->other_ca_file;
  other = run_ctl (f, &other_ca, "devices", NULL);
  g_assert_cmpint (other->status, ==, 1);
  g_assert_nonnull (strstr (other->err, "certificate"));

  /* nothing reached the server without a trusted certificate */
  g_assert_cmpuint (fake_cloud_get_n_arrived (f->fake), ==, 0);

  plain_remote.api_host = "http://api-e.ecoflow.com";
  plain_remote.ca_file = "";
  remote = run_ctl (f, &plain_remote, "devices", NULL);
  g_assert_cmpint (remote->status, ==, 2);
  g_assert_nonnull (strstr (remote->err, "http://"));

  bad_ca.ca_file = "/nonexistent/ca.pem";
  unreadable = run_ctl (f, &bad_ca, "devices", NULL);
  g_assert_cmpint (unreadable->status, ==, 2);

  /* plain http is fine to this computer */
  plain_fake = fake_cloud_new (certs, FALSE);
  fake_cloud_add_device (plain_fake, SN1, "Cabin", "DELTA Pro");
  plain_local.api_host = fake_cloud_get_base_url (plain_fake);
  plain_local.ca_file = "";
  plain = run_ctl (f, &plain_local, "devices", NULL);
  g_assert_cmpint (plain->status, ==, 0);
  g_assert_cmpuint (count_lines (plain->out), ==, 1);
}

static void
test_usage (Fixture       *f,
            gconstpointer  data)
{
  g_autoptr(Run) nothing = NULL;
  g_autoptr(Run) unknown = NULL;
  g_autoptr(Run) extra = NULL;
  g_autoptr(Run) option = NULL;
  g_autoptr(Run) help = NULL;

  nothing = run_ctl (f, &with_keys, NULL, NULL);
  g_assert_cmpint (nothing->status, ==, 2);
  g_assert_nonnull (strstr (nothing->err, "devices"));

  unknown = run_ctl (f, &with_keys, "frobnicate", NULL);
  g_assert_cmpint (unknown->status, ==, 2);

  extra = run_ctl (f, &with_keys, "devices", "extra", NULL);
  g_assert_cmpint (extra->status, ==, 2);

  option = run_ctl (f, &with_keys, "devices", "--bogus", NULL);
  g_assert_cmpint (option->status, ==, 2);

  help = run_ctl (f, &with_keys, "--help", NULL);
  g_assert_cmpint (help->status, ==, 0);
  g_assert_nonnull (strstr (help->out, "set SN SETTING VALUE"));

  g_assert_cmpuint (fake_cloud_get_n_arrived (f->fake), ==, 0);
}

/* Bad arguments are usage errors, found before any request or core call. */
static void
test_bad_arguments (Fixture       *f,
                    gconstpointer  data)
{
  static const char * const bad_sns[] = { "", " ", "DCAB Z8", "DCAB\nZ8", "DCAB/../x", "DCAB\x1b[2J" };
  g_autoptr(Run) negative = NULL;
  g_autoptr(Run) empty_key = NULL;
  g_autoptr(Run) key_control = NULL;
  g_autoptr(Run) time_limit = NULL;
  g_autoptr(Run) watch_timeout = NULL;

  for (guint i = 0; i < G_N_ELEMENTS (bad_sns); i++)
    {
      g_autoptr(Run) quota = run_ctl (f, &with_keys, "quota", bad_sns[i], NULL);
      g_autoptr(Run) set = run_ctl (f, &with_keys, "set", bad_sns[i], "beep", "on", NULL);
      g_autoptr(Run) watch = run_ctl (f, &with_keys, "watch", bad_sns[i], "--timeout", "1", NULL);

      g_assert_cmpint (quota->status, ==, 2);
      g_assert_nonnull (strstr (quota->err, "not a serial number"));
      g_assert_null (strchr (quota->err, '\x1b'));
      g_assert_cmpint (set->status, ==, 2);
      g_assert_nonnull (strstr (set->err, "not a serial number"));
      g_assert_cmpint (watch->status, ==, 2);
      g_assert_nonnull (strstr (watch->err, "not a serial number"));
    }

  /* "--" ends the options: -1 is a value, out of range */
  negative = run_ctl (f, &with_keys, "set", SN1, "charge-limit", "--", "-1", NULL);
  g_assert_cmpint (negative->status, ==, 2);
  g_assert_nonnull (strstr (negative->err, "50..100 %"));
  g_assert_null (strstr (negative->err, "needs a serial number"));

  empty_key = run_ctl (f, &with_keys, "quota", SN1, "", NULL);
  g_assert_cmpint (empty_key->status, ==, 2);
  key_control = run_ctl (f, &with_keys, "quota", SN1, "pd.soc\r\nX-Evil: 1", NULL);
  g_assert_cmpint (key_control->status, ==, 2);

  time_limit = run_ctl (f, &with_keys, "devices", "--time-limit", "0", NULL);
  g_assert_cmpint (time_limit->status, ==, 2);
  watch_timeout = run_ctl (f, &with_keys, "watch", SN1, "--timeout", "-1", NULL);
  g_assert_cmpint (watch_timeout->status, ==, 2);

  g_assert_cmpuint (fake_cloud_get_n_arrived (f->fake), ==, 0);
}

/* A key with a line break never reaches libsoup: refused with exit 2. */
static void
test_keys_with_control_characters (Fixture       *f,
                                   gconstpointer  data)
{
  static const char * const bad[] = {
    FAKE_CLOUD_ACCESS_KEY "\r\n", FAKE_CLOUD_ACCESS_KEY "\nX-Evil: 1", "AK\tX", "AK X", "AK\x7f",
  };
  RunOptions login_input = without_keys;
  g_autoptr(Run) login = NULL;

  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      RunOptions access = with_keys;
      RunOptions secret = with_keys;
      g_autoptr(Run) a = NULL;
      g_autoptr(Run) b = NULL;

      access.access_key = bad[i];
      a = run_ctl (f, &access, "devices", NULL);
      g_assert_cmpint (a->status, ==, 2);
      g_assert_nonnull (strstr (a->err, "JUICE_ACCESS_KEY"));
      g_assert_nonnull (strstr (a->err, "control character"));

      secret.secret_key = bad[i];
      b = run_ctl (f, &secret, "quota", SN1, NULL);
      g_assert_cmpint (b->status, ==, 2);
      g_assert_nonnull (strstr (b->err, "JUICE_SECRET_KEY"));
    }

  /* a carriage return inside a typed key is refused, not cut off */
  login_input.input = "AKfirst\rAKsecond\n" FAKE_CLOUD_SECRET_KEY "\n";
  login = run_ctl (f, &login_input, "login", NULL);
  g_assert_cmpint (login->status, ==, 2);
  g_assert_nonnull (strstr (login->err, "access key"));

  g_assert_cmpuint (fake_cloud_get_n_arrived (f->fake), ==, 0);
}

/* juice-ctl's time for one attempt at a request (src/ctl/juice-ctl.c). */
static guint
attempt_s (guint time_limit_s)
{
  return MIN (15, MAX (1, (time_limit_s - 1) / 2));
}

/* A slow service: the command ends within --time-limit and says why. The
 * limits stretch up to 3 times in a slow build (under valgrind, juice-ctl's
 * TLS handshake alone can take longer than an attempt of 2 s). */
static void
test_time_limit (Fixture       *f,
                 gconstpointer  data)
{
  guint stretch = (guint) CLAMP (test_time_scale (), 1.0, 3.0);
  guint devices_limit = 6 * stretch, set_limit = 4 * stretch, wait = 2 * stretch;
  g_autofree char *devices_limit_arg = g_strdup_printf ("%u", devices_limit);
  g_autofree char *set_limit_arg = g_strdup_printf ("%u", set_limit);
  g_autofree char *wait_arg = g_strdup_printf ("%u", wait);
  g_autofree char *devices_message = NULL;
  g_autofree char *set_message = NULL;
  g_autoptr(Run) devices = NULL;
  g_autoptr(Run) set = NULL;
  gint64 start;
  double elapsed;

  /* longer than any attempt and than both commands */
  fake_cloud_set_delay_ms (f->fake, 20000 * stretch);

  start = g_get_monotonic_time ();
  devices = run_ctl (f, &with_keys, "devices", "--time-limit", devices_limit_arg, NULL);
  elapsed = (g_get_monotonic_time () - start) / 1e6;
  g_test_message ("devices ended after %.1f s", elapsed);
  g_assert_cmpint (devices->status, ==, 1);
  /* each attempt (limit - 1) / 2 s, tried twice */
  devices_message = g_strdup_printf ("EcoFlow did not answer within %u s (one retry)",
                                     attempt_s (devices_limit));
  g_assert_nonnull (strstr (devices->err, devices_message));
  g_assert_cmpuint (fake_cloud_get_n_arrived (f->fake), ==, 2);
  g_assert_cmpfloat (elapsed, >=, 2.0 * attempt_s (devices_limit));
  /* The limit counts from juice-ctl's start: 3 s to start and end, more in
   * a slow build. */
  g_assert_cmpfloat (elapsed, <, devices_limit + 3.0 * test_time_scale ());

  /* set: --time-limit plus --wait at most */
  start = g_get_monotonic_time ();
  set = run_ctl (f, &with_keys, "set", "--time-limit", set_limit_arg, "--wait", wait_arg, "--http",
                 SN1, "beep", "off", NULL);
  elapsed = (g_get_monotonic_time () - start) / 1e6;
  g_test_message ("set ended after %.1f s", elapsed);
  g_assert_cmpint (set->status, ==, 1);
  /* a command is not sent twice */
  set_message = g_strdup_printf ("did not answer the command within %u s; it was not sent again",
                                 attempt_s (set_limit));
  g_assert_nonnull (strstr (set->err, set_message));
  g_assert_cmpfloat (elapsed, <, set_limit + wait + 3.0 * test_time_scale ());
}

/* data: null for the device list says what came back */
static void
test_devices_no_data (Fixture       *f,
                      gconstpointer  data)
{
  g_autoptr(Run) run = NULL;

  fake_cloud_fail (f->fake, "GET", FAKE_CLOUD_FAIL_DATA_NULL, -1);
  run = run_ctl (f, &with_keys, "devices", NULL);
  g_assert_cmpint (run->status, ==, 1);
  g_assert_nonnull (strstr (run->err, "without a device list"));
  g_assert_null (strstr (run->err, "offline"));
}

/* Numbers print as the key's type says. */
static void
test_quota_types (Fixture       *f,
                  gconstpointer  data)
{
  g_autoptr(Run) named = NULL;
  g_autoptr(Run) all = NULL;
  g_autoptr(Run) json = NULL;
  g_autoptr(JsonNode) root = NULL;
  JsonObject *object;

  fake_cloud_set_raw_quota (f->fake, "pd.soc", "1e2");                          /* integer */
  fake_cloud_set_raw_quota (f->fake, "ems.maxChargeSoc", "\"90\"");             /* integer */
  fake_cloud_set_raw_quota (f->fake, "pd.beepState", "true");                   /* on/off */
  fake_cloud_set_raw_quota (f->fake, "pd.lcdBrightness", "12.5");               /* integer */

  named = run_ctl (f, &with_keys, "quota", SN1, "pd.soc", "ems.maxChargeSoc", "pd.beepState",
                   "pd.lcdBrightness", NULL);
  g_assert_cmpstr (named->out, ==, "ems.maxChargeSoc=90\npd.soc=100\n");
  g_assert_nonnull (strstr (named->err, "pd.beepState=true left out"));
  g_assert_nonnull (strstr (named->err, "pd.lcdBrightness=12.5 left out"));
  /* keys asked for by name that cannot be shown: exit 1 */
  g_assert_cmpint (named->status, ==, 1);

  all = run_ctl (f, &with_keys, "quota", SN1, NULL);
  g_assert_cmpint (all->status, ==, 0);
  g_assert_true (has_line (all->out, "pd.soc=100"));
  g_assert_null (strstr (all->out, "pd.beepState="));
  g_assert_null (strstr (all->out, "pd.lcdBrightness="));
  g_assert_null (strstr (all->out, "100.0"));

  json = run_ctl (f, &with_keys, "--json", "quota", SN1, "pd.soc", "ems.maxChargeSoc", NULL);
  root = json_from_string (json->out, NULL);
  g_assert_nonnull (root);
  object = json_node_get_object (root);
  g_assert_cmpint (json_node_get_value_type (json_object_get_member (object, "pd.soc")), ==,
                   G_TYPE_INT64);
  g_assert_cmpint (json_object_get_int_member (object, "pd.soc"), ==, 100);
  g_assert_cmpint (json_object_get_int_member (object, "ems.maxChargeSoc"), ==, 90);
}

/* login */

static void
assert_no_keys_under (const char *path)
{
  if (g_file_test (path, G_FILE_TEST_IS_DIR) && !g_file_test (path, G_FILE_TEST_IS_SYMLINK))
    {
      g_autoptr(GDir) dir = g_dir_open (path, 0, NULL);
      const char *name;

      while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
        {
          g_autofree char *child = g_build_filename (path, name, NULL);

          assert_no_keys_under (child);
        }
    }
  else if (g_file_test (path, G_FILE_TEST_IS_REGULAR))
    {
      g_autofree char *contents = NULL;
      gsize len;

      if (g_file_get_contents (path, &contents, &len, NULL))
        {
          g_test_message ("checked %s", path);
          g_assert_null (g_strstr_len (contents, len, FAKE_CLOUD_SECRET_KEY));
          g_assert_null (g_strstr_len (contents, len, FAKE_CLOUD_ACCESS_KEY));
        }
    }
}

static gboolean
keyring_available (char **reason)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JuiceCredentials) none = NULL;

  if (g_getenv ("DBUS_SESSION_BUS_ADDRESS") == NULL)
    {
      *reason = g_strdup ("no D-Bus session bus (run the tests with build-aux/dev.sh test)");
      return FALSE;
    }

  none = juice_credentials_lookup_sync ("https://juice-test-probe.invalid", NULL, &error);
  if (error != NULL)
    {
      *reason = g_strdup_printf ("no secret service: %s", error->message);
      return FALSE;
    }

  return TRUE;
}

static void
test_login_input (Fixture       *f,
                  gconstpointer  data)
{
  RunOptions short_input = without_keys;
  RunOptions spaces = without_keys;
  g_autoptr(Run) ended = NULL;
  g_autoptr(Run) bad = NULL;
  g_autoptr(Run) args = NULL;

  /* only one key before the input ends: nothing is stored, nothing sent */
  short_input.input = FAKE_CLOUD_ACCESS_KEY "\n";
  ended = run_ctl (f, &short_input, "login", NULL);
  g_assert_cmpint (ended->status, ==, 2);
  g_assert_nonnull (strstr (ended->err, "ended"));

  spaces.input = "AK with spaces\n" FAKE_CLOUD_SECRET_KEY "\n";
  bad = run_ctl (f, &spaces, "login", NULL);
  g_assert_cmpint (bad->status, ==, 2);

  /* keys are never taken from the command line */
  args = run_ctl (f, &without_keys, "login", "AKsomething", NULL);
  g_assert_cmpint (args->status, ==, 2);

  g_assert_cmpuint (fake_cloud_get_n_arrived (f->fake), ==, 0);
}

static void
test_login_keyring (Fixture       *f,
                    gconstpointer  data)
{
  g_autofree char *reason = NULL;
  g_autoptr(JuiceCredentials) stored = NULL;
  g_autoptr(GError) error = NULL;
  RunOptions login = without_keys;
  RunOptions wrong = without_keys;
  RunOptions unchecked = without_keys;
  g_autoptr(Run) refused = NULL;
  g_autoptr(Run) after_refused = NULL;
  g_autoptr(Run) ok = NULL;
  g_autoptr(Run) devices = NULL;
  g_autoptr(Run) logout = NULL;
  g_autoptr(Run) after_logout = NULL;
  g_autoptr(Run) again = NULL;
  g_autoptr(Run) logout_again = NULL;
  const char *host = fake_cloud_get_base_url (f->fake);

  if (!keyring_available (&reason))
    {
      g_test_skip (reason);
      return;
    }

  /* wrong keys are tried first and not stored */
  wrong.input = "AKnotmine0000000000000000\n" FAKE_CLOUD_SECRET_KEY "\n";
  refused = run_ctl (f, &wrong, "login", NULL);
  g_assert_cmpint (refused->status, ==, 3);
  g_assert_nonnull (strstr (refused->err, "not stored"));
  after_refused = run_ctl (f, &without_keys, "devices", NULL);
  g_assert_cmpint (after_refused->status, ==, 3);

  login.input = FAKE_CLOUD_ACCESS_KEY "\n" FAKE_CLOUD_SECRET_KEY "\n";
  ok = run_ctl (f, &login, "login", NULL);
  g_assert_cmpint (ok->status, ==, 0);
  g_assert_nonnull (strstr (ok->out, host));

  /* stored under the schema, for this host only */
  stored = juice_credentials_lookup_sync (host, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (stored);
  g_assert_cmpstr (stored->access_key, ==, FAKE_CLOUD_ACCESS_KEY);
  g_assert_cmpstr (stored->secret_key, ==, FAKE_CLOUD_SECRET_KEY);

  /* the keyring's own files hold them encrypted only */
  assert_no_keys_under (g_get_user_data_dir ());

  /* and used without any key in the environment */
  devices = run_ctl (f, &without_keys, "devices", NULL);
  g_assert_cmpint (devices->status, ==, 0);
  g_assert_cmpuint (count_lines (devices->out), ==, 2);

  logout = run_ctl (f, &without_keys, "logout", NULL);
  g_assert_cmpint (logout->status, ==, 0);
  after_logout = run_ctl (f, &without_keys, "devices", NULL);
  g_assert_cmpint (after_logout->status, ==, 3);

  /* --no-check stores without asking the service */
  unchecked.input = FAKE_CLOUD_ACCESS_KEY "\n" FAKE_CLOUD_SECRET_KEY;
  fake_cloud_clear_requests (f->fake);
  again = run_ctl (f, &unchecked, "login", "--no-check", NULL);
  g_assert_cmpint (again->status, ==, 0);
  g_assert_cmpuint (fake_cloud_get_n_arrived (f->fake), ==, 0);

  logout_again = run_ctl (f, &without_keys, "logout", NULL);
  g_assert_cmpint (logout_again->status, ==, 0);
  g_clear_pointer (&stored, juice_credentials_free);
  stored = juice_credentials_lookup_sync (host, NULL, &error);
  g_assert_no_error (error);
  g_assert_null (stored);
}

/* login on a terminal: the secret key is not echoed. `script` gives juice-ctl
 * a pseudo-terminal; what the terminal shows comes back on its stdout. */

typedef struct
{
  GString      *shown;
  GInputStream *stream;
  gboolean      eof;
  char          buf[256];
} Terminal;

static void
terminal_read_cb (GObject      *object,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  Terminal *terminal = user_data;
  gssize n = g_input_stream_read_finish (G_INPUT_STREAM (object), result, NULL);

  if (n <= 0)
    {
      terminal->eof = TRUE;
      return;
    }

  g_string_append_len (terminal->shown, terminal->buf, n);
  g_input_stream_read_async (terminal->stream, terminal->buf, sizeof terminal->buf,
                             G_PRIORITY_DEFAULT, NULL, terminal_read_cb, terminal);
}

/* Woken by what the terminal shows (terminal_read_cb) or the deadline. */
static gboolean
terminal_wait_for (Terminal   *terminal,
                   const char *text)
{
  gboolean expired = FALSE;
  guint guard = g_timeout_add_seconds (test_time_scale_s (30), too_long_cb, &expired);

  while (strstr (terminal->shown->str, text) == NULL && !terminal->eof && !expired)
    g_main_context_iteration (NULL, TRUE);

  if (!expired)
    g_source_remove (guard);

  return strstr (terminal->shown->str, text) != NULL;
}

static void
test_login_no_echo (Fixture       *f,
                    gconstpointer  data)
{
  g_autofree char *script = g_find_program_in_path ("script");
  g_autoptr(GSubprocessLauncher) launcher = NULL;
  g_autoptr(GSubprocess) process = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *command = NULL;
  g_autofree char *reason = NULL;
  Terminal terminal = { 0 };
  GOutputStream *input;

  if (script == NULL)
    {
      g_test_skip ("no `script` (util-linux) to give juice-ctl a terminal");
      return;
    }

  command = g_strdup_printf ("%s --api-host %s --ca-file %s login --no-check", ctl_path,
                             fake_cloud_get_base_url (f->fake), certs->ca_file);
  launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDIN_PIPE |
                                        G_SUBPROCESS_FLAGS_STDOUT_PIPE |
                                        G_SUBPROCESS_FLAGS_STDERR_MERGE);
  g_subprocess_launcher_setenv (launcher, "HOME", f->home, TRUE);
  g_subprocess_launcher_setenv (launcher, "G_MESSAGES_DEBUG", "all", TRUE);
  g_subprocess_launcher_unsetenv (launcher, "JUICE_ACCESS_KEY");
  g_subprocess_launcher_unsetenv (launcher, "JUICE_SECRET_KEY");
  process = g_subprocess_launcher_spawn (launcher, &error, script, "-q", "-e", "-c", command,
                                         "/dev/null", NULL);
  g_assert_no_error (error);

  terminal.shown = g_string_new (NULL);
  terminal.stream = g_subprocess_get_stdout_pipe (process);
  g_input_stream_read_async (terminal.stream, terminal.buf, sizeof terminal.buf,
                             G_PRIORITY_DEFAULT, NULL, terminal_read_cb, &terminal);
  input = g_subprocess_get_stdin_pipe (process);

  g_assert_true (terminal_wait_for (&terminal, "access key: "));
  g_output_stream_write_all (input, FAKE_CLOUD_ACCESS_KEY "\n",
                             strlen (FAKE_CLOUD_ACCESS_KEY) + 1, NULL, NULL, &error);
  g_assert_no_error (error);

  /* the prompt shows once echo is off */
  g_assert_true (terminal_wait_for (&terminal, "secret key: "));
  g_output_stream_write_all (input, FAKE_CLOUD_SECRET_KEY "\n",
                             strlen (FAKE_CLOUD_SECRET_KEY) + 1, NULL, NULL, &error);
  g_assert_no_error (error);

  /* the line end is shown, the secret is not */
  terminal_wait_for (&terminal, "keyring");
  g_output_stream_close (input, NULL, NULL);
  g_assert_true (terminal_wait_for (&terminal, "\x04never shown\x04") || terminal.eof);
  g_subprocess_wait (process, NULL, NULL);

  g_test_message ("the terminal showed:\n%s", terminal.shown->str);
  /* the access key is echoed like any input; the secret key never */
  g_assert_nonnull (strstr (terminal.shown->str, FAKE_CLOUD_ACCESS_KEY));
  g_assert_null (strstr (terminal.shown->str, FAKE_CLOUD_SECRET_KEY));
  g_assert_nonnull (strstr (terminal.shown->str, "keyring"));

  /* stored or not depends on a keyring being here; clean up either way */
  if (keyring_available (&reason))
    juice_credentials_clear_sync (fake_cloud_get_base_url (f->fake), NULL, NULL);

  g_string_free (terminal.shown, TRUE);
}

/* A session as a user would type it; run with --verbose for a transcript. */
static void
test_session (Fixture       *f,
              gconstpointer  data)
{
  RunOptions wrong_region = with_keys;
  g_autoptr(Run) devices = NULL;
  g_autoptr(Run) quota = NULL;
  g_autoptr(Run) human = NULL;
  g_autoptr(Run) set = NULL;
  g_autoptr(Run) readback = NULL;
  g_autoptr(Run) offline = NULL;
  g_autoptr(Run) invalid = NULL;
  g_autoptr(Run) wrong = NULL;

  devices = run_ctl (f, &with_keys, "devices", NULL);
  g_assert_cmpint (devices->status, ==, 0);

  quota = run_ctl (f, &with_keys, "quota", SN1, "pd.soc", "ems.maxChargeSoc",
                   "inv.cfgAcEnabled", NULL);
  g_assert_cmpint (quota->status, ==, 0);
  g_assert_true (has_line (quota->out, "ems.maxChargeSoc=95"));

  human = run_ctl (f, &with_keys, "quota", "--human", SN1, "pd.soc", "bmsMaster.vol",
                   "ems.maxChargeSoc", NULL);
  g_assert_cmpint (human->status, ==, 0);
  g_assert_cmpuint (count_lines (human->out), ==, 3);

  set = run_ctl (f, &with_keys, "set", SN1, "charge-limit", "90", NULL);
  g_assert_cmpint (set->status, ==, 0);

  readback = run_ctl (f, &with_keys, "quota", SN1, "ems.maxChargeSoc", NULL);
  g_assert_cmpstr (readback->out, ==, "ems.maxChargeSoc=90\n");

  offline = run_ctl (f, &with_keys, "set", SN2, "car-output", "on", NULL);
  g_assert_cmpint (offline->status, ==, 1);

  invalid = run_ctl (f, &with_keys, "set", SN1, "charge-limit", "120", NULL);
  g_assert_cmpint (invalid->status, ==, 2);

  wrong_region.access_key = "AKfromtheamericas00000000";
  wrong = run_ctl (f, &wrong_region, "devices", NULL);
  g_assert_cmpint (wrong->status, ==, 3);
}

/* Second products (DELTA 2): settings --product offline, set confirmed by
 * its readback, the PUT body in the DELTA 2's dialect. */

#define SN_DELTA_2 "R331ZEB4ZE8A0123"

static JsonObject *
sent_body (FakeCloud *fake)
{
  GPtrArray *requests = fake_cloud_get_requests (fake);

  for (guint i = 0; i < requests->len; i++)
    {
      FakeCloudRequest *r = g_ptr_array_index (requests, i);
      g_autoptr(JsonNode) body = NULL;

      if (!g_str_equal (r->method, "PUT"))
        continue;
      body = json_from_string (r->body, NULL);
      g_assert_nonnull (body);
      return json_object_ref (json_node_get_object (body));
    }

  g_assert_not_reached ();
}

static void
test_settings_product (Fixture       *f,
                       gconstpointer  data)
{
  g_autoptr(Run) run = NULL;
  g_autoptr(Run) json = NULL;
  g_autoptr(Run) unknown = NULL;
  g_autoptr(JsonNode) root = NULL;

  run = run_ctl (f, &without_keys, "settings", "--product", "delta 2", NULL);
  g_assert_cmpint (run->status, ==, 0);
  g_assert_cmpuint (count_lines (run->out), ==, 20);
  g_assert_true (g_str_has_prefix (run->out, "ac-output "));
  g_assert_nonnull (strstr (run->out, "\nbackup-reserve-level "));
  g_assert_nonnull (strstr (run->out, "200..1200 W"));
  g_assert_nonnull (strstr (run->out, "4000..10000 mA"));

  json = run_ctl (f, &without_keys, "--json", "settings", "--product", "DELTA 2 Max", NULL);
  g_assert_cmpint (json->status, ==, 0);
  root = json_from_string (json->out, NULL);
  g_assert_nonnull (root);
  g_assert_cmpstr (json_object_get_string_member (json_node_get_object (root), "product"), ==,
                   "DELTA 2 Max");

  unknown = run_ctl (f, &without_keys, "settings", "--product", "RIVER 2", NULL);
  g_assert_cmpint (unknown->status, !=, 0);
  g_assert_nonnull (strstr (unknown->err, "RIVER 2"));
  g_assert_nonnull (strstr (unknown->err, "DELTA 2"));
  /* no network needed */
  g_assert_cmpuint (fake_cloud_get_n_arrived (f->fake), ==, 0);
}

static void
test_set_delta_2 (Fixture       *f,
                  gconstpointer  data)
{
  JuiceSimDevice *sim = fake_cloud_add_device (f->fake, SN_DELTA_2, "Camper", "DELTA 2");
  g_autoptr(Run) limit = NULL;
  g_autoptr(Run) ac = NULL;
  g_autoptr(Run) refused = NULL;
  g_autoptr(JsonObject) body = NULL;
  JsonObject *params;
  gint64 value = 0;

  limit = run_ctl (f, &with_keys, "set", SN_DELTA_2, "charge-limit", "75", NULL);
  g_assert_cmpint (limit->status, ==, 0);
  g_assert_nonnull (strstr (limit->out, "charge-limit is now 75 %"));
  g_assert_nonnull (strstr (limit->out, "confirmed"));
  g_assert_true (juice_sim_device_get_quota_int (sim, "bms_emsStatus.maxChargeSoc", &value));
  g_assert_cmpint (value, ==, 75);

  /* {"id","version":"1.0","sn","moduleType":2,"operateType":"upsConfig","params":{"maxChgSoc":75}} */
  body = sent_body (f->fake);
  g_assert_cmpuint (json_object_get_size (body), ==, 6);
  g_assert_true (json_object_get_int_member (body, "id") > 0);
  g_assert_cmpstr (json_object_get_string_member (body, "version"), ==, "1.0");
  g_assert_cmpstr (json_object_get_string_member (body, "sn"), ==, SN_DELTA_2);
  g_assert_cmpint (json_object_get_int_member (body, "moduleType"), ==, 2);
  g_assert_cmpstr (json_object_get_string_member (body, "operateType"), ==, "upsConfig");
  params = json_object_get_object_member (body, "params");
  g_assert_cmpuint (json_object_get_size (params), ==, 1);
  g_assert_cmpint (json_object_get_int_member (params, "maxChgSoc"), ==, 75);
  g_clear_pointer (&body, json_object_unref);

  /* AC output: the keep-values go with it, the device applies only enabled */
  fake_cloud_clear_requests (f->fake);
  ac = run_ctl (f, &with_keys, "set", SN_DELTA_2, "ac-output", "on", NULL);
  g_assert_cmpint (ac->status, ==, 0);
  g_assert_nonnull (strstr (ac->out, "confirmed"));
  g_assert_true (juice_sim_device_get_quota_int (sim, "mppt.cfgAcEnabled", &value));
  g_assert_cmpint (value, ==, 1);
  g_assert_true (juice_sim_device_get_quota_int (sim, "mppt.cfgAcXboost", &value));
  g_assert_cmpint (value, ==, 1);
  body = sent_body (f->fake);
  g_assert_cmpint (json_object_get_int_member (body, "moduleType"), ==, 5);
  params = json_object_get_object_member (body, "params");
  g_assert_cmpint (json_object_get_int_member (params, "xboost"), ==, 255);
  g_assert_cmpint (json_object_get_int_member (params, "out_voltage"), ==, G_GINT64_CONSTANT (4294967295));

  /* A refusal by the device is reported, not taken for success. */
  fake_cloud_clear_requests (f->fake);
  juice_sim_device_set_refuse_commands (sim, TRUE);
  refused = run_ctl (f, &with_keys, "set", SN_DELTA_2, "usb-output", "on", NULL);
  g_assert_cmpint (refused->status, !=, 0);
  g_assert_true (juice_sim_device_get_quota_int (sim, "pd.dcOutState", &value));
  g_assert_cmpint (value, ==, 0);
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GError) error = NULL;
  int ret;

  /* transcripts (--verbose) show juice-ctl's UTF-8 as it is */
  setlocale (LC_ALL, "");
  g_test_init (&argc, &argv, NULL);

  if (g_getenv ("JUICE_CTL") != NULL)
    ctl_path = g_strdup (g_getenv ("JUICE_CTL"));
  else
    ctl_path = g_build_filename (g_getenv ("JUICE_BUILD_DIR") ? g_getenv ("JUICE_BUILD_DIR") : ".",
                                 "src", "ctl", "juice-ctl", NULL);
  g_assert_true (g_file_test (ctl_path, G_FILE_TEST_IS_EXECUTABLE));

  certs = fake_cloud_certs_new (&error);
  g_assert_no_error (error);

#define ADD(path, func) \
  g_test_add ("/juice/ctl/" path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)

  ADD ("session", test_session);
  ADD ("devices", test_devices);
  ADD ("quota/all", test_quota_all);
  ADD ("quota/keys", test_quota_keys);
  ADD ("quota/human", test_quota_human);
  ADD ("quota/json", test_quota_json);
  ADD ("quota/human-by-product", test_quota_human_by_product);
  ADD ("quota/errors", test_quota_errors);
  ADD ("settings", test_settings);
  ADD ("set/confirmed", test_set);
  ADD ("set/shared-command", test_set_shared_command);
  ADD ("set/same-as-app", test_set_same_as_app);
  ADD ("set/invalid", test_set_invalid);
  ADD ("set/offline", test_set_offline);
  ADD ("set/unconfirmed", test_set_unconfirmed);
  ADD ("errors/auth", test_auth_errors);
  ADD ("errors/service", test_service_errors);
  ADD ("errors/tls", test_tls);
  ADD ("errors/usage", test_usage);
  ADD ("errors/bad-arguments", test_bad_arguments);
  ADD ("errors/keys-with-control-characters", test_keys_with_control_characters);
  ADD ("errors/time-limit", test_time_limit);
  ADD ("devices/no-data", test_devices_no_data);
  ADD ("quota/types", test_quota_types);
  ADD ("login/input", test_login_input);
  ADD ("login/keyring", test_login_keyring);
  ADD ("login/no-echo", test_login_no_echo);
  /* second products (DELTA 2) */
  ADD ("settings/product", test_settings_product);
  ADD ("set/delta-2", test_set_delta_2);
#undef ADD

  ret = g_test_run ();

  g_clear_pointer (&certs, fake_cloud_certs_free);
  g_free (ctl_path);

  return ret;
}
