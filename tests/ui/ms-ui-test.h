/* SPDX-License-Identifier: GPL-3.0-or-later */
/* What the UI tests share: waiting for a frame, saving a screenshot to
 * $MS_BUILD_DIR/ui-screenshots/, and a private session bus. */
#pragma once

#include <gio/gio.h>
#include <gtk/gtk.h>

#include "ms-application.h"

G_BEGIN_DECLS

/* Waits (up to 60 s) until @window is mapped and has drawn a new frame. */
void       ms_ui_test_wait_for_frame    (GtkWidget  *window);
/* $MS_BUILD_DIR/ui-screenshots, created if needed. Free with g_free(). */
char      *ms_ui_test_screenshot_dir    (void);
/* Saves @window as NAME-WxH.png in the screenshot folder. */
void       ms_ui_test_save_screenshot   (GtkWidget  *window,
                                         const char *name);
/* Waits (up to 60 s) until the MsWindow's stage has no envelope in flight. */
void       ms_ui_test_wait_until_still  (GtkWidget  *window);
/* Presents @window at @width x @height (unless 0) and waits for its first
 * frame; returns @window. */
GtkWidget *ms_ui_test_present           (GtkWidget  *window,
                                         int         width,
                                         int         height);
/* The status lines of the stage (a device's state and traffic, a mailbox's
 * counts, the name, the header of a world in compare mode): each fits its
 * panel and covers none of its neighbours, and one cut short (ellipsized)
 * has a tooltip with the whole text. Returns how many it checked. */
guint      ms_ui_test_assert_status_lines (GtkWidget *window);
/* The key shortcuts of @widget's shortcut controllers that run a named
 * action (keyval trigger, GtkNamedAction); each holds its controller as
 * object data "controller". Free with g_ptr_array_unref(). */
GPtrArray *ms_ui_test_named_shortcuts   (GtkWidget  *widget);
/* A shown toplevel of @type (a dialog the app opened), or NULL. */
GtkWindow *ms_ui_test_find_toplevel     (GType       type);
/* Whether @widget is a row of a popover menu (or a link to a submenu). */
gboolean   ms_ui_test_is_menu_row       (GtkWidget  *widget);
/* In an open popover menu, goes into the submenu of the row that reads
 * @text and returns the submenu's page. */
GtkWidget *ms_ui_test_open_submenu      (GtkWidget  *popover,
                                         const char *text);
/* Saves the X screen (all windows, popovers and dialogs as a person sees
 * them), its top left @width x @height, as NAME-WxH.png in the screenshot
 * folder; ImageMagick's import reads it. */
void       ms_ui_test_save_screen       (const char *name,
                                         int         width,
                                         int         height);
/* Runs the main loop for @ms milliseconds (to let an animation move on). */
void       ms_ui_test_iterate           (guint       ms);
/* Xvfb comes without a session bus, and GtkApplication wants one: starts a
 * private bus (so the tests never touch a desktop session) and keeps
 * DISPLAY, which g_test_dbus_up() unsets. Stop it with g_test_dbus_stop(). */
GTestDBus *ms_ui_test_start_bus         (void);
/* A UI test program's main(): g_test_init(), a skip without a display, a
 * private bus, a registered app in *@app for the tests that @add_tests
 * adds, then the run and the clean-up. Returns g_test_run()'s status. */
int        ms_ui_test_main              (int             *argc,
                                         char          ***argv,
                                         MsApplication  **app,
                                         void           (*add_tests) (void));

G_END_DECLS
