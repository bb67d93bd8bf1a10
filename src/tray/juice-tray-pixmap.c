/* juice-tray-pixmap.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "juice-tray"

#include "config.h"

#include <gdk-pixbuf/gdk-pixbuf.h>
#include <string.h>

#include "juice-tray-pixmap.h"

/* The symbolic icons' ink, and the grey that replaces it in pixmaps. */
#define SYMBOLIC_INK "#2e3436"
#define PIXMAP_INK   "#9a9996"

static char *
find_icon (const char *theme_path,
           const char *icon_name)
{
  g_autofree char *file = g_strconcat (icon_name, ".svg", NULL);
  const char *dirs[] = { theme_path, JUICE_ICONDIR };

  for (guint i = 0; i < G_N_ELEMENTS (dirs); i++)
    {
      g_autofree char *path = NULL;

      if (dirs[i] == NULL)
        continue;
      path = g_build_filename (dirs[i], "hicolor", "symbolic", "apps", file, NULL);
      if (g_file_test (path, G_FILE_TEST_IS_REGULAR))
        return g_steal_pointer (&path);
    }

  return NULL;
}

static GVariant *
render_one (const char *svg,
            gsize       length,
            int         size)
{
  g_autoptr(GdkPixbufLoader) loader = NULL;
  g_autoptr(GError) error = NULL;
  GdkPixbuf *pixbuf;
  g_autofree guint8 *argb = NULL;
  const guint8 *pixels;
  int width, height, stride, channels;

  loader = gdk_pixbuf_loader_new_with_type ("svg", &error);
  if (loader == NULL)
    {
      g_debug ("No SVG loader for the tray's pixmaps: %s", error->message);
      return NULL;
    }
  gdk_pixbuf_loader_set_size (loader, size, size);
  if (!gdk_pixbuf_loader_write (loader, (const guchar *) svg, length, &error) ||
      !gdk_pixbuf_loader_close (loader, &error))
    {
      g_debug ("Could not render a tray pixmap: %s", error->message);
      return NULL;
    }

  pixbuf = gdk_pixbuf_loader_get_pixbuf (loader);
  width = gdk_pixbuf_get_width (pixbuf);
  height = gdk_pixbuf_get_height (pixbuf);
  stride = gdk_pixbuf_get_rowstride (pixbuf);
  channels = gdk_pixbuf_get_n_channels (pixbuf);
  pixels = gdk_pixbuf_read_pixels (pixbuf);
  argb = g_malloc ((gsize) width * height * 4);

  for (int y = 0; y < height; y++)
    for (int x = 0; x < width; x++)
      {
        const guint8 *p = pixels + y * stride + x * channels;
        guint8 *q = argb + ((gsize) y * width + x) * 4;

        q[0] = channels == 4 ? p[3] : 0xff;
        q[1] = p[0];
        q[2] = p[1];
        q[3] = p[2];
      }

  return g_variant_new ("(ii@ay)", width, height,
                        g_variant_new_fixed_array (G_VARIANT_TYPE_BYTE, argb,
                                                   (gsize) width * height * 4, 1));
}

GVariant *
juice_tray_pixmap_render (const char *theme_path,
                          const char *icon_name)
{
  g_autofree char *path = NULL;
  g_autofree char *svg = NULL;
  g_autoptr(GString) inked = NULL;
  GVariantBuilder builder;
  const int sizes[] = { 22, 44 };
  gsize length;

  g_return_val_if_fail (icon_name != NULL, NULL);

  path = find_icon (theme_path, icon_name);
  if (path == NULL || !g_file_get_contents (path, &svg, &length, NULL))
    return NULL;

  inked = g_string_new_len (svg, length);
  g_string_replace (inked, SYMBOLIC_INK, PIXMAP_INK, 0);

  g_variant_builder_init (&builder, G_VARIANT_TYPE ("a(iiay)"));
  for (guint i = 0; i < G_N_ELEMENTS (sizes); i++)
    {
      GVariant *pixmap = render_one (inked->str, inked->len, sizes[i]);

      if (pixmap == NULL)
        {
          g_variant_builder_clear (&builder);
          return NULL;
        }
      g_variant_builder_add_value (&builder, pixmap);
    }

  return g_variant_builder_end (&builder);
}
