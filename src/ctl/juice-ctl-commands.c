/* juice-ctl-commands.c: devices, quota and settings
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "juice-ctl"

#include "config.h"

#include <string.h>

#include <glib/gi18n.h>

#include "juice-cloud-error.h"
#include "juice-ctl.h"
#include "juice-json.h"
#include "juice-quota-format.h"

/* devices */

int
juice_ctl_devices (JuiceCtl  *ctl,
                   char     **argv)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) devices = NULL;
  JuiceCtlWait wait = { NULL };
  JuiceCloud *cloud;

  if (!juice_ctl_parse_options (ctl, &argv, "", _("List the devices of the account: serial "
                                                   "number, name, product, online."),
                                NULL, &error))
    return juice_ctl_usage ("%s", error->message);

  if (g_strv_length (argv) != 1)
    return juice_ctl_usage (_("“devices” takes no arguments."));

  cloud = juice_ctl_open_cloud (ctl, TRUE, &error);
  if (cloud == NULL)
    return juice_ctl_fail (error);

  juice_cloud_list_devices_async (cloud, ctl->cancellable, juice_ctl_wait_cb, &wait);
  devices = juice_cloud_list_devices_finish (cloud, juice_ctl_wait (&wait), &error);
  juice_ctl_wait_clear (&wait);
  if (devices == NULL)
    {
      /* The cloud's "data: null" text is about one device; here the whole
       * list is missing. */
      if (g_error_matches (error, JUICE_CLOUD_ERROR, JUICE_CLOUD_ERROR_NO_DATA))
        {
          g_printerr (_("juice-ctl: EcoFlow answered without a device list (data: null). "
                        "Try again later.\n"));
          return JUICE_CTL_EXIT_ERROR;
        }
      return juice_ctl_fail (error);
    }

  if (ctl->json)
    {
      g_autoptr(JsonBuilder) builder = json_builder_new ();
      g_autoptr(JsonNode) root = NULL;

      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "devices");
      json_builder_begin_array (builder);
      for (guint i = 0; i < devices->len; i++)
        {
          JuiceCloudDeviceInfo *info = g_ptr_array_index (devices, i);

          json_builder_begin_object (builder);
          json_builder_set_member_name (builder, "sn");
          json_builder_add_string_value (builder, info->serial_number);
          json_builder_set_member_name (builder, "name");
          json_builder_add_string_value (builder, info->name);
          json_builder_set_member_name (builder, "product");
          if (info->product != NULL)
            json_builder_add_string_value (builder, info->product);
          else
            json_builder_add_null_value (builder);
          json_builder_set_member_name (builder, "online");
          json_builder_add_boolean_value (builder, info->online);
          json_builder_end_object (builder);
        }
      json_builder_end_array (builder);
      json_builder_end_object (builder);

      root = json_builder_get_root (builder);
      juice_ctl_print_json (root);
      return JUICE_CTL_EXIT_OK;
    }

  /* Tab-separated: names may hold spaces. */
  for (guint i = 0; i < devices->len; i++)
    {
      JuiceCloudDeviceInfo *info = g_ptr_array_index (devices, i);
      g_autofree char *sn = juice_ctl_clean (info->serial_number);
      g_autofree char *name = juice_ctl_clean (info->name);
      g_autofree char *product = juice_ctl_clean (info->product != NULL ? info->product : "-");

      g_print ("%s\t%s\t%s\t%s\n", sn, name, product, info->online ? "online" : "offline");
    }

  return JUICE_CTL_EXIT_OK;
}

/* quota */

static int
compare_strings (gconstpointer a,
                 gconstpointer b)
{
  return strcmp (*(const char * const *) a, *(const char * const *) b);
}

/* The member of @quotas named @key, whatever its case. */
static const char *
find_member (JsonObject *quotas,
             const char *key)
{
  JsonObjectIter iter;
  const char *member;

  if (json_object_has_member (quotas, key))
    return key;

  json_object_iter_init (&iter, quotas);
  while (json_object_iter_next (&iter, &member, NULL))
    if (g_ascii_strcasecmp (member, key) == 0)
      return member;

  return NULL;
}

