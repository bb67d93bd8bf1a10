/* juice-device-row.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "juice-device-row"

#include "config.h"

#include <glib/gi18n.h>

#include "juice-device-page.h"
#include "juice-device-row.h"
#include "juice-value-label.h"

struct _JuiceDeviceRow
{
  GtkListBoxRow  parent_instance;

  /* template widgets */
  GtkImage      *online_image;

  /* owned references */
  JuiceDevice   *device;

  /* state */
  gboolean       has_values;
  double         soc;          /* the charge shown: the device's, once per frame */
  guint          tick_id;
};

G_DEFINE_FINAL_TYPE (JuiceDeviceRow, juice_device_row, GTK_TYPE_LIST_BOX_ROW)

enum {
  PROP_0,
  PROP_DEVICE,
  PROP_HAS_VALUES,
  PROP_SOC,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static char *
format_online (JuiceDeviceRow *self,
               gboolean        online)
{
  return g_strdup (online ? _("Online") : _("Offline"));
}

/* A device that never sent a value has no charge to show: not "0 %". */
static char *
format_soc (JuiceDeviceRow *self,
            double          soc,
            gboolean        has_values)
{
  if (!has_values)
    /* Translators: the charge of a device that has sent no values yet */
    return g_strdup (_("Unknown"));

  return juice_format_soc (soc);
}

/* A list row has no name of its own in GTK 4.8: say what the row shows,
 * "Cabin, DELTA Pro, 56 %, Online". */
static void
sync_accessible_label (JuiceDeviceRow *self)
{
  g_autofree char *soc = format_soc (self, self->soc, self->has_values);
  g_autofree char *online = format_online (self, juice_device_get_online (self->device));
  const char *name = juice_device_get_name (self->device);
  const char *product = juice_device_get_product (self->device);
  g_autoptr(GString) label = g_string_new (name);

  if (product != NULL && *product != '\0')
    g_string_append_printf (label, ", %s", product);
  /* Translators: the charge in a device's spoken description, "charge 56 %" */
  g_string_append_printf (label, _(", charge %s, %s"), soc, online);

  gtk_accessible_update_property (GTK_ACCESSIBLE (self),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, label->str,
                                  -1);
}

static void
sync_has_values (JuiceDeviceRow *self)
{
  gboolean has_values = juice_device_get_n_quotas (self->device) > 0;

  if (self->has_values == has_values)
    return;

  self->has_values = has_values;
  sync_accessible_label (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_HAS_VALUES]);
}

static void
sync_soc (JuiceDeviceRow *self)
{
  double soc = juice_device_get_soc (self->device);

  if (self->soc == soc)
    return;

  self->soc = soc;
  sync_accessible_label (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SOC]);
}

static void
clear_tick (JuiceDeviceRow *self)
{
  guint id = self->tick_id;

  self->tick_id = 0;
  if (id != 0)
    gtk_widget_remove_tick_callback (GTK_WIDGET (self), id);
}

static gboolean
soc_tick_cb (GtkWidget     *widget,
             GdkFrameClock *clock,
             gpointer       user_data)
{
  JuiceDeviceRow *self = JUICE_DEVICE_ROW (widget);

  self->tick_id = 0;
  sync_soc (self);

  return G_SOURCE_REMOVE;
}

/* The charge is shown once per frame, however many reports came: a report
 * costs the row no more than this. Off screen, it waits for the map. */
static void
on_soc_changed (JuiceDeviceRow *self)
{
  if (self->tick_id == 0 && gtk_widget_get_mapped (GTK_WIDGET (self)))
    self->tick_id = gtk_widget_add_tick_callback (GTK_WIDGET (self), soc_tick_cb, NULL, NULL);
}

static void
juice_device_row_map (GtkWidget *widget)
{
  GTK_WIDGET_CLASS (juice_device_row_parent_class)->map (widget);

  sync_soc (JUICE_DEVICE_ROW (widget));
}

static void
juice_device_row_unmap (GtkWidget *widget)
{
  clear_tick (JUICE_DEVICE_ROW (widget));

  GTK_WIDGET_CLASS (juice_device_row_parent_class)->unmap (widget);
}

static void
sync_online (JuiceDeviceRow *self)
{
  gboolean online = juice_device_get_online (self->device);

  if (online)
    {
      gtk_widget_add_css_class (GTK_WIDGET (self->online_image), "online");
      gtk_widget_remove_css_class (GTK_WIDGET (self->online_image), "offline");
    }
  else
    {
      gtk_widget_add_css_class (GTK_WIDGET (self->online_image), "offline");
      gtk_widget_remove_css_class (GTK_WIDGET (self->online_image), "online");
    }
}

