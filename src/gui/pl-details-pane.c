/* pl-details-pane.c: the details pane (see pl-details-pane.h).
 *
 * Everything it shows comes from core: the stream's summary sentences
 * (pl-tcp-summary), the frame's field tree (pl-field, built on demand),
 * the frame's bytes from the mapping and the HTTP message the frame
 * carries.  Selecting a field highlights its bytes.
 */
#include "config.h"

#include <glib/gi18n.h>

#include "pl-details-pane.h"
#include "pl-ladder.h"
#include "pl-stream-digest.h"
#include "pl-tcp-summary.h"
#include "pl-tls-table.h"

struct _PlDetailsPane
{
  GtkWidget      parent_instance;

  /* Template children */
  GtkWidget     *box;
  GtkLabel      *stream_summary_label;
  GtkStack      *details_stack;
  GtkStack      *frame_stack;
  PlFieldPane   *field_pane;
  GtkLabel      *segment_label;
  PlHexView     *hex_view;
  GtkStackPage  *http_page;
  PlHttpPane    *http_pane;

  PlCapture     *capture;
  guint          stream;
};

G_DEFINE_FINAL_TYPE (PlDetailsPane, pl_details_pane, GTK_TYPE_WIDGET)

void
pl_details_pane_set_stream (PlDetailsPane *self,
                            PlCapture     *capture,
                            guint          stream)
{
  g_autofree char *opened = NULL;
  g_autofree char *closed = NULL;
  g_autofree char *tls = NULL;
  g_autofree char *text = NULL;
  PlTcpSummary summary;

  g_return_if_fail (PL_IS_DETAILS_PANE (self));

  g_set_object (&self->capture, capture);
  self->stream = stream;
  if (capture == NULL || stream >= pl_capture_get_n_streams (capture))
    {
      self->stream = G_MAXUINT;
      gtk_widget_set_visible (GTK_WIDGET (self->stream_summary_label), FALSE);
      gtk_stack_page_set_visible (self->http_page, FALSE);
      pl_details_pane_set_frame (self, PL_LADDER_NO_FRAME);
      return;
    }

  pl_tcp_summary_compute (capture, stream, &summary);
  opened = pl_tcp_summary_describe_open (capture, stream, &summary);
  closed = pl_tcp_summary_describe_close (capture, stream, &summary);
  tls = pl_tls_table_dup_stream_summary (pl_capture_get_tls_table (capture), stream);
  if (tls != NULL)
    text = g_strdup_printf ("%s\n%s\n%s", opened != NULL ? opened : "", tls, closed != NULL ? closed : "");
  else
    text = g_strdup_printf ("%s\n%s", opened != NULL ? opened : "", closed != NULL ? closed : "");
  gtk_label_set_text (self->stream_summary_label, g_strstrip (text));
  gtk_widget_set_visible (GTK_WIDGET (self->stream_summary_label), TRUE);
  gtk_stack_page_set_visible (self->http_page, pl_capture_stream_has_http (capture, stream));
}

void
pl_details_pane_set_frame (PlDetailsPane *self,
                           guint32        frame)
{
  g_autoptr(PlField) tree = NULL;
  g_autoptr(PlHttpMessage) message = NULL;
  g_autofree char *segment = NULL;
  const guint8 *data = NULL;
  guint32 caplen = 0;

  g_return_if_fail (PL_IS_DETAILS_PANE (self));

  if (self->capture != NULL && frame != PL_LADDER_NO_FRAME && frame < pl_capture_get_n_frames (self->capture))
    {
      tree = pl_field_tree_build (self->capture, frame);
      data = pl_capture_get_frame_data (self->capture, frame, &caplen);
      message = pl_capture_find_http_message (self->capture, frame);
      /* "segment 3 of 23 of HTTP/1.1 200 OK (frames 10–54)", from core. */
      segment = pl_capture_describe_http_segment (self->capture, frame, NULL, NULL);
    }

  if (segment != NULL)
    {
      g_autofree char *valid = g_utf8_make_valid (segment, -1);

      gtk_label_set_text (self->segment_label, valid);
    }
  else
    gtk_label_set_text (self->segment_label, "");
  gtk_widget_set_visible (GTK_WIDGET (self->segment_label), segment != NULL);

  pl_field_pane_set_tree (self->field_pane, tree);
  pl_hex_view_set_data (self->hex_view, tree != NULL ? data : NULL, tree != NULL ? caplen : 0);
  gtk_stack_set_visible_child_name (self->frame_stack, tree != NULL ? "fields" : "none");
  pl_http_pane_set_message (self->http_pane, message);
}

PlHttpMessage *
pl_details_pane_get_message (PlDetailsPane *self)
{
  g_return_val_if_fail (PL_IS_DETAILS_PANE (self), NULL);

  return pl_http_pane_get_message (self->http_pane);
}

void
pl_details_pane_show_http (PlDetailsPane *self)
{
  g_return_if_fail (PL_IS_DETAILS_PANE (self));

  if (gtk_stack_page_get_visible (self->http_page))
    gtk_stack_set_visible_child_name (self->details_stack, "http");
}

