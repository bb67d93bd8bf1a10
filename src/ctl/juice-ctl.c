/* juice-ctl.c: the command-line tool, global options and what commands share
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "juice-ctl"

#include "config.h"

#include <errno.h>
#include <locale.h>
#include <math.h>
#include <string.h>

#include <glib/gi18n.h>

#include "juice-credentials.h"
#include "juice-ctl.h"
#include "juice-error.h"
#include "juice-json.h"

/* Waiting */

void
juice_ctl_wait_cb (GObject      *object,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  JuiceCtlWait *wait = user_data;

  g_assert (wait->result == NULL);
  wait->result = g_object_ref (result);
}

GAsyncResult *
juice_ctl_wait (JuiceCtlWait *wait)
{
  /* Blocks in poll() until a source dispatches: no busy loop. */
  while (wait->result == NULL)
    g_main_context_iteration (NULL, TRUE);

  return wait->result;
}

void
juice_ctl_wait_clear (JuiceCtlWait *wait)
{
  g_clear_object (&wait->result);
}

void
juice_ctl_wait_for (const gboolean *flag)
{
  while (!*flag)
    g_main_context_iteration (NULL, TRUE);
}

/* The command's time limit */

/* What juice_ctl_fail() needs to say what happened: one command per process. */
static guint attempt_timeout_s;
static guint deadline_passed_s;

static gboolean
deadline_cb (gpointer user_data)
{
  JuiceCtl *ctl = user_data;

  ctl->deadline_id = 0;
  deadline_passed_s = ctl->deadline_s;
  g_debug ("Time limit of %u s reached", ctl->deadline_s);
  g_cancellable_cancel (ctl->cancellable);

  return G_SOURCE_REMOVE;
}

void
juice_ctl_start_deadline (JuiceCtl *ctl,
                          guint     extra_s)
{
  juice_ctl_stop_deadline (ctl);
  if (ctl->cancellable == NULL)
    ctl->cancellable = g_cancellable_new ();
  ctl->deadline_s = (guint) ctl->time_limit_s + extra_s;
  ctl->deadline_id = g_timeout_add_seconds (ctl->deadline_s, deadline_cb, ctl);
}

void
juice_ctl_stop_deadline (JuiceCtl *ctl)
{
  g_clear_handle_id (&ctl->deadline_id, g_source_remove);
}

/* Arguments */

/**
 * juice_ctl_check_serial_number:
 *
 * EcoFlow's serial numbers are letters and digits ("DCABZ8A1B2C3D4E5"):
 * anything else is a typing or pasting mistake, refused before any request.
 */
gboolean
juice_ctl_check_serial_number (const char  *serial_number,
                               GError     **error)
{
  gsize len = serial_number != NULL ? strlen (serial_number) : 0;
  gboolean valid = len > 0 && len <= 64;

  for (gsize i = 0; valid && i < len; i++)
    valid = g_ascii_isalnum (serial_number[i]);

  if (!valid)
    {
      g_autofree char *clean = juice_ctl_clean (serial_number != NULL ? serial_number : "");

      g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                   _("“%s” is not a serial number: those are 1 to 64 letters and digits, "
                     "as “juice-ctl devices” lists them."),
                   clean);
    }

  return valid;
}

/**
 * juice_ctl_check_key:
 * @what: the key's name for the message ("JUICE_ACCESS_KEY")
 *
 * A key is printable ASCII without spaces: a line break or another control
 * character is a paste gone wrong, and would end up in an HTTP header.
 * The message never shows the key.
 */
gboolean
juice_ctl_check_key (const char  *what,
                     const char  *key,
                     GError     **error)
{
  gboolean valid = key != NULL && key[0] != '\0';

  for (const char *p = key; valid && *p != '\0'; p++)
    valid = g_ascii_isgraph (*p);

  if (!valid)
    g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                 _("%s is empty or holds a space, a line break or another control "
                   "character: EcoFlow’s keys are letters and digits. Check what was "
                   "pasted."),
                 what);

  return valid;
}

