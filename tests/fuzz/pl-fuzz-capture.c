/* pl-fuzz-capture.c: everything the application reads of a loaded capture,
 * with its invariants: the field tree of every frame (each field inside its
 * frame), what --dump-frames and --list-streams print, the stream
 * summaries and every HTTP message.  Shared by the decode and ladder fuzz
 * targets and the malformed-input tests.
 */
#include "config.h"

#include <string.h>

#include "pl-field.h"
#include "pl-fuzz.h"
#include "pl-fuzz-capture.h"
#include "pl-tcp-summary.h"
#ifdef PL_FUZZ_HAVE_HTTP
#include "pl-http-message.h"
#endif

/* Link types for synthetic frames: every one we decode, and one we do not. */
static const guint32 linktypes[] = {
  PL_LINKTYPE_ETHERNET, PL_LINKTYPE_NULL, PL_LINKTYPE_RAW_12, PL_LINKTYPE_RAW_14,
  PL_LINKTYPE_RAW, PL_LINKTYPE_LOOP, PL_LINKTYPE_LINUX_SLL, PL_LINKTYPE_IPV4,
  PL_LINKTYPE_IPV6, PL_LINKTYPE_LINUX_SLL2,
  9, 50, 51, 104, 178, 239, 242, /* PPP, PPP HDLC, PPPoE, C-HDLC, Juniper, NFLOG, IPoIB */
  147 /* LINKTYPE_USER0: not decoded */,
};

static gboolean
is_capture (const guint8 *data,
            gsize         size)
{
  static const guint32 magics[] = { 0xa1b2c3d4u, 0xa1b23c4du, 0xa1b2cd34u, 0x0a0d0d0au };
  guint32 le, be;
  guint i;

  if (size < 4)
    return FALSE;
  le = data[0] | (data[1] << 8) | (data[2] << 16) | ((guint32) data[3] << 24);
  be = ((guint32) data[0] << 24) | (data[1] << 16) | (data[2] << 8) | data[3];
  for (i = 0; i < G_N_ELEMENTS (magics); i++)
    if (le == magics[i] || be == magics[i])
      return TRUE;
  return FALSE;
}

static void
put_u32 (GByteArray *out,
         guint32     v)
{
  guint8 b[4] = { v & 0xff, (v >> 8) & 0xff, (v >> 16) & 0xff, v >> 24 };

  g_byte_array_append (out, b, 4);
}

/* A little-endian microsecond pcap of the frames in data. */
static GBytes *
synthesize (const guint8 *data,
            gsize         size)
{
  GByteArray *out = g_byte_array_sized_new (size + 64);
  gsize pos = 1;
  guint32 n = 0;

  put_u32 (out, 0xa1b2c3d4u);
  put_u32 (out, 2 | (4u << 16));  /* version 2.4 */
  put_u32 (out, 0);
  put_u32 (out, 0);
  put_u32 (out, 262144);
  put_u32 (out, linktypes[data[0] % G_N_ELEMENTS (linktypes)]);

  while (pos < size)
    {
      gsize len = size - pos;

      if (len >= 2)
        {
          gsize want = ((gsize) data[pos] << 8) | data[pos + 1];

          pos += 2;
          len = MIN (want, size - pos);
        }
      else
        pos = size, len = 0;

      put_u32 (out, 1700000000u + n / 8);
      put_u32 (out, (n * 125000u) % 1000000u);
      put_u32 (out, (guint32) len);
      /* Every eighth frame claims more on the wire than was captured. */
      put_u32 (out, (guint32) len + ((n % 8 == 7) ? 100 : 0));
      g_byte_array_append (out, data + pos, (guint) len);
      pos += len;
      n++;
    }

  return g_byte_array_free_to_bytes (out);
}

GBytes *
pl_fuzz_capture_bytes (const guint8 *data,
                       gsize         size)
{
  if (is_capture (data, size))
    return g_bytes_new_static (data, size);
  if (size > 0)
    return synthesize (data, size);
  return NULL;
}

