/* test-tcp-analysis.c: the TCP analysis flags and their explanations on
 * hand-built segment sequences (written as a raw-IPv4 pcap and loaded like
 * any capture), and the SEQ/ACK analysis group of the field tree on the
 * sample, checked against tshark's values for the same frames.
 */
#include "config.h"

#include <glib/gstdio.h>
#include <string.h>

#include "pl-field.h"
#include "pl-tcp-analysis.h"

#define C 0  /* client to server */
#define S 1  /* server to client */

#define SYN PL_TCP_SYN
#define ACK PL_TCP_ACK
#define FIN PL_TCP_FIN
#define PSH PL_TCP_PSH

#define CLIENT_ISN 1000000u
#define SERVER_ISN 7000000u

/* One segment: relative numbers (the ISNs are added), time in µs. */
typedef struct
{
  guint   time_us;
  guint   dir;
  guint16 flags;
  guint32 seq;
  guint32 ack;
  guint32 len;
  guint16 window;
  guint32 isn;      /* 0: the default ISN of the sender */
  gboolean cut;     /* the first fragment of a datagram the frame holds
                     * only part of: IP says 1000 bytes more */
} Seg;

static void
put16 (GByteArray *b,
       guint16     v)
{
  guint8 x[2] = { v >> 8, v & 0xff };

  g_byte_array_append (b, x, 2);
}

static void
put32 (GByteArray *b,
       guint32     v)
{
  guint8 x[4] = { v >> 24, (v >> 16) & 0xff, (v >> 8) & 0xff, v & 0xff };

  g_byte_array_append (b, x, 4);
}

static void
put32le (GByteArray *b,
         guint32     v)
{
  guint8 x[4] = { v & 0xff, (v >> 8) & 0xff, (v >> 16) & 0xff, v >> 24 };

  g_byte_array_append (b, x, 4);
}

static char *flag_names (guint16 analysis);

/* The hand-built sequences are checked against tshark 4.0 too, when it is
 * installed (CI has it; build-aux/test installs it): the flags of every
 * frame, and the relative numbers, must be tshark's. */
static void
assert_tshark_agrees (PlCapture  *capture,
                      const char *path)
{
  g_autofree char *tshark = g_find_program_in_path ("tshark");
  g_autofree char *script = g_build_filename (PL_TEST_SOURCE_ROOT, "build-aux", "tshark-reference.sh", NULL);
  const char *argv[] = { script, "--stdout", path, NULL };
  g_autofree char *out = NULL;
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) lines = NULL;
  g_auto(GStrv) header = NULL;
  int status = 0;
  guint i, k;

  if (tshark == NULL)
    {
      g_test_message ("tshark is not installed: the flags are not compared with it");
      return;
    }
  g_assert_true (g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_STDERR_TO_DEV_NULL, NULL, NULL,
                               &out, NULL, &status, &error));
  g_assert_no_error (error);
  lines = g_strsplit (out, "\n", -1);
  header = g_strsplit (lines[0], "\t", -1);
  for (i = 1; lines[i] != NULL && lines[i][0] != '\0'; i++)
    {
      g_auto(GStrv) row = g_strsplit (lines[i], "\t", -1);
      guint frame = (guint) g_ascii_strtoull (row[0], NULL, 10);
      const PlFrame *f;
      const PlTcpStream *stream;
      g_autoptr(GString) theirs = g_string_new (NULL);
      g_autofree char *ours = NULL;

      g_assert_cmpuint (frame, >=, 1);
      g_assert_cmpuint (frame, <=, pl_capture_get_n_frames (capture));
      f = pl_capture_get_frame (capture, frame - 1);
      stream = pl_capture_get_stream (capture, f->stream);
      for (k = 0; k < PL_ANALYSIS_N_FLAGS; k++)
        {
          g_autofree char *name = g_strconcat ("tcp.analysis.", pl_analysis_flag_name (k), NULL);
          guint c;

          for (c = 0; header[c] != NULL && strcmp (header[c], name) != 0; c++)
            ;
          g_assert_nonnull (header[c]);
          if (strcmp (row[c], "1") == 0)
            g_string_append_printf (theirs, "%s%s", theirs->len > 0 ? "," : "", pl_analysis_flag_name (k));
        }
      ours = flag_names (f->analysis);
      if (strcmp (ours, theirs->str) != 0)
        g_error ("frame %u: flags '%s', tshark '%s'", frame, ours, theirs->str);
      /* tcp.stream, tcp.seq */
      g_assert_cmpuint (f->stream, ==, g_ascii_strtoull (row[8], NULL, 10));
      if (f->analysis & PL_ANALYSIS_LENGTH_UNKNOWN)
        {
          /* No relative numbers, no length. */
          g_assert_cmpuint (f->seq, ==, g_ascii_strtoull (row[10], NULL, 10));
          g_assert_cmpstr (row[14], ==, "");
          continue;
        }
      g_assert_cmpuint (pl_tcp_stream_relative_seq (stream, f), ==, g_ascii_strtoull (row[10], NULL, 10));
      if (f->tcp_flags & PL_TCP_ACK)
        g_assert_cmpuint (pl_tcp_stream_relative_ack (stream, f), ==, g_ascii_strtoull (row[12], NULL, 10));
    }
  g_assert_cmpuint (i - 1, ==, pl_capture_get_n_frames (capture));
}

