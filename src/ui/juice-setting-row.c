/* juice-setting-row.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "juice-setting-row"

#include "config.h"

#include <glib/gi18n.h>

#include "juice-choice-row.h"
#include "juice-error.h"
#include "juice-setting-row.h"

/* A scale sends once the user has stopped moving it for this long. */
#define SETTLE_MS 600
/* Most devices confirm well within this: no spinner flashes for them, and
 * no frames are drawn while the confirmation is on its way. */
#define SPINNER_DELAY_MS 400

struct _JuiceSettingRow
{
  AdwActionRow            parent_instance;

  /* template widgets */
  GtkBox                 *suffix_box;
  GtkSpinner             *spinner;

  /* owned references */
  JuiceDevice            *device;

  /* state */
  const JuiceSettingInfo *setting;
  GtkWidget              *control;     /* GtkSwitch, GtkScale or GtkSpinButton */
  GtkToggleButton        *auto_button; /* ranges with one extra option (brightness: automatic) */
  gulong                  changed_id;
  guint                   settle_id;
  guint                   spinner_id;
  guint                   syncing : 1;
};

G_DEFINE_FINAL_TYPE (JuiceSettingRow, juice_setting_row, ADW_TYPE_ACTION_ROW)

typedef struct
{
  GtkWidget              *row;       /* owned */
  const JuiceSettingInfo *setting;
} SendData;

static void
set_cb (GObject      *object,
        GAsyncResult *result,
        gpointer      user_data)
{
  SendData *data = user_data;
  g_autoptr(GError) error = NULL;

  if (!juice_device_set_finish (JUICE_DEVICE (object), result, &error) &&
      /* A newer change of the same setting is on its way: nothing to say. */
      !g_error_matches (error, JUICE_DEVICE_ERROR, JUICE_DEVICE_ERROR_SUPERSEDED) &&
      !g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED) &&
      gtk_widget_get_root (data->row) != NULL)
    {
      g_autofree char *message = NULL;

      /* Translators: "Charge limit not changed: DELTA Pro refused the change" */
      message = g_strdup_printf (_("%s not changed: %s"), _(data->setting->label), error->message);
      gtk_widget_activate_action (data->row, "win.show-toast", "s", message);
    }

  g_object_unref (data->row);
  g_free (data);
}

void
juice_setting_send (GtkWidget              *row,
                    JuiceDevice            *device,
                    const JuiceSettingInfo *setting,
                    gint64                  value)
{
  SendData *data;
  gint64 current;

  g_return_if_fail (GTK_IS_WIDGET (row));
  g_return_if_fail (JUICE_IS_DEVICE (device));
  g_return_if_fail (setting != NULL);

  /* The control only moved back to where the device already is. */
  if (juice_device_get_setting_value (device, setting->name, &current) && current == value)
    return;

  data = g_new0 (SendData, 1);
  data->row = g_object_ref (row);
  data->setting = setting;
  juice_device_set_async (device, setting->name, value, NULL, set_cb, data);
}

static void
send (JuiceSettingRow *self,
      gint64           value)
{
  g_clear_handle_id (&self->settle_id, g_source_remove);
  juice_setting_send (GTK_WIDGET (self), self->device, self->setting, value);
}

static gint64
control_value (JuiceSettingRow *self)
{
  const JuiceSettingInfo *setting = self->setting;

  switch (setting->kind)
    {
    case JUICE_SETTING_SWITCH:
      {
        gboolean on = gtk_switch_get_active (GTK_SWITCH (self->control));

        return setting->inverted ? !on : on;
      }

    case JUICE_SETTING_RANGE:
      if (self->auto_button != NULL && gtk_toggle_button_get_active (self->auto_button))
        return setting->options[0].value;
      if (GTK_IS_SPIN_BUTTON (self->control))
        return gtk_spin_button_get_value_as_int (GTK_SPIN_BUTTON (self->control));
      return (gint64) gtk_range_get_value (GTK_RANGE (self->control));

    case JUICE_SETTING_CHOICE:
    default:
      g_assert_not_reached ();
    }
}

static gboolean
spinner_delay_cb (gpointer data)
{
  JuiceSettingRow *self = data;

  self->spinner_id = 0;
  gtk_widget_set_visible (GTK_WIDGET (self->spinner), TRUE);
  gtk_spinner_set_spinning (self->spinner, TRUE);
  return G_SOURCE_REMOVE;
}

