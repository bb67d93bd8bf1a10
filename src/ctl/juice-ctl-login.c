/* juice-ctl-login.c: store and remove the API keys
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The keys are read from the terminal (the secret without echo) or, when
 * stdin is not a terminal, as two lines from stdin: never from the command
 * line, where other users could see them.
 */

#define G_LOG_DOMAIN "juice-ctl"

#include "config.h"

#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>

#include <glib/gi18n.h>

#include "juice-credentials.h"
#include "juice-ctl.h"

#define MAX_KEY_LENGTH 256

static struct termios saved_termios;
static volatile sig_atomic_t echo_off;

static void
restore_echo_and_die (int signum)
{
  if (echo_off)
    tcsetattr (STDIN_FILENO, TCSAFLUSH, &saved_termios);
  signal (signum, SIG_DFL);
  raise (signum);
}

static gboolean
set_echo (gboolean on)
{
  struct termios t;

  if (!on)
    {
      struct sigaction action = { 0 };

      if (tcgetattr (STDIN_FILENO, &saved_termios) != 0)
        return FALSE;

      /* Ctrl+C must not leave the terminal without echo. */
      action.sa_handler = restore_echo_and_die;
      sigemptyset (&action.sa_mask);
      sigaction (SIGINT, &action, NULL);
      sigaction (SIGTERM, &action, NULL);
      sigaction (SIGHUP, &action, NULL);

      t = saved_termios;
      t.c_lflag &= ~(tcflag_t) ECHO;
      t.c_lflag |= ECHONL;
      if (tcsetattr (STDIN_FILENO, TCSAFLUSH, &t) != 0)
        return FALSE;
      echo_off = TRUE;
    }
  else if (echo_off)
    {
      tcsetattr (STDIN_FILENO, TCSAFLUSH, &saved_termios);
      echo_off = FALSE;
      signal (SIGINT, SIG_DFL);
      signal (SIGTERM, SIG_DFL);
      signal (SIGHUP, SIG_DFL);
    }

  return TRUE;
}

/* One line from stdin without its line end; %NULL at the end of input. */
static char *
read_key (const char  *prompt,
          gboolean     secret,
          GError     **error)
{
  char buf[MAX_KEY_LENGTH + 3];
  gboolean tty = isatty (STDIN_FILENO);
  char *line = NULL;
  gsize len;

  if (tty)
    {
      /* Echo goes off before the prompt shows: nothing typed after it is
       * echoed. */
      if (secret && !set_echo (FALSE))
        {
          g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_FAILED,
                               _("Could not turn off the terminal’s echo."));
          return NULL;
        }
      g_printerr ("%s", prompt);
    }

  if (fgets (buf, sizeof buf, stdin) != NULL)
    {
      /* Only the line's end goes: a CR or another control character inside
       * the key stays, to be refused below rather than cut silently. */
      len = strlen (buf);
      if (len > 0 && buf[len - 1] == '\n')
        len--;
      if (len > 0 && buf[len - 1] == '\r')
        len--;
      if (buf[len] == '\0' && len >= MAX_KEY_LENGTH)
        g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                     _("A key has at most %d characters."), MAX_KEY_LENGTH);
      else
        line = g_strndup (buf, len);
    }
  else
    {
      g_set_error_literal (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                           _("The input ended before both keys were given."));
    }

  explicit_bzero (buf, sizeof buf);

  if (tty && secret)
    set_echo (TRUE);

  return line;
}

static void
wipe_free (char *text)
{
  if (text != NULL)
    {
      explicit_bzero (text, strlen (text));
      g_free (text);
    }
}

/* A string that is wiped before it is freed. */
typedef char JuiceCtlSecretString;
G_DEFINE_AUTOPTR_CLEANUP_FUNC (JuiceCtlSecretString, wipe_free)

