/* juice-choice-row.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "juice-choice-row"

#include "config.h"

#include <glib/gi18n.h>

#include "juice-a11y.h"
#include "juice-choice-row.h"
#include "juice-quota-format.h"
#include "juice-setting-row.h"

struct _JuiceChoiceRow
{
  AdwComboRow             parent_instance;

  /* template widgets */
  GtkSpinner             *spinner;

  /* owned references */
  JuiceDevice            *device;
  GtkStringList          *labels;      /* the options, then the custom item when shown */

  /* state */
  const JuiceSettingInfo *setting;
  guint                   n_options;
  gint64                  custom_value;
  gulong                  changed_id;
  guint                   has_custom : 1;
  guint                   syncing : 1;
};

G_DEFINE_FINAL_TYPE (JuiceChoiceRow, juice_choice_row, ADW_TYPE_COMBO_ROW)

/* "Custom (4 d 3 h 59 min)": durations to the minute, other values as the
 * readback key reads (5000 mA: "5 A"). */
static char *
format_custom (JuiceChoiceRow *self,
               gint64          value)
{
  const JuiceSettingInfo *setting = self->setting;
  const JuiceQuotaInfo *info;
  g_autofree char *text = NULL;

  if (setting->unit == JUICE_UNIT_MINUTE)
    text = juice_format_duration (value * 60, TRUE);
  else if (setting->unit == JUICE_UNIT_SECOND)
    text = juice_format_duration (value, TRUE);
  else if ((info = juice_device_profile_lookup_quota (juice_device_get_profile (self->device),
                                                      setting->readback_key)) != NULL)
    text = juice_quota_format_value (info, (double) value);
  else
    text = g_strdup_printf ("%" G_GINT64_FORMAT, value);

  /* Translators: a value set elsewhere that is none of the options, "Custom (5 h)" */
  return g_strdup_printf (_("Custom (%s)"), text);
}

static void
sync_from_device (JuiceChoiceRow *self)
{
  const JuiceSettingInfo *setting = self->setting;
  gboolean pending = juice_device_is_setting_pending (self->device, setting->name);
  gboolean known;
  gint64 value = 0;
  guint position = GTK_INVALID_LIST_POSITION;

  known = juice_device_get_setting_value (self->device, setting->name, &value);

  gtk_widget_set_visible (GTK_WIDGET (self->spinner), pending);
  gtk_spinner_set_spinning (self->spinner, pending);
  gtk_widget_set_sensitive (GTK_WIDGET (self), known);

  if (!known)
    {
      /* Not the first option: nothing, until the device says. */
      self->syncing = TRUE;
      adw_combo_row_set_selected (ADW_COMBO_ROW (self), GTK_INVALID_LIST_POSITION);
      self->syncing = FALSE;
      return;
    }

  for (guint i = 0; i < self->n_options; i++)
    if (setting->options[i].value == value)
      position = i;

  self->syncing = TRUE;

  if (position == GTK_INVALID_LIST_POSITION)
    {
      g_autofree char *label = format_custom (self, value);
      const char *additions[] = { label, NULL };

      gtk_string_list_splice (self->labels, self->n_options, self->has_custom ? 1 : 0, additions);
      self->has_custom = TRUE;
      self->custom_value = value;
      position = self->n_options;
    }
  else if (self->has_custom)
    {
      gtk_string_list_remove (self->labels, self->n_options);
      self->has_custom = FALSE;
    }

  adw_combo_row_set_selected (ADW_COMBO_ROW (self), position);

  self->syncing = FALSE;
}

static void
on_setting_changed (JuiceDevice    *device,
                    const char     *name,
                    JuiceChoiceRow *self)
{
  sync_from_device (self);
}

static void
on_selected_changed (JuiceChoiceRow *self)
{
  gint64 value;

  if (self->syncing || self->device == NULL)
    return;

  if (juice_choice_row_get_value (self, &value))
    juice_setting_send (GTK_WIDGET (self), self->device, self->setting, value);
}

static void
juice_choice_row_dispose (GObject *object)
{
  JuiceChoiceRow *self = (JuiceChoiceRow *)object;

  if (self->device != NULL)
    g_clear_signal_handler (&self->changed_id, self->device);

  gtk_widget_dispose_template (GTK_WIDGET (self), JUICE_TYPE_CHOICE_ROW);
  g_clear_object (&self->device);
  g_clear_object (&self->labels);

  G_OBJECT_CLASS (juice_choice_row_parent_class)->dispose (object);
}

static void
juice_choice_row_class_init (JuiceChoiceRowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = juice_choice_row_dispose;

  gtk_widget_class_set_template_from_resource (widget_class,
                                               RESOURCE_PREFIX "/juice-choice-row.ui");
  gtk_widget_class_bind_template_child (widget_class, JuiceChoiceRow, spinner);
  gtk_widget_class_bind_template_callback (widget_class, on_selected_changed);
}

static void
juice_choice_row_init (JuiceChoiceRow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  juice_a11y_name_combo_row (ADW_COMBO_ROW (self));
}

GtkWidget *
juice_choice_row_new (JuiceDevice            *device,
                      const JuiceSettingInfo *setting)
{
  g_autofree char *detailed = NULL;
  JuiceChoiceRow *self;

  g_return_val_if_fail (JUICE_IS_DEVICE (device), NULL);
  g_return_val_if_fail (setting != NULL, NULL);
  g_return_val_if_fail (setting->kind == JUICE_SETTING_CHOICE, NULL);

  self = g_object_new (JUICE_TYPE_CHOICE_ROW, NULL);
  self->setting = setting;

  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self), _(setting->label));
  if (setting->description != NULL)
    adw_action_row_set_subtitle (ADW_ACTION_ROW (self), _(setting->description));

  self->labels = gtk_string_list_new (NULL);
  for (guint i = 0; setting->options[i].label != NULL; i++)
    {
      gtk_string_list_append (self->labels, _(setting->options[i].label));
      self->n_options++;
    }

  /* No device yet: setting the model selects the first item, which is not a
   * choice of the user's. */
  adw_combo_row_set_model (ADW_COMBO_ROW (self), G_LIST_MODEL (self->labels));
  self->device = g_object_ref (device);

  detailed = g_strconcat ("setting-changed::", setting->name, NULL);
  self->changed_id = g_signal_connect (device, detailed, G_CALLBACK (on_setting_changed), self);
  sync_from_device (self);

  return GTK_WIDGET (self);
}

const JuiceSettingInfo *
juice_choice_row_get_setting (JuiceChoiceRow *self)
{
  g_return_val_if_fail (JUICE_IS_CHOICE_ROW (self), NULL);

  return self->setting;
}

gboolean
juice_choice_row_get_pending (JuiceChoiceRow *self)
{
  g_return_val_if_fail (JUICE_IS_CHOICE_ROW (self), FALSE);

  return juice_device_is_setting_pending (self->device, self->setting->name);
}

gboolean
juice_choice_row_get_value (JuiceChoiceRow *self,
                            gint64         *value)
{
  guint selected;

  g_return_val_if_fail (JUICE_IS_CHOICE_ROW (self), FALSE);

  selected = adw_combo_row_get_selected (ADW_COMBO_ROW (self));
  if (selected < self->n_options)
    {
      *value = self->setting->options[selected].value;
      return TRUE;
    }
  if (self->has_custom && selected == self->n_options)
    {
      *value = self->custom_value;
      return TRUE;
    }

  return FALSE;
}
