/* test-window.c: the main window under a real (Xvfb) display: start-up,
 * opening the sample, a file that is not a capture, cancelling, files
 * opened through the application or dropped; the ladder (a click on the
 * SYN-ACK selects it and the details show its numbers; the keyboard moves
 * the selection), a field's bytes in the hex view, the stream filter (text
 * and BPF, and a bad expression), the HTTP pane with the sample's image,
 * and the SVG export.  Skips without a display. */
#include "config.h"

#include <glib/gstdio.h>

#include <string.h>

#include "pl-application.h"
#include "pl-export-dialog.h"
#include "pl-http-message.h"
#include "pl-http-pane.h"
#include "pl-stream-list.h"
#include "pl-window.h"

#define LOAD_TIMEOUT_S 20

static PlApplication *app;

static gboolean
have_display (void)
{
  static int result = -1;

  if (result < 0)
    {
      result = (g_getenv ("DISPLAY") != NULL || g_getenv ("WAYLAND_DISPLAY") != NULL)
               && gtk_init_check ();
    }
  return result;
}

#define REQUIRE_DISPLAY()                               \
  G_STMT_START {                                        \
    if (!have_display ())                               \
      {                                                 \
        g_test_skip ("no display (run under xvfb-run)"); \
        return;                                         \
      }                                                 \
  } G_STMT_END

static gboolean
set_flag (gpointer user_data)
{
  *(gboolean *) user_data = TRUE;
  return G_SOURCE_REMOVE;
}

/* Spins the main loop until no window of the application is loading;
 * bounded, so a hang fails the test rather than the suite's timeout. */
static void
wait_for_loads (void)
{
  gboolean timed_out = FALSE;
  guint source = g_timeout_add_seconds (LOAD_TIMEOUT_S, set_flag, &timed_out);

  for (;;)
    {
      gboolean loading = FALSE;

      for (GList *l = gtk_application_get_windows (GTK_APPLICATION (app)); l; l = l->next)
        loading |= PL_IS_WINDOW (l->data) && pl_window_is_loading (l->data);
      if (!loading || timed_out)
        break;
      g_main_context_iteration (NULL, TRUE);
    }

  g_assert_false (timed_out);
  g_source_remove (source);
}

/* Lets idle work (redraws, finished tasks) run for a moment. */
static void
spin (guint ms)
{
  gboolean done = FALSE;

  g_timeout_add (ms, set_flag, &done);
  while (!done)
    g_main_context_iteration (NULL, TRUE);
}

static PlWindow *
get_window (void)
{
  GtkWindow *window;

  g_application_activate (G_APPLICATION (app));
  window = gtk_application_get_active_window (GTK_APPLICATION (app));
  g_assert_true (PL_IS_WINDOW (window));
  return PL_WINDOW (window);
}

static void
test_startup (void)
{
  PlWindow *window;

  REQUIRE_DISPLAY ();

  window = get_window ();
  spin (100);

  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (window)));
  g_assert_true (pl_window_is_empty (window));
  g_assert_false (pl_window_is_loading (window));
  g_assert_null (pl_window_get_capture (window));
  g_assert_null (pl_window_get_last_error (window));
  g_assert_cmpuint (g_list_model_get_n_items (pl_window_get_stream_model (window)), ==, 0);
  g_assert_true (g_action_group_has_action (G_ACTION_GROUP (app), "about"));
  g_assert_true (g_action_group_has_action (G_ACTION_GROUP (app), "quit"));
}