int
juice_ctl_login (JuiceCtl  *ctl,
                 char     **argv)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JuiceCtlSecretString) access_key = NULL;
  g_autoptr(JuiceCtlSecretString) secret_key = NULL;
  g_autoptr(JuiceCredentials) credentials = NULL;
  JuiceCtlWait wait = { NULL };
  gboolean no_check = FALSE;
  JuiceCloud *cloud;
  const char *api_host;
  GOptionEntry entries[] = {
    { "no-check", 0, 0, G_OPTION_ARG_NONE, &no_check,
      N_("Store the keys without trying them on the API first"), NULL },
    { NULL }
  };

  if (!juice_ctl_parse_options (ctl, &argv, "",
                                _("Ask for the access key and the secret key (from the "
                                  "developer page of your EcoFlow account), try them, and "
                                  "store them in the keyring for the API host."),
                                entries, &error))
    return juice_ctl_usage ("%s", error->message);

  if (g_strv_length (argv) != 1)
    return juice_ctl_usage (_("“login” takes no arguments: it asks for the keys."));

  cloud = juice_ctl_open_cloud (ctl, FALSE, &error);
  if (cloud == NULL)
    return juice_ctl_fail (error);
  api_host = juice_cloud_get_base_url (cloud);

  access_key = read_key (_("EcoFlow access key: "), FALSE, &error);
  if (access_key == NULL)
    return juice_ctl_usage ("%s", error->message);
  g_strstrip (access_key);

  secret_key = read_key (_("EcoFlow secret key: "), TRUE, &error);
  if (secret_key == NULL)
    return juice_ctl_usage ("%s", error->message);
  g_strstrip (secret_key);

  if (!juice_ctl_check_key (_("The access key"), access_key, &error) ||
      !juice_ctl_check_key (_("The secret key"), secret_key, &error))
    return juice_ctl_usage ("%s", error->message);

  if (!no_check)
    {
      g_autoptr(JuiceCloudCertification) certification = NULL;

      juice_cloud_set_credentials (cloud, access_key, secret_key);
      juice_cloud_get_certification_async (cloud, ctl->cancellable, juice_ctl_wait_cb, &wait);
      certification = juice_cloud_get_certification_finish (cloud, juice_ctl_wait (&wait),
                                                            &error);
      juice_ctl_wait_clear (&wait);
      if (certification == NULL)
        {
          int status = juice_ctl_fail (error);

          g_printerr (_("The keys were not stored.\n"));
          return status;
        }
    }

  credentials = juice_credentials_new (access_key, secret_key);
  if (!juice_credentials_store_sync (api_host, credentials, NULL, &error))
    {
      g_prefix_error (&error, _("Could not store the keys in the keyring: "));
      return juice_ctl_fail (error);
    }

  g_print (_("The keys for %s are stored in the keyring.\n"), api_host);

  return JUICE_CTL_EXIT_OK;
}

int
juice_ctl_logout (JuiceCtl  *ctl,
                  char     **argv)
{
  g_autoptr(GError) error = NULL;
  JuiceCloud *cloud;
  const char *api_host;

  if (!juice_ctl_parse_options (ctl, &argv, "",
                                _("Remove the keys stored in the keyring for the API host."),
                                NULL, &error))
    return juice_ctl_usage ("%s", error->message);

  if (g_strv_length (argv) != 1)
    return juice_ctl_usage (_("“logout” takes no arguments."));

  cloud = juice_ctl_open_cloud (ctl, FALSE, &error);
  if (cloud == NULL)
    return juice_ctl_fail (error);
  api_host = juice_cloud_get_base_url (cloud);

  if (juice_credentials_clear_sync (api_host, NULL, &error))
    g_print (_("The keys for %s are removed from the keyring.\n"), api_host);
  else if (error != NULL)
    return juice_ctl_fail (error);
  else
    g_print (_("No keys were stored for %s.\n"), api_host);

  return JUICE_CTL_EXIT_OK;
}