static void
juice_device_row_dispose (GObject *object)
{
  JuiceDeviceRow *self = (JuiceDeviceRow *)object;

  if (self->device != NULL)
    g_signal_handlers_disconnect_by_data (self->device, self);

  gtk_widget_dispose_template (GTK_WIDGET (self), JUICE_TYPE_DEVICE_ROW);
  g_clear_object (&self->device);

  G_OBJECT_CLASS (juice_device_row_parent_class)->dispose (object);
}

static void
juice_device_row_get_property (GObject    *object,
                               guint       prop_id,
                               GValue     *value,
                               GParamSpec *pspec)
{
  JuiceDeviceRow *self = JUICE_DEVICE_ROW (object);

  switch (prop_id)
    {
    case PROP_DEVICE:
      g_value_set_object (value, self->device);
      break;

    case PROP_HAS_VALUES:
      g_value_set_boolean (value, self->has_values);
      break;

    case PROP_SOC:
      g_value_set_double (value, self->soc);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
juice_device_row_set_property (GObject      *object,
                               guint         prop_id,
                               const GValue *value,
                               GParamSpec   *pspec)
{
  JuiceDeviceRow *self = JUICE_DEVICE_ROW (object);

  switch (prop_id)
    {
    case PROP_DEVICE:
      self->device = g_value_dup_object (value);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
juice_device_row_constructed (GObject *object)
{
  JuiceDeviceRow *self = (JuiceDeviceRow *)object;

  G_OBJECT_CLASS (juice_device_row_parent_class)->constructed (object);

  g_signal_connect_swapped (self->device, "notify::online", G_CALLBACK (sync_online), self);
  g_signal_connect_swapped (self->device, "report-applied", G_CALLBACK (sync_has_values), self);
  g_signal_connect_swapped (self->device, "notify::name", G_CALLBACK (sync_accessible_label), self);
  g_signal_connect_swapped (self->device, "notify::product", G_CALLBACK (sync_accessible_label), self);
  g_signal_connect_swapped (self->device, "notify::online", G_CALLBACK (sync_accessible_label), self);
  g_signal_connect_swapped (self->device, "notify::soc", G_CALLBACK (on_soc_changed), self);
  self->soc = juice_device_get_soc (self->device);
  sync_online (self);
  sync_has_values (self);
  sync_accessible_label (self);

  /* The template's expressions watch "device": tell them it is set. */
  g_object_notify_by_pspec (object, properties[PROP_DEVICE]);
}

static void
juice_device_row_class_init (JuiceDeviceRowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = juice_device_row_dispose;
  object_class->constructed = juice_device_row_constructed;
  object_class->get_property = juice_device_row_get_property;
  object_class->set_property = juice_device_row_set_property;
  widget_class->map = juice_device_row_map;
  widget_class->unmap = juice_device_row_unmap;

  properties[PROP_DEVICE] =
    g_param_spec_object ("device", NULL, NULL, JUICE_TYPE_DEVICE,
                         (G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS));

  /* The device has sent values: its charge is known. */
  properties[PROP_HAS_VALUES] =
    g_param_spec_boolean ("has-values", NULL, NULL, FALSE,
                          (G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  /* The charge shown, the device's "soc" once per frame. */
  properties[PROP_SOC] =
    g_param_spec_double ("soc", NULL, NULL, 0, 100, 0,
                         (G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  g_object_class_install_properties (object_class, N_PROPS, properties);

  g_type_ensure (JUICE_TYPE_DEVICE);
  g_type_ensure (JUICE_TYPE_VALUE_LABEL);

  gtk_widget_class_set_template_from_resource (widget_class, RESOURCE_PREFIX "/juice-device-row.ui");
  gtk_widget_class_bind_template_child (widget_class, JuiceDeviceRow, online_image);
  gtk_widget_class_bind_template_callback (widget_class, format_online);
  gtk_widget_class_bind_template_callback (widget_class, format_soc);
}

static void
juice_device_row_init (JuiceDeviceRow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}

GtkWidget *
juice_device_row_new (JuiceDevice *device)
{
  g_return_val_if_fail (JUICE_IS_DEVICE (device), NULL);

  return g_object_new (JUICE_TYPE_DEVICE_ROW, "device", device, NULL);
}

JuiceDevice *
juice_device_row_get_device (JuiceDeviceRow *self)
{
  g_return_val_if_fail (JUICE_IS_DEVICE_ROW (self), NULL);

  return self->device;
}
