/* pl-ladder.c: the selection and options of a ladder diagram, and the
 * analysis marks (see pl-ladder.h).
 */
#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "pl-http-message.h"
#include "pl-http-table.h"
#include "pl-tls-table.h"
#include "pl-ladder.h"
#include "pl-tcp-analysis.h"

void
pl_ladder_options_init (PlLadderOptions *options)
{
  memset (options, 0, sizeof *options);
  options->spacing = PL_LADDER_SPACING_UNIFORM;
  options->numbers = PL_LADDER_NUMBERS_RELATIVE;
  options->time_mode = PL_LADDER_TIME_CAPTURE;
  options->theme = PL_LADDER_THEME_LIGHT;
  options->show_states = TRUE;
  options->scale = 1.0;
}

static const char *time_mode_names[PL_LADDER_N_TIME_MODES] = {
  "capture", "stream", "delta", "epoch", "clock",
};

const char *
pl_ladder_time_mode_to_string (PlLadderTimeMode mode)
{
  return (guint) mode < PL_LADDER_N_TIME_MODES ? time_mode_names[mode] : NULL;
}

gboolean
pl_ladder_time_mode_from_string (const char       *name,
                                 PlLadderTimeMode *mode)
{
  guint i;

  for (i = 0; name != NULL && i < PL_LADDER_N_TIME_MODES; i++)
    if (g_ascii_strcasecmp (name, time_mode_names[i]) == 0)
      {
        *mode = i;
        return TRUE;
      }
  return FALSE;
}

gboolean
pl_ladder_options_equal (const PlLadderOptions *a,
                         const PlLadderOptions *b)
{
  /* Field by field: padding bytes make memcmp() unreliable. */
  return a->spacing == b->spacing &&
         a->numbers == b->numbers &&
         a->time_mode == b->time_mode &&
         a->theme == b->theme &&
         !a->hide_pure_acks == !b->hide_pure_acks &&
         !a->fold_http == !b->fold_http &&
         !a->merge_hosts == !b->merge_hosts &&
         !a->show_states == !b->show_states &&
         !a->explain == !b->explain &&
         a->scale == b->scale &&
         a->paper == b->paper;
}

typedef struct
{
  PlLadderBracket pub;
  gboolean        unfolded;
} Bracket;

struct _PlLadderSelection
{
  PlCapture *capture;
  GArray    *streams;     /* guint, sorted; empty: all */
  guint32    first_frame;
  guint32    last_frame;
  GBytes    *frame_mask;  /* NULL: every frame */
  GArray    *brackets;    /* Bracket */
  GStringChunk *strings;  /* the brackets' labels */
  guint      serial;
};

PlLadderSelection *
pl_ladder_selection_new (PlCapture *capture)
{
  PlLadderSelection *self;

  g_return_val_if_fail (PL_IS_CAPTURE (capture), NULL);

  self = g_atomic_rc_box_new0 (PlLadderSelection);
  self->capture = g_object_ref (capture);
  self->streams = g_array_new (FALSE, FALSE, sizeof (guint));
  self->first_frame = 0;
  self->last_frame = G_MAXUINT32;
  self->brackets = g_array_new (FALSE, TRUE, sizeof (Bracket));
  self->strings = g_string_chunk_new (4096);
  self->serial = 1;
  return self;
}

PlLadderSelection *
pl_ladder_selection_ref (PlLadderSelection *self)
{
  return g_atomic_rc_box_acquire (self);
}

static void
selection_clear (gpointer data)
{
  PlLadderSelection *self = data;

  g_clear_object (&self->capture);
  g_clear_pointer (&self->streams, g_array_unref);
  g_clear_pointer (&self->frame_mask, g_bytes_unref);
  g_clear_pointer (&self->brackets, g_array_unref);
  g_clear_pointer (&self->strings, g_string_chunk_free);
}

void
pl_ladder_selection_unref (PlLadderSelection *self)
{
  g_atomic_rc_box_release_full (self, selection_clear);
}

PlCapture *
pl_ladder_selection_get_capture (PlLadderSelection *self)
{
  return self->capture;
}

