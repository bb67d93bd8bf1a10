/* juice-report-coalescer.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "juice-report-coalescer"

#include "config.h"

#include "juice-report-coalescer.h"

struct _JuiceReportCoalescer
{
  JuiceDevice *device;
  JsonObject  *pending;      /* merged reports waiting for the interval's end */
  GSource     *timer;
  gint64       last_applied; /* monotonic µs */
  gint64       interval_us;
};

static void
apply_node (JuiceReportCoalescer *self,
            JsonNode             *params)
{
  g_autoptr(GError) error = NULL;

  self->last_applied = g_get_monotonic_time ();
  if (juice_device_apply_report (self->device, params, &error) < 0)
    g_debug ("%s: report not applied: %s",
             juice_device_get_serial_number (self->device), error->message);
}

void
juice_report_coalescer_flush (JuiceReportCoalescer *self)
{
  g_autoptr(JsonObject) pending = NULL;
  g_autoptr(JsonNode) node = NULL;

  g_return_if_fail (self != NULL);

  g_source_set_ready_time (self->timer, -1);
  if (self->pending == NULL)
    return;

  pending = g_steal_pointer (&self->pending);
  node = json_node_init_object (json_node_alloc (), pending);
  apply_node (self, node);
}

void
juice_report_coalescer_clear (JuiceReportCoalescer *self)
{
  g_return_if_fail (self != NULL);

  g_source_set_ready_time (self->timer, -1);
  g_clear_pointer (&self->pending, json_object_unref);
}

static gboolean
timer_cb (gpointer user_data)
{
  juice_report_coalescer_flush (user_data);
  return G_SOURCE_CONTINUE;
}

static gboolean
timer_dispatch (GSource     *source,
                GSourceFunc  callback,
                gpointer     user_data)
{
  return callback (user_data);
}

static GSourceFuncs timer_funcs = { NULL, NULL, timer_dispatch, NULL, NULL, NULL };

JuiceReportCoalescer *
juice_report_coalescer_new (JuiceDevice  *device,
                            GMainContext *context,
                            guint         interval_ms)
{
  JuiceReportCoalescer *self;

  g_return_val_if_fail (JUICE_IS_DEVICE (device), NULL);

  self = g_new0 (JuiceReportCoalescer, 1);
  self->device = g_object_ref (device);
  self->interval_us = (gint64) interval_ms * 1000;
  self->last_applied = G_MININT64 / 2;
  self->timer = g_source_new (&timer_funcs, sizeof (GSource));
  g_source_set_static_name (self->timer, "[juice-report-coalescer] interval");
  g_source_set_callback (self->timer, timer_cb, self, NULL);
  g_source_set_ready_time (self->timer, -1);
  g_source_attach (self->timer, context);

  return self;
}

void
juice_report_coalescer_free (JuiceReportCoalescer *self)
{
  if (self == NULL)
    return;

  g_source_destroy (self->timer);
  g_source_unref (self->timer);
  g_clear_pointer (&self->pending, json_object_unref);
  g_clear_object (&self->device);
  g_free (self);
}

gboolean
juice_report_coalescer_push (JuiceReportCoalescer  *self,
                             const char            *data,
                             gsize                  length,
                             GError               **error)
{
  g_autoptr(JsonNode) params = NULL;
  JsonObjectIter iter;
  const char *name;
  JsonNode *member;

  g_return_val_if_fail (self != NULL, FALSE);

  params = juice_device_parse_report (self->device, data, length, error);
  if (params == NULL)
    return FALSE;

  /* Not an object: the device says why, now. */
  if (!JSON_NODE_HOLDS_OBJECT (params))
    {
      juice_report_coalescer_flush (self);
      self->last_applied = g_get_monotonic_time ();
      return juice_device_apply_report (self->device, params, error) >= 0;
    }

  /* Quiet for a whole interval: at once, as it came. */
  if (self->pending == NULL && g_get_monotonic_time () - self->last_applied >= self->interval_us)
    {
      apply_node (self, params);
      return TRUE;
    }

  if (self->pending == NULL)
    {
      self->pending = json_object_new ();
      g_source_set_ready_time (self->timer, self->last_applied + self->interval_us);
    }

  json_object_iter_init (&iter, json_node_get_object (params));
  while (json_object_iter_next (&iter, &name, &member))
    json_object_set_member (self->pending, name, json_node_ref (member));

  return TRUE;
}
