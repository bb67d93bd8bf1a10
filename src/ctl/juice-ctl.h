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
  JUICE_CTL_EXIT_AUTH  = 3,   /* 8513, 8521, 8512, no keys */
} JuiceCtlExit;

typedef struct
{
  /* global options */
  char       *api_host;     /* as given; normalized by juice_ctl_open_cloud() */
  char       *ca_file;
  gboolean    json;

  /* owned references */
  JuiceCloud *cloud;
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
                                          gboolean      *sent,
                                          GError       **error);
int           juice_ctl_login            (JuiceCtl      *ctl,
                                          char         **argv);
int           juice_ctl_logout           (JuiceCtl      *ctl,
                                          char         **argv);

gboolean      juice_ctl_parse_options    (JuiceCtl      *ctl,
                                          char        ***argv,
                                          const char    *parameter_string,
                                          const char    *summary,
                                          GOptionEntry  *entries,
                                          GError       **error);

G_END_DECLS