static gboolean
find_stream (PlLadderSelection *self,
             guint              stream,
             guint             *pos)
{
  guint lo = 0, hi = self->streams->len;

  while (lo < hi)
    {
      guint mid = lo + (hi - lo) / 2;
      guint v = g_array_index (self->streams, guint, mid);

      if (v == stream)
        {
          *pos = mid;
          return TRUE;
        }
      if (v < stream)
        lo = mid + 1;
      else
        hi = mid;
    }
  *pos = lo;
  return FALSE;
}

void
pl_ladder_selection_add_stream (PlLadderSelection *self,
                                guint              stream)
{
  guint pos;

  if (!find_stream (self, stream, &pos))
    {
      g_array_insert_val (self->streams, pos, stream);
      self->serial++;
    }
}

gboolean
pl_ladder_selection_has_stream (PlLadderSelection *self,
                                guint              stream)
{
  guint pos;

  if (self->streams->len == 0)
    return stream < pl_capture_get_n_streams (self->capture);
  return find_stream (self, stream, &pos);
}

guint
pl_ladder_selection_get_n_streams (PlLadderSelection *self)
{
  if (self->streams->len == 0)
    return pl_capture_get_n_streams (self->capture);
  return self->streams->len;
}

void
pl_ladder_selection_set_frames (PlLadderSelection *self,
                                guint32            first,
                                guint32            last)
{
  self->first_frame = first;
  self->last_frame = last;
  self->serial++;
}

void
pl_ladder_selection_set_frame_mask (PlLadderSelection *self,
                                    GBytes            *mask)
{
  if (mask == self->frame_mask)
    return;
  g_clear_pointer (&self->frame_mask, g_bytes_unref);
  if (mask != NULL)
    self->frame_mask = g_bytes_ref (mask);
  self->serial++;
}

GBytes *
pl_ladder_selection_get_frame_mask (PlLadderSelection *self)
{
  return self->frame_mask;
}

gboolean
pl_ladder_selection_shows_frame (PlLadderSelection *self,
                                 guint32            frame)
{
  const guint8 *bits;
  gsize len;

  if (self->frame_mask == NULL)
    return TRUE;
  bits = g_bytes_get_data (self->frame_mask, &len);
  return frame / 8 < len && (bits[frame / 8] & (1u << (frame % 8))) != 0;
}

void
pl_ladder_selection_get_frames (PlLadderSelection *self,
                                guint32           *first,
                                guint32           *last)
{
  *first = self->first_frame;
  *last = self->last_frame;
}

static const char *
chunk_dup (PlLadderSelection *self,
           const char        *s)
{
  g_autofree char *valid = NULL;

  if (s == NULL)
    return NULL;
  /* Labels quote captured bytes (request targets, reasons, header
   * values); Pango and the exports need UTF-8. */
  if (!g_utf8_validate (s, -1, NULL))
    s = valid = g_utf8_make_valid (s, -1);
  return g_string_chunk_insert (self->strings, s);
}

guint
pl_ladder_selection_add_bracket (PlLadderSelection     *self,
                                 const PlLadderBracket *bracket)
{
  Bracket b = { 0 };

  b.pub = *bracket;
  b.pub.label = chunk_dup (self, bracket->label != NULL ? bracket->label : "");
  b.pub.detail = chunk_dup (self, bracket->detail);
  b.pub.fold_label = chunk_dup (self, bracket->fold_label);
  if (b.pub.last_frame < b.pub.first_frame)
    b.pub.last_frame = b.pub.first_frame;
  g_array_append_val (self->brackets, b);
  self->serial++;
  return self->brackets->len - 1;
}

void
pl_ladder_selection_link_brackets (PlLadderSelection *self,
                                   guint              request,
                                   guint              response)
{
  g_return_if_fail (request < self->brackets->len && response < self->brackets->len);

  g_array_index (self->brackets, Bracket, request).pub.peer = response;
  g_array_index (self->brackets, Bracket, response).pub.peer = request;
  self->serial++;
}

guint
pl_ladder_selection_get_n_brackets (PlLadderSelection *self)
{
  return self->brackets->len;
}

