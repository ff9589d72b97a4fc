/* pl-report.c: a lab report in Markdown with its pictures (see
 * pl-report.h).
 *
 * Everything in it comes from core (summaries, HTTP messages, the field
 * tree, the teardown story) and render (the ladder pictures with their
 * explanations), so it says what the window and the other exports say.
 * The report is a document for a person: its sections follow the questions
 * of the classic lab (handshake, segmented transfer, ack = seq + len, 206
 * and Content-Range, the close and TIME_WAIT).
 */
#include "config.h"

#include <glib/gi18n.h>
#include <errno.h>
#include <glib/gstdio.h>
#include <string.h>

#include "pl-export.h"
#include "pl-field.h"
#include "pl-http-message.h"
#include "pl-ladder.h"
#include "pl-report.h"
#include "pl-stream-digest.h"
#include "pl-tcp-state.h"
#include "pl-tcp-summary.h"

/* A picture of a segmented transfer shows its first frames only. */
#define TRANSFER_FRAMES 14

typedef struct
{
  PlCapture        *capture;
  guint             stream;
  const char       *dir;
  GString          *md;
  GStrvBuilder     *files;
  guint             n_pictures;
} Report;

guint
pl_report_choose_stream (PlCapture *capture)
{
  guint n_streams = pl_capture_get_n_streams (capture);
  g_autofree guint *http = g_new0 (guint, MAX (n_streams, 1));
  guint i, best = PL_REPORT_ANY_STREAM;

  if (n_streams == 0)
    return PL_REPORT_ANY_STREAM;
  for (i = 0; i < pl_capture_get_n_http_messages (capture); i++)
    {
      PlHttpMessage *msg = pl_capture_get_http_message (capture, i);
      guint s = pl_http_message_get_stream (msg);

      if (s < n_streams)
        http[s]++;
    }
  for (i = 0; i < n_streams; i++)
    {
      const PlTcpStream *st = pl_capture_get_stream (capture, i);

      if (best == PL_REPORT_ANY_STREAM || http[i] > http[best] ||
          (http[i] == http[best] && st->n_frames > pl_capture_get_stream (capture, best)->n_frames))
        best = i;
    }
  return best;
}

/* Markdown text: a table cell or a line of prose may hold any byte the
 * capture had, so it is made valid UTF-8 and what Markdown would read as
 * markup is escaped. */
static void
append_cell (GString    *md,
             const char *text)
{
  g_autofree char *valid = g_utf8_make_valid (text != NULL ? text : "", -1);

  for (const char *p = valid; *p; p++)
    {
      /* Markdown would read these as markup (Accept: * / * in italics). */
      if (strchr ("|\\*_`<>[]", *p) != NULL)
        {
          g_string_append_c (md, '\\');
          g_string_append_c (md, *p);
        }
      else if (*p == '\n' || *p == '\r')
        g_string_append_c (md, ' ');
      else
        g_string_append_c (md, *p);
    }
}

static void
append_seconds (GString *md,
                gint64   ns)
{
  g_string_append_printf (md, "%.6f", ns / 1e9);
}

/* Draws frames first..last of the report's stream into NAME.svg and
 * NAME.png and shows it: the PNG inline, the SVG linked. */
static gboolean
picture (Report     *r,
         const char *name,
         const char *alt,
         guint32     first,
         guint32     last,
         gboolean    explain,
         gboolean    fold,
         gboolean    both,
         GError    **error)
{
  g_autoptr(PlLadderSelection) sel = pl_ladder_selection_new (r->capture);
  PlLadderOptions options;
  static const PlExportFormat formats[] = { PL_EXPORT_SVG, PL_EXPORT_PNG };

  pl_ladder_options_init (&options);
  options.explain = explain;
  options.fold_http = fold;
  options.numbers = both ? PL_LADDER_NUMBERS_BOTH : PL_LADDER_NUMBERS_RELATIVE;
  pl_ladder_selection_add_stream (sel, r->stream);
  pl_ladder_selection_set_frames (sel, first, last);
  pl_ladder_selection_add_http_brackets (sel);

  for (guint i = 0; i < G_N_ELEMENTS (formats); i++)
    {
      g_autofree char *file = g_strconcat (name, ".", pl_export_format_extension (formats[i]), NULL);
      g_autofree char *path = g_build_filename (r->dir, file, NULL);
      g_auto(GStrv) written = NULL;

      if (!pl_export_to_file (sel, &options, formats[i], path, NULL, &written, NULL, error))
        return FALSE;
      for (guint k = 0; written != NULL && written[k] != NULL; k++)
        g_strv_builder_add (r->files, written[k]);
    }
  g_string_append_printf (r->md, "![%s](%s.png)\n\n", alt, name);
  /* Translators: a link under a picture of the report to the same picture
   * as SVG (which scales without blurring). */
  g_string_append_printf (r->md, "[%s](%s.svg)\n\n", _("The same picture as SVG"), name);
  r->n_pictures++;
  return TRUE;
}