/* Writes the segments as a pcap of LINKTYPE_RAW (101) IPv4 packets and
 * loads it. */
static PlCapture *
load_segments (const Seg *segs,
               guint      n)
{
  g_autoptr(GByteArray) b = g_byte_array_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *path = NULL;
  g_autoptr(GFile) file = NULL;
  PlCapture *capture;
  guint32 isn[2] = { CLIENT_ISN, SERVER_ISN };
  guint i;
  int fd;

  put32le (b, 0xa1b2c3d4);
  put32le (b, 0x00040002);
  put32le (b, 0);
  put32le (b, 0);
  put32le (b, 65535);
  put32le (b, 101);

  for (i = 0; i < n; i++)
    {
      const Seg *s = &segs[i];
      guint32 total = 20 + 20 + s->len;
      guint8 client[4] = { 10, 0, 0, 1 }, server[4] = { 10, 0, 0, 2 };
      guint j;

      if (s->isn != 0)
        isn[s->dir] = s->isn;
      put32le (b, 1700000000 + s->time_us / 1000000);
      put32le (b, s->time_us % 1000000);
      put32le (b, total);
      put32le (b, total);
      /* IPv4 */
      put16 (b, 0x4500);
      put16 (b, s->cut ? total + 1000 : total);
      put16 (b, i);
      put16 (b, s->cut ? 0x2000 : 0x4000);
      put16 (b, 0x4006);
      put16 (b, 0);
      g_byte_array_append (b, s->dir == C ? client : server, 4);
      g_byte_array_append (b, s->dir == C ? server : client, 4);
      /* TCP */
      put16 (b, s->dir == C ? 40000 : 80);
      put16 (b, s->dir == C ? 80 : 40000);
      put32 (b, isn[s->dir] + s->seq);
      put32 (b, (s->flags & ACK) ? isn[!s->dir] + s->ack : 0);
      put16 (b, (5 << 12) | s->flags);
      put16 (b, s->window);
      put16 (b, 0);
      put16 (b, 0);
      for (j = 0; j < s->len; j++)
        g_byte_array_append (b, (const guint8 *) "x", 1);
    }

  fd = g_file_open_tmp ("pl-tcp-analysis-XXXXXX.pcap", &path, &error);
  g_assert_no_error (error);
  g_close (fd, NULL);
  g_assert_true (g_file_set_contents (path, (const char *) b->data, b->len, &error));
  g_assert_no_error (error);

  file = g_file_new_for_path (path);
  capture = pl_capture_new (file);
  g_assert_true (pl_capture_load (capture, NULL, NULL, NULL, &error));
  g_assert_no_error (error);
  assert_tshark_agrees (capture, path);
  /* The mapping stays valid after the unlink. */
  g_unlink (path);
  return capture;
}

static char *
flag_names (guint16 analysis)
{
  GString *s = g_string_new (NULL);
  guint i;

  for (i = 0; i < PL_ANALYSIS_N_FLAGS; i++)
    if (analysis & (1u << i))
      {
        if (s->len > 0)
          g_string_append_c (s, ',');
        g_string_append (s, pl_analysis_flag_name (i));
      }
  return g_string_free (s, FALSE);
}

/* frame counts from 1, as in the sentences. */
static void
assert_flags (PlCapture  *capture,
              guint       frame,
              const char *expected)
{
  g_autofree char *names = flag_names (pl_capture_get_frame (capture, frame - 1)->analysis);

  if (strcmp (names, expected) != 0)
    g_error ("frame %u: flags '%s', expected '%s'", frame, names, expected);
}

static void
assert_sentence (PlCapture  *capture,
                 guint       frame,
                 guint16     flag,
                 const char *expected)
{
  g_auto(GStrv) sentences = NULL;
  g_autofree guint16 *bits = NULL;
  guint n, i;

  n = pl_tcp_analysis_explain (capture, frame - 1, &sentences, &bits);
  for (i = 0; i < n; i++)
    if (bits[i] == flag)
      {
        if (strcmp (sentences[i], expected) != 0)
          g_error ("frame %u: sentence\n  '%s'\nexpected\n  '%s'", frame, sentences[i], expected);
        return;
      }
  g_error ("frame %u: no sentence for flag 0x%x", frame, flag);
}