static void
test_open_sample (void)
{
  g_autoptr(GFile) file = g_file_new_for_path (PL_SAMPLE_PCAP);
  g_autoptr(PlCapture) reference = pl_capture_new (file);
  g_autoptr(GError) error = NULL;
  PlWindow *window;
  PlCapture *capture;
  GListModel *model;
  guint n_streams;

  REQUIRE_DISPLAY ();

  g_assert_true (pl_capture_load (reference, NULL, NULL, NULL, &error));
  g_assert_no_error (error);
  n_streams = pl_capture_get_n_streams (reference);
  g_assert_cmpuint (n_streams, >, 0);

  window = get_window ();
  pl_window_open_file (window, file);
  g_assert_true (pl_window_is_loading (window));
  wait_for_loads ();

  capture = pl_window_get_capture (window);
  g_assert_nonnull (capture);
  g_assert_true (g_file_equal (pl_capture_get_file (capture), file));
  g_assert_null (pl_window_get_last_error (window));

  model = pl_window_get_stream_model (window);
  g_assert_cmpuint (g_list_model_get_n_items (model), ==, n_streams);
  g_assert_cmpuint (g_list_model_get_n_items (model), ==, pl_capture_get_n_streams (capture));
  for (guint i = 0; i < n_streams; i++)
    {
      g_autoptr(PlStreamItem) item = g_list_model_get_item (model, i);
      const PlTcpStream *a = pl_stream_item_get_stream (item);
      const PlTcpStream *b = pl_capture_get_stream (reference, i);

      g_assert_cmpuint (pl_stream_item_get_index (item), ==, i);
      g_assert_cmpuint (a->n_frames, ==, b->n_frames);
      g_assert_cmpuint (a->peer[0].payload_bytes, ==, b->peer[0].payload_bytes);
      g_assert_cmpuint (a->peer[1].payload_bytes, ==, b->peer[1].payload_bytes);
    }

  g_assert_cmpstr (gtk_window_get_title (GTK_WINDOW (window)), ==, "lab.pcap");
  spin (100);
}

static void
test_open_not_capture (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("pl-test-window-XXXXXX", &error);
  g_autofree char *path = NULL;
  g_autoptr(GFile) file = NULL;
  g_autoptr(GFile) sample = g_file_new_for_path (PL_SAMPLE_PCAP);
  PlWindow *window;
  PlCapture *before;
  guint n_before;
  const char *message;

  REQUIRE_DISPLAY ();
  g_assert_no_error (error);

  /* Start from a loaded capture, which must survive the bad file. */
  window = get_window ();
  if (pl_window_get_capture (window) == NULL)
    {
      pl_window_open_file (window, sample);
      wait_for_loads ();
    }
  before = pl_window_get_capture (window);
  g_assert_nonnull (before);
  n_before = g_list_model_get_n_items (pl_window_get_stream_model (window));

  path = g_build_filename (dir, "notes.txt", NULL);
  g_assert_true (g_file_set_contents (path,
                                      "# Packet Ladder\n\nThis is a README, not a capture.\n",
                                      -1, &error));
  g_assert_no_error (error);
  file = g_file_new_for_path (path);

  pl_window_open_file (window, file);
  wait_for_loads ();

  message = pl_window_get_last_error (window);
  g_assert_nonnull (message);
  g_test_message ("error toast: %s", message);
  g_assert_nonnull (strstr (message, "notes.txt"));

  /* The previous capture stays, and the window still works. */
  g_assert_true (pl_window_get_capture (window) == before);
  g_assert_cmpuint (g_list_model_get_n_items (pl_window_get_stream_model (window)), ==, n_before);
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (window)));
  spin (100);

  pl_window_open_file (window, sample);
  wait_for_loads ();
  g_assert_nonnull (pl_window_get_capture (window));
  g_assert_true (pl_window_get_capture (window) != before);
  g_assert_cmpuint (g_list_model_get_n_items (pl_window_get_stream_model (window)), ==, n_before);

  g_unlink (path);
  g_rmdir (dir);
}

static void
test_cancel (void)
{
  g_autoptr(GFile) sample = g_file_new_for_path (PL_SAMPLE_PCAP);
  PlWindow *window;
  PlCapture *before;

  REQUIRE_DISPLAY ();

  window = get_window ();
  before = pl_window_get_capture (window);

  pl_window_open_file (window, sample);
  g_assert_true (pl_window_is_loading (window));
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.cancel-load", NULL));
  g_assert_false (pl_window_is_loading (window));
  g_assert_true (pl_window_get_capture (window) == before);

  /* Let the cancelled task come back and free itself. */
  spin (300);
  g_assert_true (pl_window_get_capture (window) == before);
}