/* ------------------------------------------------------------------------
 * Sections.
 */

static void
summary_section (Report *r)
{
  PlCapture *capture = r->capture;
  guint n_frames = pl_capture_get_n_frames (capture);
  guint n_streams = pl_capture_get_n_streams (capture);
  g_autoptr(PlStreamDigests) digests = pl_stream_digests_compute (capture, NULL);
  gint64 t0 = n_frames > 0 ? pl_capture_get_frame (capture, 0)->ts_ns : 0;
  gint64 t1 = n_frames > 0 ? pl_capture_get_frame (capture, n_frames - 1)->ts_ns : 0;

  /* Translators: the report's title; %s is the capture's file name. */
  g_string_append (r->md, "# ");
  g_string_append_printf (r->md, _("Lab report: %s"), pl_capture_get_display_name (capture));
  g_string_append (r->md, "\n\n");
  /* Translators: how the report was made. */
  g_string_append_printf (r->md, "%s\n\n", _("Written by Packet Ladder from the capture alone: every number below is "
                                            "what the capture holds, computed as Wireshark computes it."));

  g_string_append_printf (r->md, "## %s\n\n", _("The capture"));
  g_string_append_printf (r->md, "- %s: %s\n", _("File"), pl_capture_get_display_name (capture));
  g_string_append_printf (r->md, "- %s: %u\n", _("Frames"), n_frames);
  g_string_append_printf (r->md, "- %s: %u\n", _("TCP streams"), n_streams);
  g_string_append_printf (r->md, "- %s: ", _("Duration"));
  append_seconds (r->md, t1 - t0);
  g_string_append (r->md, " s\n");
  if (n_frames > 0)
    {
      g_autoptr(GDateTime) dt = g_date_time_new_from_unix_utc (t0 / 1000000000);

      if (dt != NULL)
        {
          g_autofree char *when = g_date_time_format (dt, "%Y-%m-%d %H:%M:%S UTC");

          g_string_append_printf (r->md, "- %s: %s\n", _("First frame"), when);
        }
    }
  g_string_append_c (r->md, '\n');

  if (n_streams == 0)
    return;
  g_string_append_printf (r->md, "| %s | %s | %s | %s | %s |\n|---|---|---|---|---|\n",
                          _("Stream"), _("Client"), _("Server"), _("Frames"), _("HTTP"));
  for (guint i = 0; i < n_streams; i++)
    {
      const PlTcpStream *st = pl_capture_get_stream (capture, i);
      const PlStreamDigest *d = digests != NULL ? pl_stream_digests_get (digests, i) : NULL;
      char a[80], b[80];

      g_string_append_printf (r->md, "| %u%s | %s | %s | %u | ", i, i == r->stream ? " \342\230\205" : "",
                              pl_endpoint_to_string (&st->ep[0], a, sizeof a),
                              pl_endpoint_to_string (&st->ep[1], b, sizeof b), st->n_frames);
      append_cell (r->md, d != NULL && d->http != NULL ? d->http : "");
      g_string_append (r->md, " |\n");
    }
  /* Translators: under the table of streams; ★ marks the stream described. */
  g_string_append_printf (r->md, "\n%s\n\n", _("The report follows the stream marked \342\230\205."));
}

static const char *
yes_no (gboolean v)
{
  return v ? _("yes") : _("no");
}

