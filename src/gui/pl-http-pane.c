/* pl-http-pane.c: the HTTP message of the selected frame.
 *
 * The message is read back from the capture by core when shown (nothing
 * is kept per message).  The body preview depends on Content-Type: an
 * image becomes a GdkTexture made from the bytes (GdkPixbuf loaders), text
 * is converted from its charset to UTF-8, anything else is shown in hex.
 * Save Body writes the decoded body through core, atomically.
 *
 * A 206 response (or the request answered by one) shows the coverage of
 * the resource its Range series fetches: which bytes of the whole the
 * capture's 200 and 206 responses for it hold, as a line and a bar (core's
 * pl_http_message_get_coverage(), which reads no body, run in a worker).
 */
#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include <adwaita.h>

#include "pl-hex-view.h"
#include "pl-http-pane.h"

/* Previews beyond this are cut: a text view of megabytes helps nobody. */
#define TEXT_PREVIEW_MAX  (256 * 1024)
#define HEX_PREVIEW_MAX   (64 * 1024)

struct _PlHttpPane
{
  GtkWidget      parent_instance;

  PlHttpMessage *message;
  PlHttpPreview  preview;
  GdkTexture    *texture;

  GtkWidget     *box;
  GtkLabel      *start_line;
  GtkLabel      *info;
  GtkWidget     *range_box;      /* shown for a Range series only */
  GtkLabel      *range_label;
  GtkWidget     *range_bar;
  guint64        range_total;    /* bytes of the whole resource */
  GCancellable  *range_cancellable;  /* the worker reading the series */
  GArray        *range_present;  /* PlHttpByteRange, merged, in order */
  GtkButton     *save_button;
  GtkTextBuffer *headers;
  GtkStack      *body_stack;
  GtkWidget     *body_box;
  GtkPicture    *picture;
  GtkTextBuffer *text;
  PlHexView     *hex;
  GtkLabel      *body_message;
};

G_DEFINE_FINAL_TYPE (PlHttpPane, pl_http_pane, GTK_TYPE_WIDGET)

GtkWidget *
pl_http_pane_new (void)
{
  return g_object_new (PL_TYPE_HTTP_PANE, NULL);
}

PlHttpMessage *
pl_http_pane_get_message (PlHttpPane *self)
{
  g_return_val_if_fail (PL_IS_HTTP_PANE (self), NULL);

  return self->message;
}

PlHttpPreview
pl_http_pane_get_preview (PlHttpPane *self)
{
  g_return_val_if_fail (PL_IS_HTTP_PANE (self), PL_HTTP_PREVIEW_NONE);

  return self->preview;
}

const char *
pl_http_pane_get_info (PlHttpPane *self)
{
  g_return_val_if_fail (PL_IS_HTTP_PANE (self), NULL);

  return gtk_label_get_text (self->info);
}

const char *
pl_http_pane_get_range_text (PlHttpPane *self)
{
  g_return_val_if_fail (PL_IS_HTTP_PANE (self), NULL);

  return gtk_widget_get_visible (self->range_box) ? gtk_label_get_text (self->range_label) : NULL;
}

double
pl_http_pane_get_range_fraction (PlHttpPane *self)
{
  guint64 covered = 0;

  g_return_val_if_fail (PL_IS_HTTP_PANE (self), 0);

  if (self->range_present == NULL || self->range_total == 0)
    return 0;
  for (guint i = 0; i < self->range_present->len; i++)
    {
      const PlHttpByteRange *r = &g_array_index (self->range_present, PlHttpByteRange, i);

      covered += r->last - r->first + 1;
    }
  return (double) covered / (double) self->range_total;
}

gboolean
pl_http_pane_shows_body (PlHttpPane *self)
{
  g_return_val_if_fail (PL_IS_HTTP_PANE (self), FALSE);

  return gtk_widget_get_visible (self->body_box);
}