static void
test_application_open (void)
{
  g_autoptr(GFile) sample = g_file_new_for_path (PL_SAMPLE_PCAP);
  PlWindow *first;
  guint n_windows;
  GList *windows;

  REQUIRE_DISPLAY ();

  first = get_window ();
  if (pl_window_is_empty (first))
    {
      pl_window_open_file (first, sample);
      wait_for_loads ();
    }
  n_windows = g_list_length (gtk_application_get_windows (GTK_APPLICATION (app)));

  /* A window showing a capture is not reused: the file gets a new one. */
  g_application_open (G_APPLICATION (app), &sample, 1, "");
  wait_for_loads ();

  windows = gtk_application_get_windows (GTK_APPLICATION (app));
  g_assert_cmpuint (g_list_length (windows), ==, n_windows + 1);
  g_assert_true (PL_IS_WINDOW (windows->data));
  g_assert_true (PL_WINDOW (windows->data) != first);
  g_assert_nonnull (pl_window_get_capture (windows->data));

  gtk_window_destroy (windows->data);
  spin (100);
  g_assert_cmpuint (g_list_length (gtk_application_get_windows (GTK_APPLICATION (app))), ==, n_windows);
}


/* The active window with a capture loaded and its first stream shown. */
static PlWindow *
get_window_on (const char *path)
{
  g_autoptr(GFile) sample = g_file_new_for_path (path);
  PlWindow *window = get_window ();

  if (pl_window_get_capture (window) == NULL
      || !g_file_equal (pl_capture_get_file (pl_window_get_capture (window)), sample))
    {
      pl_window_open_file (window, sample);
      wait_for_loads ();
    }
  gtk_window_set_default_size (GTK_WINDOW (window), 1400, 900);
  pl_window_set_filter (window, "");
  pl_stream_list_select_stream (pl_window_get_stream_list (window), 0);
  spin (200);
  return window;
}

static PlWindow *
get_sample_window (void)
{
  return get_window_on (PL_SAMPLE_PCAP);
}

static void
test_first_stream_shown (void)
{
  PlWindow *window;
  PlStreamItem *item;
  PlLadderView *view;
  PlLadderLayout *layout;

  REQUIRE_DISPLAY ();

  window = get_window ();
  {
    g_autoptr(GFile) sample = g_file_new_for_path (PL_SAMPLE_PCAP);

    pl_window_open_file (window, sample);
    wait_for_loads ();
  }
  spin (100);

  /* Straight onto the ladder of stream 0, without a click. */
  item = pl_stream_list_get_selected_item (pl_window_get_stream_list (window));
  g_assert_nonnull (item);
  g_assert_cmpuint (pl_stream_item_get_index (item), ==, 0);
  view = pl_window_get_ladder_view (window);
  g_assert_nonnull (pl_ladder_view_get_selection (view));
  g_assert_true (gtk_widget_get_mapped (GTK_WIDGET (view)));
  layout = pl_ladder_view_get_layout (view);
  g_assert_nonnull (layout);
  g_assert_cmpuint (pl_ladder_layout_get_n_rows (layout), ==, 330);

  /* The HTTP column: stream 0 fetched / and the logo. */
  g_assert_nonnull (pl_stream_item_get_http (item));
  g_assert_nonnull (strstr (pl_stream_item_get_http (item), "GET /logo.jpg"));
}