static gboolean
handshake_section (Report             *r,
                   const PlTcpSummary *sum,
                   GError            **error)
{
  const PlTcpStream *st = pl_capture_get_stream (r->capture, r->stream);
  g_autofree char *opened = pl_tcp_summary_describe_open (r->capture, r->stream, sum);
  guint32 last;

  g_string_append_printf (r->md, "## %s\n\n", _("The three-way handshake"));
  if (sum->syn_frame[0] == PL_NO_FRAME)
    {
      g_string_append_printf (r->md, "%s\n\n", _("The capture does not hold this stream's SYN: it began before the capture did."));
      return TRUE;
    }
  last = sum->handshake_ack_frame != PL_NO_FRAME ? sum->handshake_ack_frame
         : sum->syn_frame[1] != PL_NO_FRAME ? sum->syn_frame[1] : sum->syn_frame[0];
  if (!picture (r, "handshake", _("The three-way handshake"), st->first_frame, last, TRUE, FALSE, TRUE, error))
    return FALSE;
  if (opened != NULL)
    {
      append_cell (r->md, opened);
      g_string_append (r->md, "\n\n");
    }
  /* Translators: the report explains the handshake's numbers. */
  g_string_append_printf (r->md, "%s\n\n",
                          _("Each side picks a random initial sequence number (ISN). Wireshark shows sequence numbers "
                            "relative to it, so the SYN has seq 0; the raw numbers stand beside them. A SYN carries no "
                            "data but consumes one sequence number, so the ACK of a SYN is ISN + 1 (relative 1)."));
  g_string_append_printf (r->md, "| | %s | %s |\n|---|---|---|\n", _("Client"), _("Server"));
  g_string_append_printf (r->md, "| %s | ", _("Frame"));
  for (guint s = 0; s < 2; s++)
    if (sum->syn_frame[s] != PL_NO_FRAME)
      g_string_append_printf (r->md, "%u | ", sum->syn_frame[s] + 1);
    else
      g_string_append (r->md, "- | ");
  g_string_append_printf (r->md, "\n| %s | ", _("Initial sequence number (raw)"));
  for (guint s = 0; s < 2; s++)
    if (sum->isn_known[s])
      g_string_append_printf (r->md, "%u | ", sum->isn[s]);
    else
      g_string_append (r->md, "- | ");
  g_string_append_printf (r->md, "\n| %s | ", _("Maximum segment size (MSS)"));
  for (guint s = 0; s < 2; s++)
    if (sum->mss[s] > 0)
      g_string_append_printf (r->md, "%u | ", sum->mss[s]);
    else
      g_string_append (r->md, "- | ");
  g_string_append_printf (r->md, "\n| %s | ", _("Window scale"));
  for (guint s = 0; s < 2; s++)
    if (sum->wscale[s] >= 0)
      g_string_append_printf (r->md, "%d (\303\227%u) | ", sum->wscale[s], 1u << MIN (sum->wscale[s], 14));
    else
      g_string_append (r->md, "- | ");
  g_string_append_printf (r->md, "\n| %s | %s | %s |", _("SACK permitted"), yes_no (sum->sack_perm[0]), yes_no (sum->sack_perm[1]));
  g_string_append_printf (r->md, "\n| %s | %s | %s |\n\n", _("Timestamps"), yes_no (sum->timestamps[0]), yes_no (sum->timestamps[1]));
  if (sum->irtt_ns >= 0)
    {
      /* Translators: the initial round-trip time, in milliseconds. */
      g_string_append_printf (r->md, _("Initial round-trip time (SYN to the ACK that completes the handshake): %.3f ms."),
                              sum->irtt_ns / 1e6);
      g_string_append (r->md, "\n\n");
    }
  return TRUE;
}

static void
append_head (Report        *r,
             PlHttpMessage *msg)
{
  g_autoptr(GBytes) head = msg != NULL ? pl_http_message_dup_head (msg) : NULL;
  g_autofree char *text = NULL;

  if (head == NULL)
    return;
  text = g_utf8_make_valid (g_bytes_get_data (head, NULL), g_bytes_get_size (head));
  g_strchomp (text);
  g_string_append (r->md, "```http\n");
  for (const char *p = text; *p; p++)
    if (*p != '\r')
      g_string_append_c (r->md, *p);
  g_string_append (r->md, "\n```\n\n");
}

static void
message_title (PlHttpMessage *request,
               PlHttpMessage *response,
               GString       *out)
{
  g_autofree char *uri = request != NULL ? pl_http_message_dup_uri (request) : NULL;
  g_autofree char *reason = response != NULL ? pl_http_message_dup_reason (response) : NULL;

  if (request != NULL)
    g_string_append_printf (out, "%s %s", pl_http_message_get_method_name (request), uri != NULL ? uri : "");
  if (response != NULL)
    g_string_append_printf (out, "%s%u %s", request != NULL ? " \342\206\222 " : "",
                            pl_http_message_get_status (response), reason != NULL ? reason : "");
}

