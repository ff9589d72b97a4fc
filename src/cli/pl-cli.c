/* pl-cli.c: packet-ladder without a display.
 *
 *   packet-ladder --dump-frames FILE    one row per frame, tab-separated
 *   packet-ladder --list-streams FILE   one row per TCP stream
 *   packet-ladder --dump-http FILE      one row per HTTP/1.x message
 *   packet-ladder --save-body=FRAME:PATH [--stitch] FILE
 *   packet-ladder --report=DIR [--stream=N] FILE
 *                                       the decoded body of the HTTP message
 *                                       completed in FRAME, written to PATH;
 *                                       --stitch: the whole resource, from
 *                                       every 200/206 response for it
 *   packet-ladder --export=OUT [--stream=N[,M...]] [--frames=A-B]
 *                 [--spacing=uniform|time|compressed] [--numbers=relative|raw|both]
 *                 [--time=capture|stream|delta|epoch|clock] [--explain]
 *                 [--hide-acks] [--fold-http] [--hosts] [--no-states] [--theme=light|dark]
 *                 [--scale=S] [--paper=a4|letter] FILE
 *                                       the ladder of every stream (or those
 *                                       given) as PNG, SVG, PDF, Mermaid (.mmd),
 *                                       PlantUML (.puml) or text (.txt), by
 *                                       OUT's extension
 *   packet-ladder --capture=IFACE [--filter=EXPR] [--duration=SECONDS | --count=N]
 *                 [--write=FILE.pcapng] [--dump-frames | --list-streams |
 *                 --dump-http | --export=OUT ...]
 *                                       capture now (pl-live-capture.c): rows of
 *                                       --dump-frames as frames arrive, the rest
 *                                       when the capture ends
 *   packet-ladder --list-interfaces     the interfaces one may capture on
 *
 * Exit status: 0 done (a capture cut short still prints every complete frame,
 * with a warning on stderr), 1 the capture cannot be read, changed under us
 * (truncated) or the output could not be written, 2 usage error.
 */
#include "config.h"

#include <errno.h>
#include <glib-unix.h>
#include <glib/gi18n.h>
#include <glib/gstdio.h>
#include <stdio.h>
#include <string.h>

#include "pl-capture.h"
#include "pl-cli.h"
#include "pl-export.h"
#include "pl-report.h"
#include "pl-http-message.h"
#include "pl-http-table.h"
#include "pl-live-capture.h"
#include "pl-stream-digest.h"
#include "pl-tls-table.h"

static const char * const cli_switches[] = {
  "--dump-frames",
  "--follow",
  "--list-streams",
  "--dump-http",
  "--save-body",
  "--report",
  "--export",
  "--capture",
  "--list-interfaces",
};

gboolean
pl_cli_wants (int    argc,
              char **argv)
{
  int i;
  guint j;

  for (i = 1; i < argc; i++)
    {
      if (strcmp (argv[i], "--") == 0)
        break;
      for (j = 0; j < G_N_ELEMENTS (cli_switches); j++)
        if (g_str_has_prefix (argv[i], cli_switches[j]))
          return TRUE;
    }
  return FALSE;
}

/* An error or warning on stderr: the command's name stays untranslated
 * in front, the message itself is translated. */
static void cli_message (const char *format,
                         ...) G_GNUC_PRINTF (1, 2);

static void
cli_message (const char *format,
             ...)
{
  g_autofree char *text = NULL;
  va_list args;

  va_start (args, format);
  text = g_strdup_vprintf (format, args);
  va_end (args);
  g_printerr ("packet-ladder: %s\n", text);
}

/* The first error writing standard output (errno), or 0.  Dumps stop at
 * it, and the command exits 1 saying why: a dump cut short by a full disk
 * must not pass for a whole one. */
static int stdout_errno;

/* Writes out when it is big (or when forced); FALSE once standard output
 * has failed. */
static gboolean
flush_if_big (GString *out,
              gboolean force)
{
  if (stdout_errno != 0)
    return FALSE;
  if (force || out->len > 1 << 16)
    {
      errno = 0;
      if (out->len > 0 && fwrite (out->str, 1, out->len, stdout) != out->len)
        stdout_errno = errno != 0 ? errno : EIO;
      else if (force && fflush (stdout) != 0)
        stdout_errno = errno != 0 ? errno : EIO;
      g_string_truncate (out, 0);
    }
  return stdout_errno == 0;
}

/* At the end: everything flushed and standard output closed, which is
 * where some errors show (a full disk behind a small buffer, NFS).  FALSE
 * with one line on stderr when any write failed. */
static gboolean
close_stdout (void)
{
  if (stdout_errno == 0)
    {
      errno = 0;
      if (fflush (stdout) != 0 || ferror (stdout))
        stdout_errno = errno != 0 ? errno : EIO;
    }
  errno = 0;
  if (fclose (stdout) != 0 && stdout_errno == 0)
    stdout_errno = errno != 0 ? errno : EIO;
  if (stdout_errno == 0)
    return TRUE;
  /* Translators: %s is the system's reason ("No space left on device"). */
  cli_message (_("cannot write to standard output: %s"), g_strerror (stdout_errno));
  return FALSE;
}

/* The HTTP message completed in this frame, as tshark shows
 * http.request.method + uri or http.response.code on it. */
/* "METHOD URI" of a request as the HTTP table kept its request line (what
 * pl_http_message_get_method_name() and _dup_uri() read back from the
 * frames: /stream-digest/request-lines), without reading the capture. */
static void
append_request_line (GString       *out,
                     PlCapture     *capture,
                     PlHttpMessage *request,
                     char           separator)
{
  PlHttpTable *table = pl_capture_get_http_table (capture);
  guint index = pl_http_message_get_index (request);
  const char *target = pl_http_table_get_target (table, index);
  const char *method = pl_http_table_get_method_name (table, index);

  g_string_append (out, method != NULL ? method : "");
  g_string_append_c (out, separator);
  g_string_append (out, target != NULL ? target : "");
}

static void
append_http_column (GString   *out,
                    PlCapture *capture,
                    guint      frame)
{
  g_autoptr(PlHttpMessage) msg = pl_capture_get_http_message_completed_in (capture, frame);

  if (msg == NULL)
    return;
  if (!pl_http_message_is_request (msg))
    {
      if (pl_http_message_get_status (msg) != 0)
        g_string_append_printf (out, "%u", pl_http_message_get_status (msg));
      return;
    }
  append_request_line (out, capture, msg, ' ');
}