GdkTexture *
pl_http_pane_get_texture (PlHttpPane *self)
{
  g_return_val_if_fail (PL_IS_HTTP_PANE (self), NULL);

  return self->texture;
}

static char *
format_start_line (PlHttpMessage *message)
{
  guint minor = pl_http_message_get_version_minor (message);

  if (pl_http_message_is_request (message))
    {
      g_autofree char *uri = pl_http_message_dup_uri (message);

      return g_strdup_printf ("%s %s HTTP/1.%u", pl_http_message_get_method_name (message),
                              uri != NULL ? uri : "", minor);
    }
  else
    {
      g_autofree char *reason = pl_http_message_dup_reason (message);

      return g_strdup_printf ("HTTP/1.%u %u %s", minor, pl_http_message_get_status (message),
                              reason != NULL ? reason : "");
    }
}

/* "text/html; charset=ISO-8859-1" → "text/html" and "ISO-8859-1". */
static char *
parse_content_type (const char  *value,
                    char       **charset)
{
  g_auto(GStrv) parts = NULL;
  char *type;

  *charset = NULL;
  if (value == NULL)
    return NULL;

  parts = g_strsplit (value, ";", -1);
  type = g_ascii_strdown (g_strstrip (parts[0]), -1);
  for (guint i = 1; parts[i] != NULL; i++)
    {
      char *param = g_strstrip (parts[i]);

      if (g_ascii_strncasecmp (param, "charset=", 8) == 0)
        {
          char *cs = param + 8;
          gsize len = strlen (cs);

          if (len >= 2 && cs[0] == '"' && cs[len - 1] == '"')
            {
              cs[len - 1] = '\0';
              cs++;
            }
          *charset = g_strdup (cs);
        }
    }
  return type;
}

static gboolean
is_text_type (const char *type)
{
  return type != NULL
         && (g_str_has_prefix (type, "text/")
             || g_str_has_suffix (type, "+xml") || g_str_has_suffix (type, "+json")
             || g_str_equal (type, "application/json")
             || g_str_equal (type, "application/xml")
             || g_str_equal (type, "application/javascript")
             || g_str_equal (type, "application/x-www-form-urlencoded"));
}

static void
show_body_message (PlHttpPane *self,
                   const char *text,
                   gboolean    error)
{
  gtk_label_set_text (self->body_message, text);
  gtk_stack_set_visible_child_name (self->body_stack, "message");
  self->preview = error ? PL_HTTP_PREVIEW_ERROR : PL_HTTP_PREVIEW_NONE;
}

/* The bar: the whole resource, its covered ranges filled. */
static void
draw_range_bar (GtkDrawingArea *area,
                cairo_t        *cr,
                int             width,
                int             height,
                gpointer        data)
{
  PlHttpPane *self = data;
  GdkRGBA color;

  if (self->range_present == NULL || self->range_total == 0)
    return;
  gtk_style_context_get_color (gtk_widget_get_style_context (GTK_WIDGET (area)), &color);
  cairo_set_source_rgba (cr, color.red, color.green, color.blue, 0.15);
  cairo_rectangle (cr, 0, 0, width, height);
  cairo_fill (cr);
  cairo_set_source_rgba (cr, 0.21, 0.52, 0.89, 1.0);   /* the GNOME accent blue */
  for (guint i = 0; i < self->range_present->len; i++)
    {
      const PlHttpByteRange *r = &g_array_index (self->range_present, PlHttpByteRange, i);
      double x0 = width * ((double) r->first / (double) self->range_total);
      double x1 = width * ((double) (r->last + 1) / (double) self->range_total);

      /* At least a pixel, so a two-byte range still shows. */
      cairo_rectangle (cr, x0, 0, MAX (x1 - x0, 1.0), height);
    }
  cairo_fill (cr);
}

/* The coverage of a Range series, read in a worker thread: it looks at
 * every 200 and 206 response of the capture (their requests' heads are
 * read back from the file), too much for the main loop on a big capture. */
