/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "ms-ui-test"
#include "config.h"

#include "ms-application.h"
#include "ms-stage.h"
#include "ms-ui-test.h"
#include "ms-window.h"

static void
on_after_paint (GdkFrameClock *clock,
                gboolean      *painted)
{
  *painted = TRUE;
}

/* Waits until the window has drawn at least one new frame. The deadline is
 * generous on purpose: under ASan on a loaded machine a relayout in large
 * presentation type takes seconds, and the wait ends at the frame anyway. */
void
ms_ui_test_wait_for_frame (GtkWidget *window)
{
  gboolean painted = FALSE;
  GdkFrameClock *clock;
  gulong id;
  gint64 deadline = g_get_monotonic_time () + 60 * G_USEC_PER_SEC;

  while (!gtk_widget_get_mapped (window) && g_get_monotonic_time () < deadline)
    g_main_context_iteration (NULL, TRUE);
  clock = gtk_widget_get_frame_clock (window);
  g_assert_nonnull (clock);
  id = g_signal_connect (clock, "after-paint", G_CALLBACK (on_after_paint), &painted);
  gtk_widget_queue_draw (window);
  while (!painted && g_get_monotonic_time () < deadline)
    g_main_context_iteration (NULL, TRUE);
  g_signal_handler_disconnect (clock, id);
  g_assert_true (painted);
}

char *
ms_ui_test_screenshot_dir (void)
{
  const char *build = g_getenv ("MS_BUILD_DIR");
  char *dir = g_build_filename (build ? build : ".", "ui-screenshots", NULL);

  g_mkdir_with_parents (dir, 0755);
  return dir;
}

void
ms_ui_test_save_screenshot (GtkWidget  *window,
                 const char *name)
{
  g_autoptr(GdkPaintable) paintable = NULL;
  g_autoptr(GtkSnapshot) snapshot = gtk_snapshot_new ();
  g_autoptr(GskRenderNode) node = NULL;
  g_autoptr(GdkTexture) texture = NULL;
  g_autofree char *dir = ms_ui_test_screenshot_dir ();
  g_autofree char *file = NULL;
  g_autofree char *path = NULL;
  int width, height;
  GskRenderer *renderer = gtk_native_get_renderer (GTK_NATIVE (window));

  /* The paintable takes its picture when made: make it after a frame, so
   * it shows the window as laid out now. */
  ms_ui_test_wait_for_frame (window);
  paintable = gtk_widget_paintable_new (window);
  width = gtk_widget_get_width (window);
  height = gtk_widget_get_height (window);
  gdk_paintable_snapshot (paintable, GDK_SNAPSHOT (snapshot), width, height);
  node = gtk_snapshot_free_to_node (g_steal_pointer (&snapshot));
  {
    int min_h, min_w;
    gtk_widget_measure (window, GTK_ORIENTATION_VERTICAL, -1, &min_h, NULL, NULL, NULL);
    gtk_widget_measure (window, GTK_ORIENTATION_HORIZONTAL, -1, &min_w, NULL, NULL, NULL);
    g_test_message ("%s: allocated %dx%d, minimum %dx%d", name, width, height, min_w, min_h);
  }
  if (node == NULL)
    g_error ("nothing drawn for %s at %dx%d (mapped %d)", name, width, height, gtk_widget_get_mapped (window));
  texture = gsk_renderer_render_texture (renderer, node, &GRAPHENE_RECT_INIT (0, 0, width, height));
  file = g_strdup_printf ("%s-%dx%d.png", name, width, height);
  path = g_build_filename (dir, file, NULL);
  g_assert_true (gdk_texture_save_to_png (texture, path));
  g_test_message ("screenshot %s", path);
}

GtkWidget *
ms_ui_test_present (GtkWidget *window,
                    int        width,
                    int        height)
{
  if (width > 0 && height > 0)
    gtk_window_set_default_size (GTK_WINDOW (window), width, height);
  gtk_window_present (GTK_WINDOW (window));
  ms_ui_test_wait_for_frame (window);
  return window;
}

GPtrArray *
ms_ui_test_named_shortcuts (GtkWidget *widget)
{
  GPtrArray *shortcuts = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GListModel) controllers = gtk_widget_observe_controllers (widget);

  for (guint i = 0; i < g_list_model_get_n_items (controllers); i++)
    {
      g_autoptr(GObject) controller = g_list_model_get_item (controllers, i);

      if (!GTK_IS_SHORTCUT_CONTROLLER (controller))
        continue;
      for (guint j = 0; j < g_list_model_get_n_items (G_LIST_MODEL (controller)); j++)
        {
          g_autoptr(GtkShortcut) shortcut = g_list_model_get_item (G_LIST_MODEL (controller), j);

          if (!GTK_IS_NAMED_ACTION (gtk_shortcut_get_action (shortcut)) ||
              !GTK_IS_KEYVAL_TRIGGER (gtk_shortcut_get_trigger (shortcut)))
            continue;
          /* The widget keeps its controllers, so no reference here. */
          g_object_set_data (G_OBJECT (shortcut), "controller", controller);
          g_ptr_array_add (shortcuts, g_steal_pointer (&shortcut));
        }
    }
  return shortcuts;
}