static void
test_click_syn_ack (void)
{
  PlWindow *window;
  PlLadderView *view;
  PlLadderLayout *layout;
  PlField *tree;
  PlField *field;
  PlLadderRect rect;
  guint row;
  double wx, wy;

  REQUIRE_DISPLAY ();

  window = get_sample_window ();
  view = pl_window_get_ladder_view (window);
  layout = pl_ladder_view_get_layout (view);
  g_assert_nonnull (layout);
  pl_ladder_view_set_selected_frame (view, PL_LADDER_NO_FRAME);
  spin (50);

  /* Frame 2 (index 1) is the SYN-ACK: click the middle of its arrow. */
  g_assert_true (pl_ladder_layout_find_frame (layout, 1, &row));
  pl_ladder_layout_get_row_rect (layout, row, &rect);
  {
    double x1, y1, x2, y2;

    pl_ladder_layout_get_arrow (layout, row, &x1, &y1, &x2, &y2);
    pl_ladder_view_layout_to_widget (view, (x1 + x2) / 2, (y1 + y2) / 2, &wx, &wy);
  }
  g_test_message ("SYN-ACK row %u at layout y %.1f, widget (%.1f, %.1f)", row, rect.y, wx, wy);
  g_assert_cmpfloat (wx, >=, 0);
  g_assert_cmpfloat (wx, <, gtk_widget_get_width (GTK_WIDGET (view)));
  g_assert_cmpfloat (wy, >=, 0);
  g_assert_cmpfloat (wy, <, gtk_widget_get_height (GTK_WIDGET (view)));

  g_assert_true (pl_ladder_view_click (view, wx, wy));
  g_assert_cmpuint (pl_ladder_view_get_selected_frame (view), ==, 1);
  spin (50);

  /* The details show the SYN-ACK's numbers (tshark: seq 0, ack 1). */
  tree = pl_field_pane_get_tree (pl_window_get_field_pane (window));
  g_assert_nonnull (tree);
  field = pl_field_find (tree, "tcp.seq");
  g_assert_nonnull (field);
  g_assert_true (g_str_has_prefix (pl_field_get_value (field), "0"));
  field = pl_field_find (tree, "tcp.ack");
  g_assert_nonnull (field);
  g_assert_true (g_str_has_prefix (pl_field_get_value (field), "1"));
  field = pl_field_find (tree, "tcp.seq_raw");
  g_assert_cmpstr (pl_field_get_value (field), ==, "974986260");
  field = pl_field_find (tree, "tcp.ack_raw");
  g_assert_cmpstr (pl_field_get_value (field), ==, "2329586288");

  /* A tooltip explains the arrow. */
  {
    g_autofree char *tip = pl_ladder_view_dup_tooltip_at (view, wx, wy);

    g_assert_nonnull (tip);
    g_assert_nonnull (strstr (tip, "2"));
  }

  /* Down selects the next frame, Up comes back, End goes to the last. */
  gtk_widget_activate_action (GTK_WIDGET (view), "ladder.move", "i", 1);
  g_assert_cmpuint (pl_ladder_view_get_selected_frame (view), ==, 2);
  gtk_widget_activate_action (GTK_WIDGET (view), "ladder.move", "i", -1);
  g_assert_cmpuint (pl_ladder_view_get_selected_frame (view), ==, 1);
  gtk_widget_activate_action (GTK_WIDGET (view), "ladder.move", "i", 3);
  g_assert_cmpuint (pl_ladder_view_get_selected_frame (view), ==,
                    pl_capture_get_stream (pl_window_get_capture (window), 0)->last_frame);
  spin (50);

  /* Zoom keeps within its bounds. */
  gtk_widget_activate_action (GTK_WIDGET (window), "win.zoom-in", NULL);
  g_assert_cmpfloat (pl_ladder_view_get_zoom (view), >, 1.0);
  gtk_widget_activate_action (GTK_WIDGET (window), "win.zoom-reset", NULL);
  g_assert_cmpfloat_with_epsilon (pl_ladder_view_get_zoom (view), 1.0, 1e-9);
}

static void
test_field_bytes (void)
{
  PlWindow *window;
  PlLadderView *view;
  PlFieldPane *pane;
  PlField *field;
  const PlFrame *frame;
  guint offset, length;

  REQUIRE_DISPLAY ();

  window = get_sample_window ();
  view = pl_window_get_ladder_view (window);
  pl_ladder_view_set_selected_frame (view, 1);
  spin (50);

  pane = pl_window_get_field_pane (window);
  g_assert_true (pl_field_pane_select_key (pane, "tcp.window_size_value"));
  field = pl_field_pane_get_selected_field (pane);
  g_assert_nonnull (field);
  g_assert_cmpstr (pl_field_get_key (field), ==, "tcp.window_size_value");

  /* The window field is bytes 14-15 of the TCP header. */
  frame = pl_capture_get_frame (pl_window_get_capture (window), 1);
  g_assert_true (pl_hex_view_get_highlight (pl_window_get_hex_view (window), &offset, &length));
  g_assert_cmpuint (offset, ==, frame->l4_off + 14);
  g_assert_cmpuint (length, ==, 2);
  {
    g_autofree char *text = pl_hex_view_dup_text (pl_window_get_hex_view (window));

    /* 65328 = 0xff30, as sent. */
    g_assert_nonnull (strstr (text, "ff 30"));
  }
  g_assert_false (pl_field_pane_select_key (pane, "no.such.field"));
}

