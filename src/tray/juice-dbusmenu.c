/* juice-dbusmenu.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "juice-dbusmenu"

#include "config.h"

#include "juice-dbusmenu.h"

/* Everything the protocol has that a flat menu uses. */
static const char introspection_xml[] =
  "<node>"
  " <interface name='com.canonical.dbusmenu'>"
  "  <method name='GetLayout'>"
  "   <arg type='i' name='parentId' direction='in'/>"
  "   <arg type='i' name='recursionDepth' direction='in'/>"
  "   <arg type='as' name='propertyNames' direction='in'/>"
  "   <arg type='u' name='revision' direction='out'/>"
  "   <arg type='(ia{sv}av)' name='layout' direction='out'/>"
  "  </method>"
  "  <method name='GetGroupProperties'>"
  "   <arg type='ai' name='ids' direction='in'/>"
  "   <arg type='as' name='propertyNames' direction='in'/>"
  "   <arg type='a(ia{sv})' name='properties' direction='out'/>"
  "  </method>"
  "  <method name='GetProperty'>"
  "   <arg type='i' name='id' direction='in'/>"
  "   <arg type='s' name='name' direction='in'/>"
  "   <arg type='v' name='value' direction='out'/>"
  "  </method>"
  "  <method name='Event'>"
  "   <arg type='i' name='id' direction='in'/>"
  "   <arg type='s' name='eventId' direction='in'/>"
  "   <arg type='v' name='data' direction='in'/>"
  "   <arg type='u' name='timestamp' direction='in'/>"
  "  </method>"
  "  <method name='EventGroup'>"
  "   <arg type='a(isvu)' name='events' direction='in'/>"
  "   <arg type='ai' name='idErrors' direction='out'/>"
  "  </method>"
  "  <method name='AboutToShow'>"
  "   <arg type='i' name='id' direction='in'/>"
  "   <arg type='b' name='needUpdate' direction='out'/>"
  "  </method>"
  "  <method name='AboutToShowGroup'>"
  "   <arg type='ai' name='ids' direction='in'/>"
  "   <arg type='ai' name='updatesNeeded' direction='out'/>"
  "   <arg type='ai' name='idErrors' direction='out'/>"
  "  </method>"
  "  <signal name='ItemsPropertiesUpdated'>"
  "   <arg type='a(ia{sv})' name='updatedProps'/>"
  "   <arg type='a(ias)' name='removedProps'/>"
  "  </signal>"
  "  <signal name='LayoutUpdated'>"
  "   <arg type='u' name='revision'/>"
  "   <arg type='i' name='parent'/>"
  "  </signal>"
  "  <signal name='ItemActivationRequested'>"
  "   <arg type='i' name='id'/>"
  "   <arg type='u' name='timestamp'/>"
  "  </signal>"
  "  <property name='Version' type='u' access='read'/>"
  "  <property name='TextDirection' type='s' access='read'/>"
  "  <property name='Status' type='s' access='read'/>"
  "  <property name='IconThemePath' type='as' access='read'/>"
  " </interface>"
  "</node>";

#define DBUSMENU_INTERFACE "com.canonical.dbusmenu"

typedef struct
{
  int                    id;
  JuiceDbusmenuItemType  type;
  char                  *label;
  int                    toggle_state;
  gboolean               enabled;
} Item;

struct _JuiceDbusmenu
{
  GObject          parent_instance;

  /* owned references */
  GDBusConnection *connection;
  char            *object_path;
  GPtrArray       *items;          /* of Item, in menu order */

  /* state */
  guint            registration_id;
  guint            layout_idle_id;
  guint            revision;
  int              next_id;
  gboolean         active;
};

G_DEFINE_FINAL_TYPE (JuiceDbusmenu, juice_dbusmenu, G_TYPE_OBJECT)