/* The TLS records completed in this frame: their content types, and the
 * types of the cleartext handshake messages they complete, as tshark's
 * tls.record.content_type and tls.handshake.type with every occurrence
 * (TLS 1.3 opaque records have no content_type there). */
static void
append_tls_columns (GString   *out,
                    PlCapture *capture,
                    guint      frame)
{
  PlTlsTable *tls = pl_capture_get_tls_table (capture);
  guint first, n, i, k;
  gboolean any = FALSE;

  n = pl_tls_table_find_records (tls, frame, &first);
  g_string_append_c (out, '\t');
  for (i = 0; i < n; i++)
    {
      const PlTlsRecord *r = pl_tls_table_get_record (tls, first + i);

      /* No content_type: TLS 1.3's opaque records, SSLv2 records. */
      if (r->flags & (PL_TLS_RECORD_OPAQUE | PL_TLS_RECORD_SSL2))
        continue;
      if (any)
        g_string_append_c (out, ',');
      pl_string_append_uint (out, r->type);
      any = TRUE;
    }
  g_string_append_c (out, '\t');
  any = FALSE;
  for (i = 0; i < n; i++)
    {
      const PlTlsRecord *r = pl_tls_table_get_record (tls, first + i);

      for (k = 0; k < r->n_handshakes; k++)
        {
          if (any)
            g_string_append_c (out, ',');
          pl_string_append_uint (out, pl_tls_table_get_handshake (tls, r->first_hs + k)->type);
          any = TRUE;
        }
    }
}

/* Rows of frames from..n-1, after the header row when from is 0.  FALSE
 * when standard output failed. */
static gboolean
dump_frames_range (PlCapture *capture,
                   guint      from,
                   guint      n)
{
  g_autoptr(GString) out = g_string_sized_new (1 << 17);
  /* The frames' bytes in order, read ahead rather than paged in. */
  g_autoptr(PlFrameScan) scan = pl_frame_scan_new (capture);
  guint i;

  if (from == 0)
    g_string_append (out, "frame\ttime\tsrc\tsport\tdst\tdport\tstream\tflags\tseq\tseq_raw\tack\tack_raw\tlen\twin\tanalysis\thttp\ttls_records\ttls_handshakes\n");

  for (i = from; i < n; i++)
    {
      const PlFrame *frame = pl_capture_get_frame (capture, i);
      char src[64] = "", dst[64] = "";
      PlPacket pkt;

      memset (&pkt, 0, sizeof pkt);

      pl_string_append_uint (out, i + 1);
      g_string_append_c (out, '\t');
      /* frame.time_epoch as tshark prints it, damaged timestamps too. */
      pl_frame_scan_append_epoch (scan, i, out);

      if (frame->l3_off != PL_NO_OFFSET)
        {
          pl_frame_scan_decode (scan, i, &pkt);
          /* As tshark's first ip.src (else ipv6.src): a tunnel's outer header. */
          if (pkt.first_version != 0)
            {
              pl_ip_address_to_string (pkt.first_version, pkt.first_src, src, sizeof src);
              pl_ip_address_to_string (pkt.first_version, pkt.first_dst, dst, sizeof dst);
            }
          else
            {
              pl_ip_address_to_string (pkt.ip.version, pkt.ip.src, src, sizeof src);
              pl_ip_address_to_string (pkt.ip.version, pkt.ip.dst, dst, sizeof dst);
            }
        }

      if (frame->stream != PL_NO_STREAM)
        {
          const PlTcpStream *stream = pl_capture_get_stream (capture, frame->stream);
          const PlEndpoint *s = &stream->ep[frame->dir];
          const PlEndpoint *d = &stream->ep[!frame->dir];
          gboolean first = TRUE;
          guint bit;

          /* A segment of unknown length has no relative numbers and no
           * length in Wireshark: raw numbers, an empty len. */
          gboolean known = !(frame->analysis & PL_ANALYSIS_LENGTH_UNKNOWN);

          /* Numbers by hand: no temporary string per field. */
          g_string_append_c (out, '\t');
          g_string_append (out, src);
          g_string_append_c (out, '\t');
          pl_string_append_uint (out, s->port);
          g_string_append_c (out, '\t');
          g_string_append (out, dst);
          g_string_append_c (out, '\t');
          pl_string_append_uint (out, d->port);
          g_string_append_c (out, '\t');
          pl_string_append_uint (out, frame->stream);
          g_string_append (out, "\t0x");
          g_string_append_c (out, "0123456789abcdef"[(frame->tcp_flags >> 8) & 0xf]);
          g_string_append_c (out, "0123456789abcdef"[(frame->tcp_flags >> 4) & 0xf]);
          g_string_append_c (out, "0123456789abcdef"[frame->tcp_flags & 0xf]);
          g_string_append_c (out, '\t');
          pl_string_append_uint (out, known ? pl_tcp_stream_relative_seq (stream, frame) : frame->seq);
          g_string_append_c (out, '\t');
          pl_string_append_uint (out, frame->seq);
          g_string_append_c (out, '\t');
          if (frame->tcp_flags & PL_TCP_ACK)
            {
              pl_string_append_uint (out, known ? pl_tcp_stream_relative_ack (stream, frame) : frame->ack);
              g_string_append_c (out, '\t');
              pl_string_append_uint (out, frame->ack);
              g_string_append_c (out, '\t');
            }
          else
            g_string_append (out, "\t\t");
          if (known)
            pl_string_append_uint (out, frame->payload_len);
          g_string_append_c (out, '\t');
          pl_string_append_uint (out, frame->win);
          g_string_append_c (out, '\t');
          /* tcp.analysis.* names of the flags set, in PlAnalysisFlags order. */
          for (bit = 0; bit < PL_ANALYSIS_N_FLAGS; bit++)
            if (frame->analysis & (1u << bit))
              {
                if (!first)
                  g_string_append_c (out, ',');
                g_string_append (out, pl_analysis_flag_name (bit));
                first = FALSE;
              }
          g_string_append_c (out, '\t');
          append_http_column (out, capture, i);
          append_tls_columns (out, capture, i);
          g_string_append_c (out, '\n');
        }
      else if (pkt.ip.proto == 6 && !(frame->status & PL_FRAME_IP_FRAGMENT) &&
               pkt.ip.payload_off + 4 <= frame->caplen)
        {
          /* A TCP header cut short: its ports, as far as captured (tshark
           * lists them, with no stream). */
          g_string_append_printf (out, "\t%s\t%u\t%s\t%u\t\t\t\t\t\t\t\t\t\t\t\t\n", src, pkt.tcp.sport, dst,
                                  pkt.tcp.dport);
        }
      else
        {
          g_string_append_printf (out, "\t%s\t\t%s\t\t\t\t\t\t\t\t\t\t\t\t\t\n", src, dst);
        }
      if (!flush_if_big (out, FALSE))
        return FALSE;
    }
  return flush_if_big (out, TRUE);
}