static void
assert_all_flags_explained (PlCapture *capture)
{
  guint i, n = pl_capture_get_n_frames (capture);

  for (i = 0; i < n; i++)
    {
      const PlFrame *frame = pl_capture_get_frame (capture, i);
      g_auto(GStrv) sentences = NULL;
      guint k = pl_tcp_analysis_explain (capture, i, &sentences, NULL);
      guint bits = 0, j;

      for (j = 0; j < PL_ANALYSIS_N_FLAGS; j++)
        if (frame->analysis & (1u << j))
          bits++;
      g_assert_cmpuint (k, ==, bits);
      for (j = 0; j < k; j++)
        g_assert_true (sentences[j] != NULL && sentences[j][0] != '\0');
    }
}

#define HANDSHAKE \
  { 0,     C, SYN,       0, 0, 0, 1000, 0 }, \
  { 10000, S, SYN | ACK, 0, 1, 0, 1000, 0 }, \
  { 20000, C, ACK,       1, 1, 0, 1000, 0 }

/* Retransmission, spurious, fast, duplicate ACKs; iRTT 20 ms. */
static void
test_retransmissions (void)
{
  static const Seg segs[] = {
    HANDSHAKE,
    /* 4 */ { 30000,   C, ACK | PSH, 1,   1, 100, 1000, 0 },
    /* 5 */ { 40000,   S, ACK,       1, 101, 0,   1000, 0 },
    /* 6: the same bytes again, already acknowledged */
    /* 6 */ { 540000,  C, ACK | PSH, 1,   1, 100, 1000, 0 },
    /* 7 */ { 600000,  C, ACK | PSH, 101, 1, 100, 1000, 0 },
    /* 8: no ACK came: resent after a second */
    /* 8 */ { 1600000, C, ACK | PSH, 101, 1, 100, 1000, 0 },
    /* 9 */ { 1610000, S, ACK,       1, 201, 0,   1000, 0 },
    /* 10-12: three segments; the first is lost on the way */
    /* 10 */ { 2000000, C, ACK,      201, 1, 100, 1000, 0 },
    /* 11 */ { 2000100, C, ACK,      301, 1, 100, 1000, 0 },
    /* 12 */ { 2000200, C, ACK,      401, 1, 100, 1000, 0 },
    /* 13-14: the receiver asks for 201 twice more */
    /* 13 */ { 2010000, S, ACK,      1, 201, 0,   1000, 0 },
    /* 14 */ { 2010100, S, ACK,      1, 201, 0,   1000, 0 },
    /* 15: resent 1 ms after the last duplicate */
    /* 15 */ { 2011100, C, ACK,      201, 1, 100, 1000, 0 },
    /* 16 */ { 2020000, S, ACK,      1, 501, 0,   1000, 0 },
  };
  g_autoptr(PlCapture) capture = load_segments (segs, G_N_ELEMENTS (segs));

  assert_flags (capture, 4, "");
  assert_flags (capture, 6, "retransmission,spurious_retransmission");
  assert_sentence (capture, 6, PL_ANALYSIS_RETRANSMISSION,
                   "Retransmission: bytes 1-100 were first sent in frame 4");
  assert_sentence (capture, 6, PL_ANALYSIS_SPURIOUS_RETRANSMISSION,
                   "Spurious retransmission: bytes 1-100 were already acknowledged (ack 101 in frame 5)");
  assert_flags (capture, 8, "retransmission");
  assert_sentence (capture, 8, PL_ANALYSIS_RETRANSMISSION,
                   "Retransmission: bytes 101-200 were first sent in frame 7");
  assert_flags (capture, 9, "");
  assert_flags (capture, 13, "duplicate_ack");
  assert_sentence (capture, 13, PL_ANALYSIS_DUPLICATE_ACK,
                   "Duplicate ACK #1 of frame 9: ack 201 again, no data, window unchanged");
  assert_flags (capture, 14, "duplicate_ack");
  assert_sentence (capture, 14, PL_ANALYSIS_DUPLICATE_ACK,
                   "Duplicate ACK #2 of frame 9: ack 201 again, no data, window unchanged");
  assert_flags (capture, 15, "retransmission,fast_retransmission");
  assert_sentence (capture, 15, PL_ANALYSIS_FAST_RETRANSMISSION,
                   "Fast retransmission: seq 201 resent 1.000 ms after duplicate ACK #2 asking for it "
                   "(frame 14), within the 20 ms limit");
  assert_sentence (capture, 15, PL_ANALYSIS_RETRANSMISSION,
                   "Retransmission: bytes 201-300 were first sent in frame 10");
  assert_flags (capture, 16, "");
  assert_all_flags_explained (capture);
}

