/* juice-quota-row.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "juice-quota-row"

#include "config.h"

#include <glib/gi18n.h>

#include "juice-quota-format.h"
#include "juice-quota-row.h"
#include "juice-value-label.h"

struct _JuiceQuotaRow
{
  AdwActionRow          parent_instance;

  /* template widgets */
  JuiceValueLabel      *value_label;

  /* owned references */
  JuiceDevice          *device;
  char                 *key;
  char                 *search_text;

  /* state */
  const JuiceQuotaInfo *info;
  gulong                changed_id;
  guint                 tick_id;      /* an update waits for the next frame */
  gboolean              show_key;
};

G_DEFINE_FINAL_TYPE (JuiceQuotaRow, juice_quota_row, ADW_TYPE_ACTION_ROW)

enum {
  PROP_0,
  PROP_SHOW_KEY,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

/* What the row shows for the key's current value (a dash for a key the
 * device has not sent yet). */
static char *
format_value (JuiceQuotaRow *self,
              gboolean      *reported)
{
  JsonNode *node = juice_device_get_quota (self->device, self->key);

  *reported = node != NULL;
  if (node == NULL)
    return g_strdup ("—");

  return juice_quota_format_node (self->info, node);
}

static void
clear_tick (JuiceQuotaRow *self)
{
  guint id = self->tick_id;

  self->tick_id = 0;
  if (id != 0)
    gtk_widget_remove_tick_callback (GTK_WIDGET (self), id);
}

/* Touches the label only when the text it shows changes: a report that
 * changes nothing visible changes nothing on screen. */
static void
juice_quota_row_update (JuiceQuotaRow *self)
{
  g_autofree char *value = NULL;
  gboolean reported;

  clear_tick (self);

  value = format_value (self, &reported);
  juice_value_label_set_label (self->value_label, value);
  /* A key the device has not sent (yet): dimmed, not a blank. */
  if (gtk_widget_get_sensitive (GTK_WIDGET (self->value_label)) != reported)
    gtk_widget_set_sensitive (GTK_WIDGET (self->value_label), reported);
}

static gboolean
update_tick_cb (GtkWidget     *widget,
                GdkFrameClock *clock,
                gpointer       user_data)
{
  JuiceQuotaRow *self = JUICE_QUOTA_ROW (widget);

  self->tick_id = 0;
  juice_quota_row_update (self);

  return G_SOURCE_REMOVE;
}

/* The key changed: the label follows in the next frame, once however many
 * reports came meanwhile. A report costs the row no more than this. */
static void
on_quota_changed (JuiceDevice   *device,
                  const char    *key,
                  JuiceQuotaRow *self)
{
  if (self->tick_id == 0)
    self->tick_id = gtk_widget_add_tick_callback (GTK_WIDGET (self), update_tick_cb, NULL, NULL);
}

/* The value in full when the pointer rests on it, made only then: setting
 * a tooltip on every report asks the display server where the pointer is. */
static gboolean
on_query_tooltip (GtkWidget     *label,
                  int            x,
                  int            y,
                  gboolean       keyboard_mode,
                  GtkTooltip    *tooltip,
                  JuiceQuotaRow *self)
{
  g_autofree char *value = NULL;
  gboolean reported;

  value = format_value (self, &reported);
  gtk_tooltip_set_text (tooltip, reported ? value : _("Not reported"));
  return TRUE;
}

/* The value is drawn, not a selectable label: Ctrl+C on the row copies it. */
static void
copy_value_action (GtkWidget  *widget,
                   const char *action_name,
                   GVariant   *parameter)
{
  JuiceQuotaRow *self = JUICE_QUOTA_ROW (widget);
  g_autofree char *value = NULL;
  gboolean reported;

  value = format_value (self, &reported);
  if (reported)
    gdk_clipboard_set_text (gtk_widget_get_clipboard (widget), value);
}

/* Only a row on screen follows its key: hidden pages cost nothing per report. */
static void
juice_quota_row_map (GtkWidget *widget)
{
  JuiceQuotaRow *self = JUICE_QUOTA_ROW (widget);
  g_autofree char *detailed = NULL;

  GTK_WIDGET_CLASS (juice_quota_row_parent_class)->map (widget);

  if (self->changed_id == 0)
    {
      /* Known keys have a quark already; an unknown key's quark is minted
       * here, once per row the user looks at, not per message. */
      detailed = g_strconcat ("quota-changed::", self->key, NULL);
      self->changed_id = g_signal_connect (self->device, detailed,
                                           G_CALLBACK (on_quota_changed), self);
    }
  juice_quota_row_update (self);
}

static void
juice_quota_row_unmap (GtkWidget *widget)
{
  JuiceQuotaRow *self = JUICE_QUOTA_ROW (widget);

  g_clear_signal_handler (&self->changed_id, self->device);
  clear_tick (self);

  GTK_WIDGET_CLASS (juice_quota_row_parent_class)->unmap (widget);
}

static void
sync_subtitle (JuiceQuotaRow *self)
{
  const char *raw = juice_device_get_quota_raw_key (self->device, self->key);

  if (self->info == NULL)
    /* Translators: a key that no document describes */
    adw_action_row_set_subtitle (ADW_ACTION_ROW (self), _("Not documented"));
  else if (self->show_key)
    adw_action_row_set_subtitle (ADW_ACTION_ROW (self), raw ? raw : self->key);
  else
    adw_action_row_set_subtitle (ADW_ACTION_ROW (self), NULL);
}

static void
juice_quota_row_dispose (GObject *object)
{
  JuiceQuotaRow *self = (JuiceQuotaRow *)object;

  if (self->device != NULL)
    g_clear_signal_handler (&self->changed_id, self->device);

  gtk_widget_dispose_template (GTK_WIDGET (self), JUICE_TYPE_QUOTA_ROW);
  g_clear_object (&self->device);

  G_OBJECT_CLASS (juice_quota_row_parent_class)->dispose (object);
}

static void
juice_quota_row_finalize (GObject *object)
{
  JuiceQuotaRow *self = (JuiceQuotaRow *)object;

  g_clear_pointer (&self->key, g_free);
  g_clear_pointer (&self->search_text, g_free);

  G_OBJECT_CLASS (juice_quota_row_parent_class)->finalize (object);
}

static void
juice_quota_row_get_property (GObject    *object,
                              guint       prop_id,
                              GValue     *value,
                              GParamSpec *pspec)
{
  JuiceQuotaRow *self = JUICE_QUOTA_ROW (object);

  switch (prop_id)
    {
    case PROP_SHOW_KEY:
      g_value_set_boolean (value, self->show_key);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
juice_quota_row_set_property (GObject      *object,
                              guint         prop_id,
                              const GValue *value,
                              GParamSpec   *pspec)
{
  JuiceQuotaRow *self = JUICE_QUOTA_ROW (object);

  switch (prop_id)
    {
    case PROP_SHOW_KEY:
      if (self->show_key != g_value_get_boolean (value))
        {
          self->show_key = g_value_get_boolean (value);
          if (self->device != NULL)
            sync_subtitle (self);
          g_object_notify_by_pspec (object, pspec);
        }
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
juice_quota_row_class_init (JuiceQuotaRowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = juice_quota_row_dispose;
  object_class->finalize = juice_quota_row_finalize;
  object_class->get_property = juice_quota_row_get_property;
  object_class->set_property = juice_quota_row_set_property;

  properties[PROP_SHOW_KEY] =
    g_param_spec_boolean ("show-key", NULL, NULL, FALSE,
                          (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  g_object_class_install_properties (object_class, N_PROPS, properties);

  widget_class->map = juice_quota_row_map;
  widget_class->unmap = juice_quota_row_unmap;

  g_type_ensure (JUICE_TYPE_VALUE_LABEL);
  gtk_widget_class_set_template_from_resource (widget_class, RESOURCE_PREFIX "/juice-quota-row.ui");
  gtk_widget_class_bind_template_child (widget_class, JuiceQuotaRow, value_label);

  /**
   * JuiceQuotaRow|row.copy-value:
   *
   * Puts the value shown on the clipboard (Ctrl+C on the row).
   */
  gtk_widget_class_install_action (widget_class, "row.copy-value", NULL, copy_value_action);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_c, GDK_CONTROL_MASK,
                                       "row.copy-value", NULL);
}

static void
juice_quota_row_init (JuiceQuotaRow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}

GtkWidget *
juice_quota_row_new (JuiceDevice *device,
                     const char  *key)
{
  const JuiceDeviceProfile *profile;
  JuiceQuotaRow *self;

  g_return_val_if_fail (JUICE_IS_DEVICE (device), NULL);
  g_return_val_if_fail (key != NULL, NULL);

  self = g_object_new (JUICE_TYPE_QUOTA_ROW, NULL);
  self->device = g_object_ref (device);
  profile = juice_device_get_profile (device);
  self->info = profile ? juice_device_profile_lookup_quota (profile, key) : NULL;
  self->key = g_strdup (self->info ? self->info->key : key);

  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self),
                                 self->info ? _(self->info->label) : key);
  sync_subtitle (self);

  gtk_widget_set_has_tooltip (GTK_WIDGET (self->value_label), TRUE);
  g_signal_connect (self->value_label, "query-tooltip", G_CALLBACK (on_query_tooltip), self);
  juice_quota_row_update (self);

  return GTK_WIDGET (self);
}

const char *
juice_quota_row_get_key (JuiceQuotaRow *self)
{
  g_return_val_if_fail (JUICE_IS_QUOTA_ROW (self), NULL);

  return self->key;
}

const char *
juice_quota_row_get_value (JuiceQuotaRow *self)
{
  g_return_val_if_fail (JUICE_IS_QUOTA_ROW (self), NULL);

  /* A row off screen does not follow its key, one on screen follows it in
   * the next frame: catch up first. */
  if (self->changed_id == 0 || self->tick_id != 0)
    juice_quota_row_update (self);

  return juice_value_label_get_label (self->value_label);
}

const char *
juice_quota_row_get_search_text (JuiceQuotaRow *self)
{
  g_return_val_if_fail (JUICE_IS_QUOTA_ROW (self), NULL);

  g_free (self->search_text);
  self->search_text = g_strconcat (adw_preferences_row_get_title (ADW_PREFERENCES_ROW (self)), " ",
                                   self->key, " ", juice_quota_row_get_value (self), NULL);
  return self->search_text;
}