static gboolean
dump_frames (PlCapture *capture,
             guint      from)
{
  return dump_frames_range (capture, from, pl_capture_get_n_frames (capture));
}

static gboolean
list_streams (PlCapture *capture)
{
  g_autoptr(GString) out = g_string_sized_new (1 << 16);
  /* The words the window's stream list shows too. */
  g_autoptr(PlStreamDigests) digests = pl_stream_digests_compute_parts (capture, PL_STREAM_DIGEST_HTTP, NULL);
  guint n = pl_capture_get_n_streams (capture);
  guint i;

  g_string_append (out, "stream\tclient\tserver\tframes\tbytes_c2s\tbytes_s2c\tfirst_frame\tlast_frame\tduration\tstate\thttp\tsni\n");
  for (i = 0; i < n; i++)
    {
      const PlTcpStream *stream = pl_capture_get_stream (capture, i);
      char client[80], server[80];
      gint64 dur = stream->last_ts_ns - stream->first_ts_ns;

      g_string_append_printf (out, "%u\t%s\t%s\t%u\t%" G_GUINT64_FORMAT "\t%" G_GUINT64_FORMAT "\t%u\t%u\t%.6f\t%s\t",
                              stream->index,
                              pl_endpoint_to_string (&stream->ep[0], client, sizeof client),
                              pl_endpoint_to_string (&stream->ep[1], server, sizeof server),
                              stream->n_frames,
                              stream->peer[0].payload_bytes,
                              stream->peer[1].payload_bytes,
                              stream->first_frame + 1,
                              stream->last_frame + 1,
                              (double) dur / 1e9,
                              pl_tcp_close_kind_to_string (pl_tcp_state_close_kind (&stream->state)));
      if (pl_stream_digests_get (digests, i)->http != NULL)
        g_string_append (out, pl_stream_digests_get (digests, i)->http);
      g_string_append_c (out, '\t');
      {
        const PlTlsStreamInfo *tls = pl_tls_table_get_stream_info (pl_capture_get_tls_table (capture), i);

        if (tls != NULL)
          g_string_append (out, pl_tls_table_get_string (pl_capture_get_tls_table (capture), tls->server_name));
      }
      g_string_append_c (out, '\n');
      if (!flush_if_big (out, FALSE))
        return FALSE;
    }
  return flush_if_big (out, TRUE);
}

static void
append_header_value (GString       *out,
                     PlHttpMessage *msg,
                     const char    *name)
{
  g_autofree char *value = pl_http_message_dup_header (msg, name);

  if (value != NULL)
    g_string_append (out, value);
}

/* One row per message in order of first frame; a response repeats the
 * method and URI of the request it answers. */
static gboolean
dump_http (PlCapture *capture)
{
  g_autoptr(GString) out = g_string_sized_new (1 << 16);
  guint n = pl_capture_get_n_http_messages (capture);
  guint i;

  g_string_append (out, "stream\tkind\tfirst_frame\tlast_frame\tmethod\turi\tstatus\tcontent_length\tcontent_range"
                        "\tbody_bytes\tbody_length\tcomplete\n");
  for (i = 0; i < n; i++)
    {
      g_autoptr(PlHttpMessage) msg = pl_capture_get_http_message (capture, i);
      g_autoptr(PlHttpMessage) request = NULL;
      gboolean is_request = pl_http_message_is_request (msg);
      guint first = pl_http_message_get_first_frame (msg);
      guint last = pl_http_message_get_last_frame (msg);
      guint64 declared = 0;

      g_string_append_printf (out, "%u\t%s\t", pl_http_message_get_stream (msg),
                              is_request ? "request" : "response");
      if (first != PL_HTTP_NO_FRAME)
        g_string_append_printf (out, "%u", first + 1);
      g_string_append_c (out, '\t');
      if (last != PL_HTTP_NO_FRAME)
        g_string_append_printf (out, "%u", last + 1);
      g_string_append_c (out, '\t');

      request = is_request ? g_object_ref (msg) : pl_http_message_get_request (msg);
      if (request != NULL)
        {
          append_request_line (out, capture, request, '\t');
          g_string_append_c (out, '\t');
        }
      else
        g_string_append (out, "\t\t");
      if (!is_request && pl_http_message_get_status (msg) != 0)
        g_string_append_printf (out, "%u", pl_http_message_get_status (msg));
      g_string_append_c (out, '\t');
      append_header_value (out, msg, "Content-Length");
      g_string_append_c (out, '\t');
      append_header_value (out, msg, "Content-Range");
      g_string_append_printf (out, "\t%" G_GUINT64_FORMAT "\t", pl_http_message_get_captured_body_length (msg));
      if (pl_http_message_get_declared_body_length (msg, &declared))
        g_string_append_printf (out, "%" G_GUINT64_FORMAT, declared);
      g_string_append_printf (out, "\t%s\n", pl_http_message_is_complete (msg) ? "yes" : "no");
      if (!flush_if_big (out, FALSE))
        return FALSE;
    }
  return flush_if_big (out, TRUE);
}

/* --save-body=FRAME:PATH: the decoded body of the message completed in
 * FRAME (numbered from 1, as in the dumps). */
/* "0-1, 2000-3365241" for the missing ranges. */
static char *
ranges_to_string (GArray *ranges)
{
  GString *s = g_string_new (NULL);
  guint i;

  for (i = 0; i < ranges->len; i++)
    {
      const PlHttpByteRange *r = &g_array_index (ranges, PlHttpByteRange, i);

      g_string_append_printf (s, "%s%" G_GUINT64_FORMAT "-%" G_GUINT64_FORMAT, i > 0 ? ", " : "",
                              r->first, r->last);
    }
  return g_string_free (s, FALSE);
}