static void
test_filter (void)
{
  PlWindow *window;
  PlStreamList *list;

  REQUIRE_DISPLAY ();

  /* Eleven connections to one server (tests/data/http-lab.pcap). */
  window = get_window_on (PL_STREAMS_PCAP);
  list = pl_window_get_stream_list (window);
  g_assert_cmpuint (pl_stream_list_get_n_visible (list), ==, 11);

  /* Text: a port, a URI, a status. */
  pl_window_set_filter (window, "47744");
  g_assert_cmpuint (pl_stream_list_get_n_visible (list), ==, 1);
  pl_window_set_filter (window, "/logo.jpg");
  g_assert_cmpuint (pl_stream_list_get_n_visible (list), ==, 3);
  pl_window_set_filter (window, "206");
  g_assert_cmpuint (pl_stream_list_get_n_visible (list), ==, 2);
  g_assert_null (pl_window_get_filter_error (window));

  /* BPF, as tcpdump users write it. */
  pl_window_set_filter (window, "tcp port 8080");
  g_assert_cmpuint (pl_stream_list_get_n_visible (list), ==, 11);
  pl_window_set_filter (window, "src port 47754 and tcp[tcpflags] & tcp-fin != 0");
  g_assert_cmpuint (pl_stream_list_get_n_visible (list), ==, 1);
  /* The ladder then shows only the frames the expression accepts: the
   * client's FIN of that stream. */
  {
    PlLadderLayout *layout;
    PlCapture *capture = pl_window_get_capture (window);
    const PlLadderRow *row;

    spin (20);
    layout = pl_ladder_view_get_layout (pl_window_get_ladder_view (window));
    g_assert_nonnull (layout);
    g_assert_cmpuint (pl_ladder_layout_get_n_rows (layout), ==, 1);
    row = pl_ladder_layout_get_row (layout, 0);
    g_assert_true (pl_capture_get_frame (capture, row->frame)->tcp_flags & PL_TCP_FIN);
    g_assert_cmpuint (pl_capture_get_frame (capture, row->frame)->dir, ==, 0);
  }
  pl_window_set_filter (window, "tcp[tcpflags] & tcp-rst != 0");
  g_assert_cmpuint (pl_stream_list_get_n_visible (list), ==, 0);
  g_assert_null (pl_window_get_filter_error (window));

  /* A bad expression: libpcap's message, inline; nothing breaks. */
  pl_window_set_filter (window, "tcp port 80 and (");
  g_assert_nonnull (pl_window_get_filter_error (window));
  g_test_message ("filter error: %s", pl_window_get_filter_error (window));
  spin (50);

  pl_window_set_filter (window, "");
  g_assert_null (pl_window_get_filter_error (window));
  g_assert_cmpuint (pl_stream_list_get_n_visible (list), ==, 11);
  /* No filter: the whole stream again. */
  spin (20);
  g_assert_cmpuint (pl_ladder_layout_get_n_rows (pl_ladder_view_get_layout (pl_window_get_ladder_view (window))),
                    ==, pl_capture_get_stream (pl_window_get_capture (window),
                                               pl_stream_item_get_index (pl_stream_list_get_selected_item (list)))->n_frames);
}

