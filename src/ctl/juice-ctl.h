/* juice-ctl.h: what the juice-ctl subcommands share
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>
#include <json-glib/json-glib.h>

#include "juice-cloud.h"
#include "juice-device-profile.h"

G_BEGIN_DECLS

typedef enum
{
  JUICE_CTL_EXIT_OK    = 0,
  JUICE_CTL_EXIT_ERROR = 1,   /* API or network */
  JUICE_CTL_EXIT_USAGE = 2,   /* usage or invalid value */
  JUICE_CTL_EXIT_AUTH  = 3,   /* 8513, 8521, 8512, no keys, broker refused the account */
} JuiceCtlExit;

/* Each request to EcoFlow is tried twice at most, each attempt waiting up to
 * (--time-limit - 1) / 2 s, at most 15 s; a whole command ends within
 * --time-limit (set: plus --wait). */
#define JUICE_CTL_DEFAULT_TIME_LIMIT_S 32
#define JUICE_CTL_MAX_ATTEMPTS         2

typedef struct
{
  /* global options */
  char       *api_host;     /* as given; normalized by juice_ctl_open_cloud() */
  char       *ca_file;
  gboolean    json;
  int         time_limit_s;

  /* owned references */
  JuiceCloud   *cloud;
  GCancellable *cancellable;   /* cancelled when the command's time is up */

  /* state */
  guint       deadline_id;
  guint       deadline_s;
} JuiceCtl;

/* Runs the default main context until an async call completes. */
typedef struct
{
  GAsyncResult *result;
} JuiceCtlWait;

void          juice_ctl_wait_cb          (GObject       *object,
                                          GAsyncResult  *result,
                                          gpointer       user_data);
GAsyncResult *juice_ctl_wait             (JuiceCtlWait  *wait);
void          juice_ctl_wait_clear       (JuiceCtlWait  *wait);
/* Runs the main context until *@flag is set by a source or a callback. */
void          juice_ctl_wait_for         (const gboolean *flag);

/* Cancels ctl->cancellable after --time-limit plus @extra_s seconds. */
void          juice_ctl_start_deadline   (JuiceCtl      *ctl,
                                          guint          extra_s);
void          juice_ctl_stop_deadline    (JuiceCtl      *ctl);

/* Usage checks made before any core call: exit 2 when they fail. */
gboolean      juice_ctl_check_serial_number (const char  *serial_number,
                                             GError     **error);
gboolean      juice_ctl_check_key        (const char    *what,
                                          const char    *key,
                                          GError       **error);

char         *juice_ctl_resolve_api_host (const char    *api_host,
                                          GError       **error);
JuiceCloud   *juice_ctl_open_cloud       (JuiceCtl      *ctl,
                                          gboolean       with_credentials,
                                          GError       **error);
const JuiceDeviceProfile *
              juice_ctl_profile_for      (JuiceCtl      *ctl,
                                          const char    *serial_number,
                                          GError       **error);

int           juice_ctl_exit_code        (const GError  *error);
int           juice_ctl_fail             (const GError  *error);
int           juice_ctl_usage            (const char    *format,
                                          ...) G_GNUC_PRINTF (1, 2);
char         *juice_ctl_clean            (const char    *text);
void          juice_ctl_print_json       (JsonNode      *node);
gboolean      juice_ctl_format_quota     (const JuiceQuotaInfo *info,
                                          JsonNode      *node,
                                          char         **text);
/* Whether @text holds a control character (line break, escape, ...). */
gboolean      juice_ctl_has_control      (const char    *text);

/* Subcommands: @argv[0] is the subcommand's name. */
int           juice_ctl_devices          (JuiceCtl      *ctl,
                                          char         **argv);
int           juice_ctl_quota            (JuiceCtl      *ctl,
                                          char         **argv);
int           juice_ctl_settings         (JuiceCtl      *ctl,
                                          char         **argv);
int           juice_ctl_set              (JuiceCtl      *ctl,
                                          char         **argv);
int           juice_ctl_watch            (JuiceCtl      *ctl,
                                          char         **argv);
gboolean      juice_ctl_send_over_mqtt   (JuiceCtl      *ctl,
                                          JuiceCloud    *cloud,
                                          const char    *serial_number,
                                          JsonObject    *params,
                                          const char    *readback_key,
                                          gint64         wanted,
                                          gboolean      *sent,
                                          gboolean      *no_reply,
                                          GError       **error);
int           juice_ctl_login            (JuiceCtl      *ctl,
                                          char         **argv);
int           juice_ctl_logout           (JuiceCtl      *ctl,
                                          char         **argv);
int           juice_ctl_history          (JuiceCtl      *ctl,
                                          char         **argv);

gboolean      juice_ctl_parse_options    (JuiceCtl      *ctl,
                                          char        ***argv,
                                          const char    *parameter_string,
                                          const char    *summary,
                                          GOptionEntry  *entries,
                                          GError       **error);

G_END_DECLS