typedef struct
{
  guint64  total;
  GArray  *present;    /* PlHttpByteRange */
  GArray  *missing;
  GArray  *responses;  /* guint */
  GError  *error;
} RangeCoverage;

static void
range_coverage_free (RangeCoverage *c)
{
  g_clear_pointer (&c->present, g_array_unref);
  g_clear_pointer (&c->missing, g_array_unref);
  g_clear_pointer (&c->responses, g_array_unref);
  g_clear_error (&c->error);
  g_free (c);
}

static void
range_thread (GTask        *task,
              gpointer      source_object,
              gpointer      task_data,
              GCancellable *cancellable)
{
  RangeCoverage *c = g_new0 (RangeCoverage, 1);

  pl_http_message_get_coverage (task_data, &c->total, &c->present, &c->missing, &c->responses, &c->error);
  g_task_return_pointer (task, c, (GDestroyNotify) range_coverage_free);
}

static char *
format_ranges (GArray *ranges)
{
  GString *s = g_string_new (NULL);

  for (guint i = 0; ranges != NULL && i < ranges->len; i++)
    {
      const PlHttpByteRange *r = &g_array_index (ranges, PlHttpByteRange, i);

      g_string_append_printf (s, "%s%" G_GUINT64_FORMAT "–%" G_GUINT64_FORMAT,
                              i > 0 ? ", " : "", r->first, r->last);
    }
  return g_string_free (s, FALSE);
}

/* "Range series: 2 responses hold bytes 0–3365241 of 3365242, all of it". */
static void
range_done (GObject      *source,
            GAsyncResult *result,
            gpointer      user_data)
{
  PlHttpPane *self = PL_HTTP_PANE (source);
  RangeCoverage *c = g_task_propagate_pointer (G_TASK (result), NULL);
  g_autofree char *held = NULL;
  g_autofree char *lacking = NULL;
  g_autofree char *total = NULL;
  g_autofree char *text = NULL;

  if (c == NULL)
    return;  /* cancelled: another message is shown */
  g_clear_object (&self->range_cancellable);
  if (self->box == NULL)
    {
      /* Disposed while the worker read. */
      range_coverage_free (c);
      return;
    }
  if (c->error != NULL)
    {
      gtk_label_set_text (self->range_label, c->error->message);
      gtk_widget_set_visible (self->range_bar, FALSE);
      gtk_widget_set_visible (self->range_box, TRUE);
      range_coverage_free (c);
      return;
    }
  self->range_total = c->total;
  self->range_present = g_steal_pointer (&c->present);
  held = format_ranges (self->range_present);
  lacking = format_ranges (c->missing);
  total = g_strdup_printf ("%" G_GUINT64_FORMAT, self->range_total);
  if (self->range_present->len == 0)
    /* Translators: a Range series none of whose bodies the capture holds
     * whole; then the resource's length in bytes. */
    text = g_strdup_printf (_("Range series: no bytes of %s captured whole"), total);
  else if (c->missing->len == 0)
    /* Translators: the number of 200 and 206 responses for this resource,
     * the byte ranges they hold ("0–1, 2–3365241"), then the resource's
     * length in bytes. */
    text = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                         "Range series: %u response holds bytes %s of %s, all of it",
                                         "Range series: %u responses hold bytes %s of %s, all of it",
                                         c->responses->len),
                            c->responses->len, held, total);
  else
    /* Translators: as above, then the byte ranges no response holds. */
    text = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                         "Range series: %u response holds bytes %s of %s; missing %s",
                                         "Range series: %u responses hold bytes %s of %s; missing %s",
                                         c->responses->len),
                            c->responses->len, held, total, lacking);
  gtk_label_set_text (self->range_label, text);
  gtk_widget_set_visible (self->range_bar, TRUE);
  gtk_widget_set_visible (self->range_box, TRUE);
  gtk_widget_queue_draw (self->range_bar);
  range_coverage_free (c);
}