/* Shown only once a command has waited SPINNER_DELAY_MS for its readback. */
static void
show_pending (JuiceSettingRow *self,
              gboolean         pending)
{
  if (!pending)
    {
      g_clear_handle_id (&self->spinner_id, g_source_remove);
      gtk_spinner_set_spinning (self->spinner, FALSE);
      gtk_widget_set_visible (GTK_WIDGET (self->spinner), FALSE);
      return;
    }

  if (self->spinner_id == 0 && !gtk_widget_get_visible (GTK_WIDGET (self->spinner)))
    self->spinner_id = g_timeout_add (SPINNER_DELAY_MS, spinner_delay_cb, self);
}

static void
sync_from_device (JuiceSettingRow *self)
{
  const JuiceSettingInfo *setting = self->setting;
  gboolean pending = juice_device_is_setting_pending (self->device, setting->name);
  gboolean known;
  gint64 value = 0;

  known = juice_device_get_setting_value (self->device, setting->name, &value);

  show_pending (self, pending);
  gtk_widget_set_sensitive (self->control, known);
  if (self->auto_button != NULL)
    gtk_widget_set_sensitive (GTK_WIDGET (self->auto_button), known);

  if (!known || self->settle_id != 0)
    return;

  self->syncing = TRUE;

  switch (setting->kind)
    {
    case JUICE_SETTING_SWITCH:
      gtk_switch_set_active (GTK_SWITCH (self->control), setting->inverted ? value == 0 : value != 0);
      break;

    case JUICE_SETTING_RANGE:
      {
        gboolean is_option = value < setting->min || value > setting->max;

        if (self->auto_button != NULL)
          {
            gtk_toggle_button_set_active (self->auto_button, is_option);
            gtk_widget_set_sensitive (self->control, !is_option);
          }
        if (!is_option)
          {
            if (GTK_IS_SPIN_BUTTON (self->control))
              gtk_spin_button_set_value (GTK_SPIN_BUTTON (self->control), value);
            else
              gtk_range_set_value (GTK_RANGE (self->control), value);
          }
      }
      break;

    case JUICE_SETTING_CHOICE:
    default:
      g_assert_not_reached ();
    }

  self->syncing = FALSE;
}

static void
on_setting_changed (JuiceDevice     *device,
                    const char      *name,
                    JuiceSettingRow *self)
{
  sync_from_device (self);
}

static void
on_control_changed (JuiceSettingRow *self)
{
  if (self->syncing)
    return;

  send (self, control_value (self));
}

static gboolean
settle_cb (gpointer user_data)
{
  JuiceSettingRow *self = user_data;

  self->settle_id = 0;
  send (self, control_value (self));

  return G_SOURCE_REMOVE;
}

/* Scales and spin buttons change on every step of a drag: send the value
 * the user settles on, not every one on the way. */
static void
on_control_moving (JuiceSettingRow *self)
{
  if (self->syncing)
    return;

  g_clear_handle_id (&self->settle_id, g_source_remove);
  self->settle_id = g_timeout_add (SETTLE_MS, settle_cb, self);
}

static void
on_auto_toggled (JuiceSettingRow *self)
{
  if (self->syncing)
    return;

  gtk_widget_set_sensitive (self->control, !gtk_toggle_button_get_active (self->auto_button));
  send (self, control_value (self));
}

static char *
format_scale_value (GtkScale        *scale,
                    double           value,
                    JuiceSettingRow *self)
{
  return juice_setting_info_format_value (self->setting, (gint64) value);
}

static GtkWidget *
create_control (JuiceSettingRow *self)
{
  const JuiceSettingInfo *setting = self->setting;
  GtkWidget *control;

  switch (setting->kind)
    {
    case JUICE_SETTING_SWITCH:
      control = gtk_switch_new ();
      g_signal_connect_swapped (control, "notify::active", G_CALLBACK (on_control_changed), self);
      adw_action_row_set_activatable_widget (ADW_ACTION_ROW (self), control);
      break;

    case JUICE_SETTING_RANGE:
      {
        gint64 step = MAX (setting->step, 1);

        if ((setting->max - setting->min) / step <= 100)
          {
            control = gtk_scale_new_with_range (GTK_ORIENTATION_HORIZONTAL,
                                                setting->min, setting->max, step);
            gtk_scale_set_draw_value (GTK_SCALE (control), TRUE);
            gtk_scale_set_value_pos (GTK_SCALE (control), GTK_POS_LEFT);
            gtk_scale_set_format_value_func (GTK_SCALE (control),
                                             (GtkScaleFormatValueFunc) format_scale_value,
                                             self, NULL);
            gtk_range_set_round_digits (GTK_RANGE (control), 0);
            gtk_widget_set_size_request (control, 220, -1);
          }
        else
          {
            control = gtk_spin_button_new_with_range (setting->min, setting->max, step);
            gtk_spin_button_set_numeric (GTK_SPIN_BUTTON (control), TRUE);
            gtk_spin_button_set_snap_to_ticks (GTK_SPIN_BUTTON (control), TRUE);
          }
        g_signal_connect_swapped (control, "value-changed", G_CALLBACK (on_control_moving), self);

        if (setting->options != NULL && setting->options[0].label != NULL)
          {
            GtkWidget *button = gtk_toggle_button_new_with_label (_(setting->options[0].label));

            gtk_widget_set_valign (button, GTK_ALIGN_CENTER);
            gtk_widget_set_tooltip_text (button, _(setting->options[0].label));
            g_signal_connect_swapped (button, "toggled", G_CALLBACK (on_auto_toggled), self);
            self->auto_button = GTK_TOGGLE_BUTTON (button);
          }
      }
      break;

    case JUICE_SETTING_CHOICE:  /* a JuiceChoiceRow */
    default:
      g_assert_not_reached ();
    }

  gtk_widget_set_valign (control, GTK_ALIGN_CENTER);

  /* Scales and spin buttons have no name of their own. */
  if (setting->kind != JUICE_SETTING_SWITCH)
    gtk_accessible_update_property (GTK_ACCESSIBLE (control),
                                    GTK_ACCESSIBLE_PROPERTY_LABEL, _(setting->label),
                                    -1);

  return control;
}