const PlLadderBracket *
pl_ladder_selection_get_bracket (PlLadderSelection *self,
                                 guint              index)
{
  g_return_val_if_fail (index < self->brackets->len, NULL);
  return &g_array_index (self->brackets, Bracket, index).pub;
}

void
pl_ladder_selection_set_unfolded (PlLadderSelection *self,
                                  guint              index,
                                  gboolean           unfolded)
{
  g_return_if_fail (index < self->brackets->len);
  g_array_index (self->brackets, Bracket, index).unfolded = !!unfolded;
  self->serial++;
}

gboolean
pl_ladder_selection_get_unfolded (PlLadderSelection *self,
                                  guint              index)
{
  g_return_val_if_fail (index < self->brackets->len, FALSE);
  return g_array_index (self->brackets, Bracket, index).unfolded;
}

guint
pl_ladder_selection_get_serial (PlLadderSelection *self)
{
  return self->serial;
}

/* "logo.jpg" from "/img/logo.jpg?v=2". */
static char *
uri_basename (const char *uri)
{
  g_autofree char *path = g_strndup (uri, strcspn (uri, "?#"));
  const char *slash = strrchr (path, '/');

  if (slash != NULL && slash[1] != '\0')
    return g_strdup (slash + 1);
  return g_strdup (*path ? path : "/");
}

/* One bracket per selected TLS stream: from the frame that completed its
 * first record to the end of the handshake as seen in clear: the last
 * handshake or ChangeCipherSpec record (TLS 1.2: the encrypted Finished),
 * in TLS 1.3 the client's first encrypted record after the ServerHello
 * (its Finished), or the alert that ended it.  In order of first frame. */
typedef struct
{
  PlLadderBracket b;
  char           *label;
  char           *detail;
} TlsBracket;

static void
tls_bracket_clear (gpointer data)
{
  TlsBracket *t = data;

  g_free (t->label);
  g_free (t->detail);
}

static int
tls_bracket_compare (gconstpointer a,
                     gconstpointer b)
{
  const TlsBracket *x = a, *y = b;

  if (x->b.first_frame != y->b.first_frame)
    return x->b.first_frame < y->b.first_frame ? -1 : 1;
  return x->b.stream < y->b.stream ? -1 : x->b.stream > y->b.stream;
}

static GArray *
collect_tls_brackets (PlLadderSelection *self)
{
  PlTlsTable *tls = pl_capture_get_tls_table (self->capture);
  guint n_streams = pl_capture_get_n_streams (self->capture);
  guint n = pl_tls_table_get_n_records (tls);
  GArray *out = g_array_new (FALSE, TRUE, sizeof (TlsBracket));
  g_autofree guint32 *first = g_new (guint32, MAX (n_streams, 1));
  g_autofree guint32 *last = g_new (guint32, MAX (n_streams, 1));
  g_autofree guint32 *segments = g_new0 (guint32, MAX (n_streams, 1));
  g_autofree guint8 *done = g_new0 (guint8, MAX (n_streams, 1));
  guint i;

  g_array_set_clear_func (out, tls_bracket_clear);
  for (i = 0; i < n_streams; i++)
    first[i] = last[i] = PL_LADDER_NO_FRAME;
  /* Records are ordered by the frame that completed them. */
  for (i = 0; i < n; i++)
    {
      const PlTlsRecord *r = pl_tls_table_get_record (tls, i);
      const PlTlsStreamInfo *info;
      gboolean handshake;

      if (r->frame == PL_TLS_NONE || r->stream >= n_streams || done[r->stream] ||
          !pl_ladder_selection_has_stream (self, r->stream))
        continue;
      info = pl_tls_table_get_stream_info (tls, r->stream);
      handshake = r->type == PL_TLS_HANDSHAKE || r->type == PL_TLS_CHANGE_CIPHER_SPEC ||
                  (r->type == PL_TLS_ALERT && first[r->stream] != PL_LADDER_NO_FRAME);
      /* TLS 1.3: the server's encrypted handshake travels as opaque
       * records, and the client's Finished is its first opaque record. */
      if (r->type == PL_TLS_APPLICATION_DATA && info != NULL && pl_tls_version_is_13 (info->version) &&
          first[r->stream] != PL_LADDER_NO_FRAME)
        {
          handshake = TRUE;
          if (r->dir == 0)
            done[r->stream] = TRUE;
        }
      if (!handshake)
        {
          if (first[r->stream] != PL_LADDER_NO_FRAME)
            done[r->stream] = TRUE;
          continue;
        }
      if (first[r->stream] == PL_LADDER_NO_FRAME)
        first[r->stream] = r->frame;
      if (last[r->stream] != r->frame)
        segments[r->stream]++;
      last[r->stream] = r->frame;
      if (r->type == PL_TLS_ALERT)
        done[r->stream] = TRUE;
    }
  for (i = 0; i < n_streams; i++)
    {
      const PlTlsStreamInfo *info;
      TlsBracket t = { { 0 } };
      const char *suite;

      if (first[i] == PL_LADDER_NO_FRAME)
        continue;
      info = pl_tls_table_get_stream_info (tls, i);
      t.label = pl_tls_table_dup_stream_summary (tls, i);
      suite = info != NULL ? pl_tls_cipher_suite_name (info->cipher_suite) : NULL;
      if (suite != NULL)
        t.detail = g_strdup (suite);
      t.b.stream = i;
      t.b.first_frame = first[i];
      t.b.last_frame = last[i];
      t.b.dir = 0;
      t.b.kind = PL_LADDER_BRACKET_TLS;
      t.b.peer = -1;
      t.b.n_segments = segments[i];
      g_array_append_val (out, t);
    }
  g_array_sort (out, tls_bracket_compare);
  return out;
}