/* Reordering, a hole, and an ACK for bytes never seen. */
static void
test_order_and_loss (void)
{
  static const Seg segs[] = {
    HANDSHAKE,
    /* 4 */ { 30000, C, ACK, 1,   1, 100, 1000, 0 },
    /* 5: 101-200 overtaken by 201-300 */
    /* 5 */ { 30100, C, ACK, 201, 1, 100, 1000, 0 },
    /* 6 */ { 30200, C, ACK, 101, 1, 100, 1000, 0 },
    /* 7 */ { 40000, S, ACK, 1, 301, 0,   1000, 0 },
    /* 8: 301-400 never captured */
    /* 8 */ { 50000, C, ACK, 401, 1, 100, 1000, 0 },
    /* 9 */ { 60000, S, ACK, 1, 501, 0,   1000, 0 },
    /* 10: an ACK beyond everything the client was seen to send */
    /* 10 */ { 70000, S, ACK, 1, 701, 0,  1000, 0 },
    /* 11: a copy of 401-500, 30 ms later: a retransmission, not reordering */
    /* 11 */ { 80000, C, ACK, 401, 1, 50,  1000, 0 },
  };
  g_autoptr(PlCapture) capture = load_segments (segs, G_N_ELEMENTS (segs));

  assert_flags (capture, 5, "lost_segment");
  assert_sentence (capture, 5, PL_ANALYSIS_LOST_SEGMENT,
                   "Previous segment not captured: expected seq 101, got 201 (100 bytes missing)");
  assert_flags (capture, 6, "out_of_order");
  assert_sentence (capture, 6, PL_ANALYSIS_OUT_OF_ORDER,
                   "Out-of-order: seq 101 is below the next expected seq 301 (reached in frame 5), "
                   "and came 0.100 ms after it, within 20.000 ms (the iRTT)");
  assert_flags (capture, 7, "");
  assert_flags (capture, 8, "lost_segment");
  assert_sentence (capture, 8, PL_ANALYSIS_LOST_SEGMENT,
                   "Previous segment not captured: expected seq 301, got 401 (100 bytes missing)");
  assert_flags (capture, 9, "ack_lost_segment");
  assert_sentence (capture, 9, PL_ANALYSIS_ACK_LOST_SEGMENT,
                   "ACKed segment that wasn't captured: ack 501 is beyond seq 301, the end of what the "
                   "other side was seen to send without a gap (200 bytes never seen)");
  assert_flags (capture, 10, "ack_lost_segment");
  assert_flags (capture, 11, "retransmission,spurious_retransmission");
  assert_all_flags_explained (capture);
}

/* Zero window, probes, window update, window full. */
static void
test_windows (void)
{
  static const Seg segs[] = {
    { 0,     C, SYN,       0, 0, 0, 1000, 0 },
    { 10000, S, SYN | ACK, 0, 1, 0, 200,  0 },
    { 20000, C, ACK,       1, 1, 0, 1000, 0 },
    /* 4: exactly the 200 bytes the server allows */
    /* 4 */ { 30000, C, ACK, 1,   1, 200, 1000, 0 },
    /* 5: the server's buffer is full */
    /* 5 */ { 40000, S, ACK, 1, 201, 0,   0,    0 },
    /* 6: one byte to see whether the window opened */
    /* 6 */ { 90000, C, ACK, 201, 1, 1,   1000, 0 },
    /* 7 */ { 91000, S, ACK, 1, 201, 0,   0,    0 },
    /* 8: the window opens */
    /* 8 */ { 95000, S, ACK, 1, 201, 0,   500,  0 },
    /* 9 */ { 96000, C, ACK, 201, 1, 100, 1000, 0 },
  };
  g_autoptr(PlCapture) capture = load_segments (segs, G_N_ELEMENTS (segs));

  assert_flags (capture, 4, "window_full");
  assert_sentence (capture, 4, PL_ANALYSIS_WINDOW_FULL,
                   "Window full: the data ends at seq 201, the right edge of the window the receiver "
                   "gave (ack 1 + window 200, frame 2)");
  assert_flags (capture, 5, "zero_window");
  assert_sentence (capture, 5, PL_ANALYSIS_ZERO_WINDOW,
                   "Zero window: the sender of this segment advertises a window of 0 bytes, so the other "
                   "side must stop sending after seq 201");
  assert_flags (capture, 6, "zero_window_probe");
  assert_sentence (capture, 6, PL_ANALYSIS_ZERO_WINDOW_PROBE,
                   "Zero window probe: 1 byte at the next expected seq 201 while the other side's window "
                   "is 0 (frame 5)");
  assert_flags (capture, 7, "zero_window,zero_window_probe_ack");
  assert_sentence (capture, 7, PL_ANALYSIS_ZERO_WINDOW_PROBE_ACK,
                   "Zero window probe ACK: answers the probe in frame 6 with ack 201, window still 0");
  assert_flags (capture, 8, "window_update");
  assert_sentence (capture, 8, PL_ANALYSIS_WINDOW_UPDATE,
                   "Window update: window 500, was 0; seq 1 and ack 201 unchanged, no data");
  /* The probe did not advance the sequence: the byte is sent again as data. */
  assert_flags (capture, 9, "");
  assert_all_flags_explained (capture);
}