int
juice_ctl_quota (JuiceCtl  *ctl,
                 char     **argv)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonObject) quotas = NULL;
  g_autoptr(GPtrArray) keys = NULL;
  const JuiceDeviceProfile *profile = NULL;
  JuiceCtlWait wait = { NULL };
  gboolean human = FALSE;
  gboolean missing = FALSE;
  const char *serial_number;
  JuiceCloud *cloud;
  GOptionEntry entries[] = {
    { "human", 0, 0, G_OPTION_ARG_NONE, &human,
      N_("Print labels, scaled values and units instead of raw values"), NULL },
    { NULL }
  };

  if (!juice_ctl_parse_options (ctl, &argv, _("SN [KEY…]"),
                                _("Print every quota of the device (quota/all), or only the "
                                  "named keys, as key=value lines sorted by key."),
                                entries, &error))
    return juice_ctl_usage ("%s", error->message);

  if (g_strv_length (argv) < 2)
    return juice_ctl_usage (_("“quota” needs the serial number of a device."));
  if (human && ctl->json)
    return juice_ctl_usage (_("--human and --json do not go together."));

  serial_number = argv[1];
  if (!juice_ctl_check_serial_number (serial_number, &error))
    return juice_ctl_usage ("%s", error->message);
  for (guint i = 2; argv[i] != NULL; i++)
    {
      g_autofree char *clean = NULL;

      if (argv[i][0] != '\0' && !juice_ctl_has_control (argv[i]) && strlen (argv[i]) <= 128)
        continue;
      clean = juice_ctl_clean (argv[i]);
      return juice_ctl_usage (_("“%s” is not a quota key (\"pd.soc\")."), clean);
    }

  cloud = juice_ctl_open_cloud (ctl, TRUE, &error);
  if (cloud == NULL)
    return juice_ctl_fail (error);

  if (argv[2] == NULL)
    {
      juice_cloud_get_all_quotas_async (cloud, serial_number, ctl->cancellable, juice_ctl_wait_cb, &wait);
      quotas = juice_cloud_get_all_quotas_finish (cloud, juice_ctl_wait (&wait), &error);
    }
  else
    {
      juice_cloud_get_quotas_async (cloud, serial_number, (const char * const *) argv + 2,
                                    ctl->cancellable, juice_ctl_wait_cb, &wait);
      quotas = juice_cloud_get_quotas_finish (cloud, juice_ctl_wait (&wait), &error);
    }
  juice_ctl_wait_clear (&wait);
  if (quotas == NULL)
    return juice_ctl_fail (error);

  /* The keys to print, sorted by byte order; for named keys, the device's
   * spelling of each. */
  keys = g_ptr_array_new ();
  if (argv[2] == NULL)
    {
      JsonObjectIter iter;
      const char *member;

      json_object_iter_init (&iter, quotas);
      while (json_object_iter_next (&iter, &member, NULL))
        g_ptr_array_add (keys, (gpointer) member);
    }
  else
    {
      for (guint i = 2; argv[i] != NULL; i++)
        {
          const char *member = find_member (quotas, argv[i]);

          if (member == NULL)
            {
              g_autofree char *clean_sn = juice_ctl_clean (serial_number);

              g_printerr (_("juice-ctl: %s did not report %s\n"), clean_sn, argv[i]);
              missing = TRUE;
              continue;
            }

          /* the same key named twice prints once */
          if (!g_ptr_array_find_with_equal_func (keys, member, g_str_equal, NULL))
            g_ptr_array_add (keys, (gpointer) member);
        }
    }
  g_ptr_array_sort (keys, compare_strings);

  if (human)
    {
      profile = juice_ctl_profile_for (ctl, serial_number, &error);
      if (profile == NULL)
        return juice_ctl_fail (error);
    }
  else
    {
      /* Types for printing; by the serial number alone, no request. */
      profile = juice_device_profile_for_product (NULL, serial_number);
    }

  /* Values that do not fit their key's type are left out, and said so. */
  for (guint i = 0; i < keys->len;)
    {
      const char *key = g_ptr_array_index (keys, i);
      const JuiceQuotaInfo *info = profile ? juice_device_profile_lookup_quota (profile, key) : NULL;
      g_autofree char *text = NULL;

      if (juice_ctl_format_quota (info, json_object_get_member (quotas, key), &text))
        {
          i++;
          continue;
        }

      {
        g_autofree char *clean_key = juice_ctl_clean (key);
        g_autofree char *raw = juice_json_node_to_text (json_object_get_member (quotas, key));
        g_autofree char *clean_raw = juice_ctl_clean (raw);

        g_printerr (_("juice-ctl: %s=%s left out: not a value of the key’s type\n"),
                    clean_key, clean_raw);
      }
      g_ptr_array_remove_index (keys, i);
      if (argv[2] != NULL)
        missing = TRUE;
    }

  if (ctl->json)
    {
      g_autoptr(JsonObject) sorted = json_object_new ();
      g_autoptr(JsonNode) root = NULL;

      for (guint i = 0; i < keys->len; i++)
        {
          const char *key = g_ptr_array_index (keys, i);

          const JuiceQuotaInfo *info = profile ? juice_device_profile_lookup_quota (profile, key)
                                               : NULL;
          JsonNode *node = json_object_get_member (quotas, key);
          gint64 whole;

          /* whole-number keys as JSON integers, like the text output */
          if (info != NULL && info->type != JUICE_QUOTA_FLOAT &&
              info->type != JUICE_QUOTA_ARRAY && info->type != JUICE_QUOTA_TEXT &&
              juice_json_node_get_int (node, &whole))
            json_object_set_int_member (sorted, key, whole);
          else
            json_object_set_member (sorted, key, json_node_ref (node));
        }
      root = json_node_init_object (json_node_alloc (), sorted);
      juice_ctl_print_json (root);
    }
  else
    {
      for (guint i = 0; i < keys->len; i++)
        {
          const char *key = g_ptr_array_index (keys, i);
          JsonNode *node = json_object_get_member (quotas, key);
          g_autofree char *clean_key = juice_ctl_clean (key);
          g_autofree char *value = NULL;
          g_autofree char *clean_value = NULL;

          if (human)
            {
              const JuiceQuotaInfo *info = juice_device_profile_lookup_quota (profile, key);

              /* --human shows what the profile knows; other keys only when
               * asked for by name */
              if (info == NULL && argv[2] == NULL)
                continue;

              value = juice_quota_format_node (info, node);
              clean_value = juice_ctl_clean (value);
              if (info != NULL)
                g_print ("%s: %s\n", _(info->label), clean_value);
              else
                g_print ("%s: %s\n", clean_key, clean_value);
            }
          else
            {
              const JuiceQuotaInfo *info = profile ? juice_device_profile_lookup_quota (profile, key)
                                                   : NULL;

              juice_ctl_format_quota (info, node, &value);
              clean_value = juice_ctl_clean (value);
              g_print ("%s=%s\n", clean_key, clean_value);
            }
        }
    }

  return missing ? JUICE_CTL_EXIT_ERROR : JUICE_CTL_EXIT_OK;
}