static guint
add_tls_brackets_before (PlLadderSelection *self,
                         GArray            *tls,
                         guint             *next,
                         guint32            frame)
{
  guint added = 0;

  for (; *next < tls->len; (*next)++)
    {
      TlsBracket *t = &g_array_index (tls, TlsBracket, *next);

      if (t->b.first_frame > frame)
        break;
      t->b.label = t->label;
      t->b.detail = t->detail;
      pl_ladder_selection_add_bracket (self, &t->b);
      added++;
    }
  return added;
}

guint
pl_ladder_selection_add_http_brackets (PlLadderSelection *self)
{
  guint n = pl_capture_get_n_http_messages (self->capture);
  g_autofree gint *bracket_of = g_new (gint, MAX (n, 1));
  g_autoptr(GArray) tls = collect_tls_brackets (self);
  guint i, added = 0, next_tls = 0;

  for (i = 0; i < n; i++)
    {
      g_autoptr(PlHttpMessage) msg = NULL;
      g_autoptr(GArray) frames = NULL;
      g_autofree char *uri = NULL;
      g_autofree char *label = NULL;
      g_autofree char *detail = NULL;
      g_autofree char *fold = NULL;
      g_autofree char *size = NULL;
      g_autofree char *name = NULL;
      PlLadderBracket b = { 0 };
      PlHttpRange range;
      guint first, last;
      gboolean incomplete;

      bracket_of[i] = -1;
      /* Other streams' messages: no object made (a capture of many
       * short connections has tens of thousands). */
      if (!pl_ladder_selection_has_stream (self, pl_http_table_get_record (pl_capture_get_http_table (self->capture), i)->stream))
        continue;
      msg = pl_capture_get_http_message (self->capture, i);
      if (msg == NULL)
        continue;
      first = pl_http_message_get_first_frame (msg);
      last = pl_http_message_get_last_frame (msg);
      if (first == PL_HTTP_NO_FRAME)
        continue;
      if (last == PL_HTTP_NO_FRAME)
        last = first;

      /* Cut short or with bytes never captured: say so, not just a size. */
      incomplete = pl_http_message_get_complete_frame (msg) == PL_HTTP_NO_FRAME
                   || (pl_http_message_get_flags (msg) & (PL_HTTP_MSG_TRUNCATED | PL_HTTP_MSG_CUT_BY_GAP |
                                                          PL_HTTP_MSG_MISSING_BYTES)) != 0;
      frames = pl_http_message_dup_frames (msg);
      uri = pl_http_message_dup_uri (msg);
      size = g_format_size (pl_http_message_get_body_length (msg));
      b.stream = pl_http_message_get_stream (msg);
      b.first_frame = first;
      b.last_frame = last;
      b.dir = pl_http_message_get_direction (msg);
      b.peer = -1;
      b.n_segments = frames != NULL ? frames->len : 1;

      if (pl_http_message_is_request (msg))
        {
          g_autofree char *rng = pl_http_message_dup_header (msg, "Range");

          b.kind = PL_LADDER_BRACKET_REQUEST;
          label = g_strdup_printf ("%s %s HTTP/1.%u", pl_http_message_get_method_name (msg),
                                   uri != NULL ? uri : "/", pl_http_message_get_version_minor (msg));
          if (rng != NULL)
            detail = g_strdup_printf ("Range: %s", rng);
          fold = g_strdup (label);
        }
      else
        {
          g_autofree char *reason = pl_http_message_dup_reason (msg);
          g_autoptr(GString) d = g_string_new (NULL);

          b.kind = PL_LADDER_BRACKET_RESPONSE;
          label = g_strdup_printf ("HTTP/1.%u %u %s", pl_http_message_get_version_minor (msg),
                                   pl_http_message_get_status (msg), reason != NULL ? reason : "");
          g_strchomp (label);
          if (pl_http_message_get_content_range (msg, &range))
            {
              g_string_append_printf (d, "Content-Range: bytes %" G_GUINT64_FORMAT "-%" G_GUINT64_FORMAT "/",
                                      range.first, range.last);
              if (range.complete_length >= 0)
                g_string_append_printf (d, "%" G_GINT64_FORMAT, range.complete_length);
              else
                g_string_append_c (d, '*');
              g_string_append (d, " \302\267 ");
            }
          if (incomplete)
            {
              g_autofree char *length = pl_http_message_dup_header (msg, "Content-Length");
              guint64 declared = length != NULL ? g_ascii_strtoull (length, NULL, 10) : 0;
              g_autofree char *whole = declared > 0 ? g_format_size (declared) : NULL;

              if (whole != NULL)
                /* Translators: under an HTTP response's bracket whose end was
                 * never captured: "15.6 kB of 301.8 kB body in 12 segments". */
                g_string_append_printf (d, g_dngettext (GETTEXT_PACKAGE, "%s of %s body in %u segment, incomplete",
                                                        "%s of %s body in %u segments, incomplete", b.n_segments),
                                        size, whole, b.n_segments);
              else
                /* Translators: under an HTTP response's bracket whose end was
                 * never captured. */
                g_string_append_printf (d, g_dngettext (GETTEXT_PACKAGE, "%s body in %u segment, incomplete",
                                                        "%s body in %u segments, incomplete", b.n_segments),
                                        size, b.n_segments);
            }
          else
            /* Translators: under an HTTP response's bracket: the body's size
             * ("12.3 kB"), then the number of TCP segments that carried it. */
            g_string_append_printf (d, g_dngettext (GETTEXT_PACKAGE, "%s body in %u segment", "%s body in %u segments",
                                                    b.n_segments),
                                    size, b.n_segments);
          detail = g_string_free (g_steal_pointer (&d), FALSE);
          name = uri != NULL ? uri_basename (uri) : NULL;
          {
            g_autofree char *what = name != NULL ? g_strdup_printf ("%s \302\267 %s \302\267 %s", label, name, size)
                                                 : g_strdup_printf ("%s \302\267 %s", label, size);

            /* Translators: a folded HTTP response as one arrow: "HTTP/1.1 200 OK ·
             * logo.jpg · 12.3 kB", then the number of TCP segments. */
            fold = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%s in %u segment", "%s in %u segments", b.n_segments),
                                    what, b.n_segments);
          }
        }
      b.label = label;
      b.detail = detail;
      b.fold_label = fold;
      /* Brackets go in order of first frame: the TLS ones that start
       * before this message first. */
      added += add_tls_brackets_before (self, tls, &next_tls, first);
      bracket_of[i] = pl_ladder_selection_add_bracket (self, &b);
      added++;
    }
  added += add_tls_brackets_before (self, tls, &next_tls, PL_LADDER_NO_FRAME);

  /* Link each response to its request. */
  for (i = 0; i < n; i++)
    {
      g_autoptr(PlHttpMessage) msg = NULL;
      g_autoptr(PlHttpMessage) req = NULL;

      if (bracket_of[i] < 0)
        continue;
      msg = pl_capture_get_http_message (self->capture, i);
      if (pl_http_message_is_request (msg))
        continue;
      /* Both getters make a new object (transfer full). */
      req = pl_http_message_get_request (msg);
      if (req != NULL && pl_http_message_get_index (req) < n && bracket_of[pl_http_message_get_index (req)] >= 0)
        pl_ladder_selection_link_brackets (self, bracket_of[pl_http_message_get_index (req)], bracket_of[i]);
    }
  return added;
}