static void
juice_setting_row_dispose (GObject *object)
{
  JuiceSettingRow *self = (JuiceSettingRow *)object;

  g_clear_handle_id (&self->settle_id, g_source_remove);
  g_clear_handle_id (&self->spinner_id, g_source_remove);
  if (self->device != NULL)
    g_clear_signal_handler (&self->changed_id, self->device);

  gtk_widget_dispose_template (GTK_WIDGET (self), JUICE_TYPE_SETTING_ROW);
  g_clear_object (&self->device);

  G_OBJECT_CLASS (juice_setting_row_parent_class)->dispose (object);
}

static void
juice_setting_row_class_init (JuiceSettingRowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = juice_setting_row_dispose;

  gtk_widget_class_set_template_from_resource (widget_class,
                                               RESOURCE_PREFIX "/juice-setting-row.ui");
  gtk_widget_class_bind_template_child (widget_class, JuiceSettingRow, suffix_box);
  gtk_widget_class_bind_template_child (widget_class, JuiceSettingRow, spinner);
}

static void
juice_setting_row_init (JuiceSettingRow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}

GtkWidget *
juice_setting_row_new (JuiceDevice            *device,
                       const JuiceSettingInfo *setting)
{
  g_autofree char *detailed = NULL;
  JuiceSettingRow *self;

  g_return_val_if_fail (JUICE_IS_DEVICE (device), NULL);
  g_return_val_if_fail (setting != NULL, NULL);

  /* A choice is the HIG's combo row. */
  if (setting->kind == JUICE_SETTING_CHOICE)
    return juice_choice_row_new (device, setting);

  self = g_object_new (JUICE_TYPE_SETTING_ROW, NULL);
  self->device = g_object_ref (device);
  self->setting = setting;

  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self), _(setting->label));
  if (setting->description != NULL)
    adw_action_row_set_subtitle (ADW_ACTION_ROW (self), _(setting->description));

  self->control = create_control (self);
  if (self->auto_button != NULL)
    gtk_box_append (self->suffix_box, GTK_WIDGET (self->auto_button));
  gtk_box_append (self->suffix_box, self->control);

  detailed = g_strconcat ("setting-changed::", setting->name, NULL);
  self->changed_id = g_signal_connect (device, detailed, G_CALLBACK (on_setting_changed), self);
  sync_from_device (self);

  return GTK_WIDGET (self);
}

const JuiceSettingInfo *
juice_setting_row_get_setting (JuiceSettingRow *self)
{
  g_return_val_if_fail (JUICE_IS_SETTING_ROW (self), NULL);

  return self->setting;
}

GtkWidget *
juice_setting_row_get_control (JuiceSettingRow *self)
{
  g_return_val_if_fail (JUICE_IS_SETTING_ROW (self), NULL);

  return self->control;
}

gboolean
juice_setting_row_get_pending (JuiceSettingRow *self)
{
  g_return_val_if_fail (JUICE_IS_SETTING_ROW (self), FALSE);

  return juice_device_is_setting_pending (self->device, self->setting->name);
}

const JuiceSettingInfo *
juice_setting_widget_get_setting (GtkWidget *row)
{
  g_return_val_if_fail (GTK_IS_WIDGET (row), NULL);

  if (JUICE_IS_SETTING_ROW (row))
    return juice_setting_row_get_setting (JUICE_SETTING_ROW (row));
  if (JUICE_IS_CHOICE_ROW (row))
    return juice_choice_row_get_setting (JUICE_CHOICE_ROW (row));

  return NULL;
}
