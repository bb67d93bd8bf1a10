/* juice-device-page.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "juice-device-page"

#include "config.h"

#include <math.h>

#include <glib/gi18n.h>

#include "juice-cull-box.h"
#include "juice-device-page.h"
#include "juice-history-view.h"
#include "juice-quota-format.h"
#include "juice-quota-row.h"
#include "juice-setting-row.h"
#include "juice-value-label.h"

struct _JuiceDevicePage
{
  AdwBin           parent_instance;

  /* template widgets */
  JuiceValueLabel *soc_label;
  GtkLevelBar     *soc_bar;
  JuiceValueLabel *remain_label;
  JuiceValueLabel *watts_in_label;
  JuiceValueLabel *watts_out_label;
  GtkBox          *details_box;     /* a JuiceCullBox */
  GtkRevealer     *problem_revealer;
  GtkLabel        *problem_label;
  GtkButton       *retry_button;
  JuiceValueLabel *today_label;
  GtkLabel        *unsupported_label;

  /* owned references */
  JuiceDevice     *device;
  GSettings       *settings;
  JuiceHistory    *history;

  /* state */
  gboolean         kilowatts;
  gboolean         has_values;
  gulong           report_id;
  gboolean         details_pending;  /* flows and settings not built yet */
  GdkFrameClock   *paint_clock;    /* while waiting for the first paint */
  gulong           after_paint_id;
  guint            details_idle;
  /* the headline as shown: the device's, once per frame */
  double           soc;
  int              watts_in;
  int              watts_out;
  int              remain_minutes;
  guint            headline_tick;
  gboolean         headline_dirty;
};

G_DEFINE_FINAL_TYPE (JuiceDevicePage, juice_device_page, ADW_TYPE_BIN)

enum {
  PROP_0,
  PROP_DEVICE,
  PROP_KILOWATTS,
  PROP_HAS_VALUES,
  PROP_HISTORY,
  PROP_SOC,
  PROP_WATTS_IN,
  PROP_WATTS_OUT,
  PROP_REMAIN_MINUTES,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

char *
juice_format_soc (double soc)
{
  /* Translators: state of charge, "56 %" */
  return g_strdup_printf (_("%.0f %%"), floor (CLAMP (soc, 0, 100)));
}

char *
juice_format_watts (int      watts,
                    gboolean kilowatts)
{
  if (kilowatts && ABS (watts) >= 1000)
    /* Translators: power in kilowatts */
    return g_strdup_printf (_("%.2f kW"), watts / 1000.0);

  /* Translators: power in watts */
  return g_strdup_printf (_("%'d W"), watts);
}

char *
juice_format_remaining (int minutes)
{
  g_autofree char *span = NULL;
  int m = ABS (minutes);

  if (minutes == 0)
    return g_strdup (_("Idle"));

  /* The device's own limit: it counts to 99 h 59 min. */
  if (m >= 5999)
    span = g_strdup (_("more than 99 h"));
  else
    span = juice_format_duration ((gint64) m * 60, FALSE);

  if (minutes > 0)
    /* Translators: "3 h 20 min to full" */
    return g_strdup_printf (_("%s to full"), span);

  /* Translators: "3 h 20 min to empty" */
  return g_strdup_printf (_("%s to empty"), span);
}

/* Template closures: the first argument is the page itself. */

/* A device that never sent a value: its charge and power are unknown, not
 * "0 %" and "0 W". */

static char *
format_soc (JuiceDevicePage *self,
            double           soc,
            gboolean         has_values)
{
  if (!has_values)
    /* Translators: the charge of a device that has sent no values yet */
    return g_strdup (_("Unknown"));

  return juice_format_soc (soc);
}

static char *
format_watts (JuiceDevicePage *self,
              int              watts,
              gboolean         kilowatts,
              gboolean         has_values)
{
  if (!has_values)
    /* Translators: power of a device that has sent no values yet */
    return g_strdup (_("Unknown"));

  return juice_format_watts (watts, kilowatts);
}

static double
soc_bar_value (JuiceDevicePage *self,
               double           soc,
               gboolean         has_values)
{
  return has_values ? soc : 0.0;
}

static void
sync_has_values (JuiceDevicePage *self)
{
  gboolean has_values = self->device != NULL && juice_device_get_n_quotas (self->device) > 0;

  if (self->has_values == has_values)
    return;

  self->has_values = has_values;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_HAS_VALUES]);
}

static void
set_shown_int (JuiceDevicePage *self,
               int             *field,
               int              value,
               guint            prop)
{
  if (*field == value)
    return;

  *field = value;
  g_object_notify_by_pspec (G_OBJECT (self), properties[prop]);
}