/* For a 206 or the request it answers: its Range series, once a worker has
 * read it; hidden until then, and for any other message. */
static void
update_range (PlHttpPane    *self,
              PlHttpMessage *message)
{
  g_autoptr(PlHttpMessage) answer = NULL;
  PlHttpMessage *response = message;
  g_autoptr(GTask) task = NULL;

  g_cancellable_cancel (self->range_cancellable);
  g_clear_object (&self->range_cancellable);
  g_clear_pointer (&self->range_present, g_array_unref);
  self->range_total = 0;
  gtk_widget_set_visible (self->range_box, FALSE);
  if (message != NULL && pl_http_message_is_request (message))
    response = answer = pl_http_message_get_response (message);
  if (response == NULL || pl_http_message_get_status (response) != 206)
    return;
  self->range_cancellable = g_cancellable_new ();
  task = g_task_new (self, self->range_cancellable, range_done, NULL);
  g_task_set_source_tag (task, update_range);
  g_task_set_name (task, "[packet-ladder] range coverage");
  g_task_set_task_data (task, g_object_ref (response), g_object_unref);
  g_task_run_in_thread (task, range_thread);
}

static void
pl_http_pane_show_body (PlHttpPane *self)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) body = NULL;
  g_autofree char *content_type = pl_http_message_dup_header (self->message, "Content-Type");
  g_autofree char *charset = NULL;
  g_autofree char *type = parse_content_type (content_type, &charset);
  const guint8 *data;
  gsize len;

  if (pl_http_message_get_body_length (self->message) == 0)
    {
      show_body_message (self, _("No body"), FALSE);
      return;
    }

  body = pl_http_message_dup_body (self->message, TRUE, &error);
  if (body == NULL)
    {
      show_body_message (self, error->message, TRUE);
      return;
    }
  data = g_bytes_get_data (body, &len);

  if (type != NULL && g_str_has_prefix (type, "image/"))
    {
      g_autoptr(GError) image_error = NULL;

      self->texture = gdk_texture_new_from_bytes (body, &image_error);
      if (self->texture != NULL)
        {
          gtk_picture_set_paintable (self->picture, GDK_PAINTABLE (self->texture));
          gtk_stack_set_visible_child_name (self->body_stack, "image");
          self->preview = PL_HTTP_PREVIEW_IMAGE;
          return;
        }
      /* Not an image after all (cut short?): show its bytes. */
    }

  if (is_text_type (type) || (type == NULL && g_utf8_validate ((const char *) data, MIN (len, 512), NULL)))
    {
      gsize n = MIN (len, TEXT_PREVIEW_MAX);
      g_autofree char *utf8 = NULL;

      if (charset != NULL && g_ascii_strcasecmp (charset, "utf-8") != 0)
        utf8 = g_convert_with_fallback ((const char *) data, (gssize) n, "UTF-8", charset, "\357\277\275",
                                        NULL, NULL, NULL);
      if (utf8 == NULL)
        utf8 = g_utf8_make_valid ((const char *) data, (gssize) n);
      gtk_text_buffer_set_text (self->text, utf8, -1);
      if (n < len)
        {
          GtkTextIter end;
          g_autofree char *rest = g_format_size (len - n);
          /* Translators: after a cut text preview; %s is a size ("1.2 MB"). */
          g_autofree char *more = g_strdup_printf (_("\n[… %s more; use Save Body to get it all]"), rest);

          gtk_text_buffer_get_end_iter (self->text, &end);
          gtk_text_buffer_insert (self->text, &end, more, -1);
        }
      gtk_stack_set_visible_child_name (self->body_stack, "text");
      self->preview = PL_HTTP_PREVIEW_TEXT;
      return;
    }

  pl_hex_view_set_data (self->hex, data, MIN (len, HEX_PREVIEW_MAX));
  gtk_stack_set_visible_child_name (self->body_stack, "hex");
  self->preview = PL_HTTP_PREVIEW_HEX;
}