/* Output */

/**
 * juice_ctl_clean:
 *
 * Returns: @text from the network made safe for a terminal: control
 *   characters (escape sequences, newlines) replaced.
 */
char *
juice_ctl_clean (const char *text)
{
  return juice_cloud_error_sanitize_text (text, 100000);
}

void
juice_ctl_print_json (JsonNode *node)
{
  g_autoptr(JsonGenerator) generator = json_generator_new ();
  g_autofree char *text = NULL;

  json_generator_set_pretty (generator, TRUE);
  json_generator_set_indent (generator, 2);
  json_generator_set_root (generator, node);
  text = json_generator_to_data (generator, NULL);
  g_print ("%s\n", text);
}

/**
 * juice_ctl_format_quota:
 * @info: (nullable): what the profile says about the key
 * @text: (out): the value as juice-ctl prints it
 *
 * Numbers print as the key's type says: whole-number keys (integer, enum,
 * on/off, bit fields) as integers ("1e2" prints 100), float keys as the
 * shortest decimal. A value that does not fit the type (true for a number,
 * a fraction or a 25-digit number for an integer) is not printed at all:
 * returns %FALSE. Keys the profile does not know print as they came.
 */
gboolean
juice_ctl_format_quota (const JuiceQuotaInfo  *info,
                        JsonNode              *node,
                        char                 **text)
{
  gint64 i;

  *text = NULL;

  switch (info != NULL ? info->type : JUICE_QUOTA_TEXT)
    {
    case JUICE_QUOTA_INTEGER:
    case JUICE_QUOTA_ENUM:
    case JUICE_QUOTA_BOOLEAN:
    case JUICE_QUOTA_BITS:
      if (!juice_json_node_get_exact_int (node, &i))
        return FALSE;
      *text = g_strdup_printf ("%" G_GINT64_FORMAT, i);
      return TRUE;

    case JUICE_QUOTA_FLOAT:
      if (juice_json_node_get_exact_int (node, &i))
        *text = g_strdup_printf ("%" G_GINT64_FORMAT, i);
      else if (JSON_NODE_HOLDS_VALUE (node) && json_node_get_value_type (node) == G_TYPE_DOUBLE &&
               isfinite (json_node_get_double (node)))
        {
          char buf[G_ASCII_DTOSTR_BUF_SIZE];

          *text = g_strdup (g_ascii_dtostr (buf, sizeof buf, json_node_get_double (node)));
        }
      else
        return FALSE;
      return TRUE;

    case JUICE_QUOTA_ARRAY:
    case JUICE_QUOTA_TEXT:
    default:
      *text = juice_json_node_to_text (node);
      return TRUE;
    }
}

gboolean
juice_ctl_has_control (const char *text)
{
  for (const guchar *p = (const guchar *) text; *p != '\0'; p++)
    if (*p < 0x20 || *p == 0x7f)
      return TRUE;

  return FALSE;
}

/* Errors and exit codes */

int
juice_ctl_exit_code (const GError *error)
{
  if (error == NULL)
    return JUICE_CTL_EXIT_OK;

  if (juice_cloud_error_is_auth (error))
    return JUICE_CTL_EXIT_AUTH;

  if (g_error_matches (error, JUICE_CLOUD_ERROR, JUICE_CLOUD_ERROR_INVALID_URL) ||
      g_error_matches (error, JUICE_DEVICE_ERROR, JUICE_DEVICE_ERROR_INVALID_VALUE) ||
      g_error_matches (error, JUICE_DEVICE_ERROR, JUICE_DEVICE_ERROR_UNKNOWN_SETTING) ||
      error->domain == G_OPTION_ERROR)
    return JUICE_CTL_EXIT_USAGE;

  return JUICE_CTL_EXIT_ERROR;
}