/* The Frame tab's line on where the frame sits in its HTTP message ("" when
 * it carries none). */
const char *
pl_details_pane_get_segment_text (PlDetailsPane *self)
{
  g_return_val_if_fail (PL_IS_DETAILS_PANE (self), NULL);

  return gtk_widget_get_visible (GTK_WIDGET (self->segment_label)) ? gtk_label_get_text (self->segment_label) : "";
}

PlFieldPane *
pl_details_pane_get_field_pane (PlDetailsPane *self)
{
  g_return_val_if_fail (PL_IS_DETAILS_PANE (self), NULL);

  return self->field_pane;
}

PlHexView *
pl_details_pane_get_hex_view (PlDetailsPane *self)
{
  g_return_val_if_fail (PL_IS_DETAILS_PANE (self), NULL);

  return self->hex_view;
}

PlHttpPane *
pl_details_pane_get_http_pane (PlDetailsPane *self)
{
  g_return_val_if_fail (PL_IS_DETAILS_PANE (self), NULL);

  return self->http_pane;
}

const char *
pl_details_pane_get_summary (PlDetailsPane *self)
{
  g_return_val_if_fail (PL_IS_DETAILS_PANE (self), NULL);

  return gtk_widget_get_visible (GTK_WIDGET (self->stream_summary_label))
         ? gtk_label_get_text (self->stream_summary_label) : NULL;
}

static void
on_field_selected (PlDetailsPane *self)
{
  PlField *field = pl_field_pane_get_selected_field (self->field_pane);

  if (field != NULL && pl_field_get_length (field) > 0)
    pl_hex_view_set_highlight (self->hex_view, pl_field_get_offset (field), pl_field_get_length (field));
  else
    pl_hex_view_set_highlight (self->hex_view, 0, 0);
}

/* As wide as asked (the window sets the width the user dragged it to),
 * not as wide as its longest line: the texts wrap and the bytes scroll. */
static void
pl_details_pane_measure (GtkWidget      *widget,
                         GtkOrientation  orientation,
                         int             for_size,
                         int            *minimum,
                         int            *natural,
                         int            *minimum_baseline,
                         int            *natural_baseline)
{
  PlDetailsPane *self = PL_DETAILS_PANE (widget);

  gtk_widget_measure (self->box, orientation, for_size, minimum, natural, minimum_baseline, natural_baseline);
  if (orientation == GTK_ORIENTATION_HORIZONTAL)
    *natural = *minimum;
}

static void
pl_details_pane_size_allocate (GtkWidget *widget,
                               int        width,
                               int        height,
                               int        baseline)
{
  gtk_widget_allocate (PL_DETAILS_PANE (widget)->box, width, height, baseline, NULL);
}

static void
pl_details_pane_dispose (GObject *object)
{
  PlDetailsPane *self = PL_DETAILS_PANE (object);

  gtk_widget_dispose_template (GTK_WIDGET (self), PL_TYPE_DETAILS_PANE);
  g_clear_object (&self->capture);

  G_OBJECT_CLASS (pl_details_pane_parent_class)->dispose (object);
}

static void
pl_details_pane_class_init (PlDetailsPaneClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = pl_details_pane_dispose;
  widget_class->measure = pl_details_pane_measure;
  widget_class->size_allocate = pl_details_pane_size_allocate;

  g_type_ensure (PL_TYPE_FIELD_PANE);
  g_type_ensure (PL_TYPE_HEX_VIEW);
  g_type_ensure (PL_TYPE_HTTP_PANE);

  gtk_widget_class_set_template_from_resource (widget_class, RESOURCE_PATH "/pl-details-pane.ui");
  gtk_widget_class_bind_template_child (widget_class, PlDetailsPane, box);
  gtk_widget_class_bind_template_child (widget_class, PlDetailsPane, stream_summary_label);
  gtk_widget_class_bind_template_child (widget_class, PlDetailsPane, details_stack);
  gtk_widget_class_bind_template_child (widget_class, PlDetailsPane, frame_stack);
  gtk_widget_class_bind_template_child (widget_class, PlDetailsPane, field_pane);
  gtk_widget_class_bind_template_child (widget_class, PlDetailsPane, segment_label);
  gtk_widget_class_bind_template_child (widget_class, PlDetailsPane, hex_view);
  gtk_widget_class_bind_template_child (widget_class, PlDetailsPane, http_page);
  gtk_widget_class_bind_template_child (widget_class, PlDetailsPane, http_pane);

  gtk_widget_class_set_css_name (widget_class, "detailspane");
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_GROUP);
}

static void
pl_details_pane_init (PlDetailsPane *self)
{
  self->stream = G_MAXUINT;
  gtk_widget_init_template (GTK_WIDGET (self));
  g_signal_connect_object (self->field_pane, "notify::selected-field",
                           G_CALLBACK (on_field_selected), self, G_CONNECT_SWAPPED);
}