/* The headline labels follow these, not the device's properties: they
 * change once per frame however many reports came, and a report costs the
 * page no more than on_report_applied(). */
static void
sync_headline (JuiceDevicePage *self)
{
  JuiceDevice *device = self->device;

  self->headline_dirty = FALSE;
  g_object_freeze_notify (G_OBJECT (self));
  if (self->soc != (device ? juice_device_get_soc (device) : 0))
    {
      self->soc = device ? juice_device_get_soc (device) : 0;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SOC]);
    }
  set_shown_int (self, &self->watts_in, device ? juice_device_get_watts_in (device) : 0,
                 PROP_WATTS_IN);
  set_shown_int (self, &self->watts_out, device ? juice_device_get_watts_out (device) : 0,
                 PROP_WATTS_OUT);
  set_shown_int (self, &self->remain_minutes,
                 device ? juice_device_get_remain_minutes (device) : 0, PROP_REMAIN_MINUTES);
  sync_has_values (self);
  g_object_thaw_notify (G_OBJECT (self));
}

static void
clear_headline_tick (JuiceDevicePage *self)
{
  guint id = self->headline_tick;

  self->headline_tick = 0;
  if (id != 0)
    gtk_widget_remove_tick_callback (GTK_WIDGET (self), id);
}

static gboolean
headline_tick_cb (GtkWidget     *widget,
                  GdkFrameClock *clock,
                  gpointer       user_data)
{
  JuiceDevicePage *self = JUICE_DEVICE_PAGE (widget);

  self->headline_tick = 0;
  sync_headline (self);

  return G_SOURCE_REMOVE;
}

static void
on_report_applied (JuiceDevicePage *self)
{
  self->headline_dirty = TRUE;
  if (self->headline_tick == 0 && gtk_widget_get_mapped (GTK_WIDGET (self)))
    self->headline_tick = gtk_widget_add_tick_callback (GTK_WIDGET (self), headline_tick_cb,
                                                        NULL, NULL);
}

static gboolean
is_offline (JuiceDevicePage *self,
            gboolean         online)
{
  return self->device != NULL && !online;
}

static char *
format_offline (JuiceDevicePage *self,
                gboolean         stale)
{
  return g_strdup (stale ? _("Offline: these values may be out of date")
                         : _("Offline"));
}

/* Why the values could not be loaded, with a Retry (device.refresh). */
static gboolean
has_problem (JuiceDevicePage *self,
             const char      *problem)
{
  return problem != NULL && problem[0] != '\0';
}

static void
refresh_action (GtkWidget  *widget,
                const char *action_name,
                GVariant   *parameter)
{
  JuiceDevicePage *self = JUICE_DEVICE_PAGE (widget);

  if (self->device != NULL)
    juice_device_refresh (self->device);
}

/* "auto" shows kW above 1000 W; "watts" always W. */
static gboolean
power_unit_to_kilowatts (GValue   *value,
                         GVariant *variant,
                         gpointer  user_data)
{
  g_value_set_boolean (value, g_strcmp0 (g_variant_get_string (variant, NULL), "watts") != 0);
  return TRUE;
}

static char *
format_remaining (JuiceDevicePage *self,
                  int              minutes,
                  gboolean         has_values)
{
  if (!has_values)
    return g_strdup (_("No values received from this device yet"));

  return juice_format_remaining (minutes);
}

/* Where power goes in and out, port by port. */
static const struct {
  const char *key;
  gboolean    extra_battery;
} flow_keys[] = {
  { "inv.inputWatts" },
  { "inv.outputWatts" },
  { "mppt.inWatts" },
  { "mppt.carOutWatts" },
  { "pd.usb1Watts" },
  { "pd.usb2Watts" },
  { "pd.qcUsb1Watts" },
  { "pd.qcUsb2Watts" },
  { "pd.typec1Watts" },
  { "pd.typec2Watts" },
  { "bmsMaster.soc" },
  { "bmsSlave1.soc", TRUE },
  { "bmsSlave2.soc", TRUE },
  /* DELTA 2 (rows only for keys the device's profile knows) */
  { "bms_bmsStatus.soc" },
  { "bms_slave.soc", TRUE },
};

static GtkWidget *
create_flows_group (JuiceDevice *device)
{
  GtkWidget *group = adw_preferences_group_new ();

  adw_preferences_group_set_title (ADW_PREFERENCES_GROUP (group), _("Power Flows"));

  for (guint i = 0; i < G_N_ELEMENTS (flow_keys); i++)
    {
      /* Extra batteries only when one is plugged in. */
      if (flow_keys[i].extra_battery && juice_device_get_quota (device, flow_keys[i].key) == NULL)
        continue;
      if (juice_device_get_profile (device) != NULL &&
          !juice_device_profile_lookup_quota (juice_device_get_profile (device), flow_keys[i].key))
        continue;

      adw_preferences_group_add (ADW_PREFERENCES_GROUP (group),
                                 juice_quota_row_new (device, flow_keys[i].key));
    }

  return group;
}