int
juice_ctl_fail (const GError *error)
{
  /* Say what happened, not how the wait was cut short. */
  if (deadline_passed_s > 0 && g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      g_printerr (_("juice-ctl: no answer within %u s, the command’s time limit "
                    "(--time-limit).\n"),
                  deadline_passed_s);
      return JUICE_CTL_EXIT_ERROR;
    }

  if (g_error_matches (error, JUICE_CLOUD_ERROR, JUICE_CLOUD_ERROR_TIMEOUT) &&
      attempt_timeout_s > 0)
    {
      g_printerr (_("juice-ctl: EcoFlow did not answer within %u s (one retry).\n"),
                  attempt_timeout_s);
      return JUICE_CTL_EXIT_ERROR;
    }

  g_printerr ("juice-ctl: %s\n", error->message);

  return juice_ctl_exit_code (error);
}

int
juice_ctl_usage (const char *format,
                 ...)
{
  g_autofree char *message = NULL;
  va_list args;

  va_start (args, format);
  message = g_strdup_vprintf (format, args);
  va_end (args);

  g_printerr ("juice-ctl: %s\n", message);
  g_printerr (_("Run “juice-ctl --help” for the commands and options.\n"));

  return JUICE_CTL_EXIT_USAGE;
}

/* The cloud and the keys */

/**
 * juice_ctl_resolve_api_host:
 * @api_host: (nullable): a URL, "europe" or "americas"; Europe when %NULL
 *
 * Returns: the normalized base URL, or %NULL with @error set.
 */
char *
juice_ctl_resolve_api_host (const char  *api_host,
                            GError     **error)
{
  char *normalized = NULL;

  if (api_host == NULL || g_ascii_strcasecmp (api_host, "europe") == 0 ||
      g_ascii_strcasecmp (api_host, "eu") == 0)
    api_host = juice_cloud_region_get_base_url (JUICE_CLOUD_REGION_EUROPE);
  else if (g_ascii_strcasecmp (api_host, "americas") == 0 ||
           g_ascii_strcasecmp (api_host, "us") == 0)
    api_host = juice_cloud_region_get_base_url (JUICE_CLOUD_REGION_AMERICAS);

  if (!juice_cloud_check_base_url (api_host, &normalized, error))
    return NULL;

  return normalized;
}

static JuiceCredentials *
find_credentials (const char  *api_host,
                  GError     **error)
{
  const char *access_key = g_getenv ("JUICE_ACCESS_KEY");
  const char *secret_key = g_getenv ("JUICE_SECRET_KEY");
  g_autoptr(GError) keyring_error = NULL;
  JuiceCredentials *credentials;

  if (access_key != NULL && access_key[0] != '\0' && secret_key != NULL && secret_key[0] != '\0')
    {
      if (!juice_ctl_check_key ("JUICE_ACCESS_KEY", access_key, error) ||
          !juice_ctl_check_key ("JUICE_SECRET_KEY", secret_key, error))
        return NULL;

      g_debug ("Using the keys from the environment");
      return juice_credentials_new (access_key, secret_key);
    }

  credentials = juice_credentials_lookup_sync (api_host, NULL, &keyring_error);
  if (credentials != NULL)
    {
      g_debug ("Using the keys stored in the keyring for %s", api_host);
      return credentials;
    }

  if (keyring_error != NULL)
    g_set_error (error, JUICE_CLOUD_ERROR, JUICE_CLOUD_ERROR_NO_CREDENTIALS,
                 _("No EcoFlow keys: the keyring could not be read (%s). Set "
                   "JUICE_ACCESS_KEY and JUICE_SECRET_KEY, or run “juice-ctl login” where a "
                   "keyring is available."),
                 keyring_error->message);
  else
    g_set_error (error, JUICE_CLOUD_ERROR, JUICE_CLOUD_ERROR_NO_CREDENTIALS,
                 _("No EcoFlow keys are stored for %s. Run “juice-ctl login”, or set "
                   "JUICE_ACCESS_KEY and JUICE_SECRET_KEY."),
                 api_host);

  return NULL;
}