static void
test_http_image (void)
{
  PlWindow *window;
  PlCapture *capture;
  PlHttpPane *pane;
  guint n;
  guint32 frame = G_MAXUINT32;

  REQUIRE_DISPLAY ();

  window = get_sample_window ();
  capture = pl_window_get_capture (window);
  n = pl_capture_get_n_http_messages (capture);
  g_assert_cmpuint (n, ==, 8);
  for (guint i = 0; i < n && frame == G_MAXUINT32; i++)
    {
      g_autoptr(PlHttpMessage) message = pl_capture_get_http_message (capture, i);
      g_autofree char *type = pl_http_message_dup_header (message, "Content-Type");

      if (type != NULL && g_str_has_prefix (type, "image/"))
        frame = pl_http_message_get_last_frame (message);
    }
  g_assert_cmpuint (frame, !=, G_MAXUINT32);

  pl_ladder_view_set_selected_frame (pl_window_get_ladder_view (window), frame);
  spin (50);
  pane = PL_HTTP_PANE (pl_window_get_http_pane (window));
  g_assert_nonnull (pl_http_pane_get_message (pane));
  g_assert_cmpint (pl_http_pane_get_preview (pane), ==, PL_HTTP_PREVIEW_IMAGE);
  g_assert_nonnull (pl_http_pane_get_texture (pane));
  g_assert_cmpint (gdk_texture_get_width (pl_http_pane_get_texture (pane)), >, 0);
}

static void
markup_start (GMarkupParseContext *context,
              const char          *element,
              const char         **names,
              const char         **values,
              gpointer             user_data,
              GError             **error)
{
  if (g_str_equal (element, "svg"))
    (*(guint *) user_data)++;
}