/* Keep-alives, then the same ports again with a new ISN. */
static void
test_keep_alive_and_reuse (void)
{
  static const Seg segs[] = {
    HANDSHAKE,
    /* 4 */ { 30000,    C, ACK, 1,   1, 10, 1000, 0 },
    /* 5 */ { 40000,    S, ACK, 1,  11, 0,  1000, 0 },
    /* 6: one byte below the next sequence number, no data */
    /* 6 */ { 7240000,  C, ACK, 10,  1, 0,  1000, 0 },
    /* 7 */ { 7241000,  S, ACK, 1,  11, 0,  1000, 0 },
    /* 8 */ { 8000000,  C, ACK | FIN, 11, 1, 0, 1000, 0 },
    /* 9 */ { 8001000,  S, ACK | FIN, 1, 12, 0, 1000, 0 },
    /* 10 */ { 8002000, C, ACK, 12,  2, 0,  1000, 0 },
    /* 11: a new connection on the same ports */
    /* 11 */ { 9000000, C, SYN, 0,   0, 0,  1000, 5000000 },
  };
  g_autoptr(PlCapture) capture = load_segments (segs, G_N_ELEMENTS (segs));

  assert_flags (capture, 6, "keep_alive");
  assert_sentence (capture, 6, PL_ANALYSIS_KEEP_ALIVE,
                   "Keep-alive: no data at seq 10, one below the next expected seq 11");
  assert_flags (capture, 7, "keep_alive_ack");
  assert_sentence (capture, 7, PL_ANALYSIS_KEEP_ALIVE_ACK,
                   "Keep-alive ACK: answers the keep-alive in frame 6 with ack 11 again, window unchanged");
  assert_flags (capture, 8, "");
  assert_flags (capture, 11, "reused_ports");
  g_assert_cmpuint (pl_capture_get_frame (capture, 10)->stream, ==, 1);
  assert_sentence (capture, 11, PL_ANALYSIS_REUSED_PORTS,
                   "TCP port numbers reused: a new SYN (raw seq 5000000) on the ports of stream 0, whose "
                   "SYN had raw seq 1000000");
  assert_all_flags_explained (capture);
}

#define RST PL_TCP_RST

/* A SYN-ACK with a new ISN on a tuple already seen (as in
 * tests/data/syn-ack-reuse.pcap): the server's stale socket answers the
 * SYN with an ACK of an older connection, the client resets it, sends the
 * SYN again, and the real SYN-ACK comes with another ISN.  Wireshark moves
 * the server's relative numbers there and flags reused ports; the stray
 * ACK keeps the numbers it was shown with. */