gboolean
ms_ui_test_is_menu_row (GtkWidget *widget)
{
  /* GtkModelButton is private: a menu's rows, and its submenu links. */
  return g_str_equal (G_OBJECT_TYPE_NAME (widget), "GtkModelButton");
}

static GtkWidget *
find_menu_row (GtkWidget  *widget,
               const char *text)
{
  if (ms_ui_test_is_menu_row (widget))
    {
      g_autofree char *label = NULL;

      g_object_get (widget, "text", &label, NULL);
      if (g_strcmp0 (label, text) == 0)
        return widget;
    }
  for (GtkWidget *c = gtk_widget_get_first_child (widget); c != NULL; c = gtk_widget_get_next_sibling (c))
    {
      GtkWidget *found = find_menu_row (c, text);

      if (found != NULL)
        return found;
    }
  return NULL;
}

/* The shown page of a popover menu: its stack's visible child. */
static GtkWidget *
shown_page (GtkWidget *widget)
{
  if (GTK_IS_STACK (widget))
    return gtk_stack_get_visible_child (GTK_STACK (widget));
  for (GtkWidget *c = gtk_widget_get_first_child (widget); c != NULL; c = gtk_widget_get_next_sibling (c))
    {
      GtkWidget *page = shown_page (c);

      if (page != NULL)
        return page;
    }
  return NULL;
}

GtkWidget *
ms_ui_test_open_submenu (GtkWidget  *popover,
                         const char *text)
{
  GtkWidget *row = find_menu_row (popover, text);
  GtkWidget *page;

  if (row == NULL)
    g_error ("no menu row reads “%s”", text);
  g_assert_true (gtk_widget_activate (row));
  page = shown_page (popover);
  g_assert_nonnull (page);
  /* The page slides in: a picture before the end shows the old one. */
  while (gtk_stack_get_transition_running (GTK_STACK (gtk_widget_get_parent (page))))
    ms_ui_test_wait_for_frame (popover);
  ms_ui_test_wait_for_frame (popover);
  return page;
}

void
ms_ui_test_save_screen (const char *name,
                        int         width,
                        int         height)
{
  g_autofree char *dir = ms_ui_test_screenshot_dir ();
  g_autofree char *file = g_strdup_printf ("%s-%dx%d.png", name, width, height);
  g_autofree char *path = g_build_filename (dir, file, NULL);
  g_autofree char *crop = g_strdup_printf ("%dx%d+0+0", width, height);
  g_autoptr(GError) error = NULL;
  g_autofree char *err = NULL;
  int status = 0;
  const char *argv[] = { "import", "-window", "root", "-crop", crop, path, NULL };

  /* Whatever is drawn now, flushed to the X server. */
  gdk_display_sync (gdk_display_get_default ());
  if (!g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_SEARCH_PATH | G_SPAWN_STDOUT_TO_DEV_NULL,
                     NULL, NULL, NULL, &err, &status, &error) ||
      !g_spawn_check_wait_status (status, NULL))
    {
      /* A picture for a person: without ImageMagick the test goes on. */
      g_test_message ("no screen picture %s: %s", path, error ? error->message : err);
      return;
    }
  g_test_message ("screenshot %s", path);
}

GtkWindow *
ms_ui_test_find_toplevel (GType type)
{
  /* Not a new reference: GTK keeps the list. */
  GListModel *toplevels = gtk_window_get_toplevels ();

  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr(GObject) toplevel = g_list_model_get_item (toplevels, i);

      if (G_TYPE_CHECK_INSTANCE_TYPE (toplevel, type) && gtk_widget_get_visible (GTK_WIDGET (toplevel)))
        return GTK_WINDOW (toplevel);
    }
  return NULL;
}

static gboolean
is_status_line (GtkWidget *widget)
{
  static const char *classes[] = { "panel-status", "panel-title", "mailbox-summary", "world-caption", "world-counters" };

  if (!GTK_IS_LABEL (widget) || !gtk_widget_is_drawable (widget))
    return FALSE;
  for (guint i = 0; i < G_N_ELEMENTS (classes); i++)
    if (gtk_widget_has_css_class (widget, classes[i]))
      return TRUE;
  return FALSE;
}