/* "body 1.2 kB", or "162.9 kB of 301.8 kB body, incomplete" when the
 * capture does not hold all of it; NULL for a message without a body. */
static char *
describe_body (PlHttpMessage *message)
{
  guint64 length = pl_http_message_get_body_length (message);
  g_autofree char *size = g_format_size (length);
  g_autofree char *declared = pl_http_message_dup_header (message, "Content-Length");
  guint64 whole = declared != NULL ? g_ascii_strtoull (declared, NULL, 10) : 0;
  gboolean incomplete = pl_http_message_get_complete_frame (message) == PL_HTTP_NO_FRAME
                        || (pl_http_message_get_flags (message) & (PL_HTTP_MSG_TRUNCATED | PL_HTTP_MSG_CUT_BY_GAP |
                                                                    PL_HTTP_MSG_MISSING_BYTES)) != 0;

  if (length == 0 && whole == 0 && !incomplete)
    return NULL;
  if (!incomplete)
    /* Translators: the size of an HTTP body ("body 1.2 kB"). */
    return g_strdup_printf (_("body %s"), size);
  if (whole > length)
    {
      g_autofree char *whole_size = g_format_size (whole);

      /* Translators: an HTTP body the capture holds only part of:
       * "162.9 kB of 301.8 kB body, incomplete". */
      return g_strdup_printf (_("%s of %s body, incomplete"), size, whole_size);
    }
  /* Translators: an HTTP body the capture does not hold all of. */
  return g_strdup_printf (_("body %s, incomplete"), size);
}

void
pl_http_pane_set_message (PlHttpPane    *self,
                          PlHttpMessage *message)
{
  g_autoptr(GString) headers = NULL;
  g_autoptr(GArray) fields = NULL;
  g_autofree char *start = NULL;
  g_autofree char *info = NULL;
  g_autofree char *body_size = NULL;
  guint first, last;

  g_return_if_fail (PL_IS_HTTP_PANE (self));

  if (self->message == message)
    return;
  g_set_object (&self->message, message);
  g_clear_object (&self->texture);
  gtk_picture_set_paintable (self->picture, NULL);
  gtk_text_buffer_set_text (self->text, "", 0);
  pl_hex_view_set_data (self->hex, NULL, 0);
  self->preview = PL_HTTP_PREVIEW_NONE;

  update_range (self, message);
  if (message == NULL)
    {
      gtk_label_set_text (self->start_line, "");
      gtk_label_set_text (self->info, "");
      gtk_text_buffer_set_text (self->headers, "", 0);
      gtk_widget_set_sensitive (GTK_WIDGET (self->save_button), FALSE);
      show_body_message (self, "", FALSE);
      return;
    }

  start = format_start_line (message);
  gtk_label_set_text (self->start_line, start);

  first = pl_http_message_get_first_frame (message);
  last = pl_http_message_get_last_frame (message);
  body_size = describe_body (message);
  if (body_size == NULL)
    {
      if (first == last)
        /* Translators: an HTTP message without a body: its frame number. */
        info = g_strdup_printf (_("Frame %u · no body"), first + 1);
      else
        /* Translators: an HTTP message without a body: its frames. */
        info = g_strdup_printf (_("Frames %u–%u · no body"), first + 1, last + 1);
    }
  else if (first == last)
    /* Translators: an HTTP message: frame number, then its body ("body 1.2 kB"). */
    info = g_strdup_printf (_("Frame %u · %s"), first + 1, body_size);
  else
    /* Translators: an HTTP message: frame range, then its body ("body 1.2 kB"). */
    info = g_strdup_printf (_("Frames %u–%u · %s"), first + 1, last + 1, body_size);
  gtk_label_set_text (self->info, info);
  /* A message without a body (most requests) has no Body section. */
  gtk_widget_set_visible (self->body_box, body_size != NULL);

  headers = g_string_new (NULL);
  fields = pl_http_message_dup_headers (message);
  for (guint i = 0; fields != NULL && i < fields->len; i++)
    {
      const PlHttpField *field = &g_array_index (fields, PlHttpField, i);

      g_string_append_printf (headers, "%s%s: %s", i > 0 ? "\n" : "", field->name, field->value);
    }
  gtk_text_buffer_set_text (self->headers, headers->str, (int) headers->len);

  gtk_widget_set_sensitive (GTK_WIDGET (self->save_button),
                            pl_http_message_get_body_length (message) > 0);
  pl_http_pane_show_body (self);
}