/* --save-body=FRAME:PATH: the decoded body of the message completed in
 * FRAME; with --stitch, the whole resource stitched from every 200 and 206
 * response for it, bytes never captured written as zeros and named on
 * stderr. */
static int
save_body (PlCapture  *capture,
           const char *spec,
           gboolean    stitch)
{
  g_autoptr(PlHttpMessage) msg = NULL;
  g_autoptr(GFile) file = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GArray) missing = NULL;
  const char *colon = strchr (spec, ':');
  g_autofree char *number = colon != NULL ? g_strndup (spec, (gsize) (colon - spec)) : NULL;
  guint64 frame = 0, total = 0;
  gboolean ok;

  if (colon == NULL || colon == spec || colon[1] == '\0' ||
      !g_ascii_string_to_unsigned (number, 10, 1, G_MAXUINT32, &frame, NULL))
    {
      /* Translators: FRAME:PATH is the option's syntax; keep it. */
      cli_message (_("--save-body wants FRAME:PATH, not “%s”"), spec);
      return 2;
    }
  msg = pl_capture_get_http_message_completed_in (capture, (guint) (frame - 1));
  if (msg == NULL)
    {
      /* Translators: %s is the capture file, %u a frame number. */
      cli_message (_("%s: no HTTP message is completed in frame %u"),
                   pl_capture_get_display_name (capture), (guint) frame);
      return 1;
    }
  file = g_file_new_for_commandline_arg (colon + 1);
  if (stitch)
    ok = pl_http_message_save_stitched (msg, file, &total, &missing, &error);
  else
    ok = pl_http_message_save_body (msg, file, &error);
  if (!ok)
    {
      /* Translators: the capture file, a frame number, then what went wrong. */
      cli_message (_("%s: frame %u: %s"),
                   pl_capture_get_display_name (capture), (guint) frame, error->message);
      return 1;
    }
  if (missing != NULL && missing->len > 0)
    {
      g_autofree char *holes = ranges_to_string (missing);
      g_autofree char *length = g_strdup_printf ("%" G_GUINT64_FORMAT, total);

      /* Translators: the output file, the byte ranges missing ("0-1, 5-9"),
       * then the resource's length in bytes. */
      cli_message (_("warning: %s: bytes %s of %s were not captured and are zeros"),
                   colon + 1, holes, length);
    }
  return 0;
}

/* --report=DIR [--stream=N]: 2 on a usage error, 1 when not written. */
static int
write_report (PlCapture  *capture,
              const char *dir,
              const char *stream_arg)
{
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) written = NULL;
  guint stream = PL_REPORT_ANY_STREAM;

  if (stream_arg != NULL)
    {
      guint64 v;

      if (!g_ascii_string_to_unsigned (stream_arg, 10, 0, G_MAXUINT32, &v, NULL) ||
          v >= pl_capture_get_n_streams (capture))
        {
          /* Translators: --report describes one stream; %s is what was given. */
          cli_message (_("--stream with --report wants one stream number of the capture, not “%s”"), stream_arg);
          return 2;
        }
      stream = v;
    }
  if (!pl_report_write (capture, stream, dir, &written, &error))
    {
      cli_message ("%s", error->message);
      return 1;
    }
  return 0;
}

/* The ladder options of --export, as given. */
typedef struct
{
  char    *path;
  char    *streams;
  char    *frames;
  char    *spacing;
  char    *numbers;
  char    *theme;
  char    *scale;
  char    *time;
  char    *paper;
  gboolean explain;
  gboolean hide_acks;
  gboolean fold_http;
  gboolean hosts;
  gboolean no_states;
} ExportArgs;