/**
 * juice_ctl_open_cloud:
 * @with_credentials: whether to find the keys (environment, then keyring)
 *
 * Returns: (transfer none): the cloud client for the global options.
 */
JuiceCloud *
juice_ctl_open_cloud (JuiceCtl  *ctl,
                      gboolean   with_credentials,
                      GError   **error)
{
  g_autofree char *api_host = NULL;
  g_autoptr(GError) local_error = NULL;

  if (ctl->cloud == NULL)
    {
      api_host = juice_ctl_resolve_api_host (ctl->api_host, error);
      if (api_host == NULL)
        return NULL;

      ctl->cloud = juice_cloud_new (api_host, ctl->ca_file, &local_error);
      if (ctl->cloud == NULL)
        {
          /* An address or a CA file that cannot be used: an option to fix. */
          g_set_error_literal (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                               local_error->message);
          return NULL;
        }

      /* Bounded: two attempts and the pause between them (< 1 s) fit in
       * the time limit. */
      attempt_timeout_s = MIN (15, MAX (1, ((guint) ctl->time_limit_s - 1) / 2));
      juice_cloud_set_timeout_ms (ctl->cloud, attempt_timeout_s * 1000);
      juice_cloud_set_max_attempts (ctl->cloud, JUICE_CTL_MAX_ATTEMPTS);
    }

  /* From the first request on, the command's time is bounded. */
  if (ctl->deadline_s == 0)
    juice_ctl_start_deadline (ctl, 0);

  if (with_credentials && !juice_cloud_has_credentials (ctl->cloud))
    {
      g_autoptr(JuiceCredentials) credentials = NULL;

      credentials = find_credentials (juice_cloud_get_base_url (ctl->cloud), error);
      if (credentials == NULL)
        return NULL;

      juice_cloud_set_credentials (ctl->cloud, credentials->access_key, credentials->secret_key);
    }

  return ctl->cloud;
}

/**
 * juice_ctl_profile_for:
 *
 * Returns: the profile of the device: by its serial number's prefix, else by
 *   the product name the device list gives.
 */
const JuiceDeviceProfile *
juice_ctl_profile_for (JuiceCtl    *ctl,
                       const char  *serial_number,
                       GError     **error)
{
  const JuiceDeviceProfile *profile;
  g_autoptr(GPtrArray) devices = NULL;
  JuiceCtlWait wait = { NULL };
  JuiceCloud *cloud;

  profile = juice_device_profile_for_product (NULL, serial_number);
  if (profile != NULL)
    return profile;

  cloud = juice_ctl_open_cloud (ctl, TRUE, error);
  if (cloud == NULL)
    return NULL;

  juice_cloud_list_devices_async (cloud, ctl->cancellable, juice_ctl_wait_cb, &wait);
  devices = juice_cloud_list_devices_finish (cloud, juice_ctl_wait (&wait), error);
  juice_ctl_wait_clear (&wait);
  if (devices == NULL)
    return NULL;

  for (guint i = 0; i < devices->len; i++)
    {
      JuiceCloudDeviceInfo *info = g_ptr_array_index (devices, i);

      if (g_strcmp0 (info->serial_number, serial_number) == 0)
        {
          profile = juice_device_profile_for_product (info->product, serial_number);
          if (profile != NULL)
            return profile;

          g_set_error (error, JUICE_DEVICE_ERROR, JUICE_DEVICE_ERROR_INVALID_VALUE,
                       _("Juice does not know the product of %s yet."), serial_number);
          return NULL;
        }
    }

  g_set_error (error, JUICE_CLOUD_ERROR, JUICE_CLOUD_ERROR_DEVICE_NOT_ALLOWED,
               _("There is no device %s in this account."), serial_number);
  return NULL;
}