static gboolean
http_section (Report  *r,
              GError **error)
{
  guint n = pl_capture_get_n_http_messages (r->capture), round = 0;

  if (!pl_capture_stream_has_http (r->capture, r->stream))
    return TRUE;
  g_string_append_printf (r->md, "## %s\n\n", _("HTTP rounds"));
  /* Translators: introduces the report's pictures of HTTP exchanges. */
  g_string_append_printf (r->md, "%s\n\n",
                          _("Each request and its response on this connection, a segmented message drawn as one thick arrow "
                            "(its segments are counted on it); brackets on the right name the messages."));
  for (guint i = 0; i < n; i++)
    {
      PlHttpMessage *msg = pl_capture_get_http_message (r->capture, i);
      PlHttpMessage *request, *response;
      g_autoptr(GString) title = g_string_new (NULL);
      g_autofree char *name = NULL;
      PlHttpRange range;
      guint32 from, to;

      if (pl_http_message_get_stream (msg) != r->stream)
        continue;
      /* A round starts at its request; a response without one stands alone. */
      if (pl_http_message_is_request (msg))
        {
          request = msg;
          response = pl_http_message_get_response (msg);
        }
      else if (pl_http_message_get_request (msg) == NULL)
        {
          request = NULL;
          response = msg;
        }
      else
        continue;
      round++;
      message_title (request, response, title);
      g_string_append_printf (r->md, "### %u. ", round);
      append_cell (r->md, title->str);
      g_string_append (r->md, "\n\n");
      from = pl_http_message_get_first_frame (request != NULL ? request : response);
      to = pl_http_message_get_last_frame (response != NULL ? response : request);
      name = g_strdup_printf ("http-%u", round);
      if (!picture (r, name, title->str, from, MAX (from, to), FALSE, TRUE, FALSE, error))
        return FALSE;
      append_head (r, request);
      append_head (r, response);
      if (response != NULL && pl_http_message_get_content_range (response, &range))
        {
          g_autofree char *asked = request != NULL ? pl_http_message_dup_header (request, "Range") : NULL;
          g_autofree char *of = range.complete_length >= 0
                                ? g_strdup_printf ("%" G_GINT64_FORMAT, range.complete_length) : g_strdup ("*");
          g_autofree char *from_byte = g_strdup_printf ("%" G_GUINT64_FORMAT, range.first);
          g_autofree char *to_byte = g_strdup_printf ("%" G_GUINT64_FORMAT, range.last);

          /* Translators: a 206 answer: its status, the first and last byte
           * it carries, of how many, then what the request's Range header
           * asked. */
          g_string_append_printf (r->md, _("%u Partial Content: bytes %s-%s of %s (Content-Range), "
                                           "for the request's Range: %s."),
                                  pl_http_message_get_status (response), from_byte, to_byte, of,
                                  asked != NULL ? asked : "-");
          g_string_append (r->md, "\n\n");
        }
    }
  return TRUE;
}

/* The response with the most frames: the segmented transfer. */
static PlHttpMessage *
largest_response (Report *r)
{
  PlHttpMessage *best = NULL;
  guint best_n = 0;

  for (guint i = 0; i < pl_capture_get_n_http_messages (r->capture); i++)
    {
      PlHttpMessage *msg = pl_capture_get_http_message (r->capture, i);
      g_autoptr(GArray) frames = NULL;

      if (pl_http_message_get_stream (msg) != r->stream || pl_http_message_is_request (msg))
        continue;
      frames = pl_http_message_dup_frames (msg);
      if (frames != NULL && frames->len > best_n)
        {
          best = msg;
          best_n = frames->len;
        }
    }
  return best_n > 1 ? best : NULL;
}