static void
test_export_svg (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("pl-test-export-XXXXXX", &error);
  g_autofree char *path = NULL;
  g_autofree char *contents = NULL;
  g_autoptr(GFile) file = NULL;
  g_autoptr(GMarkupParseContext) context = NULL;
  GMarkupParser parser = { .start_element = markup_start };
  PlWindow *window;
  gsize len;
  guint n_svg = 0;

  REQUIRE_DISPLAY ();
  g_assert_no_error (error);

  window = get_sample_window ();
  path = g_build_filename (dir, "stream 0.svg", NULL);
  file = g_file_new_for_path (path);
  g_assert_true (pl_export_write (window, file, "svg", PL_EXPORT_SCOPE_SELECTED, NULL, &error));
  g_assert_no_error (error);

  g_assert_true (g_file_get_contents (path, &contents, &len, &error));
  g_assert_no_error (error);
  context = g_markup_parse_context_new (&parser, 0, &n_svg, NULL);
  g_assert_true (g_markup_parse_context_parse (context, contents, len, &error));
  g_assert_true (g_markup_parse_context_end_parse (context, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (n_svg, ==, 1);

  /* The dialog opens from the action, and closes. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.export", NULL));
  spin (100);
  {
    GListModel *toplevels = gtk_window_get_toplevels ();
    gboolean found = FALSE;

    for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
      {
        g_autoptr(GtkWindow) w = g_list_model_get_item (toplevels, i);

        if (PL_IS_EXPORT_DIALOG (w))
          {
            found = TRUE;
            gtk_window_destroy (w);
            break;
          }
      }
    g_assert_true (found);
  }
  spin (50);

  g_unlink (path);
  g_rmdir (dir);
}

static void
test_drop (void)
{
  g_autoptr(GFile) sample = g_file_new_for_path (PL_SAMPLE_PCAP);
  g_autoptr(GSList) files = g_slist_prepend (NULL, sample);
  g_auto(GValue) value = G_VALUE_INIT;
  PlWindow *window;
  PlCapture *before;

  REQUIRE_DISPLAY ();

  window = get_window ();
  before = pl_window_get_capture (window);

  g_value_init (&value, GDK_TYPE_FILE_LIST);
  g_value_take_boxed (&value, gdk_file_list_new_from_list (files));
  g_assert_true (pl_window_drop_value (window, &value));
  g_assert_true (pl_window_is_loading (window));
  wait_for_loads ();

  g_assert_nonnull (pl_window_get_capture (window));
  g_assert_true (pl_window_get_capture (window) != before);
  g_assert_true (g_file_equal (pl_capture_get_file (pl_window_get_capture (window)), sample));
}
/* A capture tcpdump is still writing: Reload picks up the frames written
 * since, and the stream on screen stays selected. */
static void
test_reload (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("pl-test-reload-XXXXXX", &error);
  g_autofree char *path = NULL;
  g_autofree char *contents = NULL;
  g_autoptr(GFile) file = NULL;
  g_autoptr(GFile) sample = g_file_new_for_path (PL_STREAMS_PCAP);
  g_autoptr(PlCapture) whole = pl_capture_new (sample);
  PlWindow *window;
  PlStreamItem *item;
  guint n_first, chosen;
  gsize len;
  FILE *f;

  REQUIRE_DISPLAY ();
  g_assert_no_error (error);
  g_assert_true (pl_capture_load (whole, NULL, NULL, NULL, &error));

  /* The first 85 %: the last record cut short, as a writer leaves it. */
  g_assert_true (g_file_get_contents (PL_STREAMS_PCAP, &contents, &len, &error));
  path = g_build_filename (dir, "growing.pcap", NULL);
  g_assert_true (g_file_set_contents (path, contents, len * 17 / 20 + 3, &error));
  file = g_file_new_for_path (path);

  window = get_window ();
  pl_window_open_file (window, file);
  wait_for_loads ();
  g_assert_nonnull (pl_window_get_capture (window));
  n_first = pl_capture_get_n_frames (pl_window_get_capture (window));
  g_assert_cmpuint (n_first, <, pl_capture_get_n_frames (whole));
  g_assert_cmpuint (pl_capture_get_n_streams (pl_window_get_capture (window)), >=, 2);
  chosen = 1;
  g_assert_true (pl_stream_list_select_stream (pl_window_get_stream_list (window), chosen));
  spin (50);

  /* The writer goes on, then the user reloads. */
  f = fopen (path, "ab");
  g_assert_nonnull (f);
  g_assert_cmpuint (fwrite (contents + len * 17 / 20 + 3, 1, len - (len * 17 / 20 + 3), f), ==,
                    len - (len * 17 / 20 + 3));
  fclose (f);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.reload", NULL));
  wait_for_loads ();
  spin (50);

  g_assert_cmpuint (pl_capture_get_n_frames (pl_window_get_capture (window)), ==,
                    pl_capture_get_n_frames (whole));
  item = pl_stream_list_get_selected_item (pl_window_get_stream_list (window));
  g_assert_nonnull (item);
  g_assert_cmpuint (pl_stream_item_get_index (item), ==, chosen);

  g_unlink (path);
  g_rmdir (dir);
}

int
main (int    argc,
      char **argv)
{
  g_autoptr(GError) error = NULL;
  int ret;

  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/gui/window/startup", test_startup);
  g_test_add_func ("/gui/window/open-sample", test_open_sample);
  g_test_add_func ("/gui/window/open-not-capture", test_open_not_capture);
  g_test_add_func ("/gui/window/cancel", test_cancel);
  g_test_add_func ("/gui/window/application-open", test_application_open);
  g_test_add_func ("/gui/window/first-stream-shown", test_first_stream_shown);
  g_test_add_func ("/gui/ladder/click-syn-ack", test_click_syn_ack);
  g_test_add_func ("/gui/details/field-bytes", test_field_bytes);
  g_test_add_func ("/gui/filter/streams", test_filter);
  g_test_add_func ("/gui/http/image", test_http_image);
  g_test_add_func ("/gui/export/svg", test_export_svg);
  g_test_add_func ("/gui/window/drop", test_drop);
  g_test_add_func ("/gui/window/reload", test_reload);

  if (!have_display ())
    return g_test_run ();

  /* Not unique: the tests must not hand their work to a running instance. */
  app = pl_application_new ();
  g_application_set_flags (G_APPLICATION (app),
                           G_APPLICATION_HANDLES_OPEN | G_APPLICATION_NON_UNIQUE);
  g_assert_true (g_application_register (G_APPLICATION (app), NULL, &error));
  g_assert_no_error (error);

  ret = g_test_run ();

  while (gtk_application_get_windows (GTK_APPLICATION (app)) != NULL)
    gtk_window_destroy (gtk_application_get_windows (GTK_APPLICATION (app))->data);
  spin (50);
  g_clear_object (&app);

  return ret;
}