/* Options */

static GOptionEntry global_entries[] = {
  { "api-host", 0, 0, G_OPTION_ARG_STRING, NULL,
    N_("EcoFlow API address: europe (default), americas or a URL"), N_("URL") },
  { "ca-file", 0, 0, G_OPTION_ARG_FILENAME, NULL,
    N_("Also trust the certificate authorities in FILE (PEM)"), N_("FILE") },
  { "json", 0, 0, G_OPTION_ARG_NONE, NULL,
    N_("Print JSON"), NULL },
  { "time-limit", 0, 0, G_OPTION_ARG_INT, NULL,
    N_("End a command after SECONDS without an answer (default 32; set adds --wait)"),
    N_("SECONDS") },
  { NULL }
};

static void
bind_global_entries (JuiceCtl     *ctl,
                     GOptionEntry *entries)
{
  memcpy (entries, global_entries, sizeof global_entries);
  entries[0].arg_data = &ctl->api_host;
  entries[1].arg_data = &ctl->ca_file;
  entries[2].arg_data = &ctl->json;
  entries[3].arg_data = &ctl->time_limit_s;
}

/**
 * juice_ctl_parse_options:
 * @argv: (inout): the subcommand and its arguments; what is left after the
 *   options on return
 *
 * Parses a subcommand's options; the global ones are accepted there too.
 */
gboolean
juice_ctl_parse_options (JuiceCtl       *ctl,
                         char         ***argv,
                         const char     *parameter_string,
                         const char     *summary,
                         GOptionEntry   *entries,
                         GError        **error)
{
  g_autoptr(GOptionContext) context = NULL;
  GOptionEntry globals[G_N_ELEMENTS (global_entries)];
  g_autofree char *parameters = g_strdup_printf ("%s %s", (*argv)[0], parameter_string);

  bind_global_entries (ctl, globals);

  context = g_option_context_new (parameters);
  g_option_context_set_translation_domain (context, GETTEXT_PACKAGE);
  g_option_context_set_summary (context, summary);
  if (entries != NULL)
    g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  g_option_context_add_main_entries (context, globals, GETTEXT_PACKAGE);

  if (!g_option_context_parse_strv (context, argv, error))
    return FALSE;

  /* "--" ends the options ("set SN charge-limit -- -1") and GOption leaves
   * it in place: it is no argument. */
  for (guint i = 1; (*argv)[i] != NULL; i++)
    {
      if (g_str_equal ((*argv)[i], "--"))
        {
          g_free ((*argv)[i]);
          memmove (&(*argv)[i], &(*argv)[i + 1], (g_strv_length (*argv + i + 1) + 1) * sizeof (char *));
          break;
        }
    }

  if (ctl->time_limit_s < 2 || ctl->time_limit_s > 3600)
    {
      g_set_error_literal (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                           _("--time-limit takes 2 to 3600 seconds."));
      return FALSE;
    }

  return TRUE;
}

/* Main */

typedef int (*CommandFunc) (JuiceCtl *ctl,
                            char    **argv);

static const struct {
  const char  *name;
  CommandFunc  func;
} commands[] = {
  { "devices", juice_ctl_devices },
  { "quota", juice_ctl_quota },
  { "settings", juice_ctl_settings },
  { "set", juice_ctl_set },
  { "watch", juice_ctl_watch },
  { "login", juice_ctl_login },
  { "logout", juice_ctl_logout },
  /* History (issue 10) */
  { "history", juice_ctl_history },
};

