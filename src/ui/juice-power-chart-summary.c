/* juice-power-chart-summary.c: what the power chart shows, in one sentence
 *
 * The text summary a screen reader reads for the chart (its accessible
 * description and the "summary" property): the peaks of input and output
 * in the range shown, and the charge's low, high and latest values.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "juice-power-chart"

#include "config.h"

#include <glib/gi18n.h>

#include "juice-power-chart-private.h"

/* The extreme of @series in the range: its value and when. */
static gboolean
find_extreme (JuicePowerChart       *self,
              JuicePowerChartSeries  series,
              gboolean               highest,
              double                *value,
              gint64                *time)
{
  gint64 from = _juice_power_chart_get_from (self);
  GArray *arrays[2] = { self->history[series], self->live[series] };
  gboolean found = FALSE;

  for (guint a = 0; a < G_N_ELEMENTS (arrays); a++)
    for (guint i = 0; i < arrays[a]->len; i++)
      {
        const JuiceHistoryPoint *p = &g_array_index (arrays[a], JuiceHistoryPoint, i);
        double v = highest ? p->max : p->min;

        if (p->time < from || p->time > self->end_time)
          continue;
        if (!found || (highest ? v > *value : v < *value))
          {
            *value = v;
            *time = p->time;
            found = TRUE;
          }
      }

  return found;
}

static gboolean
find_latest (JuicePowerChart       *self,
             JuicePowerChartSeries  series,
             double                *value)
{
  GArray *points = self->live[series]->len > 0 ? self->live[series] : self->history[series];

  if (points->len == 0)
    return FALSE;

  *value = g_array_index (points, JuiceHistoryPoint, points->len - 1).mean;
  return TRUE;
}

static char *
describe_peak (JuicePowerChart *self,
               gboolean         input,
               double           watts,
               gint64           time)
{
  g_autofree char *power = NULL;
  g_autofree char *when = NULL;

  if (watts <= 0)
    return g_strdup (input ? _("no input") : _("no output"));

  power = juice_chart_format_power (watts);
  when = juice_chart_format_time (time, self->range >= JUICE_CHART_RANGE_WEEK);
  if (input)
    /* Translators: "input peaked at 1.2 kW at 13:10" */
    return g_strdup_printf (_("input peaked at %s at %s"), power, when);

  /* Translators: "output peaked at 400 W at 19:20" */
  return g_strdup_printf (_("output peaked at %s at %s"), power, when);
}

void
_juice_power_chart_update_summary (JuicePowerChart *self)
{
  g_autoptr(GString) text = g_string_new (juice_chart_range_get_title (self->range));
  g_autoptr(GPtrArray) parts = g_ptr_array_new_with_free_func (g_free);
  double value, low, high, now;
  gint64 time, low_time, high_time;

  if (find_extreme (self, JUICE_POWER_CHART_IN, TRUE, &value, &time))
    g_ptr_array_add (parts, describe_peak (self, TRUE, value, time));
  if (find_extreme (self, JUICE_POWER_CHART_OUT, TRUE, &value, &time))
    g_ptr_array_add (parts, describe_peak (self, FALSE, value, time));
  if (find_extreme (self, JUICE_POWER_CHART_SOC, FALSE, &low, &low_time) &&
      find_extreme (self, JUICE_POWER_CHART_SOC, TRUE, &high, &high_time) &&
      find_latest (self, JUICE_POWER_CHART_SOC, &now))
    /* Translators: "charge between 35 % and 92 %, now 80 %" */
    g_ptr_array_add (parts, g_strdup_printf (_("charge between %.0f %% and %.0f %%, now %.0f %%"),
                                             CLAMP (low, 0, 100), CLAMP (high, 0, 100),
                                             CLAMP (now, 0, 100)));

  g_string_append (text, ": ");
  if (parts->len == 0)
    g_string_append (text, _("nothing recorded yet. Recording starts now."));
  else
    {
      for (guint i = 0; i < parts->len; i++)
        {
          if (i > 0)
            g_string_append (text, ", ");
          g_string_append (text, g_ptr_array_index (parts, i));
        }
      g_string_append_c (text, '.');
    }

  if (g_strcmp0 (self->summary, text->str) == 0)
    return;

  g_free (self->summary);
  self->summary = g_string_free (g_steal_pointer (&text), FALSE);
  g_object_notify (G_OBJECT (self), "summary");
  gtk_accessible_update_property (GTK_ACCESSIBLE (self),
                                  GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, self->summary,
                                  -1);
}
