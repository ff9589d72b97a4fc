/* pl-hex-view.c: a hex dump in a read-only GtkTextView.
 *
 * Each line shows 16 bytes: a 4-digit offset, the bytes in hex with a gap
 * after the eighth, and the printable ASCII.  The highlight is one text tag
 * applied to the hex and ASCII columns of each line the range touches, so
 * selecting a field costs a few tag operations whatever the frame's size.
 */
#include "config.h"

#include <glib/gi18n.h>

#include "pl-hex-view.h"

/* 16 bytes a line, as Wireshark shows them, however narrow the pane (it
 * scrolls sideways rather than re-cutting the lines). */
#define BYTES_PER_LINE 16
#define HEX_COLUMN     6                           /* "0000  " */
#define ASCII_COLUMN   (HEX_COLUMN + BYTES_PER_LINE * 3 + 1 + 1)

struct _PlHexView
{
  GtkWidget      parent_instance;

  GtkWidget     *scroller;
  GtkTextView   *text_view;
  GtkTextBuffer *buffer;
  GtkTextTag    *offset_tag;
  GtkTextTag    *highlight_tag;

  GBytes        *data;
  guint          hl_offset;
  guint          hl_length;
};

G_DEFINE_FINAL_TYPE (PlHexView, pl_hex_view, GTK_TYPE_WIDGET)

GtkWidget *
pl_hex_view_new (void)
{
  return g_object_new (PL_TYPE_HEX_VIEW, NULL);
}

static guint
hex_column (PlHexView *self,
            guint      byte_in_line)
{
  return HEX_COLUMN + byte_in_line * 3 + (byte_in_line >= BYTES_PER_LINE / 2 ? 1 : 0);
}

static void pl_hex_view_render (PlHexView *self);

void
pl_hex_view_set_data (PlHexView    *self,
                      const guint8 *data,
                      gsize         len)
{
  g_return_if_fail (PL_IS_HEX_VIEW (self));

  g_clear_pointer (&self->data, g_bytes_unref);
  self->hl_offset = 0;
  self->hl_length = 0;
  if (data != NULL && len > 0)
    self->data = g_bytes_new (data, len);
  pl_hex_view_render (self);
}

static void
pl_hex_view_render (PlHexView *self)
{
  const guint8 *data;
  gsize len;
  GString *text;
  GtkTextIter start, end;

  if (self->data == NULL)
    {
      gtk_text_buffer_set_text (self->buffer, "", 0);
      return;
    }

  data = g_bytes_get_data (self->data, &len);
  text = g_string_sized_new ((len / BYTES_PER_LINE + 1) * (ASCII_COLUMN + BYTES_PER_LINE + 1));

  for (gsize line = 0; line * BYTES_PER_LINE < len; line++)
    {
      gsize first = line * BYTES_PER_LINE;
      gsize n = MIN (BYTES_PER_LINE, len - first);

      if (line > 0)
        g_string_append_c (text, '\n');
      g_string_append_printf (text, "%04" G_GSIZE_MODIFIER "x  ", first);
      for (gsize i = 0; i < BYTES_PER_LINE; i++)
        {
          if (i == BYTES_PER_LINE / 2)
            g_string_append_c (text, ' ');
          if (i < n)
            g_string_append_printf (text, "%02x ", data[first + i]);
          else
            g_string_append (text, "   ");
        }
      g_string_append_c (text, ' ');
      for (gsize i = 0; i < n; i++)
        {
          guint8 c = data[first + i];

          g_string_append_c (text, c >= 0x20 && c < 0x7f ? (char) c : '.');
        }
    }

  gtk_text_buffer_set_text (self->buffer, text->str, (int) text->len);
  g_string_free (text, TRUE);

  /* The offsets are a ruler, not content. */
  for (gsize line = 0; line * BYTES_PER_LINE < len; line++)
    {
      gtk_text_buffer_get_iter_at_line_offset (self->buffer, &start, (int) line, 0);
      gtk_text_buffer_get_iter_at_line_offset (self->buffer, &end, (int) line, 4);
      gtk_text_buffer_apply_tag (self->buffer, self->offset_tag, &start, &end);
    }
}