static void
on_save_response (GtkNativeDialog *chooser,
                  int              response,
                  gpointer         user_data)
{
  PlHttpMessage *message = user_data;

  if (response == GTK_RESPONSE_ACCEPT)
    {
      g_autoptr(GFile) file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (chooser));
      g_autoptr(GError) error = NULL;
      GtkWindow *parent = gtk_native_dialog_get_transient_for (chooser);

      if (file != NULL && !pl_http_message_save_body (message, file, &error) && parent != NULL)
        {
          GtkWidget *dialog = adw_message_dialog_new (parent, _("Could Not Save the Body"), error->message);

          adw_message_dialog_add_response (ADW_MESSAGE_DIALOG (dialog), "close", _("_Close"));
          gtk_window_present (GTK_WINDOW (dialog));
        }
      else if (file != NULL && parent != NULL)
        {
          g_autofree char *name = g_file_get_parse_name (file);
          g_autofree char *text = g_strdup_printf (_("Saved to %s"), name);

          gtk_widget_activate_action (GTK_WIDGET (parent), "win.notify", "s", text);
        }
    }

  gtk_native_dialog_destroy (chooser);
  g_object_unref (chooser);
  g_object_unref (message);
}

static char *
suggest_body_name (PlHttpMessage *message)
{
  PlHttpMessage *request = pl_http_message_is_request (message) ? message : pl_http_message_get_request (message);
  g_autofree char *uri = request != NULL ? pl_http_message_dup_uri (request) : NULL;
  const char *slash;
  g_autofree char *name = NULL;

  if (uri != NULL)
    {
      char *query = strpbrk (uri, "?#");

      if (query != NULL)
        *query = '\0';
      slash = strrchr (uri, '/');
      name = g_uri_unescape_string (slash != NULL ? slash + 1 : uri, "/");
    }
  if (name == NULL || *name == '\0')
    return g_strdup ("body.bin");
  return g_steal_pointer (&name);
}

static void
save_clicked (PlHttpPane *self)
{
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));
  GtkFileChooserNative *chooser;
  g_autofree char *name = NULL;

  if (self->message == NULL)
    return;

  name = suggest_body_name (self->message);
  chooser = gtk_file_chooser_native_new (_("Save Body"), GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL,
                                         GTK_FILE_CHOOSER_ACTION_SAVE, _("_Save"), _("_Cancel"));
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (chooser), TRUE);
  gtk_file_chooser_set_current_name (GTK_FILE_CHOOSER (chooser), name);
  g_signal_connect (chooser, "response", G_CALLBACK (on_save_response), g_object_ref (self->message));
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (chooser));
}

static GtkWidget *
text_view_new (GtkTextBuffer **buffer,
               const char     *label)
{
  GtkWidget *view = gtk_text_view_new ();

  gtk_text_view_set_editable (GTK_TEXT_VIEW (view), FALSE);
  gtk_text_view_set_monospace (GTK_TEXT_VIEW (view), TRUE);
  gtk_text_view_set_wrap_mode (GTK_TEXT_VIEW (view), GTK_WRAP_WORD_CHAR);
  gtk_text_view_set_left_margin (GTK_TEXT_VIEW (view), 12);
  gtk_text_view_set_right_margin (GTK_TEXT_VIEW (view), 12);
  gtk_text_view_set_top_margin (GTK_TEXT_VIEW (view), 6);
  gtk_text_view_set_bottom_margin (GTK_TEXT_VIEW (view), 6);
  gtk_accessible_update_property (GTK_ACCESSIBLE (view), GTK_ACCESSIBLE_PROPERTY_LABEL, label, -1);
  *buffer = gtk_text_view_get_buffer (GTK_TEXT_VIEW (view));
  return view;
}

