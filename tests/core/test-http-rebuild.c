/* test-http-rebuild.c: an HTTP message's frames and bytes are found again
 * from the capture however its segments were ordered on the wire:
 * reversed, interleaved, retransmitted over each other (the first copy
 * wins, as during the load).
 *
 * Rebuilding used to insert each frame's bytes into a sorted array, at the
 * front for reversed segments: quadratic.  The reversed case here has
 * 600,000 segments, which that took minutes for (beyond the test's
 * timeout); no assertion is about time.
 */
#include "config.h"

#include <string.h>

#include "pl-http-message.h"

#define SEG 10

typedef struct
{
  GByteArray *out;
  guint32     n;
} Pcap;

static void
put_be16 (guint8 *p, guint16 v)
{
  p[0] = v >> 8;
  p[1] = v & 0xff;
}

static void
put_be32 (guint8 *p, guint32 v)
{
  p[0] = v >> 24;
  p[1] = (v >> 16) & 0xff;
  p[2] = (v >> 8) & 0xff;
  p[3] = v & 0xff;
}

static void
pcap_init (Pcap *pcap)
{
  static const guint8 header[24] = {
    0xd4, 0xc3, 0xb2, 0xa1, 2, 0, 4, 0, 0, 0, 0, 0, 0, 0, 0, 0,
    0, 0, 4, 0,      /* snap length 262144 */
    101, 0, 0, 0,    /* LINKTYPE_RAW */
  };

  pcap->out = g_byte_array_new ();
  pcap->n = 0;
  g_byte_array_append (pcap->out, header, sizeof header);
}

/* A raw IPv4/TCP segment from the client (to_server) or the server. */
static void
pcap_segment (Pcap         *pcap,
              gboolean      to_server,
              guint8        flags,
              guint32       seq,
              guint32       ack,
              const guint8 *payload,
              guint32       len)
{
  guint8 rec[16], h[40] = { 0 };
  guint32 usec = pcap->n;

  rec[0] = 0; rec[1] = 0xf1; rec[2] = 0x53; rec[3] = 0x65;  /* 2023 */
  rec[4] = usec & 0xff; rec[5] = (usec >> 8) & 0xff; rec[6] = (usec >> 16) & 0xff; rec[7] = 0;
  rec[8] = (40 + len) & 0xff; rec[9] = ((40 + len) >> 8) & 0xff; rec[10] = 0; rec[11] = 0;
  memcpy (rec + 12, rec + 8, 4);
  g_byte_array_append (pcap->out, rec, sizeof rec);

  h[0] = 0x45;
  put_be16 (h + 2, (guint16) (40 + len));
  h[8] = 64;
  h[9] = 6;
  put_be32 (h + 12, 0x7f000001);
  put_be32 (h + 16, 0x7f000001);
  put_be16 (h + 20, to_server ? 40000 : 8080);
  put_be16 (h + 22, to_server ? 8080 : 40000);
  put_be32 (h + 24, seq);
  put_be32 (h + 28, ack);
  h[32] = 5 << 4;
  h[33] = flags;
  put_be16 (h + 34, 65535);
  g_byte_array_append (pcap->out, h, sizeof h);
  g_byte_array_append (pcap->out, payload, len);
  pcap->n++;
}

/* The body byte at offset i: a pattern that tells places apart. */
static guint8
body_byte (guint64 i)
{
  return (guint8) ('A' + (i / SEG + i) % 26);
}

typedef enum
{
  ORDER_REVERSED,
  ORDER_INTERLEAVED,   /* odd segments, then even ones */
} Order;

/* Handshake, GET, a response head, then n body segments of SEG bytes in
 * the order given; with retransmit, every tenth segment again afterwards
 * with other bytes (which must not win).  Returns the capture; *head_frame
 * and *body_frames (frame of each segment, by offset) describe it. */