/* ------------------------------------------------------------------------
 * Marks.
 */

guint8
pl_ladder_marks_from_analysis (guint16 analysis)
{
  guint8 marks = 0;

  /* Fast and spurious retransmissions carry RETRANSMISSION too (as in
   * tshark); the explanation tells them apart. */
  if (analysis & (PL_ANALYSIS_RETRANSMISSION |
                  PL_ANALYSIS_FAST_RETRANSMISSION |
                  PL_ANALYSIS_SPURIOUS_RETRANSMISSION))
    marks |= PL_LADDER_MARK_RETRANSMISSION;
  if (analysis & PL_ANALYSIS_DUPLICATE_ACK)
    marks |= PL_LADDER_MARK_DUP_ACK;
  if (analysis & PL_ANALYSIS_OUT_OF_ORDER)
    marks |= PL_LADDER_MARK_OUT_OF_ORDER;
  if (analysis & (PL_ANALYSIS_ZERO_WINDOW | PL_ANALYSIS_ZERO_WINDOW_PROBE))
    marks |= PL_LADDER_MARK_ZERO_WINDOW;
  if (analysis & PL_ANALYSIS_WINDOW_FULL)
    marks |= PL_LADDER_MARK_WINDOW_FULL;
  /* Both say bytes went by that the capture never saw. */
  if (analysis & (PL_ANALYSIS_LOST_SEGMENT | PL_ANALYSIS_ACK_LOST_SEGMENT))
    marks |= PL_LADDER_MARK_GAP;
  return marks;
}