static void
export_args_clear (ExportArgs *args)
{
  g_free (args->path);
  g_free (args->streams);
  g_free (args->frames);
  g_free (args->spacing);
  g_free (args->numbers);
  g_free (args->theme);
  g_free (args->scale);
  g_free (args->time);
  g_free (args->paper);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (ExportArgs, export_args_clear)

static gboolean
parse_choice (const char  *option,
              const char  *value,
              const char **names,
              int         *out)
{
  g_autofree char *choices = NULL;
  int i;

  if (value == NULL)
    return TRUE;
  for (i = 0; names[i] != NULL; i++)
    if (g_ascii_strcasecmp (value, names[i]) == 0)
      {
        *out = i;
        return TRUE;
      }
  choices = g_strjoinv ("|", (char **) names);
  /* Translators: the option's name, its values as "uniform|time|compressed"
   * (keep them: they are typed as they are), then what was given. */
  cli_message (_("--%s wants one of %s, not “%s”"), option, choices, value);
  return FALSE;
}

/* Options that need no capture: 2 on a usage error, else 0. */
static int
parse_export_options (const ExportArgs *args,
                      PlLadderOptions  *options,
                      PlExportFormat   *format)
{
  static const char *spacings[] = { "uniform", "time", "compressed", NULL };
  static const char *numbers[] = { "relative", "raw", "both", NULL };
  static const char *times[] = { "capture", "stream", "delta", "epoch", "clock", NULL };
  static const char *themes[] = { "light", "dark", NULL };
  static const char *papers[] = { "none", "a4", "letter", NULL };
  int paper = PL_LADDER_PAPER_NONE;
  int spacing = PL_LADDER_SPACING_UNIFORM, number = PL_LADDER_NUMBERS_RELATIVE, theme = PL_LADDER_THEME_LIGHT;
  int time_mode = PL_LADDER_TIME_CAPTURE;

  pl_ladder_options_init (options);
  if (!pl_export_format_from_path (args->path, format))
    {
      cli_message (_("--export=%s: give a name ending in .png, .svg, .pdf, .mmd, .puml or .txt"),
                   args->path);
      return 2;
    }
  if (!parse_choice ("spacing", args->spacing, spacings, &spacing) ||
      !parse_choice ("numbers", args->numbers, numbers, &number) ||
      !parse_choice ("time", args->time, times, &time_mode) ||
      !parse_choice ("theme", args->theme, themes, &theme) ||
      !parse_choice ("paper", args->paper, papers, &paper))
    return 2;
  if (paper != PL_LADDER_PAPER_NONE && *format != PL_EXPORT_PDF)
    {
      cli_message (_("--paper is for PDF exports (--export=FILE.pdf)"));
      return 2;
    }
  options->paper = paper;
  if (args->scale != NULL)
    {
      char *end = NULL;
      double scale = g_ascii_strtod (args->scale, &end);

      if (end == args->scale || *end != '\0' || !(scale >= 0.1 && scale <= 16))
        {
          cli_message (_("--scale wants a number from 0.1 to 16, not “%s”"), args->scale);
          return 2;
        }
      options->scale = scale;
    }
  options->spacing = spacing;
  options->numbers = number;
  options->time_mode = time_mode;
  options->explain = args->explain;
  options->theme = theme;
  options->hide_pure_acks = args->hide_acks;
  options->fold_http = args->fold_http;
  options->merge_hosts = args->hosts;
  options->show_states = !args->no_states;
  return 0;
}

/* --stream and --frames against the loaded capture: 2 on a usage error. */
static int
parse_export_scope (const ExportArgs  *args,
                    PlCapture         *capture,
                    PlLadderSelection *selection)
{
  guint n_streams = pl_capture_get_n_streams (capture);
  guint i;

  if (args->streams != NULL)
    {
      g_auto(GStrv) parts = g_strsplit (args->streams, ",", -1);

      for (i = 0; parts[i] != NULL; i++)
        {
          guint64 stream;

          if (!g_ascii_string_to_unsigned (g_strstrip (parts[i]), 10, 0, G_MAXUINT32, &stream, NULL))
            {
              cli_message (_("--stream wants stream numbers separated by commas, not “%s”"),
                           args->streams);
              return 2;
            }
          if (stream >= n_streams)
            {
              /* Translators: the capture file, its number of streams, the
               * highest stream number, then the number asked for. */
              cli_message (g_dngettext (GETTEXT_PACKAGE,
                                        "%s has %u TCP stream (0 to %u): no stream %u",
                                        "%s has %u TCP streams (0 to %u): no stream %u",
                                        n_streams),
                           pl_capture_get_display_name (capture), n_streams,
                           n_streams > 0 ? n_streams - 1 : 0, (guint) stream);
              return 2;
            }
          pl_ladder_selection_add_stream (selection, (guint) stream);
        }
    }
  if (args->frames != NULL)
    {
      const char *dash = strchr (args->frames, '-');
      g_autofree char *a = dash != NULL ? g_strndup (args->frames, (gsize) (dash - args->frames)) : NULL;
      guint64 first = 0, last = 0;

      if (dash == NULL ||
          !g_ascii_string_to_unsigned (a, 10, 1, G_MAXUINT32, &first, NULL) ||
          !g_ascii_string_to_unsigned (dash + 1, 10, 1, G_MAXUINT32, &last, NULL) ||
          last < first)
        {
          cli_message (_("--frames wants A-B, frame numbers from 1 with A <= B, not “%s”"),
                       args->frames);
          return 2;
        }
      pl_ladder_selection_set_frames (selection, (guint32) first - 1, (guint32) last - 1);
    }
  return 0;
}

static int
export_ladder (PlCapture             *capture,
               const ExportArgs      *args,
               const PlLadderOptions *options,
               PlExportFormat         format)
{
  g_autoptr(PlLadderSelection) selection = pl_ladder_selection_new (capture);
  g_autoptr(GError) error = NULL;
  g_autofree char *message = NULL;
  int status;

  status = parse_export_scope (args, capture, selection);
  if (status != 0)
    return status;
  pl_ladder_selection_add_http_brackets (selection);

  if (!pl_export_to_file (selection, options, format, args->path, NULL, NULL, &message, &error))
    {
      /* Failures to write the file name it already. */
      if (strstr (error->message, args->path) != NULL)
        cli_message ("%s", error->message);
      else
        cli_message ("%s: %s", args->path, error->message);
      return 1;
    }
  if (message != NULL)
    cli_message ("%s", message);
  return 0;
}

static PlCapture *
open_capture (const char *path,
              GError    **error)
{
  g_autoptr(GFile) file = g_file_new_for_commandline_arg (path);
  g_autoptr(PlCapture) capture = g_object_new (PL_TYPE_CAPTURE,
                                               "file", file,
                                               "display-name", path,
                                               NULL);

  if (!pl_capture_load (capture, NULL, NULL, NULL, error))
    return NULL;
  return g_steal_pointer (&capture);
}

/* --follow: a capture tcpdump is still writing.  Reload it whenever it
 * grows and print the frames it did not have, until it has not grown for
 * `idle_s` seconds (polled every 200 ms, so the loop is bounded by the
 * writer).  A reload reads the whole file again: the frames already printed
 * come out the same, and the new ones get their place in the streams.
 *
 * A file that shrinks (truncated, or tcpdump started again on the same
 * name) cannot continue what was printed: that ends the command with
 * *status 1 and the message "FILE was truncated".  *status is 1 too when
 * standard output fails. */
static PlCapture *
follow_capture (PlCapture  *capture,
                const char *path,
                int         idle_s,
                int        *status)
{
  g_autoptr(PlCapture) current = g_object_ref (capture);
  g_autoptr(GError) error = NULL;
  guint printed = pl_capture_get_n_frames (capture);
  goffset last_size = -1;
  gint64 last_growth = g_get_monotonic_time ();
  GStatBuf st;

  if (g_stat (path, &st) == 0)
    last_size = st.st_size;

  while (g_get_monotonic_time () - last_growth < (gint64) idle_s * G_USEC_PER_SEC)
    {
      g_autoptr(PlCapture) next = NULL;

      g_clear_error (&error);
      g_usleep (200 * 1000);
      if (!pl_capture_check_file (current, &error))
        break;
      if (g_stat (path, &st) != 0 || st.st_size == last_size)
        continue;
      if (st.st_size < last_size)
        {
          g_set_error (&error, PL_CAPTURE_ERROR, PL_CAPTURE_ERROR_CHANGED,
                       _("%s was truncated"), path);
          break;
        }
      last_size = st.st_size;
      last_growth = g_get_monotonic_time ();

      next = open_capture (path, &error);
      if (next == NULL && g_error_matches (error, PL_CAPTURE_ERROR, PL_CAPTURE_ERROR_CHANGED))
        break;
      if (next == NULL || pl_capture_get_n_frames (next) < printed)
        continue;  /* caught in the middle of a write: keep waiting */
      if (!dump_frames (next, printed))
        {
          *status = 1;
          break;
        }
      /* Rows printed from a file that shrank meanwhile may be wrong:
       * say so rather than go on. */
      if (!pl_capture_check_file (next, &error))
        break;
      printed = pl_capture_get_n_frames (next);
      g_set_object (&current, next);
    }

  /* The last reload that failed for another reason is not an error. */
  if (error != NULL && g_error_matches (error, PL_CAPTURE_ERROR, PL_CAPTURE_ERROR_CHANGED))
    {
      cli_message ("%s", error->message);
      *status = 1;
    }
  return g_steal_pointer (&current);
}

/* --list-interfaces: name, loopback/up, description. */
static int
list_interfaces (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) list = pl_live_list_interfaces (&error);
  g_autoptr(GString) out = g_string_new ("interface\tloopback\tup\tdescription\n");
  guint i;

  if (list == NULL)
    {
      cli_message ("%s", error->message);
      return 1;
    }
  for (i = 0; i < list->len; i++)
    {
      const PlLiveInterface *iface = g_ptr_array_index (list, i);

      g_string_append_printf (out, "%s\t%s\t%s\t%s\n", iface->name,
                              iface->loopback ? "yes" : "no", iface->up ? "yes" : "no",
                              iface->description != NULL ? iface->description : "");
    }
  return flush_if_big (out, TRUE) ? 0 : 1;
}

