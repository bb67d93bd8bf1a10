/* juice-report-coalescer.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "juice-report-coalescer"

#include "config.h"

#include "juice-report-coalescer.h"

/* At most this much waits: a flood is applied in pieces, never hoarded. */
#define MAX_PENDING_REPORTS 64
#define MAX_PENDING_BYTES   (1024 * 1024)

struct _JuiceReportCoalescer
{
  JuiceDevice *device;
  GPtrArray   *pending;       /* JuiceReport: checked, waiting for the interval's end */
  gsize        pending_bytes;
  GSource     *timer;
  gint64       last_applied;  /* monotonic µs */
  gint64       interval_us;
};

void
juice_report_coalescer_flush (JuiceReportCoalescer *self)
{
  g_autoptr(GPtrArray) pending = NULL;

  g_return_if_fail (self != NULL);

  g_source_set_ready_time (self->timer, -1);
  if (self->pending->len == 0)
    return;

  /* Applied in order, as one report: the newest value of each key wins. */
  pending = g_steal_pointer (&self->pending);
  self->pending = g_ptr_array_new_with_free_func ((GDestroyNotify) juice_report_free);
  self->pending_bytes = 0;
  self->last_applied = g_get_monotonic_time ();
  juice_device_apply_reports (self->device, (JuiceReport **) pending->pdata, pending->len);
}

void
juice_report_coalescer_clear (JuiceReportCoalescer *self)
{
  g_return_if_fail (self != NULL);

  g_source_set_ready_time (self->timer, -1);
  g_ptr_array_set_size (self->pending, 0);
  self->pending_bytes = 0;
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
  self->pending = g_ptr_array_new_with_free_func ((GDestroyNotify) juice_report_free);
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
  g_clear_pointer (&self->pending, g_ptr_array_unref);
  g_clear_object (&self->device);
  g_free (self);
}

gboolean
juice_report_coalescer_push (JuiceReportCoalescer  *self,
                             const char            *data,
                             gsize                  length,
                             GError               **error)
{
  JuiceReport *report;

  g_return_val_if_fail (self != NULL, FALSE);

  report = juice_device_check_report (self->device, data, length, error);
  if (report == NULL)
    return FALSE;

  self->pending_bytes += juice_report_get_size (report);
  g_ptr_array_add (self->pending, report);

  /* Quiet for a whole interval, a readback someone waits for, or a flood
   * that would weigh too much: at once, with what came before it. */
  if (g_get_monotonic_time () - self->last_applied >= self->interval_us ||
      juice_device_has_pending_commands (self->device) ||
      self->pending->len >= MAX_PENDING_REPORTS ||
      self->pending_bytes >= MAX_PENDING_BYTES)
    {
      juice_report_coalescer_flush (self);
      return TRUE;
    }

  if (self->pending->len == 1)
    g_source_set_ready_time (self->timer, self->last_applied + self->interval_us);

  return TRUE;
}