static void
assert_status_line (GtkWidget *window,
                    GtkWidget *label)
{
  const char *text = gtk_label_get_text (GTK_LABEL (label));
  GtkWidget *parent = gtk_widget_get_parent (label);
  graphene_rect_t bounds, outer;
  int minimum = 0;

  if (*text == '\0')
    return;
  g_assert_true (gtk_widget_compute_bounds (label, window, &bounds));
  g_assert_true (gtk_widget_compute_bounds (parent, window, &outer));
  /* Not squeezed below what it asks for, and inside its box. */
  gtk_widget_measure (label, GTK_ORIENTATION_HORIZONTAL, -1, &minimum, NULL, NULL, NULL);
  if (gtk_widget_get_width (label) < minimum)
    g_error ("“%s” has %d pixels of the %d it needs", text, gtk_widget_get_width (label), minimum);
  if (!graphene_rect_contains_rect (&outer, &bounds))
    g_error ("“%s” at %.0f,%.0f %.0fx%.0f runs out of its box at %.0f,%.0f %.0fx%.0f", text,
             bounds.origin.x, bounds.origin.y, bounds.size.width, bounds.size.height,
             outer.origin.x, outer.origin.y, outer.size.width, outer.size.height);
  for (GtkWidget *other = gtk_widget_get_first_child (parent); other != NULL; other = gtk_widget_get_next_sibling (other))
    {
      graphene_rect_t them, both;

      if (other == label || !gtk_widget_is_drawable (other) || !gtk_widget_compute_bounds (other, window, &them))
        continue;
      /* Touching edges are not an overlap. */
      if (graphene_rect_intersection (&bounds, &them, &both) && both.size.width >= 1 && both.size.height >= 1)
        g_error ("“%s” covers its neighbour %s", text, G_OBJECT_TYPE_NAME (other));
    }
  if (pango_layout_is_ellipsized (gtk_label_get_layout (GTK_LABEL (label))))
    {
      const char *tooltip = gtk_widget_get_tooltip_text (label);

      g_test_message ("cut short: “%s” (tooltip “%s”)", text, tooltip);
      if (tooltip == NULL || *tooltip == '\0')
        g_error ("“%s” is cut short and has no tooltip with the whole text", text);
    }
}

static guint
assert_status_lines_under (GtkWidget *window,
                           GtkWidget *widget)
{
  guint n = 0;

  if (!gtk_widget_is_drawable (widget))
    return 0;
  if (is_status_line (widget))
    {
      assert_status_line (window, widget);
      n++;
    }
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL; child = gtk_widget_get_next_sibling (child))
    n += assert_status_lines_under (window, child);
  return n;
}

guint
ms_ui_test_assert_status_lines (GtkWidget *window)
{
  return assert_status_lines_under (window, window);
}

void
ms_ui_test_iterate (guint ms)
{
  gint64 end = g_get_monotonic_time () + ms * 1000;

  while (g_get_monotonic_time () < end)
    {
      if (!g_main_context_iteration (NULL, FALSE))
        g_usleep (1000);
    }
}

GTestDBus *
ms_ui_test_start_bus (void)
{
  g_autofree char *display = g_strdup (g_getenv ("DISPLAY"));
  GTestDBus *bus = g_test_dbus_new (G_TEST_DBUS_NONE);

  g_test_dbus_up (bus);
  /* g_test_dbus_up() unsets DISPLAY on purpose; the tests need it. */
  if (display != NULL)
    g_setenv ("DISPLAY", display, TRUE);
  return bus;
}

void
ms_ui_test_wait_until_still (GtkWidget *window)
{
  MsStage *stage = MS_STAGE (ms_window_get_stage (MS_WINDOW (window)));
  gint64 deadline = g_get_monotonic_time () + 60 * G_USEC_PER_SEC;

  while (ms_stage_get_busy (stage) && g_get_monotonic_time () < deadline)
    g_main_context_iteration (NULL, TRUE);
}

int
ms_ui_test_main (int             *argc,
                 char          ***argv,
                 MsApplication  **app,
                 void           (*add_tests) (void))
{
  GTestDBus *bus;
  int status;

  g_test_init (argc, argv, NULL);
  if (g_getenv ("DISPLAY") == NULL && g_getenv ("WAYLAND_DISPLAY") == NULL)
    {
      g_test_skip ("no display (run under build-aux/test, which starts Xvfb)");
      return g_test_run ();
    }

  bus = ms_ui_test_start_bus ();
  *app = ms_application_new ();
  g_assert_true (g_application_register (G_APPLICATION (*app), NULL, NULL));
  add_tests ();
  status = g_test_run ();
  g_clear_object (app);
  /* Stop, not down, and the bus is not unreffed: GTK may still hold the
   * connection, and g_test_dbus_down() would wait for it. */
  g_test_dbus_stop (bus);
  return status;
}