static gboolean
transfer_section (Report  *r,
                  GError **error)
{
  PlHttpMessage *msg = largest_response (r);
  g_autoptr(GArray) frames = NULL;
  g_autoptr(GString) title = g_string_new (NULL);
  guint32 first, last;
  guint shown = 0;

  if (msg == NULL)
    return TRUE;
  frames = pl_http_message_dup_frames (msg);
  first = pl_http_message_get_first_frame (msg);
  /* The first frames of the stream from there, both ways. */
  last = first;
  for (guint32 f = first; f < pl_capture_get_n_frames (r->capture) && shown < TRANSFER_FRAMES; f++)
    if (pl_capture_get_frame (r->capture, f)->stream == r->stream)
      {
        last = f;
        shown++;
      }
  message_title (pl_http_message_get_request (msg), msg, title);
  g_string_append_printf (r->md, "## %s\n\n", _("A segmented transfer: ack = seq + len"));
  g_string_append_printf (r->md, _("The response %s took %u segments. The first of them, with the arithmetic of each arrow:"),
                          title->str, frames->len);
  g_string_append (r->md, "\n\n");
  if (!picture (r, "transfer", title->str, first, last, TRUE, FALSE, FALSE, error))
    return FALSE;
  /* Translators: how to read the explanations under the arrows. */
  g_string_append_printf (r->md, "%s\n\n",
                          _("Under each data segment, \"next seq = seq + len\" is the sequence number its sender uses next; "
                            "under each ACK, \"ack N = seq S + len L\" names the segments it acknowledges for the first time "
                            "(an ACK acknowledges every byte before N, so one ACK may cover several segments), with the "
                            "time they took to be acknowledged (RTT). The window is the receiver's raw field times 2 to "
                            "the window scale agreed in the SYNs. PSH asks the receiver to hand the data to the "
                            "application at once; the sender sets it on the last segment of what it had to send."));
  return TRUE;
}

static gboolean
close_section (Report             *r,
               const PlTcpSummary *sum,
               GError            **error)
{
  const PlTcpStream *st = pl_capture_get_stream (r->capture, r->stream);
  g_autofree char *closed = pl_tcp_summary_describe_close (r->capture, r->stream, sum);
  g_autofree char *story = pl_tcp_summary_describe_teardown (r->capture, r->stream, sum);
  guint32 start = PL_NO_FRAME;

  g_string_append_printf (r->md, "## %s\n\n", _("Closing the connection"));
  if (sum->first_closer >= 0 && sum->fin_frame[sum->first_closer] != PL_NO_FRAME)
    start = sum->fin_frame[sum->first_closer];
  else if (sum->reset_by >= 0)
    start = sum->rst_frame;
  if (start == PL_NO_FRAME)
    {
      g_string_append_printf (r->md, "%s\n\n", _("The capture ends before this connection was closed."));
      return TRUE;
    }
  /* From the segment before the close, so its idle time shows. */
  for (guint32 f = start; f > st->first_frame; f--)
    if (pl_capture_get_frame (r->capture, f - 1)->stream == r->stream)
      {
        start = f - 1;
        break;
      }
  if (!picture (r, "close", _("Closing the connection"), start, st->last_frame, TRUE, FALSE, FALSE, error))
    return FALSE;
  if (closed != NULL)
    {
      append_cell (r->md, closed);
      g_string_append (r->md, "\n\n");
    }
  if (story != NULL)
    {
      append_cell (r->md, story);
      g_string_append (r->md, "\n\n");
    }

  /* The states of both ends after each segment of the close. */
  g_string_append_printf (r->md, "| %s | %s | %s |\n|---|---|---|\n", _("Frame"), _("Client state"), _("Server state"));
  for (guint32 f = start; f <= st->last_frame; f++)
    {
      const PlFrame *frame = pl_capture_get_frame (r->capture, f);

      if (frame->stream != r->stream)
        continue;
      g_string_append_printf (r->md, "| %u | %s | %s |\n", f + 1,
                              pl_tcp_state_to_string (pl_tcp_state_unpack (frame->states, 0)),
                              pl_tcp_state_to_string (pl_tcp_state_unpack (frame->states, 1)));
    }
  g_string_append_c (r->md, '\n');
  /* Translators: the report answers why a close takes four segments. */
  g_string_append_printf (r->md, "%s\n\n",
                          _("Why three segments open a connection but four close it: a SYN and the ACK of the other SYN "
                            "can travel together, but each direction of a connection is closed on its own. The side that "
                            "receives a FIN acknowledges it at once and sends its own FIN only when its application closes "
                            "too (CLOSE_WAIT in between), unless it has nothing left to send and both go in one segment."));
  return TRUE;
}

static void
append_fields (GString *md,
               PlField *field,
               guint    depth)
{
  for (guint i = 0; i < pl_field_get_n_children (field); i++)
    {
      PlField *child = pl_field_get_child (field, i);
      g_autofree char *label = pl_field_dup_label (child);

      for (guint k = 0; k < depth; k++)
        g_string_append (md, "  ");
      g_string_append (md, "- ");
      append_cell (md, label);
      if (pl_field_get_key (child) != NULL && pl_field_get_key (child)[0] != '\0')
        g_string_append_printf (md, " (`%s`)", pl_field_get_key (child));
      g_string_append_c (md, '\n');
      if (depth < 3)
        append_fields (md, child, depth + 1);
    }
}