static void
test_syn_ack_reuse (void)
{
  static const Seg segs[] = {
    /* 1 */ { 0,       C, SYN,       0,   0,          0, 1000, 0 },
    /* 2: challenge ACK of the old connection (server ISN 3000000) */
    /* 2 */ { 100,     S, ACK,       500, 0x7fff0000, 0, 1000, 3000000 },
    /* 3: the client's kernel resets it: seq = that ack, no ACK */
    /* 3 */ { 200,     C, RST,       0x7fff0000, 0,   0, 0,    0 },
    /* 4: the SYN again, a second later */
    /* 4 */ { 1000000, C, SYN,       0,   0,          0, 1000, 0 },
    /* 5: the real SYN-ACK (server ISN 7000000) */
    /* 5 */ { 1000100, S, SYN | ACK, 0,   1,          0, 1000, 7000000 },
    /* 6 */ { 1000200, C, ACK,       1,   1,          0, 1000, 0 },
    /* 7 */ { 1000300, C, ACK | PSH, 1,   1,          20, 1000, 0 },
    /* 8 */ { 1000400, S, ACK | PSH, 1,   21,         30, 1000, 0 },
  };
  g_autoptr(PlCapture) capture = load_segments (segs, G_N_ELEMENTS (segs));
  const PlTcpStream *stream;

  g_assert_cmpuint (pl_capture_get_n_streams (capture), ==, 1);
  stream = pl_capture_get_stream (capture, 0);
  assert_flags (capture, 4, "retransmission");
  assert_flags (capture, 5, "lost_segment,reused_ports");
  assert_sentence (capture, 5, PL_ANALYSIS_REUSED_PORTS,
                   "TCP port numbers reused: a SYN-ACK with a new initial sequence number (raw seq "
                   "7000000), not the one the earlier segments from this side implied (raw 3000499): "
                   "those belonged to an earlier connection on these ports, and relative numbers start "
                   "again here");
  /* The stray ACK keeps its numbers; from the SYN-ACK on, the new ISN. */
  g_assert_cmpuint (pl_tcp_stream_relative_seq (stream, pl_capture_get_frame (capture, 1)), ==, 1);
  g_assert_cmpuint (pl_tcp_stream_relative_seq (stream, pl_capture_get_frame (capture, 4)), ==, 0);
  g_assert_cmpuint (pl_tcp_stream_relative_ack (stream, pl_capture_get_frame (capture, 5)), ==, 1);
  g_assert_cmpuint (pl_tcp_stream_relative_seq (stream, pl_capture_get_frame (capture, 7)), ==, 1);
  g_assert_cmpuint (pl_tcp_stream_relative_ack (stream, pl_capture_get_frame (capture, 7)), ==, 21);
  /* The client's first ACK acknowledges the SYN-ACK, which lies beyond
   * the stray ACK's numbers: reported once. */
  assert_flags (capture, 6, "ack_lost_segment");
  assert_flags (capture, 7, "");
  assert_flags (capture, 8, "");
  assert_all_flags_explained (capture);
}

/* "ACKed segment that wasn't captured" as tshark 4.0 reports it: each time
 * the other side sent something since; once per gap while it sent
 * nothing, however often the ACK repeats; again, with the same ack number,
 * after the other side sent a segment. */
static void
test_ack_lost_repeats (void)
{
  static const Seg segs[] = {
    HANDSHAKE,
    /* 4 */ { 30000,  S, ACK, 1,   1,   100, 1000, 0 },
    /* 5: 101-200 not captured */
    /* 5 */ { 30100,  S, ACK, 201, 1,   100, 1000, 0 },
    /* 6 */ { 40000,  C, ACK, 1,   301, 0,   1000, 0 },
    /* 7: 301-400 not captured, and nothing after it */
    /* 7 */ { 50000,  C, ACK, 1,   401, 0,   1000, 0 },
    /* 8-9: the client goes on with the same ack */
    /* 8 */ { 60000,  C, ACK, 1,   401, 10,  1000, 0 },
    /* 9 */ { 70000,  C, ACK, 11,  401, 0,   1000, 0 },
    /* 10: the server answers with a new ack */
    /* 10 */ { 80000, S, ACK, 401, 11,  0,   1000, 0 },
    /* 11: the same ack number as before, flagged again */
    /* 11 */ { 90000, C, ACK, 11,  401, 0,   2000, 0 },
    /* 12 */ { 95000, C, ACK, 11,  401, 0,   2000, 0 },
  };
  g_autoptr(PlCapture) capture = load_segments (segs, G_N_ELEMENTS (segs));

  assert_flags (capture, 5, "lost_segment");
  assert_flags (capture, 6, "ack_lost_segment");
  assert_flags (capture, 7, "ack_lost_segment");
  assert_sentence (capture, 7, PL_ANALYSIS_ACK_LOST_SEGMENT,
                   "ACKed segment that wasn't captured: ack 401 is beyond seq 301, the end of what the "
                   "other side was seen to send without a gap (100 bytes never seen)");
  assert_flags (capture, 8, "");
  assert_flags (capture, 9, "duplicate_ack");
  assert_flags (capture, 10, "lost_segment");
  assert_flags (capture, 11, "ack_lost_segment,window_update");
  assert_flags (capture, 12, "duplicate_ack");
  assert_all_flags_explained (capture);
}

/* A RST without ACK carries no acknowledgment (RFC 9293 section 3.1): its
 * ack field, 0, must not make the peer's next data look acknowledged.
 * With the server's numbers in the upper half of the sequence space, 0 is
 * "after" them. */