void
pl_hex_view_set_highlight (PlHexView *self,
                           guint      offset,
                           guint      length)
{
  GtkTextIter start, end;
  gsize len;

  g_return_if_fail (PL_IS_HEX_VIEW (self));

  gtk_text_buffer_get_bounds (self->buffer, &start, &end);
  gtk_text_buffer_remove_tag (self->buffer, self->highlight_tag, &start, &end);

  len = self->data != NULL ? g_bytes_get_size (self->data) : 0;
  if (length == 0 || offset >= len)
    {
      self->hl_offset = 0;
      self->hl_length = 0;
      return;
    }

  length = MIN (length, len - offset);
  self->hl_offset = offset;
  self->hl_length = length;

  for (guint line = offset / BYTES_PER_LINE; line <= (offset + length - 1) / BYTES_PER_LINE; line++)
    {
      guint first = MAX (offset, line * BYTES_PER_LINE) - line * BYTES_PER_LINE;
      guint last = MIN (offset + length - 1, line * BYTES_PER_LINE + BYTES_PER_LINE - 1) - line * BYTES_PER_LINE;

      /* Hex: from the first byte's digits to the last byte's digits. */
      gtk_text_buffer_get_iter_at_line_offset (self->buffer, &start, (int) line, (int) hex_column (self, first));
      gtk_text_buffer_get_iter_at_line_offset (self->buffer, &end, (int) line, (int) hex_column (self, last) + 2);
      gtk_text_buffer_apply_tag (self->buffer, self->highlight_tag, &start, &end);

      gtk_text_buffer_get_iter_at_line_offset (self->buffer, &start, (int) line, (int) (ASCII_COLUMN + first));
      gtk_text_buffer_get_iter_at_line_offset (self->buffer, &end, (int) line, (int) (ASCII_COLUMN + last + 1));
      gtk_text_buffer_apply_tag (self->buffer, self->highlight_tag, &start, &end);
    }

  gtk_text_buffer_get_iter_at_line_offset (self->buffer, &start,
                                           (int) (offset / BYTES_PER_LINE),
                                           (int) hex_column (self, offset % BYTES_PER_LINE));
  gtk_text_view_scroll_to_iter (self->text_view, &start, 0.1, FALSE, 0, 0);
}

gboolean
pl_hex_view_get_highlight (PlHexView *self,
                           guint     *offset,
                           guint     *length)
{
  g_return_val_if_fail (PL_IS_HEX_VIEW (self), FALSE);

  if (offset != NULL)
    *offset = self->hl_offset;
  if (length != NULL)
    *length = self->hl_length;
  return self->hl_length > 0;
}

char *
pl_hex_view_dup_text (PlHexView *self)
{
  GtkTextIter start, end;

  g_return_val_if_fail (PL_IS_HEX_VIEW (self), NULL);

  gtk_text_buffer_get_bounds (self->buffer, &start, &end);
  return gtk_text_buffer_get_text (self->buffer, &start, &end, FALSE);
}

static void
pl_hex_view_measure (GtkWidget      *widget,
                     GtkOrientation  orientation,
                     int             for_size,
                     int            *minimum,
                     int            *natural,
                     int            *minimum_baseline,
                     int            *natural_baseline)
{
  gtk_widget_measure (PL_HEX_VIEW (widget)->scroller, orientation, for_size,
                      minimum, natural, minimum_baseline, natural_baseline);
}

static void
pl_hex_view_size_allocate (GtkWidget *widget,
                           int        width,
                           int        height,
                           int        baseline)
{
  gtk_widget_allocate (PL_HEX_VIEW (widget)->scroller, width, height, baseline, NULL);
}

static void
pl_hex_view_dispose (GObject *object)
{
  PlHexView *self = PL_HEX_VIEW (object);

  g_clear_pointer (&self->scroller, gtk_widget_unparent);
  g_clear_pointer (&self->data, g_bytes_unref);

  G_OBJECT_CLASS (pl_hex_view_parent_class)->dispose (object);
}

static void
pl_hex_view_class_init (PlHexViewClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = pl_hex_view_dispose;

  widget_class->measure = pl_hex_view_measure;
  widget_class->size_allocate = pl_hex_view_size_allocate;
  gtk_widget_class_set_css_name (widget_class, "hexview");
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_GROUP);
}

static void
pl_hex_view_init (PlHexView *self)
{
  self->buffer = gtk_text_buffer_new (NULL);
  self->offset_tag = gtk_text_buffer_create_tag (self->buffer, "offset",
                                                 "foreground-rgba", &(GdkRGBA) { 0.5, 0.5, 0.5, 1.0 },
                                                 NULL);
  self->highlight_tag = gtk_text_buffer_create_tag (self->buffer, "highlight",
                                                    "background-rgba", &(GdkRGBA) { 0.208, 0.518, 0.894, 1.0 },
                                                    "foreground-rgba", &(GdkRGBA) { 1, 1, 1, 1 },
                                                    NULL);

  self->text_view = GTK_TEXT_VIEW (gtk_text_view_new_with_buffer (self->buffer));
  g_object_unref (self->buffer);
  gtk_text_view_set_editable (self->text_view, FALSE);
  gtk_text_view_set_cursor_visible (self->text_view, FALSE);
  gtk_text_view_set_monospace (self->text_view, TRUE);
  gtk_text_view_set_wrap_mode (self->text_view, GTK_WRAP_NONE);
  gtk_text_view_set_left_margin (self->text_view, 12);
  gtk_text_view_set_right_margin (self->text_view, 12);
  gtk_text_view_set_top_margin (self->text_view, 8);
  gtk_text_view_set_bottom_margin (self->text_view, 8);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->text_view),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, _("Frame bytes"),
                                  -1);

  self->scroller = gtk_scrolled_window_new ();
  gtk_scrolled_window_set_child (GTK_SCROLLED_WINDOW (self->scroller), GTK_WIDGET (self->text_view));
  gtk_widget_set_parent (self->scroller, GTK_WIDGET (self));
}