/* Marks beside an arrow; translated at use. */
static const char * const mark_names[PL_LADDER_N_MARKS] = {
  N_("retransmission"),
  N_("dup ACK"),
  N_("out of order"),
  N_("zero window"),
  N_("window full"),
  N_("not captured"),
};

/* Plain symbols that DejaVu, Cantarell and Noto all have, so the marks
 * look the same in the window, the PDF and the SVG. */
static const char * const mark_symbols[PL_LADDER_N_MARKS] = {
  "\342\206\273",  /* ↻ */
  "=",
  "\342\207\205",  /* ⇅ */
  "\342\210\205",  /* ∅ */
  "\342\226\256",  /* ▮ */
  "\342\211\210",  /* ≈ */
};

const char *
pl_ladder_mark_name (guint i)
{
  return i < PL_LADDER_N_MARKS ? _(mark_names[i]) : NULL;
}

const char *
pl_ladder_mark_symbol (guint i)
{
  return i < PL_LADDER_N_MARKS ? mark_symbols[i] : NULL;
}

char *
pl_ladder_explain_frame (PlLadderSelection *self,
                         guint32            frame)
{
  g_auto(GStrv) sentences = NULL;
  const PlFrame *f;

  if (frame >= pl_capture_get_n_frames (self->capture))
    return NULL;
  f = pl_capture_get_frame (self->capture, frame);
  if (f->analysis == 0)
    return NULL;

  /* The analysis replays the stream to give the numbers behind each flag. */
  if (pl_tcp_analysis_explain (self->capture, frame, &sentences, NULL) == 0)
    return NULL;
  return g_strjoinv ("\n", sentences);
}