static void
walk_fields (PlField *field,
             guint32  caplen,
             guint    depth)
{
  g_autofree char *label = pl_field_dup_label (field);
  guint n = pl_field_get_n_children (field);
  guint i;

  PL_FUZZ_CHECK (depth < 16);
  PL_FUZZ_CHECK (pl_field_get_name (field) != NULL);
  PL_FUZZ_CHECK (pl_field_get_key (field) != NULL);
  PL_FUZZ_CHECK (g_utf8_validate (label, -1, NULL));
  /* The bytes a field covers are bytes of the frame (the hex pane
   * highlights them). */
  if (pl_field_get_offset (field) > caplen ||
      pl_field_get_length (field) > caplen - pl_field_get_offset (field))
    fprintf (stderr, "field %s (%s) covers [%u, +%u) of a %u-byte frame\n",
             pl_field_get_key (field), label, pl_field_get_offset (field),
             pl_field_get_length (field), caplen);
  PL_FUZZ_CHECK (pl_field_get_offset (field) <= caplen);
  PL_FUZZ_CHECK (pl_field_get_length (field) <= caplen - pl_field_get_offset (field));
  if (pl_field_get_generated (field))
    PL_FUZZ_CHECK (pl_field_get_length (field) == 0);

  /* Children as the details pane reads them: the list model. */
  PL_FUZZ_CHECK ((n == 0) == (pl_field_get_children (field) == NULL));
  for (i = 0; i < n; i++)
    {
      PlField *child = pl_field_get_child (field, i);  /* borrowed */

      PL_FUZZ_CHECK (child != NULL);
      walk_fields (child, caplen, depth + 1);
    }
  PL_FUZZ_CHECK (pl_field_get_child (field, n) == NULL);
}

/* What --dump-frames prints for one frame. */
static void
dump_frame (PlCapture *capture,
            guint      index,
            GString   *out)
{
  const PlFrame *frame = pl_capture_get_frame (capture, index);
  char src[64] = "", dst[64] = "";

  g_string_append_printf (out, "%u\t%" G_GINT64_FORMAT, index + 1, frame->ts_ns);
  if (frame->l3_off != PL_NO_OFFSET)
    {
      PlPacket pkt;

      /* l3_off is also set for an IP header of another version (a note
       * says so): the address is then printed empty. */
      pl_capture_decode_frame (capture, index, &pkt);
      pl_ip_address_to_string (pkt.ip.version, pkt.ip.src, src, sizeof src);
      pl_ip_address_to_string (pkt.ip.version, pkt.ip.dst, dst, sizeof dst);
    }
  if (frame->stream != PL_NO_STREAM)
    {
      const PlTcpStream *stream;
      g_autofree char *flags = pl_tcp_flags_to_string (frame->tcp_flags);

      PL_FUZZ_CHECK (frame->stream < pl_capture_get_n_streams (capture));
      PL_FUZZ_CHECK (frame->dir <= 1);
      PL_FUZZ_CHECK (frame->l4_off != PL_NO_OFFSET);
      stream = pl_capture_get_stream (capture, frame->stream);
      PL_FUZZ_CHECK (stream->first_frame <= index && index <= stream->last_frame);
      g_string_append_printf (out, "\t%s\t%u\t%s\t%u\t%u\t%s\t%u\t%u\t%u\t%s\t%s",
                              src, stream->ep[frame->dir].port, dst, stream->ep[!frame->dir].port,
                              frame->stream, flags,
                              pl_tcp_stream_relative_seq (stream, frame),
                              pl_tcp_stream_relative_ack (stream, frame),
                              frame->win,
                              pl_tcp_state_to_string (pl_tcp_state_unpack (frame->states, 0)),
                              pl_tcp_state_to_string (pl_tcp_state_unpack (frame->states, 1)));
    }
  g_string_append_c (out, '\n');
}