static void
test_rst_without_ack (void)
{
  static const Seg segs[] = {
    /* 1 */ { 0,     C, SYN,       0,  0,  0,   1000, 0 },
    /* 2 */ { 10000, S, SYN | ACK, 0,  1,  0,   1000, 0xf0000000u },
    /* 3 */ { 20000, C, ACK,       1,  1,  0,   1000, 0 },
    /* 4 */ { 30000, C, ACK | PSH, 1,  1,  50,  1000, 0 },
    /* 5 */ { 40000, S, ACK,       1,  51, 100, 1000, 0 },
    /* 6: a RST far outside the window: the server ignores it */
    /* 6 */ { 41000, C, RST,       (guint32) -1000, 0, 0, 0, 0 },
    /* 7 */ { 42000, S, ACK,       101, 51, 100, 1000, 0 },
    /* 8 */ { 50000, C, ACK,       51, 201, 0,   1000, 0 },
  };
  g_autoptr(PlCapture) capture = load_segments (segs, G_N_ELEMENTS (segs));

  assert_flags (capture, 6, "");
  assert_flags (capture, 7, "");
  assert_flags (capture, 8, "");
}

/* A segment whose length is unknown (the first fragment of a datagram the
 * capture holds only part of): in its stream, raw numbers, not analysed,
 * and the analysis of the others goes on as if it were not there. */
static void
test_length_unknown (void)
{
  static const Seg segs[] = {
    HANDSHAKE,
    /* 4 */ { 30000, C, ACK | PSH, 1, 1, 100, 1000, 0, TRUE },
    /* 5 */ { 40000, C, ACK | PSH, 1, 1, 100, 1000, 0 },
    /* 6 */ { 50000, S, ACK, 1, 101, 0, 1000, 0 },
  };
  g_autoptr(PlCapture) capture = load_segments (segs, G_N_ELEMENTS (segs));
  const PlFrame *f = pl_capture_get_frame (capture, 3);
  PlTcpAnalysisReport report;

  g_assert_cmpuint (f->stream, ==, 0);
  g_assert_cmpuint (f->analysis, ==, PL_ANALYSIS_LENGTH_UNKNOWN);
  g_assert_cmpuint (f->payload_len, ==, 0);
  g_assert_false (pl_tcp_analysis_replay (capture, 3, &report));
  g_assert_cmpuint (pl_tcp_analysis_explain (capture, 3, NULL, NULL), ==, 0);
  /* Not a retransmission of something never analysed. */
  assert_flags (capture, 5, "");
  assert_flags (capture, 6, "");
}

/* Frame i at i * 100 ns. */
static gint64
synthetic_frame_time (gpointer data,
                      guint32  frame)
{
  return (gint64) frame * 100;
}

/* The state machine alone: a SYN copy is a retransmission, not reordering. */
static void
test_syn_copy (void)
{
  PlTcpAnalysis state;
  PlTcpSegment seg = { 0, 0, 0, SYN, 100, 0, 0, 1000, PL_WSCALE_UNKNOWN, PL_WSCALE_UNKNOWN, 0,
                       synthetic_frame_time, NULL };

  pl_tcp_analysis_init (&state);
  g_assert_cmpuint (pl_tcp_analysis_segment (&state, &seg, NULL), ==, 0);
  seg.frame = 1;
  seg.ts_ns = 100;
  g_assert_cmpuint (pl_tcp_analysis_segment (&state, &seg, NULL), ==, PL_ANALYSIS_RETRANSMISSION);
}

static PlCapture *
load_sample (void)
{
  g_autofree char *path = g_build_filename (PL_TEST_SOURCE_ROOT, "data", "samples", "lab.pcap", NULL);
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(PlCapture) capture = pl_capture_new (file);
  g_autoptr(GError) error = NULL;

  g_assert_true (pl_capture_load (capture, NULL, NULL, NULL, &error));
  g_assert_no_error (error);
  return g_steal_pointer (&capture);
}

static void
assert_value (PlField    *root,
              const char *key,
              const char *expected)
{
  PlField *f = pl_field_find (root, key);

  if (expected == NULL)
    {
      if (f != NULL)
        g_error ("%s: present ('%s'), expected absent", key, pl_field_get_value (f));
      return;
    }
  if (f == NULL)
    g_error ("no field %s", key);
  g_assert_cmpstr (pl_field_get_value (f), ==, expected);
}

/* Values as tshark 4.0 shows them for the same frames of the sample
 * (tshark -T fields -e tcp.analysis.acks_frame -e tcp.analysis.ack_rtt
 * -e tcp.analysis.initial_rtt -e tcp.analysis.bytes_in_flight
 * -e tcp.analysis.push_bytes_sent). */