static const char summary[] =
  N_("Commands:\n"
     "  devices                 List the devices of the account\n"
     "  quota SN [KEY…]         Print every quota of a device, or the named ones\n"
     "                          (--human: labels and units)\n"
     "  settings                List the settings and the values they take\n"
     "                          (--product NAME: of another product than DELTA Pro)\n"
     "  set SN SETTING VALUE    Change a setting and wait until the device shows it\n"
     "                          (over MQTT when the broker answers, else HTTP)\n"
     "  watch SN                Print key=value for each quota change as it arrives\n"
     "                          (--count N; --timeout SECONDS, 0 for no limit)\n"
     "  login                   Store the API keys in the keyring\n"
     "  logout                  Remove the stored API keys\n"
     "  history [SN]            What Juice recorded: without SN, the devices with\n"
     "                          their first and last sample; with SN, its samples\n"
     "                          (--from DATE, --to DATE; --csv or --json) or its\n"
     "                          energy in and out per day (--daily)\n"
     "\n"
     "The keys come from JUICE_ACCESS_KEY and JUICE_SECRET_KEY when both are set,\n"
     "else from the keyring.\n"
     "\n"
     "Time: each request to EcoFlow is tried twice at most, each attempt waiting up\n"
     "to 15 s (less when --time-limit is under 32 s); a whole command ends within\n"
     "--time-limit (default 32 s; set: plus --wait; watch: until it is connected,\n"
     "then --timeout bounds it).\n"
     "\n"
     "Exit status: 0 ok; 1 API or network error, no answer in time, or a watch that\n"
     "never connected or met a broker certificate that is not trusted; 2 usage or\n"
     "invalid value (also a serial number or key with spaces or control characters);\n"
     "3 authentication (8513, 8521, 8512, no keys, or the broker refused the account\n"
     "again after fresh credentials).");

static void
juice_ctl_clear (JuiceCtl *ctl)
{
  juice_ctl_stop_deadline (ctl);
  g_clear_object (&ctl->cancellable);
  g_clear_object (&ctl->cloud);
  g_clear_pointer (&ctl->api_host, g_free);
  g_clear_pointer (&ctl->ca_file, g_free);
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) args = NULL;
  GOptionEntry globals[G_N_ELEMENTS (global_entries)];
  JuiceCtl ctl = { 0 };
  int status;

  ctl.time_limit_s = JUICE_CTL_DEFAULT_TIME_LIMIT_S;
  ctl.cancellable = g_cancellable_new ();

  setlocale (LC_ALL, "");
  bindtextdomain (GETTEXT_PACKAGE, LOCALEDIR);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);
  g_set_prgname ("juice-ctl");
  /* stdout is for results; every log line goes to stderr */
  g_log_writer_default_set_use_stderr (TRUE);

  bind_global_entries (&ctl, globals);

  context = g_option_context_new (_("COMMAND [ARGUMENTS…]"));
  g_option_context_set_translation_domain (context, GETTEXT_PACKAGE);
  g_option_context_set_summary (context, _(summary));
  g_option_context_add_main_entries (context, globals, GETTEXT_PACKAGE);
  /* Options after the command are the command's. */
  g_option_context_set_strict_posix (context, TRUE);

  args = g_strdupv (argv);
  if (!g_option_context_parse_strv (context, &args, &error))
    {
      status = juice_ctl_usage ("%s", error->message);
      juice_ctl_clear (&ctl);
      return status;
    }

  if (g_strv_length (args) < 2)
    {
      g_autofree char *help = g_option_context_get_help (context, TRUE, NULL);

      g_printerr ("%s", help);
      juice_ctl_clear (&ctl);
      return JUICE_CTL_EXIT_USAGE;
    }

  for (guint i = 0; i < G_N_ELEMENTS (commands); i++)
    {
      if (g_str_equal (args[1], commands[i].name))
        {
          g_auto(GStrv) command_args = g_strdupv (args + 1);

          status = commands[i].func (&ctl, command_args);
          juice_ctl_clear (&ctl);
          return status;
        }
    }

  status = juice_ctl_usage (_("Unknown command “%s”."), args[1]);
  juice_ctl_clear (&ctl);
  return status;
}