#ifdef PL_FUZZ_HAVE_HTTP
/* What the HTTP pane shows of each message. */
static void
check_http (PlCapture *capture)
{
  guint n = pl_capture_get_n_http_messages (capture);
  guint n_frames = pl_capture_get_n_frames (capture);
  guint i;

  for (i = 0; i < n_frames; i++)
    {
      g_autoptr(PlHttpMessage) msg = pl_capture_get_http_message_completed_in (capture, i);

      PL_FUZZ_CHECK (msg == NULL || pl_http_message_get_index (msg) < n);
    }

  for (i = 0; i < n; i++)
    {
      /* Messages are made on demand: each call hands out a new reference. */
      g_autoptr(PlHttpMessage) msg = pl_capture_get_http_message (capture, i);
      g_autoptr(PlHttpMessage) request = NULL;
      g_autoptr(PlHttpMessage) response = NULL;
      g_autofree char *uri = NULL;
      g_autofree char *reason = NULL;
      g_autofree char *host = NULL;
      g_autoptr(GBytes) head = NULL;
      g_autoptr(GBytes) body = NULL;
      g_autoptr(GArray) frames = NULL;
      g_autoptr(GArray) headers = NULL;
      g_autoptr(GArray) trailers = NULL;
      g_autoptr(GArray) ranges = NULL;
      g_autoptr(GError) error = NULL;
      PlHttpRange range;
      guint j;

      PL_FUZZ_CHECK (msg != NULL);
      PL_FUZZ_CHECK (pl_http_message_get_stream (msg) < pl_capture_get_n_streams (capture));
      PL_FUZZ_CHECK (pl_http_message_get_first_frame (msg) == PL_HTTP_NO_FRAME ||
                     pl_http_message_get_first_frame (msg) < n_frames);
      PL_FUZZ_CHECK (pl_http_message_get_last_frame (msg) == PL_HTTP_NO_FRAME ||
                     pl_http_message_get_last_frame (msg) < n_frames);
      PL_FUZZ_CHECK (pl_http_message_get_complete_frame (msg) == PL_HTTP_NO_FRAME ||
                     pl_http_message_get_complete_frame (msg) < n_frames);
      (void) pl_http_message_get_method_name (msg);
      uri = pl_http_message_dup_uri (msg);
      reason = pl_http_message_dup_reason (msg);
      host = pl_http_message_dup_header (msg, "Host");
      head = pl_http_message_dup_head (msg);
      frames = pl_http_message_dup_frames (msg);
      for (j = 0; frames != NULL && j < frames->len; j++)
        PL_FUZZ_CHECK (g_array_index (frames, guint32, j) < n_frames);
      headers = pl_http_message_dup_headers (msg);
      trailers = pl_http_message_dup_trailers (msg);
      request = pl_http_message_get_request (msg);
      response = pl_http_message_get_response (msg);
      (void) pl_http_message_get_response_time_ns (msg);
      (void) pl_http_message_get_content_range (msg, &range);
      ranges = pl_http_message_dup_ranges (msg, &error);
      g_clear_error (&error);
      body = pl_http_message_dup_body (msg, TRUE, &error);
      PL_FUZZ_CHECK ((body == NULL) == (error != NULL));
      g_clear_error (&error);
    }
}
#endif

void
pl_fuzz_check_capture (PlCapture *capture)
{
  g_autoptr(GString) out = g_string_new (NULL);
  guint n = pl_capture_get_n_frames (capture);
  guint i;

  for (i = 0; i < n; i++)
    {
      g_autoptr(PlField) root = pl_field_tree_build (capture, i);
      const PlNote *notes = NULL;
      guint32 caplen = 0;
      const guint8 *bytes = pl_capture_get_frame_data (capture, i, &caplen);
      guint n_notes, j;

      PL_FUZZ_CHECK (root != NULL);
      (void) pl_fuzz_touch (bytes, caplen);
      walk_fields (root, caplen, 0);

      n_notes = pl_capture_get_frame_notes (capture, i, &notes);
      for (j = 0; j < n_notes; j++)
        PL_FUZZ_CHECK (notes[j].frame == i && notes[j].text != NULL);

      dump_frame (capture, i, out);
      if (out->len > 1 << 16)
        g_string_truncate (out, 0);
    }
  PL_FUZZ_CHECK (pl_field_tree_build (capture, n) == NULL);
#ifdef PL_FUZZ_HAVE_HTTP
  check_http (capture);
#endif

  /* What --list-streams and the stream list show. */
  for (i = 0; i < pl_capture_get_n_streams (capture); i++)
    {
      const PlTcpStream *stream = pl_capture_get_stream (capture, i);
      g_autofree char *open = NULL;
      g_autofree char *close = NULL;
      PlTcpSummary summary;
      char client[80], server[80];

      PL_FUZZ_CHECK (stream->index == i);
      PL_FUZZ_CHECK (stream->first_frame <= stream->last_frame && stream->last_frame < n);
      pl_endpoint_to_string (&stream->ep[0], client, sizeof client);
      pl_endpoint_to_string (&stream->ep[1], server, sizeof server);
      (void) pl_tcp_close_kind_to_string (pl_tcp_state_close_kind (&stream->state));

      pl_tcp_summary_compute (capture, i, &summary);
      open = pl_tcp_summary_describe_open (capture, i, &summary);
      close = pl_tcp_summary_describe_close (capture, i, &summary);
      PL_FUZZ_CHECK (open == NULL || g_utf8_validate (open, -1, NULL));
      PL_FUZZ_CHECK (close == NULL || g_utf8_validate (close, -1, NULL));
    }
}