/* settings */

static const char *
kind_name (JuiceSettingKind kind)
{
  switch (kind)
    {
    case JUICE_SETTING_SWITCH:
      return "switch";
    case JUICE_SETTING_RANGE:
      return "range";
    case JUICE_SETTING_CHOICE:
    default:
      return "choice";
    }
}

int
juice_ctl_settings (JuiceCtl  *ctl,
                    char     **argv)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *product = NULL;
  const JuiceDeviceProfile *profile = juice_device_profile_delta_pro ();
  GOptionEntry entries[] = {
    { "product", 0, 0, G_OPTION_ARG_STRING, &product,
      N_("The product whose settings to list (default: DELTA Pro)"), N_("NAME") },
    { NULL }
  };

  if (!juice_ctl_parse_options (ctl, &argv, "",
                                _("List the settings “juice-ctl set” changes and the values "
                                  "they take, without contacting anyone."),
                                entries, &error))
    return juice_ctl_usage ("%s", error->message);

  if (g_strv_length (argv) != 1)
    return juice_ctl_usage (_("“settings” takes no arguments."));

  /* Offline: a product name, any case. */
  if (product != NULL && !(profile = juice_device_profile_lookup (product)))
    {
      g_autoptr(GString) known = g_string_new (NULL);

      for (const JuiceDeviceProfile * const *p = juice_device_profile_list (); *p != NULL; p++)
        g_string_append_printf (known, "%s“%s”", known->len > 0 ? ", " : "", (*p)->product);
      return juice_ctl_usage (_("Unknown product “%s”: known are %s."), product, known->str);
    }

  if (ctl->json)
    {
      g_autoptr(JsonBuilder) builder = json_builder_new ();
      g_autoptr(JsonNode) root = NULL;

      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "product");
      json_builder_add_string_value (builder, profile->product);
      json_builder_set_member_name (builder, "settings");
      json_builder_begin_array (builder);
      for (guint i = 0; i < profile->n_settings; i++)
        {
          const JuiceSettingInfo *setting = &profile->settings[i];
          g_autofree char *values = juice_setting_info_describe_values (setting);

          json_builder_begin_object (builder);
          json_builder_set_member_name (builder, "name");
          json_builder_add_string_value (builder, setting->name);
          json_builder_set_member_name (builder, "label");
          json_builder_add_string_value (builder, _(setting->label));
          json_builder_set_member_name (builder, "kind");
          json_builder_add_string_value (builder, kind_name (setting->kind));
          json_builder_set_member_name (builder, "values");
          json_builder_add_string_value (builder, values);
          if (setting->kind == JUICE_SETTING_RANGE)
            {
              json_builder_set_member_name (builder, "min");
              json_builder_add_int_value (builder, setting->min);
              json_builder_set_member_name (builder, "max");
              json_builder_add_int_value (builder, setting->max);
              json_builder_set_member_name (builder, "step");
              json_builder_add_int_value (builder, setting->step > 0 ? setting->step : 1);
              json_builder_set_member_name (builder, "unit");
              json_builder_add_string_value (builder, juice_unit_symbol (setting->unit));
            }
          if (setting->options != NULL)
            {
              json_builder_set_member_name (builder, "options");
              json_builder_begin_array (builder);
              for (const JuiceEnumValue *v = setting->options; v->label != NULL; v++)
                {
                  json_builder_begin_object (builder);
                  json_builder_set_member_name (builder, "value");
                  json_builder_add_int_value (builder, v->value);
                  json_builder_set_member_name (builder, "label");
                  json_builder_add_string_value (builder, _(v->label));
                  if (v->nick != NULL)
                    {
                      json_builder_set_member_name (builder, "nick");
                      json_builder_add_string_value (builder, v->nick);
                    }
                  json_builder_end_object (builder);
                }
              json_builder_end_array (builder);
            }
          json_builder_set_member_name (builder, "readback");
          json_builder_add_string_value (builder, setting->readback_key);
          json_builder_end_object (builder);
        }
      json_builder_end_array (builder);
      json_builder_end_object (builder);

      root = json_builder_get_root (builder);
      juice_ctl_print_json (root);
      return JUICE_CTL_EXIT_OK;
    }

  for (guint i = 0; i < profile->n_settings; i++)
    {
      const JuiceSettingInfo *setting = &profile->settings[i];
      g_autofree char *values = juice_setting_info_describe_values (setting);

      g_print ("%-22s %-36s %s\n", setting->name, values, _(setting->label));
    }

  return JUICE_CTL_EXIT_OK;
}
