/* pl-cli.c: packet-ladder without a display.
 *
 *   packet-ladder --dump-frames FILE    one row per frame, tab-separated
 *   packet-ladder --list-streams FILE   one row per TCP stream
 *
 * Exit status: 0 done (a capture cut short still prints every complete frame,
 * with a warning on stderr), 1 the capture cannot be read, 2 usage error.
 */
#include "config.h"

#include <glib/gi18n.h>
#include <stdio.h>
#include <string.h>

#include "pl-capture.h"
#include "pl-cli.h"

static const char * const cli_switches[] = {
  "--dump-frames",
  "--list-streams",
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

static void
print_time (GString *out,
            gint64   ts_ns)
{
  guint64 mag = ts_ns < 0 ? (guint64) -(ts_ns + 1) + 1 : (guint64) ts_ns;

  g_string_append_printf (out, "%s%" G_GUINT64_FORMAT ".%09" G_GUINT64_FORMAT,
                          ts_ns < 0 ? "-" : "",
                          mag / G_GUINT64_CONSTANT (1000000000),
                          mag % G_GUINT64_CONSTANT (1000000000));
}

static void
flush_if_big (GString *out,
              gboolean force)
{
  if (force || out->len > 1 << 16)
    {
      fwrite (out->str, 1, out->len, stdout);
      g_string_truncate (out, 0);
    }
}

static void
dump_frames (PlCapture *capture)
{
  g_autoptr(GString) out = g_string_sized_new (1 << 17);
  guint n = pl_capture_get_n_frames (capture);
  guint i;

  g_string_append (out, "frame\ttime\tsrc\tsport\tdst\tdport\tstream\tflags\tseq\tseq_raw\tack\tack_raw\tlen\twin\tanalysis\thttp\n");

  for (i = 0; i < n; i++)
    {
      const PlFrame *frame = pl_capture_get_frame (capture, i);
      char src[64] = "", dst[64] = "";

      g_string_append_printf (out, "%u\t", i + 1);
      print_time (out, frame->ts_ns);

      if (frame->l3_off != PL_NO_OFFSET)
        {
          PlPacket pkt;

          pl_capture_decode_frame (capture, i, &pkt);
          pl_ip_address_to_string (pkt.ip.version, pkt.ip.src, src, sizeof src);
          pl_ip_address_to_string (pkt.ip.version, pkt.ip.dst, dst, sizeof dst);
        }

      if (frame->stream != PL_NO_STREAM)
        {
          const PlTcpStream *stream = pl_capture_get_stream (capture, frame->stream);
          const PlEndpoint *s = &stream->ep[frame->dir];
          const PlEndpoint *d = &stream->ep[!frame->dir];

          g_string_append_printf (out, "\t%s\t%u\t%s\t%u\t%u\t0x%03x\t%u\t%u\t",
                                  src, s->port, dst, d->port, frame->stream,
                                  frame->tcp_flags,
                                  pl_tcp_stream_relative_seq (stream, frame), frame->seq);
          if (frame->tcp_flags & PL_TCP_ACK)
            g_string_append_printf (out, "%u\t%u\t", pl_tcp_stream_relative_ack (stream, frame), frame->ack);
          else
            g_string_append (out, "\t\t");
          g_string_append_printf (out, "%u\t%u\t\t\n", frame->payload_len, frame->win);
        }
      else
        {
          g_string_append_printf (out, "\t%s\t\t%s\t\t\t\t\t\t\t\t\t\t\t\n", src, dst);
        }
      flush_if_big (out, FALSE);
    }
  flush_if_big (out, TRUE);
}

static void
list_streams (PlCapture *capture)
{
  g_autoptr(GString) out = g_string_sized_new (1 << 16);
  guint n = pl_capture_get_n_streams (capture);
  guint i;

  g_string_append (out, "stream\tclient\tserver\tframes\tbytes_c2s\tbytes_s2c\tfirst_frame\tlast_frame\tduration\tstate\thttp\n");
  for (i = 0; i < n; i++)
    {
      const PlTcpStream *stream = pl_capture_get_stream (capture, i);
      char client[80], server[80];
      gint64 dur = stream->last_ts_ns - stream->first_ts_ns;

      g_string_append_printf (out, "%u\t%s\t%s\t%u\t%" G_GUINT64_FORMAT "\t%" G_GUINT64_FORMAT "\t%u\t%u\t%.6f\t%s\t\n",
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
      flush_if_big (out, FALSE);
    }
  flush_if_big (out, TRUE);
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
  const GError *warning;
  const GOptionEntry entries[] = {
    { "dump-frames", 0, 0, G_OPTION_ARG_NONE, &dump, N_("Print one tab-separated row per frame"), NULL },
    { "list-streams", 0, 0, G_OPTION_ARG_NONE, &streams, N_("Print one tab-separated row per TCP stream"), NULL },
    { G_OPTION_REMAINING, 0, 0, G_OPTION_ARG_FILENAME_ARRAY, &args, NULL, N_("FILE") },
    { NULL }
  };

  context = g_option_context_new (_("FILE — dump a capture without a display"));
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    {
      g_printerr ("packet-ladder: %s\n", error->message);
      return 2;
    }
  if (dump + streams != 1)
    {
      g_printerr ("packet-ladder: give one of --dump-frames or --list-streams\n");
      return 2;
    }
  if (args == NULL || g_strv_length (args) != 1)
    {
      g_printerr ("packet-ladder: give exactly one capture file\n");
      return 2;
    }

  capture = open_capture (args[0], &error);
  if (capture == NULL)
    {
      g_printerr ("packet-ladder: %s\n", error->message);
      return 1;
    }

  if (dump)
    dump_frames (capture);
  else
    list_streams (capture);
  fflush (stdout);

  warning = pl_capture_get_warning (capture);
  if (warning != NULL)
    g_printerr ("packet-ladder: warning: %s\n", warning->message);

  return 0;
}
