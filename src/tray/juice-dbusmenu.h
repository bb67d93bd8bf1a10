/* juice-dbusmenu.h: a flat menu exported over com.canonical.dbusmenu
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

#define JUICE_TYPE_DBUSMENU (juice_dbusmenu_get_type ())

G_DECLARE_FINAL_TYPE (JuiceDbusmenu, juice_dbusmenu, JUICE, DBUSMENU, GObject)

typedef enum
{
  JUICE_DBUSMENU_ITEM_STANDARD,
  JUICE_DBUSMENU_ITEM_CHECK,       /* toggle-type "checkmark" */
  JUICE_DBUSMENU_ITEM_SEPARATOR,
} JuiceDbusmenuItemType;

/* A one-level menu (the tray's) at @object_path of a connection. Why our own
 * and not libdbusmenu-glib: the tray needs a flat list of a dozen items, the
 * protocol for that is a handful of methods; libdbusmenu is not in the GNOME
 * Flatpak runtime (it would be one more module to build there, with its
 * autotools, gtk-doc and vala build dependencies), and its server keeps a
 * tree of GObjects per item that we would mirror from our model anyway.
 *
 * Items are identified by the ids juice_dbusmenu_append() returns (> 0; 0 is
 * the root). A change of the list (append, clear) bumps the layout revision
 * and emits LayoutUpdated once per main loop turn; a change of an item's
 * label, toggle state or sensitivity emits ItemsPropertiesUpdated, and only
 * when the value really changed.
 *
 * While not active (no tray host has the item) no signal is sent at all;
 * becoming active announces a new layout.
 *
 * Signals:
 *  - "activated" (int id): a host sent Event (id, "clicked"). */

JuiceDbusmenu *juice_dbusmenu_new              (GDBusConnection       *connection,
                                                const char            *object_path);
const char    *juice_dbusmenu_get_object_path  (JuiceDbusmenu         *self);
guint          juice_dbusmenu_get_revision     (JuiceDbusmenu         *self);
void           juice_dbusmenu_set_active       (JuiceDbusmenu         *self,
                                                gboolean               active);
/* Removes every item. */
void           juice_dbusmenu_clear            (JuiceDbusmenu         *self);
int            juice_dbusmenu_append           (JuiceDbusmenu         *self,
                                                JuiceDbusmenuItemType  type,
                                                const char            *label);
void           juice_dbusmenu_set_label        (JuiceDbusmenu         *self,
                                                int                    id,
                                                const char            *label);
const char    *juice_dbusmenu_get_label        (JuiceDbusmenu         *self,
                                                int                    id);
/* 1 checked, 0 not, -1 unknown. */
void           juice_dbusmenu_set_toggle_state (JuiceDbusmenu         *self,
                                                int                    id,
                                                int                    state);
int            juice_dbusmenu_get_toggle_state (JuiceDbusmenu         *self,
                                                int                    id);
void           juice_dbusmenu_set_enabled      (JuiceDbusmenu         *self,
                                                int                    id,
                                                gboolean               enabled);

G_END_DECLS