/* A capture in progress, for --capture. */
typedef struct
{
  GMainLoop     *loop;
  PlLiveCapture *live;
  gboolean       dump;
  guint          printed;        /* rows of --dump-frames printed */
  gboolean       stdout_failed;
  gint64         last_snapshot;  /* monotonic time of the last reading */
  guint          snapshot_id;    /* a reading scheduled for later */
  guint          timer_id;       /* --duration */
  gboolean       stopping;
} Live;

/* Frames of a snapshot whose rows cannot change when more frames come:
 * all but those from the first frame of a message whose end the end of
 * the snapshot decided (a body delimited by the connection's close, a
 * message cut short), while its connection is still open.  Every other
 * column of a frame depends only on the frames before it. */
static guint
settled_frames (PlCapture *capture)
{
  guint n = pl_capture_get_n_frames (capture);
  guint settled = n;
  guint i, count = pl_capture_get_n_http_messages (capture);

  for (i = 0; i < count; i++)
    {
      g_autoptr(PlHttpMessage) msg = pl_capture_get_http_message (capture, i);
      const PlTcpStream *stream;
      PlTcpCloseKind kind;
      guint first = pl_http_message_get_first_frame (msg);

      if (pl_http_message_get_framing (msg) != PL_HTTP_FRAMING_CLOSE &&
          !(pl_http_message_get_flags (msg) & PL_HTTP_MSG_TRUNCATED))
        continue;
      stream = pl_capture_get_stream (capture, pl_http_message_get_stream (msg));
      kind = pl_tcp_state_close_kind (&stream->state);
      if (kind == PL_TCP_CLOSE_FIN || kind == PL_TCP_CLOSE_RESET)
        continue;
      if (first != PL_HTTP_NO_FRAME)
        settled = MIN (settled, first);
    }
  return settled;
}

/* Reads the file written so far with the loader every capture file goes
 * through, and prints the rows of the frames it did not print yet. */
static void
live_snapshot (Live *live)
{
  g_autofree char *path = pl_live_capture_dup_path (live->live);
  g_autoptr(PlCapture) capture = NULL;
  g_autoptr(GError) error = NULL;
  guint settled;

  live->last_snapshot = g_get_monotonic_time ();
  if (path == NULL || live->stdout_failed)
    return;
  capture = open_capture (path, &error);
  if (capture == NULL)
    return;  /* caught before its first block: the next reading will do */
  settled = settled_frames (capture);
  if (settled > live->printed)
    {
      if (!dump_frames_range (capture, live->printed, settled))
        {
          live->stdout_failed = TRUE;
          pl_live_capture_stop (live->live);
        }
      live->printed = settled;
    }
}

static gboolean
live_snapshot_cb (gpointer data)
{
  Live *live = data;

  live->snapshot_id = 0;
  live_snapshot (live);
  return G_SOURCE_REMOVE;
}

/* At most five readings a second: each reads the whole file again. */
static void
live_progress_cb (PlLiveCapture *capture,
                  Live          *live)
{
  gint64 since = g_get_monotonic_time () - live->last_snapshot;

  if (!live->dump || live->snapshot_id != 0)
    return;
  if (since >= 200 * 1000)
    live_snapshot (live);
  else
    live->snapshot_id = g_timeout_add ((guint) ((200 * 1000 - since) / 1000) + 1, live_snapshot_cb, live);
}

static void
live_started_cb (PlLiveCapture *capture,
                 Live          *live)
{
  const char *how = pl_live_capture_get_method (capture) == PL_LIVE_METHOD_DUMPCAP ? "dumpcap"
                    : pl_live_capture_get_method (capture) == PL_LIVE_METHOD_REPLAY ? "replay"
                    : "libpcap";

  /* Translators: on stderr when the capture starts; the first %s is an
   * interface, the second how we capture (libpcap, dumpcap). */
  cli_message (_("capturing on %s (%s)"), pl_live_capture_get_device (capture), how);
}

static void
live_finished_cb (PlLiveCapture *capture,
                  Live          *live)
{
  g_main_loop_quit (live->loop);
}

static gboolean
live_stop_cb (gpointer data)
{
  Live *live = data;

  live->stopping = TRUE;
  pl_live_capture_stop (live->live);
  return G_SOURCE_CONTINUE;
}

static gboolean
live_duration_cb (gpointer data)
{
  Live *live = data;

  live->timer_id = 0;
  pl_live_capture_stop (live->live);
  return G_SOURCE_REMOVE;
}

/* The capture itself; the finished file's path in *path_out, the rows
 * --dump-frames printed in *printed.  Returns the exit status (0 when the
 * capture ran and its file is complete). */