static void
test_field_tree_sample (void)
{
  g_autoptr(PlCapture) capture = load_sample ();
  g_autoptr(PlField) syn = pl_field_tree_build (capture, 0);
  g_autoptr(PlField) synack = pl_field_tree_build (capture, 1);
  g_autoptr(PlField) ack = pl_field_tree_build (capture, 2);
  g_autoptr(PlField) data = pl_field_tree_build (capture, 10);     /* frame 11: 2nd logo segment, PSH */
  g_autoptr(PlField) data_ack = pl_field_tree_build (capture, 46); /* frame 47: the 206 of bytes=0-1 */
  g_autoptr(PlField) last = pl_field_tree_build (capture, 322);    /* frame 323: the MP3's last segment */

  assert_value (syn, "tcp.analysis", NULL);
  assert_value (synack, "tcp.analysis.acks_frame", "1");
  assert_value (synack, "tcp.analysis.ack_rtt", "0.000016000 seconds");
  assert_value (synack, "tcp.analysis.initial_rtt", NULL);
  assert_value (ack, "tcp.analysis.acks_frame", "2");
  assert_value (ack, "tcp.analysis.ack_rtt", "0.000015000 seconds");
  assert_value (ack, "tcp.analysis.initial_rtt", "0.000031000 seconds");
  assert_value (data, "tcp.analysis.initial_rtt", "0.000031000 seconds");
  assert_value (data, "tcp.analysis.bytes_in_flight", "32664");
  assert_value (data, "tcp.analysis.push_bytes_sent", "32664");
  assert_value (data, "tcp.analysis.acks_frame", NULL);
  assert_value (data_ack, "tcp.analysis.acks_frame", "46");
  assert_value (data_ack, "tcp.analysis.ack_rtt", "0.002630000 seconds");
  assert_value (data_ack, "tcp.analysis.bytes_in_flight", "370");
  assert_value (data_ack, "tcp.analysis.push_bytes_sent", "370");
  assert_value (data_ack, "tcp.analysis.flags", NULL);
  assert_value (last, "tcp.analysis.bytes_in_flight", "67454");
  assert_value (last, "tcp.analysis.push_bytes_sent", "2126");
  assert_value (data, "tcp.pdu.segment", "segment 2 of 23 of HTTP/1.1 200 OK (frames 10–44)");
  assert_value (last, "tcp.pdu.segment", "segment 223 of 223 of HTTP/1.1 206 Partial Content (frames 50–323)");
  assert_value (ack, "tcp.pdu.segment", NULL);
}

/* A flagged frame's group carries one child per flag with its sentence. */
static void
test_field_tree_flags (void)
{
  static const Seg segs[] = {
    HANDSHAKE,
    { 30000, C, ACK, 1,   1, 100, 1000, 0 },
    { 30100, C, ACK, 201, 1, 100, 1000, 0 },
  };
  g_autoptr(PlCapture) capture = load_segments (segs, G_N_ELEMENTS (segs));
  g_autoptr(PlField) root = pl_field_tree_build (capture, 4);
  PlField *flags = pl_field_find (root, "tcp.analysis.flags");
  PlField *lost;

  g_assert_nonnull (flags);
  g_assert_cmpuint (pl_field_get_n_children (flags), ==, 1);
  lost = pl_field_find (flags, "tcp.analysis.lost_segment");
  g_assert_nonnull (lost);
  g_assert_true (pl_field_get_generated (lost));
  g_assert_cmpstr (pl_field_get_value (lost), ==,
                   "Previous segment not captured: expected seq 101, got 201 (100 bytes missing)");
}

static void
test_names (void)
{
  g_assert_cmpstr (pl_analysis_flag_name (0), ==, "retransmission");
  g_assert_cmpstr (pl_analysis_flag_name (14), ==, "reused_ports");
  g_assert_null (pl_analysis_flag_name (PL_ANALYSIS_N_FLAGS));
  g_assert_cmpuint (PL_ANALYSIS_REUSED_PORTS, ==, 1u << 14);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/tcp-analysis/names", test_names);
  g_test_add_func ("/tcp-analysis/syn-copy", test_syn_copy);
  g_test_add_func ("/tcp-analysis/retransmissions", test_retransmissions);
  g_test_add_func ("/tcp-analysis/order-and-loss", test_order_and_loss);
  g_test_add_func ("/tcp-analysis/windows", test_windows);
  g_test_add_func ("/tcp-analysis/keep-alive-and-reuse", test_keep_alive_and_reuse);
  g_test_add_func ("/tcp-analysis/syn-ack-reuse", test_syn_ack_reuse);
  g_test_add_func ("/tcp-analysis/ack-lost-repeats", test_ack_lost_repeats);
  g_test_add_func ("/tcp-analysis/rst-without-ack", test_rst_without_ack);
  g_test_add_func ("/tcp-analysis/length-unknown", test_length_unknown);
  g_test_add_func ("/tcp-analysis/field-tree/sample", test_field_tree_sample);
  g_test_add_func ("/tcp-analysis/field-tree/flags", test_field_tree_flags);

  return g_test_run ();
}