static GtkWidget *
scrolled (GtkWidget *child)
{
  GtkWidget *scroller = gtk_scrolled_window_new ();

  gtk_scrolled_window_set_child (GTK_SCROLLED_WINDOW (scroller), child);
  return scroller;
}

static void
pl_http_pane_dispose (GObject *object)
{
  PlHttpPane *self = PL_HTTP_PANE (object);

  g_clear_pointer (&self->box, gtk_widget_unparent);
  g_clear_object (&self->message);
  g_clear_object (&self->texture);
  g_clear_pointer (&self->range_present, g_array_unref);
  g_cancellable_cancel (self->range_cancellable);
  g_clear_object (&self->range_cancellable);

  G_OBJECT_CLASS (pl_http_pane_parent_class)->dispose (object);
}

static void
pl_http_pane_class_init (PlHttpPaneClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = pl_http_pane_dispose;

  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_css_name (widget_class, "httppane");
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_GROUP);
}

static void
pl_http_pane_init (PlHttpPane *self)
{
  GtkWidget *top, *labels, *paned, *headers_view, *text_view, *message, *body_box, *body_title;

  self->box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 0);
  gtk_widget_set_parent (self->box, GTK_WIDGET (self));

  top = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 12);
  gtk_widget_add_css_class (top, "http-start");
  labels = gtk_box_new (GTK_ORIENTATION_VERTICAL, 2);
  gtk_widget_set_hexpand (labels, TRUE);
  self->start_line = GTK_LABEL (gtk_label_new (NULL));
  gtk_label_set_xalign (self->start_line, 0);
  gtk_label_set_selectable (self->start_line, TRUE);
  gtk_label_set_wrap (self->start_line, TRUE);
  gtk_label_set_wrap_mode (self->start_line, PANGO_WRAP_WORD_CHAR);
  gtk_widget_add_css_class (GTK_WIDGET (self->start_line), "monospace");
  gtk_widget_add_css_class (GTK_WIDGET (self->start_line), "heading");
  self->info = GTK_LABEL (gtk_label_new (NULL));
  gtk_label_set_xalign (self->info, 0);
  gtk_widget_add_css_class (GTK_WIDGET (self->info), "dim-label");
  gtk_widget_add_css_class (GTK_WIDGET (self->info), "caption");
  gtk_box_append (GTK_BOX (labels), GTK_WIDGET (self->start_line));
  gtk_box_append (GTK_BOX (labels), GTK_WIDGET (self->info));
  gtk_box_append (GTK_BOX (top), labels);
  self->save_button = GTK_BUTTON (gtk_button_new_with_mnemonic (_("_Save Body…")));
  gtk_widget_set_valign (GTK_WIDGET (self->save_button), GTK_ALIGN_CENTER);
  gtk_widget_set_tooltip_text (GTK_WIDGET (self->save_button), _("Save the decoded body to a file"));
  g_signal_connect_swapped (self->save_button, "clicked", G_CALLBACK (save_clicked), self);
  gtk_box_append (GTK_BOX (top), GTK_WIDGET (self->save_button));
  gtk_box_append (GTK_BOX (self->box), top);

  self->range_box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 4);
  gtk_widget_add_css_class (self->range_box, "http-range");
  gtk_widget_set_margin_start (self->range_box, 12);
  gtk_widget_set_margin_end (self->range_box, 12);
  gtk_widget_set_margin_bottom (self->range_box, 8);
  self->range_label = GTK_LABEL (gtk_label_new (NULL));
  gtk_label_set_xalign (self->range_label, 0);
  gtk_label_set_wrap (self->range_label, TRUE);
  gtk_label_set_selectable (self->range_label, TRUE);
  gtk_widget_add_css_class (GTK_WIDGET (self->range_label), "caption");
  gtk_box_append (GTK_BOX (self->range_box), GTK_WIDGET (self->range_label));
  self->range_bar = gtk_drawing_area_new ();
  gtk_drawing_area_set_content_height (GTK_DRAWING_AREA (self->range_bar), 10);
  gtk_drawing_area_set_draw_func (GTK_DRAWING_AREA (self->range_bar), draw_range_bar, self, NULL);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->range_bar), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  _("The bytes of the resource the capture holds"), -1);
  gtk_box_append (GTK_BOX (self->range_box), self->range_bar);
  gtk_widget_set_visible (self->range_box, FALSE);
  gtk_box_append (GTK_BOX (self->box), self->range_box);
  gtk_box_append (GTK_BOX (self->box), gtk_separator_new (GTK_ORIENTATION_HORIZONTAL));

  paned = gtk_paned_new (GTK_ORIENTATION_VERTICAL);
  gtk_widget_set_vexpand (paned, TRUE);
  gtk_paned_set_position (GTK_PANED (paned), 220);
  gtk_paned_set_shrink_start_child (GTK_PANED (paned), FALSE);
  gtk_paned_set_shrink_end_child (GTK_PANED (paned), FALSE);
  headers_view = text_view_new (&self->headers, _("Header fields"));
  gtk_widget_set_size_request (headers_view, -1, 80);
  gtk_paned_set_start_child (GTK_PANED (paned), scrolled (headers_view));

  body_box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 0);
  self->body_box = body_box;
  body_title = gtk_label_new (_("Body"));
  gtk_label_set_xalign (GTK_LABEL (body_title), 0);
  gtk_widget_add_css_class (body_title, "heading");
  gtk_widget_add_css_class (body_title, "http-body-title");
  gtk_box_append (GTK_BOX (body_box), body_title);

  self->body_stack = GTK_STACK (gtk_stack_new ());
  gtk_widget_set_vexpand (GTK_WIDGET (self->body_stack), TRUE);
  gtk_widget_set_size_request (GTK_WIDGET (self->body_stack), -1, 120);
  self->picture = GTK_PICTURE (gtk_picture_new ());
  gtk_picture_set_can_shrink (self->picture, TRUE);
  gtk_picture_set_content_fit (self->picture, GTK_CONTENT_FIT_SCALE_DOWN);
  gtk_widget_set_margin_start (GTK_WIDGET (self->picture), 12);
  gtk_widget_set_margin_end (GTK_WIDGET (self->picture), 12);
  gtk_widget_set_margin_top (GTK_WIDGET (self->picture), 6);
  gtk_widget_set_margin_bottom (GTK_WIDGET (self->picture), 12);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->picture), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  _("The body as an image"), -1);
  gtk_stack_add_named (self->body_stack, GTK_WIDGET (self->picture), "image");
  text_view = text_view_new (&self->text, _("The body as text"));
  gtk_stack_add_named (self->body_stack, scrolled (text_view), "text");
  self->hex = PL_HEX_VIEW (pl_hex_view_new ());
  gtk_stack_add_named (self->body_stack, GTK_WIDGET (self->hex), "hex");
  message = gtk_label_new (NULL);
  gtk_label_set_wrap (GTK_LABEL (message), TRUE);
  gtk_widget_add_css_class (message, "dim-label");
  self->body_message = GTK_LABEL (message);
  gtk_stack_add_named (self->body_stack, message, "message");
  gtk_box_append (GTK_BOX (body_box), GTK_WIDGET (self->body_stack));
  gtk_paned_set_end_child (GTK_PANED (paned), body_box);
  gtk_box_append (GTK_BOX (self->box), paned);

  gtk_widget_set_sensitive (GTK_WIDGET (self->save_button), FALSE);
}
