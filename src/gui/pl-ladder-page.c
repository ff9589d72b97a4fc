/* pl-ladder-page.c: the ladder page (see pl-ladder-page.h).
 *
 * The selection is made here from what core and render give: the stream,
 * the HTTP brackets render builds (the same call --export makes, so the
 * window and the command line label them alike) and the BPF filter's frame
 * mask.  When the mask hides frames of the stream a line above the ladder
 * says how many are shown, and that the TCP states are those after each
 * shown frame (so they may jump).
 */
#include "config.h"

#include <glib/gi18n.h>

#include "pl-ladder-page.h"

struct _PlLadderPage
{
  GtkWidget          parent_instance;

  /* Template children */
  GtkStack          *stack;
  AdwStatusPage     *no_match_page;
  AdwStatusPage     *no_streams_page;
  GtkRevealer       *partial_revealer;
  GtkLabel          *partial_label;
  GtkScrolledWindow *scroller;
  PlLadderView      *ladder_view;

  PlLadderPageKind   kind;
  char              *description;
};

G_DEFINE_FINAL_TYPE (PlLadderPage, pl_ladder_page, GTK_TYPE_WIDGET)

static const char *page_names[] = { "select", "no-match", "no-streams", "ladder" };

void
pl_ladder_page_show_stream (PlLadderPage  *self,
                            PlCapture     *capture,
                            guint          stream,
                            PlFrameFilter *filter)
{
  g_autoptr(PlLadderSelection) selection = NULL;
  const PlTcpStream *s;
  guint shown;

  g_return_if_fail (PL_IS_LADDER_PAGE (self));
  g_return_if_fail (PL_IS_CAPTURE (capture));
  g_return_if_fail (stream < pl_capture_get_n_streams (capture));

  s = pl_capture_get_stream (capture, stream);
  selection = pl_ladder_selection_new (capture);
  pl_ladder_selection_add_stream (selection, stream);
  pl_ladder_selection_add_http_brackets (selection);

  /* A stream the text matched but no frame of which the expression
   * accepts shows whole. */
  shown = filter != NULL ? pl_frame_filter_get_n_stream_matched (filter, stream) : 0;
  if (shown > 0)
    pl_ladder_selection_set_frame_mask (selection, pl_frame_filter_get_mask (filter));

  if (shown > 0 && shown < s->n_frames)
    {
      g_autofree char *text = NULL;

      /* Translators: above a ladder limited by a BPF filter: frames shown,
       * frames of the stream, the stream number, the filter. */
      text = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                           "Showing %'u of %'u frame of stream %u: the filter “%s” hides the others. "
                                           "The TCP states are those after each frame shown.",
                                           "Showing %'u of %'u frames of stream %u: the filter “%s” hides the others. "
                                           "The TCP states are those after each frame shown.",
                                           s->n_frames),
                              shown, s->n_frames, stream, pl_frame_filter_get_expression (filter));
      gtk_label_set_text (self->partial_label, text);
      gtk_revealer_set_reveal_child (self->partial_revealer, TRUE);
    }
  else
    {
      gtk_label_set_text (self->partial_label, "");
      gtk_revealer_set_reveal_child (self->partial_revealer, FALSE);
    }

  pl_ladder_view_set_selection (self->ladder_view, selection);
  self->kind = PL_LADDER_PAGE_LADDER;
  g_clear_pointer (&self->description, g_free);
  gtk_stack_set_visible_child_name (self->stack, "ladder");
}

void
pl_ladder_page_show_empty (PlLadderPage     *self,
                           PlLadderPageKind  kind,
                           const char       *description)
{
  g_return_if_fail (PL_IS_LADDER_PAGE (self));
  g_return_if_fail (kind != PL_LADDER_PAGE_LADDER);

  pl_ladder_view_set_selection (self->ladder_view, NULL);
  gtk_revealer_set_reveal_child (self->partial_revealer, FALSE);
  self->kind = kind;
  g_free (self->description);
  self->description = g_strdup (description);
  {
    /* A status page's description is markup; filters hold '&' and '<'. */
    g_autofree char *escaped = description != NULL ? g_markup_escape_text (description, -1) : NULL;

    if (kind == PL_LADDER_PAGE_NO_MATCH)
      adw_status_page_set_description (self->no_match_page, escaped);
    else if (kind == PL_LADDER_PAGE_NO_STREAMS)
      adw_status_page_set_description (self->no_streams_page, escaped);
  }
  gtk_stack_set_visible_child_name (self->stack, page_names[kind]);
}

PlLadderPageKind
pl_ladder_page_get_kind (PlLadderPage *self)
{
  g_return_val_if_fail (PL_IS_LADDER_PAGE (self), PL_LADDER_PAGE_SELECT);

  return self->kind;
}

PlLadderView *
pl_ladder_page_get_view (PlLadderPage *self)
{
  g_return_val_if_fail (PL_IS_LADDER_PAGE (self), NULL);

  return self->ladder_view;
}

GtkScrolledWindow *
pl_ladder_page_get_scroller (PlLadderPage *self)
{
  g_return_val_if_fail (PL_IS_LADDER_PAGE (self), NULL);

  return self->scroller;
}

const char *
pl_ladder_page_get_partial (PlLadderPage *self)
{
  g_return_val_if_fail (PL_IS_LADDER_PAGE (self), NULL);

  return gtk_revealer_get_reveal_child (self->partial_revealer)
         ? gtk_label_get_text (self->partial_label) : NULL;
}

const char *
pl_ladder_page_get_description (PlLadderPage *self)
{
  g_return_val_if_fail (PL_IS_LADDER_PAGE (self), NULL);

  return self->description;
}

static void
pl_ladder_page_dispose (GObject *object)
{
  PlLadderPage *self = PL_LADDER_PAGE (object);

  gtk_widget_dispose_template (GTK_WIDGET (self), PL_TYPE_LADDER_PAGE);
  g_clear_pointer (&self->description, g_free);

  G_OBJECT_CLASS (pl_ladder_page_parent_class)->dispose (object);
}

static void
pl_ladder_page_class_init (PlLadderPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = pl_ladder_page_dispose;

  g_type_ensure (PL_TYPE_LADDER_VIEW);

  gtk_widget_class_set_template_from_resource (widget_class, RESOURCE_PATH "/pl-ladder-page.ui");
  gtk_widget_class_bind_template_child (widget_class, PlLadderPage, stack);
  gtk_widget_class_bind_template_child (widget_class, PlLadderPage, no_match_page);
  gtk_widget_class_bind_template_child (widget_class, PlLadderPage, no_streams_page);
  gtk_widget_class_bind_template_child (widget_class, PlLadderPage, partial_revealer);
  gtk_widget_class_bind_template_child (widget_class, PlLadderPage, partial_label);
  gtk_widget_class_bind_template_child (widget_class, PlLadderPage, scroller);
  gtk_widget_class_bind_template_child (widget_class, PlLadderPage, ladder_view);

  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_css_name (widget_class, "ladderpage");
}

static void
pl_ladder_page_init (PlLadderPage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  self->kind = PL_LADDER_PAGE_SELECT;
}
