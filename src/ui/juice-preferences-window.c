/* juice-preferences-window.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "juice-preferences"

#include "config.h"

#include <glib/gi18n.h>

#include "juice-a11y.h"
#include "juice-preferences-window.h"

struct _JuicePreferencesWindow
{
  AdwPreferencesWindow  parent_instance;

  /* template widgets */
  AdwComboRow          *power_unit_row;
  AdwActionRow         *host_row;

  /* template widgets: tray, background and notifications (issue 11) */
  GtkSwitch            *background_switch;
  GtkSwitch            *login_switch;
  GtkSpinButton        *low_spin;
  GtkSwitch            *full_switch;
  GtkSwitch            *offline_switch;

  /* owned references */
  GSettings            *settings;
};

G_DEFINE_FINAL_TYPE (JuicePreferencesWindow, juice_preferences_window, ADW_TYPE_PREFERENCES_WINDOW)

/* The combo row's positions, in the order of its model. */
static const char *power_units[] = { "auto", "watts" };

static gboolean
power_unit_get (GValue   *value,
                GVariant *variant,
                gpointer  user_data)
{
  const char *unit = g_variant_get_string (variant, NULL);

  for (guint i = 0; i < G_N_ELEMENTS (power_units); i++)
    if (g_strcmp0 (unit, power_units[i]) == 0)
      {
        g_value_set_uint (value, i);
        return TRUE;
      }

  return FALSE;
}

static GVariant *
power_unit_set (const GValue       *value,
                const GVariantType *expected_type,
                gpointer            user_data)
{
  guint i = g_value_get_uint (value);

  if (i >= G_N_ELEMENTS (power_units))
    return NULL;

  return g_variant_new_string (power_units[i]);
}

static void
juice_preferences_window_dispose (GObject *object)
{
  JuicePreferencesWindow *self = (JuicePreferencesWindow *)object;

  gtk_widget_dispose_template (GTK_WIDGET (self), JUICE_TYPE_PREFERENCES_WINDOW);
  g_clear_object (&self->settings);

  G_OBJECT_CLASS (juice_preferences_window_parent_class)->dispose (object);
}

static void
juice_preferences_window_class_init (JuicePreferencesWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = juice_preferences_window_dispose;

  gtk_widget_class_set_template_from_resource (widget_class,
                                               RESOURCE_PREFIX "/juice-preferences-window.ui");
  gtk_widget_class_bind_template_child (widget_class, JuicePreferencesWindow, power_unit_row);
  gtk_widget_class_bind_template_child (widget_class, JuicePreferencesWindow, host_row);
  /* Tray, background and notifications (issue 11) */
  gtk_widget_class_bind_template_child (widget_class, JuicePreferencesWindow, background_switch);
  gtk_widget_class_bind_template_child (widget_class, JuicePreferencesWindow, login_switch);
  gtk_widget_class_bind_template_child (widget_class, JuicePreferencesWindow, low_spin);
  gtk_widget_class_bind_template_child (widget_class, JuicePreferencesWindow, full_switch);
  gtk_widget_class_bind_template_child (widget_class, JuicePreferencesWindow, offline_switch);
}

static void
juice_preferences_window_init (JuicePreferencesWindow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  juice_a11y_name_combo_row (ADW_COMBO_ROW (self->power_unit_row));
  juice_a11y_name_preferences_window (ADW_PREFERENCES_WINDOW (self));

  self->settings = g_settings_new (APP_ID);
  g_settings_bind_with_mapping (self->settings, "power-unit", self->power_unit_row, "selected",
                                G_SETTINGS_BIND_DEFAULT, power_unit_get, power_unit_set,
                                NULL, NULL);
  g_settings_bind (self->settings, "api-host", self->host_row, "subtitle", G_SETTINGS_BIND_GET);

  /* Tray, background and notifications (issue 11) */
  g_settings_bind (self->settings, "run-in-background", self->background_switch, "active",
                   G_SETTINGS_BIND_DEFAULT);
  g_settings_bind (self->settings, "start-at-login", self->login_switch, "active",
                   G_SETTINGS_BIND_DEFAULT);
  g_settings_bind (self->settings, "notify-low-charge", self->low_spin, "value",
                   G_SETTINGS_BIND_DEFAULT);
  g_settings_bind (self->settings, "notify-full", self->full_switch, "active",
                   G_SETTINGS_BIND_DEFAULT);
  g_settings_bind (self->settings, "notify-offline", self->offline_switch, "active",
                   G_SETTINGS_BIND_DEFAULT);
  /* A spin button has no name of its own (STYLE.md). */
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->low_spin), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  _("Low charge below, percent"), -1);
}

GtkWidget *
juice_preferences_window_new (GtkWindow *parent)
{
  return g_object_new (JUICE_TYPE_PREFERENCES_WINDOW,
                       "transient-for", parent,
                       "modal", parent != NULL,
                       NULL);
}