enum {
  ACTIVATED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static void
item_free (gpointer data)
{
  Item *item = data;

  g_free (item->label);
  g_free (item);
}

static Item *
lookup_item (JuiceDbusmenu *self,
             int            id)
{
  for (guint i = 0; i < self->items->len; i++)
    {
      Item *item = g_ptr_array_index (self->items, i);

      if (item->id == id)
        return item;
    }

  return NULL;
}

static gboolean
wanted (const char * const *names,
        const char         *name)
{
  return names == NULL || names[0] == NULL || g_strv_contains (names, name);
}

/* The a{sv} of the root (@item NULL) or of an item. */
static GVariant *
item_properties (Item               *item,
                 const char * const *names)
{
  GVariantBuilder builder;

  g_variant_builder_init (&builder, G_VARIANT_TYPE_VARDICT);

  if (item == NULL)
    {
      if (wanted (names, "children-display"))
        g_variant_builder_add (&builder, "{sv}", "children-display", g_variant_new_string ("submenu"));
      return g_variant_builder_end (&builder);
    }

  if (item->type == JUICE_DBUSMENU_ITEM_SEPARATOR)
    {
      if (wanted (names, "type"))
        g_variant_builder_add (&builder, "{sv}", "type", g_variant_new_string ("separator"));
      return g_variant_builder_end (&builder);
    }

  if (wanted (names, "label"))
    g_variant_builder_add (&builder, "{sv}", "label", g_variant_new_string (item->label));
  if (wanted (names, "enabled"))
    g_variant_builder_add (&builder, "{sv}", "enabled", g_variant_new_boolean (item->enabled));
  if (item->type == JUICE_DBUSMENU_ITEM_CHECK)
    {
      if (wanted (names, "toggle-type"))
        g_variant_builder_add (&builder, "{sv}", "toggle-type", g_variant_new_string ("checkmark"));
      if (wanted (names, "toggle-state"))
        g_variant_builder_add (&builder, "{sv}", "toggle-state",
                               g_variant_new_int32 (item->toggle_state));
    }

  return g_variant_builder_end (&builder);
}

static GVariant *
layout_of (JuiceDbusmenu      *self,
           int                 parent_id,
           int                 depth,
           const char * const *names)
{
  GVariantBuilder children;

  g_variant_builder_init (&children, G_VARIANT_TYPE ("av"));

  if (parent_id != 0)
    return g_variant_new ("(i@a{sv}@av)", parent_id,
                          item_properties (lookup_item (self, parent_id), names),
                          g_variant_builder_end (&children));

  if (depth != 0)
    for (guint i = 0; i < self->items->len; i++)
      {
        Item *item = g_ptr_array_index (self->items, i);
        GVariantBuilder none;

        g_variant_builder_init (&none, G_VARIANT_TYPE ("av"));
        g_variant_builder_add (&children, "v",
                               g_variant_new ("(i@a{sv}@av)", item->id,
                                              item_properties (item, names),
                                              g_variant_builder_end (&none)));
      }

  return g_variant_new ("(i@a{sv}@av)", 0, item_properties (NULL, names),
                        g_variant_builder_end (&children));
}

static void
activate_item (JuiceDbusmenu *self,
               int            id,
               const char    *event_id)
{
  Item *item = lookup_item (self, id);

  if (item == NULL || g_strcmp0 (event_id, "clicked") != 0)
    return;
  if (!item->enabled || item->type == JUICE_DBUSMENU_ITEM_SEPARATOR)
    return;

  g_signal_emit (self, signals[ACTIVATED], 0, id);
}

static void
method_call (GDBusConnection       *connection,
             const char            *sender,
             const char            *object_path,
             const char            *interface_name,
             const char            *method_name,
             GVariant              *parameters,
             GDBusMethodInvocation *invocation,
             gpointer               user_data)
{
  g_autoptr(JuiceDbusmenu) self = g_object_ref (user_data);

  if (g_strcmp0 (method_name, "GetLayout") == 0)
    {
      g_autofree const char **names = NULL;
      int parent_id, depth;

      g_variant_get (parameters, "(ii^a&s)", &parent_id, &depth, &names);
      if (parent_id != 0 && lookup_item (self, parent_id) == NULL)
        {
          g_dbus_method_invocation_return_error (invocation, G_DBUS_ERROR,
                                                 G_DBUS_ERROR_INVALID_ARGS, "No item %d", parent_id);
          return;
        }
      g_dbus_method_invocation_return_value (invocation,
                                             g_variant_new ("(u@(ia{sv}av))", self->revision,
                                                            layout_of (self, parent_id, depth,
                                                                       names)));
    }
  else if (g_strcmp0 (method_name, "GetGroupProperties") == 0)
    {
      g_autoptr(GVariant) ids = NULL;
      g_autofree const char **names = NULL;
      GVariantBuilder builder;
      GVariantIter iter;
      int id;

      g_variant_get (parameters, "(@ai^a&s)", &ids, &names);
      g_variant_builder_init (&builder, G_VARIANT_TYPE ("a(ia{sv})"));
      g_variant_iter_init (&iter, ids);
      while (g_variant_iter_next (&iter, "i", &id))
        {
          Item *item = lookup_item (self, id);

          if (item != NULL || id == 0)
            g_variant_builder_add (&builder, "(i@a{sv})", id, item_properties (item, names));
        }
      g_dbus_method_invocation_return_value (invocation, g_variant_new ("(a(ia{sv}))", &builder));
    }
  else if (g_strcmp0 (method_name, "GetProperty") == 0)
    {
      g_autoptr(GVariant) props = NULL;
      g_autoptr(GVariant) value = NULL;
      const char *name;
      int id;

      g_variant_get (parameters, "(i&s)", &id, &name);
      if (id != 0 && lookup_item (self, id) == NULL)
        {
          g_dbus_method_invocation_return_error (invocation, G_DBUS_ERROR,
                                                 G_DBUS_ERROR_INVALID_ARGS, "No item %d", id);
          return;
        }
      props = g_variant_ref_sink (item_properties (lookup_item (self, id), NULL));
      value = g_variant_lookup_value (props, name, NULL);
      if (value == NULL)
        {
          g_dbus_method_invocation_return_error (invocation, G_DBUS_ERROR,
                                                 G_DBUS_ERROR_INVALID_ARGS, "No property %s", name);
          return;
        }
      g_dbus_method_invocation_return_value (invocation, g_variant_new ("(v)", value));
    }
  else if (g_strcmp0 (method_name, "Event") == 0)
    {
      g_autoptr(GVariant) data = NULL;
      const char *event_id;
      guint32 timestamp;
      int id;

      g_variant_get (parameters, "(i&s@vu)", &id, &event_id, &data, &timestamp);
      if (id != 0 && lookup_item (self, id) == NULL)
        {
          g_dbus_method_invocation_return_error (invocation, G_DBUS_ERROR,
                                                 G_DBUS_ERROR_INVALID_ARGS, "No item %d", id);
          return;
        }
      /* Reply first: the handler may take time or quit. */
      g_dbus_method_invocation_return_value (invocation, NULL);
      activate_item (self, id, event_id);
    }
  else if (g_strcmp0 (method_name, "EventGroup") == 0)
    {
      g_autoptr(GVariantIter) iter = NULL;
      g_autoptr(GArray) ok = g_array_new (FALSE, FALSE, sizeof (int));
      GVariantBuilder errors;
      const char *event_id;
      GVariant *data;
      guint32 timestamp;
      int id;

      g_variant_builder_init (&errors, G_VARIANT_TYPE ("ai"));
      g_variant_get (parameters, "(a(isvu))", &iter);
      while (g_variant_iter_next (iter, "(i&svu)", &id, &event_id, &data, &timestamp))
        {
          if (lookup_item (self, id) == NULL)
            g_variant_builder_add (&errors, "i", id);
          else if (g_strcmp0 (event_id, "clicked") == 0)
            g_array_append_val (ok, id);
          g_variant_unref (data);
        }
      g_dbus_method_invocation_return_value (invocation, g_variant_new ("(ai)", &errors));
      for (guint i = 0; i < ok->len; i++)
        activate_item (self, g_array_index (ok, int, i), "clicked");
    }
  else if (g_strcmp0 (method_name, "AboutToShow") == 0)
    {
      g_dbus_method_invocation_return_value (invocation, g_variant_new ("(b)", FALSE));
    }
  else if (g_strcmp0 (method_name, "AboutToShowGroup") == 0)
    {
      g_dbus_method_invocation_return_value (invocation, g_variant_new ("(@ai@ai)",
                                                                        g_variant_new ("ai", NULL),
                                                                        g_variant_new ("ai", NULL)));
    }
  else
    {
      g_dbus_method_invocation_return_error (invocation, G_DBUS_ERROR, G_DBUS_ERROR_UNKNOWN_METHOD,
                                             "No method %s", method_name);
    }
}

static GVariant *
get_property (GDBusConnection  *connection,
              const char       *sender,
              const char       *object_path,
              const char       *interface_name,
              const char       *property_name,
              GError          **error,
              gpointer          user_data)
{
  if (g_strcmp0 (property_name, "Version") == 0)
    return g_variant_new_uint32 (3);
  if (g_strcmp0 (property_name, "TextDirection") == 0)
    return g_variant_new_string ("ltr");
  if (g_strcmp0 (property_name, "Status") == 0)
    return g_variant_new_string ("normal");
  if (g_strcmp0 (property_name, "IconThemePath") == 0)
    return g_variant_new_strv (NULL, 0);

  g_set_error (error, G_DBUS_ERROR, G_DBUS_ERROR_UNKNOWN_PROPERTY, "No property %s", property_name);
  return NULL;
}

static const GDBusInterfaceVTable vtable = { method_call, get_property, NULL };

static gboolean
emit_layout_updated (gpointer user_data)
{
  JuiceDbusmenu *self = user_data;

  self->layout_idle_id = 0;
  g_dbus_connection_emit_signal (self->connection, NULL, self->object_path, DBUSMENU_INTERFACE,
                                 "LayoutUpdated", g_variant_new ("(ui)", self->revision, 0), NULL);
  return G_SOURCE_REMOVE;
}

static void
layout_changed (JuiceDbusmenu *self)
{
  self->revision++;
  if (self->layout_idle_id == 0 && self->registration_id != 0 && self->active)
    self->layout_idle_id = g_idle_add (emit_layout_updated, self);
}

static void
item_changed (JuiceDbusmenu *self,
              Item          *item,
              const char    *name)
{
  const char *names[] = { name, NULL };
  g_autoptr(GVariant) props = NULL;
  GVariantBuilder updated;

  /* A host that has not fetched the new layout yet reads it whole anyway. */
  if (self->layout_idle_id != 0 || self->registration_id == 0 || !self->active)
    return;

  props = g_variant_ref_sink (item_properties (item, names));
  g_variant_builder_init (&updated, G_VARIANT_TYPE ("a(ia{sv})"));
  g_variant_builder_add (&updated, "(i@a{sv})", item->id, props);
  g_dbus_connection_emit_signal (self->connection, NULL, self->object_path, DBUSMENU_INTERFACE,
                                 "ItemsPropertiesUpdated",
                                 g_variant_new ("(a(ia{sv})@a(ias))", &updated,
                                                g_variant_new ("a(ias)", NULL)),
                                 NULL);
}

static void
juice_dbusmenu_dispose (GObject *object)
{
  JuiceDbusmenu *self = (JuiceDbusmenu *)object;

  if (self->registration_id != 0)
    {
      g_dbus_connection_unregister_object (self->connection, self->registration_id);
      self->registration_id = 0;
    }
  g_clear_handle_id (&self->layout_idle_id, g_source_remove);
  g_clear_object (&self->connection);

  G_OBJECT_CLASS (juice_dbusmenu_parent_class)->dispose (object);
}

static void
juice_dbusmenu_finalize (GObject *object)
{
  JuiceDbusmenu *self = (JuiceDbusmenu *)object;

  g_clear_pointer (&self->items, g_ptr_array_unref);
  g_clear_pointer (&self->object_path, g_free);

  G_OBJECT_CLASS (juice_dbusmenu_parent_class)->finalize (object);
}

static void
juice_dbusmenu_class_init (JuiceDbusmenuClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = juice_dbusmenu_dispose;
  object_class->finalize = juice_dbusmenu_finalize;

  /**
   * JuiceDbusmenu::activated:
   * @id: the item a host clicked
   */
  signals[ACTIVATED] = g_signal_new ("activated", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                     0, NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_INT);
}

static void
juice_dbusmenu_init (JuiceDbusmenu *self)
{
  self->items = g_ptr_array_new_with_free_func (item_free);
  self->next_id = 1;
  self->revision = 1;
}

/* The menu is exported at once; an export that fails (the path is taken) is
 * logged and leaves a menu that nobody can read, not a broken app. */
JuiceDbusmenu *
juice_dbusmenu_new (GDBusConnection *connection,
                    const char      *object_path)
{
  static GDBusNodeInfo *info;
  g_autoptr(GError) error = NULL;
  JuiceDbusmenu *self;

  g_return_val_if_fail (G_IS_DBUS_CONNECTION (connection), NULL);
  g_return_val_if_fail (g_variant_is_object_path (object_path), NULL);

  if (g_once_init_enter (&info))
    g_once_init_leave (&info, g_dbus_node_info_new_for_xml (introspection_xml, NULL));

  self = g_object_new (JUICE_TYPE_DBUSMENU, NULL);
  self->connection = g_object_ref (connection);
  self->object_path = g_strdup (object_path);
  self->registration_id = g_dbus_connection_register_object (connection, object_path,
                                                             info->interfaces[0], &vtable,
                                                             self, NULL, &error);
  if (self->registration_id == 0)
    g_debug ("Could not export the menu at %s: %s", object_path, error->message);

  return self;
}

const char *
juice_dbusmenu_get_object_path (JuiceDbusmenu *self)
{
  g_return_val_if_fail (JUICE_IS_DBUSMENU (self), NULL);

  return self->object_path;
}

guint
juice_dbusmenu_get_revision (JuiceDbusmenu *self)
{
  g_return_val_if_fail (JUICE_IS_DBUSMENU (self), 0);

  return self->revision;
}

void
juice_dbusmenu_set_active (JuiceDbusmenu *self,
                           gboolean       active)
{
  g_return_if_fail (JUICE_IS_DBUSMENU (self));

  if (self->active == !!active)
    return;

  self->active = !!active;
  if (active)
    layout_changed (self);
  else
    g_clear_handle_id (&self->layout_idle_id, g_source_remove);
}

void
juice_dbusmenu_clear (JuiceDbusmenu *self)
{
  g_return_if_fail (JUICE_IS_DBUSMENU (self));

  if (self->items->len == 0)
    return;

  g_ptr_array_set_size (self->items, 0);
  layout_changed (self);
}

int
juice_dbusmenu_append (JuiceDbusmenu         *self,
                       JuiceDbusmenuItemType  type,
                       const char            *label)
{
  Item *item;

  g_return_val_if_fail (JUICE_IS_DBUSMENU (self), 0);

  item = g_new0 (Item, 1);
  item->id = self->next_id++;
  item->type = type;
  item->label = g_strdup (label != NULL ? label : "");
  item->toggle_state = type == JUICE_DBUSMENU_ITEM_CHECK ? 0 : -1;
  item->enabled = TRUE;
  g_ptr_array_add (self->items, item);
  layout_changed (self);

  return item->id;
}

void
juice_dbusmenu_set_label (JuiceDbusmenu *self,
                          int            id,
                          const char    *label)
{
  Item *item;

  g_return_if_fail (JUICE_IS_DBUSMENU (self));

  item = lookup_item (self, id);
  g_return_if_fail (item != NULL);

  if (g_strcmp0 (item->label, label) == 0)
    return;

  g_free (item->label);
  item->label = g_strdup (label != NULL ? label : "");
  item_changed (self, item, "label");
}

const char *
juice_dbusmenu_get_label (JuiceDbusmenu *self,
                          int            id)
{
  Item *item;

  g_return_val_if_fail (JUICE_IS_DBUSMENU (self), NULL);

  item = lookup_item (self, id);
  return item != NULL ? item->label : NULL;
}

void
juice_dbusmenu_set_toggle_state (JuiceDbusmenu *self,
                                 int            id,
                                 int            state)
{
  Item *item;

  g_return_if_fail (JUICE_IS_DBUSMENU (self));

  item = lookup_item (self, id);
  g_return_if_fail (item != NULL);

  state = CLAMP (state, -1, 1);
  if (item->toggle_state == state)
    return;

  item->toggle_state = state;
  item_changed (self, item, "toggle-state");
}

int
juice_dbusmenu_get_toggle_state (JuiceDbusmenu *self,
                                 int            id)
{
  Item *item;

  g_return_val_if_fail (JUICE_IS_DBUSMENU (self), -1);

  item = lookup_item (self, id);
  return item != NULL ? item->toggle_state : -1;
}

void
juice_dbusmenu_set_enabled (JuiceDbusmenu *self,
                            int            id,
                            gboolean       enabled)
{
  Item *item;

  g_return_if_fail (JUICE_IS_DBUSMENU (self));

  item = lookup_item (self, id);
  g_return_if_fail (item != NULL);

  if (item->enabled == !!enabled)
    return;

  item->enabled = !!enabled;
  item_changed (self, item, "enabled");
}