/* The fields of one frame per phase, as Wireshark's details pane lists
 * them. */
static void
fields_section (Report             *r,
                const PlTcpSummary *sum)
{
  PlHttpMessage *transfer = largest_response (r);
  struct
  {
    const char *phase;
    guint32     frame;
  } phases[4];
  guint n = 0;

  phases[n].phase = _("The SYN");
  phases[n++].frame = sum->syn_frame[0];
  for (guint i = 0; i < pl_capture_get_n_http_messages (r->capture); i++)
    {
      PlHttpMessage *msg = pl_capture_get_http_message (r->capture, i);

      if (pl_http_message_get_stream (msg) == r->stream && pl_http_message_is_request (msg))
        {
          phases[n].phase = _("The first request");
          phases[n++].frame = pl_http_message_get_first_frame (msg);
          break;
        }
    }
  if (transfer != NULL)
    {
      phases[n].phase = _("A segment of the transfer");
      phases[n++].frame = pl_http_message_get_first_frame (transfer);
    }
  phases[n].phase = _("The first FIN");
  phases[n++].frame = sum->first_closer >= 0 ? sum->fin_frame[sum->first_closer] : PL_NO_FRAME;

  g_string_append_printf (r->md, "## %s\n\n", _("The fields of one frame per phase"));
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(PlField) tree = NULL;

      if (phases[i].frame == PL_NO_FRAME || (tree = pl_field_tree_build (r->capture, phases[i].frame)) == NULL)
        continue;
      /* Translators: a heading: a phase of the connection, then its frame number. */
      g_string_append (r->md, "### ");
      g_string_append_printf (r->md, _("%s (frame %u)"), phases[i].phase, phases[i].frame + 1);
      g_string_append (r->md, "\n\n");
      append_fields (r->md, tree, 0);
      g_string_append_c (r->md, '\n');
    }
}

gboolean
pl_report_write (PlCapture   *capture,
                 guint        stream,
                 const char  *dir,
                 GStrv       *written,
                 GError     **error)
{
  g_autoptr(GString) md = g_string_new (NULL);
  g_autoptr(GStrvBuilder) files = g_strv_builder_new ();
  g_auto(GStrv) pictures = NULL;
  g_autofree char *path = NULL;
  PlTcpSummary sum;
  Report r = { capture, stream, dir, md, files, 0 };
  g_autoptr(GStrvBuilder) all = g_strv_builder_new ();

  g_return_val_if_fail (PL_IS_CAPTURE (capture), FALSE);
  g_return_val_if_fail (dir != NULL, FALSE);

  if (written != NULL)
    *written = NULL;
  if (r.stream == PL_REPORT_ANY_STREAM)
    r.stream = pl_report_choose_stream (capture);
  if (r.stream == PL_REPORT_ANY_STREAM || r.stream >= pl_capture_get_n_streams (capture))
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                   /* Translators: %s is the capture's file name. */
                   _("%s holds no TCP stream to report on"), pl_capture_get_display_name (capture));
      return FALSE;
    }
  if (g_mkdir_with_parents (dir, 0755) != 0)
    {
      int errsv = errno;

      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (errsv),
                   /* Translators: the folder, then the system's reason. */
                   _("Cannot make the folder %s: %s"), dir, g_strerror (errsv));
      return FALSE;
    }

  pl_tcp_summary_compute (capture, r.stream, &sum);
  summary_section (&r);
  if (!handshake_section (&r, &sum, error) ||
      !http_section (&r, error) ||
      !transfer_section (&r, error) ||
      !close_section (&r, &sum, error))
    return FALSE;
  fields_section (&r, &sum);

  /* g_file_set_contents() writes a temporary file and renames it. */
  path = g_build_filename (dir, "report.md", NULL);
  if (!g_file_set_contents (path, md->str, md->len, error))
    return FALSE;
  pictures = g_strv_builder_end (files);
  g_strv_builder_add (all, path);
  g_strv_builder_addv (all, (const char **) pictures);
  if (written != NULL)
    *written = g_strv_builder_end (all);
  return TRUE;
}