static int
run_live_capture (const char *device,
                  const char *filter,
                  int         duration,
                  gint64      count,
                  const char *path,
                  gboolean    dump,
                  guint      *printed,
                  char      **path_out)
{
  g_autoptr(PlLiveCapture) capture = pl_live_capture_new (device, filter);
  g_autoptr(GMainLoop) loop = g_main_loop_new (NULL, FALSE);
  g_autoptr(GError) error = NULL;
  const GError *capture_error;
  Live live = { 0 };
  guint sigint, sigterm;

  live.loop = loop;
  live.live = capture;
  live.dump = dump;
  if (count > 0)
    pl_live_capture_set_max_frames (capture, (guint64) count);
  if (!pl_live_capture_start (capture, path, &error))
    {
      cli_message ("%s", error->message);
      return error->code == PL_LIVE_ERROR_FILTER ? 2 : 1;
    }
  g_signal_connect (capture, "started", G_CALLBACK (live_started_cb), &live);
  g_signal_connect (capture, "progress", G_CALLBACK (live_progress_cb), &live);
  g_signal_connect (capture, "finished", G_CALLBACK (live_finished_cb), &live);
  /* Ctrl+C and kill end the capture as Stop does: everything written. */
  sigint = g_unix_signal_add (SIGINT, live_stop_cb, &live);
  sigterm = g_unix_signal_add (SIGTERM, live_stop_cb, &live);
  if (duration > 0)
    live.timer_id = g_timeout_add_seconds ((guint) duration, live_duration_cb, &live);

  g_main_loop_run (loop);

  g_source_remove (sigint);
  g_source_remove (sigterm);
  g_clear_handle_id (&live.timer_id, g_source_remove);
  g_clear_handle_id (&live.snapshot_id, g_source_remove);
  g_signal_handlers_disconnect_by_data (capture, &live);

  *printed = live.printed;
  capture_error = pl_live_capture_get_error (capture);
  *path_out = pl_live_capture_dup_path (capture);
  if (capture_error != NULL)
    {
      cli_message ("%s", capture_error->message);
      return 1;
    }
  {
    g_autofree char *frames = g_strdup_printf ("%" G_GUINT64_FORMAT, pl_live_capture_get_n_frames (capture));
    g_autofree char *dropped = g_strdup_printf ("%" G_GUINT64_FORMAT, pl_live_capture_get_n_dropped (capture));

    /* Translators: a summary on stderr when a capture ends: frames, an
     * interface, frames dropped, a file. */
    cli_message (_("%s frames captured on %s, %s dropped, written to %s"), frames, device, dropped, path);
  }
  if (live.stdout_failed)
    return 1;
  *printed = live.printed;
  return 0;
}