static gboolean
today_visible (GBinding     *binding,
               const GValue *from,
               GValue       *to,
               gpointer      user_data)
{
  g_value_set_boolean (to, g_value_get_string (from) != NULL);
  return TRUE;
}

/* The details (power flows, then the settings) are made once the page has
 * been painted: the first frame shows the charge and the power in and out
 * without waiting for some 40 rows to be built and measured, and the
 * details follow in the next frame, below what is already there. */
static void
build_details (JuiceDevicePage *self)
{
  const JuiceDeviceProfile *profile;

  if (self->device == NULL || !(profile = juice_device_get_profile (self->device)))
    return;

  /* The charts first, under the charge (issue 10). */
  {
    GtkWidget *view = juice_history_view_new (self->device, self->history);

    g_object_bind_property (view, "today", self->today_label, "label", G_BINDING_SYNC_CREATE);
    g_object_bind_property_full (view, "today", self->today_label, "visible",
                                 G_BINDING_SYNC_CREATE, today_visible, NULL, NULL, NULL);
    gtk_box_append (self->details_box, view);
  }

  gtk_box_append (self->details_box, create_flows_group (self->device));

  /* The controls come from the profile, group by group. */
  for (guint group = 0; group < N_JUICE_SETTING_GROUPS; group++)
    {
      GtkWidget *prefs_group = NULL;

      for (guint i = 0; i < profile->n_settings; i++)
        {
          const JuiceSettingInfo *setting = &profile->settings[i];

          if (setting->group != group)
            continue;

          if (prefs_group == NULL)
            {
              prefs_group = adw_preferences_group_new ();
              adw_preferences_group_set_title (ADW_PREFERENCES_GROUP (prefs_group),
                                               juice_setting_group_label (group));
              gtk_box_append (self->details_box, prefs_group);
            }

          adw_preferences_group_add (ADW_PREFERENCES_GROUP (prefs_group),
                                     juice_setting_row_new (self->device, setting));
        }
    }
}

static void
cancel_details (JuiceDevicePage *self)
{
  if (self->paint_clock != NULL)
    g_clear_signal_handler (&self->after_paint_id, self->paint_clock);
  g_clear_object (&self->paint_clock);
  g_clear_handle_id (&self->details_idle, g_source_remove);
}

static gboolean
details_idle_cb (gpointer data)
{
  JuiceDevicePage *self = data;

  self->details_idle = 0;
  if (self->details_pending)
    {
      self->details_pending = FALSE;
      build_details (self);
    }

  return G_SOURCE_REMOVE;
}

static void
after_paint_cb (GdkFrameClock   *clock,
                JuiceDevicePage *self)
{
  g_clear_signal_handler (&self->after_paint_id, clock);
  g_clear_object (&self->paint_clock);
  if (self->details_idle == 0)
    self->details_idle = g_idle_add_full (G_PRIORITY_DEFAULT_IDLE, details_idle_cb, self, NULL);
}

static void
schedule_details (JuiceDevicePage *self)
{
  GdkFrameClock *clock;

  if (!self->details_pending || self->after_paint_id != 0 || self->details_idle != 0 ||
      !gtk_widget_get_mapped (GTK_WIDGET (self)) ||
      !(clock = gtk_widget_get_frame_clock (GTK_WIDGET (self))))
    return;

  self->paint_clock = g_object_ref (clock);
  self->after_paint_id = g_signal_connect (clock, "after-paint", G_CALLBACK (after_paint_cb), self);
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

static void
rebuild_details (JuiceDevicePage *self)
{
  GtkWidget *child;

  cancel_details (self);
  self->details_pending = FALSE;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->details_box))))
    gtk_box_remove (self->details_box, child);

  if (self->device == NULL || juice_device_get_profile (self->device) == NULL)
    return;

  self->details_pending = TRUE;
  schedule_details (self);
}

static void
juice_device_page_map (GtkWidget *widget)
{
  JuiceDevicePage *self = JUICE_DEVICE_PAGE (widget);

  GTK_WIDGET_CLASS (juice_device_page_parent_class)->map (widget);

  if (self->headline_dirty)
    sync_headline (self);
  schedule_details (self);
}