static PlCapture *
make_capture (guint     n,
              Order     order,
              gboolean  retransmit,
              guint32  *head_frame,
              guint32  *body_frames)
{
  static const char request[] = "GET /big HTTP/1.1\r\nHost: x\r\n\r\n";
  g_autofree char *head = g_strdup_printf ("HTTP/1.1 200 OK\r\nContent-Length: %u\r\n\r\n", n * SEG);
  g_autoptr(GBytes) bytes = NULL;
  PlCapture *capture;
  guint32 c = 1000, s = 900000, body_seq;
  guint8 payload[SEG];
  Pcap pcap;
  guint i, k;

  pcap_init (&pcap);
  pcap_segment (&pcap, TRUE, 0x02, c, 0, NULL, 0);
  pcap_segment (&pcap, FALSE, 0x12, s, c + 1, NULL, 0);
  c++, s++;
  pcap_segment (&pcap, TRUE, 0x10, c, s, NULL, 0);
  pcap_segment (&pcap, TRUE, 0x18, c, s, (const guint8 *) request, sizeof request - 1);
  c += sizeof request - 1;
  *head_frame = pcap.n;
  pcap_segment (&pcap, FALSE, 0x18, s, c, (const guint8 *) head, (guint32) strlen (head));
  body_seq = s + (guint32) strlen (head);

  for (k = 0; k < n; k++)
    {
      if (order == ORDER_REVERSED)
        i = n - 1 - k;
      else
        i = k < n / 2 ? 2 * k + 1 : 2 * (k - n / 2);
      for (guint b = 0; b < SEG; b++)
        payload[b] = body_byte ((guint64) i * SEG + b);
      body_frames[i] = pcap.n;
      pcap_segment (&pcap, FALSE, 0x10, body_seq + i * SEG, c, payload, SEG);
    }
  if (retransmit)
    for (i = 0; i < n; i += 10)
      {
        memset (payload, '#', sizeof payload);
        pcap_segment (&pcap, FALSE, 0x10, body_seq + i * SEG, c, payload, SEG);
      }
  pcap_segment (&pcap, TRUE, 0x10, c, body_seq + n * SEG, NULL, 0);
  pcap_segment (&pcap, FALSE, 0x11, body_seq + n * SEG, c, NULL, 0);
  pcap_segment (&pcap, TRUE, 0x11, c, body_seq + n * SEG + 1, NULL, 0);
  pcap_segment (&pcap, FALSE, 0x10, body_seq + n * SEG + 1, c + 1, NULL, 0);

  bytes = g_byte_array_free_to_bytes (pcap.out);
  capture = pl_capture_new_for_bytes (bytes, "rebuild");
  g_assert_true (pl_capture_load (capture, NULL, NULL, NULL, NULL));
  return capture;
}

static PlHttpMessage *
find_response (PlCapture *capture)
{
  for (guint i = 0; i < pl_capture_get_n_http_messages (capture); i++)
    {
      PlHttpMessage *msg = pl_capture_get_http_message (capture, i);

      if (!pl_http_message_is_request (msg))
        return msg;
      g_object_unref (msg);
    }
  return NULL;
}

/* with_body: the reassembler kept every byte during the load (it skips
 * what its out-of-order buffer cannot hold, and the body then says bytes
 * are missing), so the body can be read back. */
static void
check_message (guint    n,
               Order    order,
               gboolean retransmit,
               gboolean with_body)
{
  g_autofree guint32 *body_frames = g_new (guint32, n);
  guint32 head_frame;
  g_autoptr(PlCapture) capture = make_capture (n, order, retransmit, &head_frame, body_frames);
  g_autoptr(PlHttpMessage) response = find_response (capture);
  g_autoptr(GArray) frames = NULL;
  g_autoptr(GBytes) body = NULL;
  g_autoptr(GError) error = NULL;
  const guint8 *data;
  gsize len;
  guint i;

  g_assert_nonnull (response);
  g_assert_cmpuint (pl_http_message_get_first_frame (response), ==, head_frame);
  g_assert_cmpuint (pl_http_message_get_last_frame (response), ==, body_frames[n - 1]);

  /* In offset order: the head's frame, then each segment's, once. */
  frames = pl_http_message_dup_frames (response);
  g_assert_cmpuint (frames->len, ==, n + 1);
  g_assert_cmpuint (g_array_index (frames, guint32, 0), ==, head_frame);
  for (i = 0; i < n; i++)
    if (g_array_index (frames, guint32, i + 1) != body_frames[i])
      g_error ("segment %u: frame %u, expected %u", i, g_array_index (frames, guint32, i + 1), body_frames[i]);

  if (!with_body)
    return;

  /* The bytes of the first copies, in place. */
  body = pl_http_message_dup_body (response, FALSE, &error);
  g_assert_no_error (error);
  g_assert_nonnull (body);
  data = g_bytes_get_data (body, &len);
  g_assert_cmpuint (len, ==, (gsize) n * SEG);
  for (i = 0; i < len; i++)
    if (data[i] != body_byte (i))
      g_error ("body byte %u is '%c', expected '%c'", i, data[i], body_byte (i));
}

static void
test_reversed (void)
{
  check_message (600000, ORDER_REVERSED, FALSE, FALSE);
}

static void
test_interleaved_retransmitted (void)
{
  check_message (20000, ORDER_INTERLEAVED, TRUE, TRUE);
  check_message (2001, ORDER_REVERSED, TRUE, TRUE);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/http/rebuild/reversed", test_reversed);
  g_test_add_func ("/http/rebuild/interleaved-retransmitted", test_interleaved_retransmitted);
  return g_test_run ();
}