int
pl_cli_run (int    argc,
            char **argv)
{
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(PlCapture) capture = NULL;
  g_auto(GStrv) args = NULL;
  gboolean dump = FALSE;
  gboolean streams = FALSE;
  gboolean http = FALSE;
  int follow = -1;
  g_autofree char *body_spec = NULL;
  g_autofree char *report_dir = NULL;
  gboolean stitch = FALSE;
  g_auto(ExportArgs) ex = { 0 };
  PlLadderOptions ladder_options;
  PlExportFormat format = PL_EXPORT_PNG;
  int status = 0;
  const GError *warning;
  g_autofree char *live_device = NULL;
  g_autofree char *live_filter = NULL;
  g_autofree char *live_write = NULL;
  g_autofree char *live_path = NULL;
  g_autofree char *live_tmpdir = NULL;
  int duration = -1;
  gint64 count = -1;
  gboolean list_ifaces = FALSE;
  guint printed = 0;
  const GOptionEntry entries[] = {
    { "capture", 0, 0, G_OPTION_ARG_STRING, &live_device, N_("Capture on this network interface now instead of reading a file"), N_("IFACE") },
    { "filter", 0, 0, G_OPTION_ARG_STRING, &live_filter, N_("With --capture: capture only what this pcap-filter(7) expression accepts"), N_("EXPR") },
    { "duration", 0, 0, G_OPTION_ARG_INT, &duration, N_("With --capture: stop after SECONDS"), N_("SECONDS") },
    { "count", 0, 0, G_OPTION_ARG_INT64, &count, N_("With --capture: stop after N frames"), N_("N") },
    { "write", 0, 0, G_OPTION_ARG_FILENAME, &live_write, N_("With --capture: keep the capture in this pcapng file"), N_("FILE.pcapng") },
    { "list-interfaces", 0, 0, G_OPTION_ARG_NONE, &list_ifaces, N_("List the network interfaces to capture on"), NULL },
    { "dump-frames", 0, 0, G_OPTION_ARG_NONE, &dump, N_("Print one tab-separated row per frame"), NULL },
    { "follow", 0, 0, G_OPTION_ARG_INT, &follow, N_("With --dump-frames: reload the capture as it grows and print the new frames, until it has not grown for SECONDS"), N_("SECONDS") },
    { "list-streams", 0, 0, G_OPTION_ARG_NONE, &streams, N_("Print one tab-separated row per TCP stream"), NULL },
    { "dump-http", 0, 0, G_OPTION_ARG_NONE, &http, N_("Print one tab-separated row per HTTP message"), NULL },
    { "save-body", 0, 0, G_OPTION_ARG_STRING, &body_spec, N_("Save the decoded body of the HTTP message completed in FRAME"), N_("FRAME:PATH") },
    { "stitch", 0, 0, G_OPTION_ARG_NONE, &stitch, N_("With --save-body: save the whole resource, stitched from every 200 and 206 response for it"), NULL },
    { "report", 0, 0, G_OPTION_ARG_FILENAME, &report_dir, N_("Write a lab report into DIR: report.md with its pictures (of --stream=N, or the stream with the most HTTP messages)"), N_("DIR") },
    { "export", 0, 0, G_OPTION_ARG_FILENAME, &ex.path, N_("Draw the ladder into OUT (.png, .svg, .pdf, .mmd, .puml, .txt)"), N_("OUT") },
    { "stream", 0, 0, G_OPTION_ARG_STRING, &ex.streams, N_("Export these TCP streams (default: every stream)"), N_("N[,M...]") },
    { "frames", 0, 0, G_OPTION_ARG_STRING, &ex.frames, N_("Export these frames only"), N_("A-B") },
    { "spacing", 0, 0, G_OPTION_ARG_STRING, &ex.spacing, N_("Row spacing"), N_("uniform|time|compressed") },
    { "numbers", 0, 0, G_OPTION_ARG_STRING, &ex.numbers, N_("Sequence numbers: relative, raw, or both side by side"), N_("relative|raw|both") },
    { "time", 0, 0, G_OPTION_ARG_STRING, &ex.time, N_("The time column: since the capture's first frame (default), the stream's first frame, the previous frame, the epoch, or the time of day"), N_("capture|stream|delta|epoch|clock") },
    { "explain", 0, 0, G_OPTION_ARG_NONE, &ex.explain, N_("Write the arithmetic beside the arrows and the analysis and the close as numbered notes"), NULL },
    { "hide-acks", 0, 0, G_OPTION_ARG_NONE, &ex.hide_acks, N_("Hide pure ACKs"), NULL },
    { "fold-http", 0, 0, G_OPTION_ARG_NONE, &ex.fold_http, N_("Draw each segmented HTTP message as one arrow"), NULL },
    { "hosts", 0, 0, G_OPTION_ARG_NONE, &ex.hosts, N_("One lifeline per host instead of per socket"), NULL },
    { "no-states", 0, 0, G_OPTION_ARG_NONE, &ex.no_states, N_("Leave out the TCP states on the lifelines"), NULL },
    { "theme", 0, 0, G_OPTION_ARG_STRING, &ex.theme, N_("Colours"), N_("light|dark") },
    { "scale", 0, 0, G_OPTION_ARG_STRING, &ex.scale, N_("Pixels per point of a PNG"), N_("S") },
    { "paper", 0, 0, G_OPTION_ARG_STRING, &ex.paper, N_("PDF on printable pages: a4 or letter, the lifeline heads on each page"), N_("a4|letter") },
    { G_OPTION_REMAINING, 0, 0, G_OPTION_ARG_FILENAME_ARRAY, &args, NULL, N_("FILE") },
    { NULL }
  };

  /* The FILE argument is named by the remaining-arguments entry. */
  context = g_option_context_new (NULL);
  g_option_context_set_summary (context, _("Dump or export a capture without a display."));
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    {
      cli_message ("%s", error->message);
      return 2;
    }
  if (list_ifaces)
    {
      status = list_interfaces ();
      return close_stdout () ? status : 1;
    }
  if (live_device == NULL && (live_filter != NULL || duration != -1 || count != -1 || live_write != NULL))
    {
      cli_message (_("--filter, --duration, --count and --write need --capture"));
      return 2;
    }
  if (live_device != NULL && (duration == 0 || duration < -1 || count == 0 || count < -1 ||
                              (duration > 0 && count > 0)))
    {
      cli_message (_("--capture takes --duration of at least 1 second or --count of at least 1 frame, not both"));
      return 2;
    }
  if (live_device != NULL && (follow != -1 || (args != NULL && args[0] != NULL)))
    {
      cli_message (_("--capture reads no file and takes no --follow"));
      return 2;
    }
  if (live_device != NULL && live_write != NULL &&
      dump + streams + http + (body_spec != NULL) + (ex.path != NULL) + (report_dir != NULL) == 0)
    ;  /* only the file */
  else if (dump + streams + http + (body_spec != NULL) + (ex.path != NULL) + (report_dir != NULL) != 1)
    {
      cli_message (_("give one of --dump-frames, --list-streams, --dump-http, --save-body, --export or --report"));
      return 2;
    }
  if (stitch && body_spec == NULL)
    {
      cli_message (_("--stitch needs --save-body"));
      return 2;
    }
  if (follow != -1 && (!dump || follow < 1))
    {
      cli_message (_("--follow needs --dump-frames and a number of seconds of at least 1"));
      return 2;
    }
  if (ex.path != NULL && (status = parse_export_options (&ex, &ladder_options, &format)) != 0)
    return status;
  if (live_device == NULL && (args == NULL || g_strv_length (args) != 1))
    {
      cli_message (_("give exactly one capture file"));
      return 2;
    }

  if (live_device != NULL)
    {
      g_autofree char *target = NULL;

      if (live_write == NULL)
        {
          /* Without --write the file lives only as long as the command. */
          live_tmpdir = g_dir_make_tmp ("packet-ladder-XXXXXX", &error);
          if (live_tmpdir == NULL)
            {
              cli_message ("%s", error->message);
              return 1;
            }
          target = g_build_filename (live_tmpdir, "capture.pcapng", NULL);
        }
      else
        target = g_strdup (live_write);
      status = run_live_capture (live_device, live_filter, duration, count, target, dump,
                                 &printed, &live_path);
      if (status == 0 && live_write != NULL &&
          dump + streams + http + (body_spec != NULL) + (ex.path != NULL) + (report_dir != NULL) == 0)
        return close_stdout () ? 0 : 1;
      if (status == 0)
        {
          capture = open_capture (live_path, &error);
          if (capture == NULL)
            {
              cli_message ("%s", error->message);
              status = 1;
            }
        }
      if (live_tmpdir != NULL)
        {
          if (live_path != NULL)
            g_unlink (live_path);
          g_rmdir (live_tmpdir);
        }
      if (status != 0)
        {
          close_stdout ();
          return status;
        }
    }
  else
    {
      capture = open_capture (args[0], &error);
      if (capture == NULL)
        {
          cli_message ("%s", error->message);
          return 1;
        }
    }

  if (dump)
    {
      if (!dump_frames (capture, printed))
        status = 1;
      else if (follow > 0)
        {
          PlCapture *last = follow_capture (capture, args[0], follow, &status);

          g_object_unref (capture);
          capture = last;
        }
    }
  else if (streams)
    status = list_streams (capture) ? 0 : 1;
  else if (http)
    status = dump_http (capture) ? 0 : 1;
  else if (ex.path != NULL)
    status = export_ladder (capture, &ex, &ladder_options, format);
  else if (report_dir != NULL)
    status = write_report (capture, report_dir, ex.streams);
  else
    status = save_body (capture, body_spec, stitch);

  /* Every write checked, the last ones when standard output is closed. */
  if (!close_stdout () && status == 0)
    status = 1;

  /* What was printed or written came from a file that shrank meanwhile
   * (frames past its new end read as zeros): not a result.  --follow has
   * said so already. */
  if (status == 0 && !pl_capture_check_file (capture, &error))
    {
      cli_message ("%s", error->message);
      status = 1;
    }

  warning = pl_capture_get_warning (capture);
  if (warning != NULL)
    /* Translators: a capture that could be read only in part. */
    cli_message (_("warning: %s"), warning->message);

  return status;
}