static void
juice_device_page_unmap (GtkWidget *widget)
{
  clear_headline_tick (JUICE_DEVICE_PAGE (widget));

  GTK_WIDGET_CLASS (juice_device_page_parent_class)->unmap (widget);
}

static void
juice_device_page_unrealize (GtkWidget *widget)
{
  /* The frame clock goes with the surface. */
  cancel_details (JUICE_DEVICE_PAGE (widget));

  GTK_WIDGET_CLASS (juice_device_page_parent_class)->unrealize (widget);
}

static void
juice_device_page_dispose (GObject *object)
{
  JuiceDevicePage *self = (JuiceDevicePage *)object;

  if (self->device != NULL)
    g_clear_signal_handler (&self->report_id, self->device);
  clear_headline_tick (self);
  cancel_details (self);
  self->details_pending = FALSE;
  gtk_widget_dispose_template (GTK_WIDGET (self), JUICE_TYPE_DEVICE_PAGE);
  g_clear_object (&self->device);
  g_clear_object (&self->settings);
  g_clear_object (&self->history);

  G_OBJECT_CLASS (juice_device_page_parent_class)->dispose (object);
}

static void
juice_device_page_get_property (GObject    *object,
                                guint       prop_id,
                                GValue     *value,
                                GParamSpec *pspec)
{
  JuiceDevicePage *self = JUICE_DEVICE_PAGE (object);

  switch (prop_id)
    {
    case PROP_DEVICE:
      g_value_set_object (value, self->device);
      break;

    case PROP_KILOWATTS:
      g_value_set_boolean (value, self->kilowatts);
      break;

    case PROP_HAS_VALUES:
      g_value_set_boolean (value, self->has_values);
      break;

    case PROP_HISTORY:
      g_value_set_object (value, self->history);
      break;

    case PROP_SOC:
      g_value_set_double (value, self->soc);
      break;

    case PROP_WATTS_IN:
      g_value_set_int (value, self->watts_in);
      break;

    case PROP_WATTS_OUT:
      g_value_set_int (value, self->watts_out);
      break;

    case PROP_REMAIN_MINUTES:
      g_value_set_int (value, self->remain_minutes);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
juice_device_page_set_property (GObject      *object,
                                guint         prop_id,
                                const GValue *value,
                                GParamSpec   *pspec)
{
  JuiceDevicePage *self = JUICE_DEVICE_PAGE (object);

  switch (prop_id)
    {
    case PROP_DEVICE:
      juice_device_page_set_device (self, g_value_get_object (value));
      break;

    case PROP_HISTORY:
      /* The charts read it: they are made again with it. */
      if (g_set_object (&self->history, g_value_get_object (value)))
        {
          rebuild_details (self);
          g_object_notify_by_pspec (object, pspec);
        }
      break;

    case PROP_KILOWATTS:
      if (self->kilowatts != g_value_get_boolean (value))
        {
          self->kilowatts = g_value_get_boolean (value);
          g_object_notify_by_pspec (object, pspec);
        }
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
juice_device_page_class_init (JuiceDevicePageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = juice_device_page_dispose;
  object_class->get_property = juice_device_page_get_property;
  object_class->set_property = juice_device_page_set_property;
  widget_class->map = juice_device_page_map;
  widget_class->unmap = juice_device_page_unmap;
  widget_class->unrealize = juice_device_page_unrealize;

  properties[PROP_DEVICE] =
    g_param_spec_object ("device", NULL, NULL, JUICE_TYPE_DEVICE,
                         (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  /* Power above 1000 W in kW: the "power-unit" setting. */
  properties[PROP_KILOWATTS] =
    g_param_spec_boolean ("kilowatts", NULL, NULL, TRUE,
                          (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  /* The device has sent values: charge and power are known. */
  properties[PROP_HAS_VALUES] =
    g_param_spec_boolean ("has-values", NULL, NULL, FALSE,
                          (G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  /* Where the charts read what was recorded (NULL: live values only). */
  properties[PROP_HISTORY] =
    g_param_spec_object ("history", NULL, NULL, JUICE_TYPE_HISTORY,
                         (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  /* The device's headline as shown: its values once per frame. */
  properties[PROP_SOC] =
    g_param_spec_double ("soc", NULL, NULL, 0, 100, 0,
                         (G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));
  properties[PROP_WATTS_IN] =
    g_param_spec_int ("watts-in", NULL, NULL, G_MININT, G_MAXINT, 0,
                      (G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));
  properties[PROP_WATTS_OUT] =
    g_param_spec_int ("watts-out", NULL, NULL, G_MININT, G_MAXINT, 0,
                      (G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));
  properties[PROP_REMAIN_MINUTES] =
    g_param_spec_int ("remain-minutes", NULL, NULL, G_MININT, G_MAXINT, 0,
                      (G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  g_object_class_install_properties (object_class, N_PROPS, properties);

  g_type_ensure (JUICE_TYPE_DEVICE);
  g_type_ensure (JUICE_TYPE_CULL_BOX);
  g_type_ensure (JUICE_TYPE_VALUE_LABEL);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               RESOURCE_PREFIX "/juice-device-page.ui");
  gtk_widget_class_bind_template_child (widget_class, JuiceDevicePage, soc_label);
  gtk_widget_class_bind_template_child (widget_class, JuiceDevicePage, soc_bar);
  gtk_widget_class_bind_template_child (widget_class, JuiceDevicePage, remain_label);
  gtk_widget_class_bind_template_child (widget_class, JuiceDevicePage, watts_in_label);
  gtk_widget_class_bind_template_child (widget_class, JuiceDevicePage, watts_out_label);
  gtk_widget_class_bind_template_child (widget_class, JuiceDevicePage, details_box);
  gtk_widget_class_bind_template_child (widget_class, JuiceDevicePage, today_label);
  gtk_widget_class_bind_template_callback (widget_class, format_soc);
  gtk_widget_class_bind_template_callback (widget_class, format_watts);
  gtk_widget_class_bind_template_callback (widget_class, format_remaining);
  gtk_widget_class_bind_template_callback (widget_class, soc_bar_value);
  gtk_widget_class_bind_template_callback (widget_class, is_offline);
  gtk_widget_class_bind_template_callback (widget_class, format_offline);
  gtk_widget_class_bind_template_child (widget_class, JuiceDevicePage, problem_revealer);
  gtk_widget_class_bind_template_child (widget_class, JuiceDevicePage, problem_label);
  gtk_widget_class_bind_template_child (widget_class, JuiceDevicePage, retry_button);
  gtk_widget_class_bind_template_child (widget_class, JuiceDevicePage, unsupported_label);
  gtk_widget_class_bind_template_callback (widget_class, has_problem);

  /**
   * JuiceDevicePage|device.refresh:
   *
   * Asks the device for all its values again (the problem banner's Retry).
   */
  gtk_widget_class_install_action (widget_class, "device.refresh", NULL, refresh_action);
}

static void
juice_device_page_init (JuiceDevicePage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "device.refresh", FALSE);

  self->kilowatts = TRUE;
  self->settings = g_settings_new (APP_ID);
  g_settings_bind_with_mapping (self->settings, "power-unit", self, "kilowatts",
                                G_SETTINGS_BIND_GET, power_unit_to_kilowatts, NULL, NULL, NULL);

  gtk_accessible_update_property (GTK_ACCESSIBLE (self->soc_bar),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, _("State of charge"),
                                  -1);
}

JuiceDevice *
juice_device_page_get_device (JuiceDevicePage *self)
{
  g_return_val_if_fail (JUICE_IS_DEVICE_PAGE (self), NULL);

  return self->device;
}

void
juice_device_page_set_device (JuiceDevicePage *self,
                              JuiceDevice     *device)
{
  g_return_if_fail (JUICE_IS_DEVICE_PAGE (self));
  g_return_if_fail (!device || JUICE_IS_DEVICE (device));

  if (self->device != device && self->device != NULL)
    g_clear_signal_handler (&self->report_id, self->device);

  if (g_set_object (&self->device, device))
    {
      gtk_widget_action_set_enabled (GTK_WIDGET (self), "device.refresh", device != NULL);
      if (device != NULL)
        self->report_id = g_signal_connect_swapped (device, "report-applied",
                                                    G_CALLBACK (on_report_applied), self);
      clear_headline_tick (self);
      sync_headline (self);
      rebuild_details (self);
      gtk_widget_set_visible (GTK_WIDGET (self->unsupported_label),
                              device != NULL && juice_device_get_profile (device) == NULL);
      /* The page carries the device.refresh action, so screen readers can
       * land on it: name it after the device. */
      gtk_accessible_update_property (GTK_ACCESSIBLE (self), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                      device == NULL ? ""
                                      : juice_device_get_name (device) != NULL
                                      ? juice_device_get_name (device)
                                      : juice_device_get_serial_number (device),
                                      -1);
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_DEVICE]);
    }
}

void
juice_device_page_set_draw_all (JuiceDevicePage *self,
                                gboolean         draw_all)
{
  g_return_if_fail (JUICE_IS_DEVICE_PAGE (self));

  juice_cull_box_set_draw_all (JUICE_CULL_BOX (self->details_box), draw_all);
}
