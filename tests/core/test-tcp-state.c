/* test-tcp-state.c: inferred endpoint states on hand-written segment
 * sequences (the textbook open and close, simultaneous open and close,
 * half-close, RST abort and refusal, a capture starting mid-connection),
 * and on the sample capture. */
#include "config.h"

#include "pl-capture.h"
#include "pl-tcp-state.h"
#include "pl-tcp-summary.h"
#include "pl-test-require.h"

#include <string.h>

#define C 0  /* client sends */
#define S 1  /* server sends */

enum { SYN = PL_TCP_SYN, ACK = PL_TCP_ACK, FIN = PL_TCP_FIN, RST = PL_TCP_RST, PSH = PL_TCP_PSH };

typedef struct
{
  guint8     dir;
  guint16    flags;
  guint32    seq;
  guint32    ack;
  guint32    len;
  PlTcpState client;   /* expected after the segment */
  PlTcpState server;
} Step;

static void
run_steps (const Step *steps,
           guint       n)
{
  PlTcpStateTrack t;
  guint i;

  pl_tcp_state_init (&t);
  for (i = 0; i < n; i++)
    {
      pl_tcp_state_update (&t, steps[i].dir, steps[i].flags, steps[i].seq, steps[i].ack, steps[i].len);
      if (t.state[0] != steps[i].client || t.state[1] != steps[i].server)
        g_error ("step %u: got %s/%s, expected %s/%s", i + 1,
                 pl_tcp_state_to_string (t.state[0]), pl_tcp_state_to_string (t.state[1]),
                 pl_tcp_state_to_string (steps[i].client), pl_tcp_state_to_string (steps[i].server));
      g_assert_cmpuint (pl_tcp_state_unpack (pl_tcp_state_pack (&t), 0), ==, steps[i].client);
      g_assert_cmpuint (pl_tcp_state_unpack (pl_tcp_state_pack (&t), 1), ==, steps[i].server);
    }
}

/* Client ISN 100, server ISN 500. */
static void
test_textbook (void)
{
  static const Step steps[] = {
    { C, SYN, 100, 0, 0, PL_TCP_STATE_SYN_SENT, PL_TCP_STATE_LISTEN },
    { S, SYN | ACK, 500, 101, 0, PL_TCP_STATE_ESTABLISHED, PL_TCP_STATE_SYN_RECEIVED },
    { C, ACK, 101, 501, 0, PL_TCP_STATE_ESTABLISHED, PL_TCP_STATE_ESTABLISHED },
    { C, PSH | ACK, 101, 501, 50, PL_TCP_STATE_ESTABLISHED, PL_TCP_STATE_ESTABLISHED },
    { S, PSH | ACK, 501, 151, 1000, PL_TCP_STATE_ESTABLISHED, PL_TCP_STATE_ESTABLISHED },
    { C, FIN | ACK, 151, 1501, 0, PL_TCP_STATE_FIN_WAIT_1, PL_TCP_STATE_CLOSE_WAIT },
    { S, ACK, 1501, 152, 0, PL_TCP_STATE_FIN_WAIT_2, PL_TCP_STATE_CLOSE_WAIT },
    { S, FIN | ACK, 1501, 152, 0, PL_TCP_STATE_TIME_WAIT, PL_TCP_STATE_LAST_ACK },
    { C, ACK, 152, 1502, 0, PL_TCP_STATE_TIME_WAIT, PL_TCP_STATE_CLOSED },
  };
  run_steps (steps, G_N_ELEMENTS (steps));
}

/* The server acknowledges the client's FIN in its own FIN (three-segment close). */
static void
test_three_way_close (void)
{
  static const Step steps[] = {
    { C, SYN, 100, 0, 0, PL_TCP_STATE_SYN_SENT, PL_TCP_STATE_LISTEN },
    { S, SYN | ACK, 500, 101, 0, PL_TCP_STATE_ESTABLISHED, PL_TCP_STATE_SYN_RECEIVED },
    { C, ACK, 101, 501, 0, PL_TCP_STATE_ESTABLISHED, PL_TCP_STATE_ESTABLISHED },
    { C, FIN | ACK, 101, 501, 0, PL_TCP_STATE_FIN_WAIT_1, PL_TCP_STATE_CLOSE_WAIT },
    { S, FIN | ACK, 501, 102, 0, PL_TCP_STATE_TIME_WAIT, PL_TCP_STATE_LAST_ACK },
    { C, ACK, 102, 502, 0, PL_TCP_STATE_TIME_WAIT, PL_TCP_STATE_CLOSED },
  };
  run_steps (steps, G_N_ELEMENTS (steps));
}

/* Both FINs cross: each was sent before the other arrived. */
static void
test_simultaneous_close (void)
{
  static const Step steps[] = {
    { C, SYN, 100, 0, 0, PL_TCP_STATE_SYN_SENT, PL_TCP_STATE_LISTEN },
    { S, SYN | ACK, 500, 101, 0, PL_TCP_STATE_ESTABLISHED, PL_TCP_STATE_SYN_RECEIVED },
    { C, ACK, 101, 501, 0, PL_TCP_STATE_ESTABLISHED, PL_TCP_STATE_ESTABLISHED },
    { C, FIN | ACK, 101, 501, 0, PL_TCP_STATE_FIN_WAIT_1, PL_TCP_STATE_CLOSE_WAIT },
    /* The server's FIN acknowledges only 101: it had not seen the client's FIN. */
    { S, FIN | ACK, 501, 101, 0, PL_TCP_STATE_CLOSING, PL_TCP_STATE_CLOSING },
    { C, ACK, 102, 502, 0, PL_TCP_STATE_CLOSING, PL_TCP_STATE_TIME_WAIT },
    { S, ACK, 502, 102, 0, PL_TCP_STATE_TIME_WAIT, PL_TCP_STATE_TIME_WAIT },
  };
  run_steps (steps, G_N_ELEMENTS (steps));
}

static void
test_simultaneous_open (void)
{
  static const Step steps[] = {
    { C, SYN, 100, 0, 0, PL_TCP_STATE_SYN_SENT, PL_TCP_STATE_LISTEN },
    { S, SYN, 500, 0, 0, PL_TCP_STATE_SYN_RECEIVED, PL_TCP_STATE_SYN_RECEIVED },
    { C, SYN | ACK, 100, 501, 0, PL_TCP_STATE_SYN_RECEIVED, PL_TCP_STATE_ESTABLISHED },
    { S, SYN | ACK, 500, 101, 0, PL_TCP_STATE_ESTABLISHED, PL_TCP_STATE_SYN_RECEIVED },
    { C, ACK, 101, 501, 0, PL_TCP_STATE_ESTABLISHED, PL_TCP_STATE_ESTABLISHED },
  };
  run_steps (steps, G_N_ELEMENTS (steps));
}

/* The client closes its side; the server goes on sending, then closes. */
static void
test_half_close (void)
{
  static const Step steps[] = {
    { C, SYN, 100, 0, 0, PL_TCP_STATE_SYN_SENT, PL_TCP_STATE_LISTEN },
    { S, SYN | ACK, 500, 101, 0, PL_TCP_STATE_ESTABLISHED, PL_TCP_STATE_SYN_RECEIVED },
    { C, ACK, 101, 501, 0, PL_TCP_STATE_ESTABLISHED, PL_TCP_STATE_ESTABLISHED },
    { C, FIN | ACK, 101, 501, 0, PL_TCP_STATE_FIN_WAIT_1, PL_TCP_STATE_CLOSE_WAIT },
    { S, PSH | ACK, 501, 102, 1000, PL_TCP_STATE_FIN_WAIT_2, PL_TCP_STATE_CLOSE_WAIT },
    { C, ACK, 102, 1501, 0, PL_TCP_STATE_FIN_WAIT_2, PL_TCP_STATE_CLOSE_WAIT },
    { S, PSH | ACK, 1501, 102, 1000, PL_TCP_STATE_FIN_WAIT_2, PL_TCP_STATE_CLOSE_WAIT },
    { S, FIN | ACK, 2501, 102, 0, PL_TCP_STATE_TIME_WAIT, PL_TCP_STATE_LAST_ACK },
    { C, ACK, 102, 2502, 0, PL_TCP_STATE_TIME_WAIT, PL_TCP_STATE_CLOSED },
  };
  run_steps (steps, G_N_ELEMENTS (steps));
}

static void
test_reset (void)
{
  static const Step abort_steps[] = {
    { C, SYN, 100, 0, 0, PL_TCP_STATE_SYN_SENT, PL_TCP_STATE_LISTEN },
    { S, SYN | ACK, 500, 101, 0, PL_TCP_STATE_ESTABLISHED, PL_TCP_STATE_SYN_RECEIVED },
    { C, ACK, 101, 501, 0, PL_TCP_STATE_ESTABLISHED, PL_TCP_STATE_ESTABLISHED },
    { C, PSH | ACK, 101, 501, 20, PL_TCP_STATE_ESTABLISHED, PL_TCP_STATE_ESTABLISHED },
    /* An in-window RST from the server: both closed, request unanswered. */
    { S, RST | ACK, 501, 121, 0, PL_TCP_STATE_CLOSED, PL_TCP_STATE_CLOSED },
  };
  static const Step refused_steps[] = {
    { C, SYN, 100, 0, 0, PL_TCP_STATE_SYN_SENT, PL_TCP_STATE_LISTEN },
    { S, RST | ACK, 0, 101, 0, PL_TCP_STATE_CLOSED, PL_TCP_STATE_CLOSED },
  };
  static const Step out_of_window_steps[] = {
    { C, SYN, 100, 0, 0, PL_TCP_STATE_SYN_SENT, PL_TCP_STATE_LISTEN },
    { S, SYN | ACK, 500, 101, 0, PL_TCP_STATE_ESTABLISHED, PL_TCP_STATE_SYN_RECEIVED },
    { C, ACK, 101, 501, 0, PL_TCP_STATE_ESTABLISHED, PL_TCP_STATE_ESTABLISHED },
    /* A RST far outside the window: the sender gave up, the client ignores it. */
    { S, RST, 900000, 0, 0, PL_TCP_STATE_ESTABLISHED, PL_TCP_STATE_CLOSED },
  };
  PlTcpStateTrack t;
  guint i;

  run_steps (abort_steps, G_N_ELEMENTS (abort_steps));
  run_steps (refused_steps, G_N_ELEMENTS (refused_steps));
  run_steps (out_of_window_steps, G_N_ELEMENTS (out_of_window_steps));

  pl_tcp_state_init (&t);
  for (i = 0; i < G_N_ELEMENTS (refused_steps); i++)
    pl_tcp_state_update (&t, refused_steps[i].dir, refused_steps[i].flags, refused_steps[i].seq,
                         refused_steps[i].ack, refused_steps[i].len);
  g_assert_cmpint (t.reset_by, ==, S);
  g_assert_cmpuint (t.reset_reason, ==, PL_TCP_RESET_REFUSED);
  g_assert_cmpuint (pl_tcp_state_close_kind (&t), ==, PL_TCP_CLOSE_RESET);

  pl_tcp_state_init (&t);
  for (i = 0; i < G_N_ELEMENTS (abort_steps); i++)
    pl_tcp_state_update (&t, abort_steps[i].dir, abort_steps[i].flags, abort_steps[i].seq,
                         abort_steps[i].ack, abort_steps[i].len);
  g_assert_cmpuint (t.reset_reason, ==, PL_TCP_RESET_UNANSWERED);
  g_assert_true (t.reset_in_window);
}

/* No handshake in the capture: unknown until the packets show it. */
static void
test_mid_capture (void)
{
  static const Step steps[] = {
    { S, PSH | ACK, 5000, 300, 100, PL_TCP_STATE_ESTABLISHED, PL_TCP_STATE_ESTABLISHED },
    { C, ACK, 300, 5100, 0, PL_TCP_STATE_ESTABLISHED, PL_TCP_STATE_ESTABLISHED },
    { S, FIN | ACK, 5100, 300, 0, PL_TCP_STATE_CLOSE_WAIT, PL_TCP_STATE_FIN_WAIT_1 },
    { C, FIN | ACK, 300, 5101, 0, PL_TCP_STATE_LAST_ACK, PL_TCP_STATE_TIME_WAIT },
    { S, ACK, 5101, 301, 0, PL_TCP_STATE_CLOSED, PL_TCP_STATE_TIME_WAIT },
  };
  PlTcpStateTrack t;

  pl_tcp_state_init (&t);
  g_assert_cmpuint (t.state[0], ==, PL_TCP_STATE_UNKNOWN);
  run_steps (steps, G_N_ELEMENTS (steps));
}

/* The sample (the lab): one stream, opened with the handshake, closed with
 * FINs by the server first when its keep-alive timeout ran out. */
static void
test_sample (void)
{
  g_autofree char *path = g_build_filename (PL_TEST_SOURCE_ROOT, "data", "samples", "lab.pcap", NULL);
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(PlCapture) capture = pl_capture_new (file);
  g_autoptr(GError) error = NULL;
  guint s;

  g_assert_true (pl_capture_load (capture, NULL, NULL, NULL, &error));
  g_assert_cmpuint (pl_capture_get_n_streams (capture), ==, 1);
  for (s = 0; s < pl_capture_get_n_streams (capture); s++)
    {
      const PlTcpStream *stream = pl_capture_get_stream (capture, s);
      const PlFrame *first = pl_capture_get_frame (capture, stream->first_frame);
      const PlFrame *last = pl_capture_get_frame (capture, stream->last_frame);

      g_assert_cmpuint (pl_tcp_state_unpack (first->states, 0), ==, PL_TCP_STATE_SYN_SENT);
      g_assert_cmpuint (pl_tcp_state_unpack (first->states, 1), ==, PL_TCP_STATE_LISTEN);
      g_assert_cmpuint (pl_tcp_state_close_kind (&stream->state), ==, PL_TCP_CLOSE_FIN);
      g_assert_cmpint (stream->state.first_closer, ==, 1);
      /* After the last ACK: the active closer waits, the passive one is closed. */
      g_assert_cmpuint (pl_tcp_state_unpack (last->states, 1), ==, PL_TCP_STATE_TIME_WAIT);
      g_assert_cmpuint (pl_tcp_state_unpack (last->states, 0), ==, PL_TCP_STATE_CLOSED);
    }

  /* The summary sentences name the numbers of the handshake and the closer. */
  for (s = 0; s < pl_capture_get_n_streams (capture); s++)
    {
      PlTcpSummary sum;
      g_autofree char *open = NULL;
      g_autofree char *close = NULL;
      g_autofree char *isn = NULL;
      g_autofree char *story = NULL;

      pl_tcp_summary_compute (capture, s, &sum);
      open = pl_tcp_summary_describe_open (capture, s, &sum);
      close = pl_tcp_summary_describe_close (capture, s, &sum);
      story = pl_tcp_summary_describe_teardown (capture, s, &sum);
      g_test_message ("stream %u: %s / %s / %s", s, open, close, story);

      g_assert_true (sum.isn_known[0] && sum.isn_known[1]);
      g_assert_cmpuint (sum.syn_frame[0], ==, pl_capture_get_stream (capture, s)->first_frame);
      g_assert_cmpuint (sum.syn_frame[1], ==, sum.syn_frame[0] + 1);
      g_assert_cmpuint (sum.handshake_ack_frame, ==, sum.syn_frame[0] + 2);
      g_assert_cmpint (sum.irtt_ns, >=, 0);
      g_assert_cmpuint (sum.mss[0], ==, 16344);
      g_assert_cmpint (sum.wscale[0], >=, 0);
      isn = g_strdup_printf ("ISN %u", sum.isn[0]);
      g_assert_nonnull (strstr (open, isn));
      g_assert_nonnull (strstr (open, "MSS 16344"));
      g_assert_nonnull (strstr (open, "SACK permitted"));
      g_assert_cmpint (sum.first_closer, ==, 1);
      g_assert_cmpuint (sum.close_kind, ==, PL_TCP_CLOSE_FIN);
      g_assert_true (g_str_has_prefix (close, "Closed: the server"));
      g_assert_nonnull (strstr (close, "active close"));

      /* The story: http-server's Keep-Alive: timeout=5 ran out after the
       * last response; the client's ACK and FIN came apart (four
       * segments); TIME_WAIT and what 2MSL is for. */
      g_assert_cmpuint (sum.keep_alive_s, ==, 5);
      g_assert_cmpint (sum.idle_ns, >=, 4500000000);
      g_assert_true (sum.idle_is_keep_alive);
      g_assert_cmpuint (sum.fin_ack_frame, >, sum.fin_frame[1]);
      g_assert_false (sum.fin_rides_ack);
      g_assert_cmpuint (sum.fin_frame[0], >, sum.fin_ack_frame);
      g_assert_cmpuint (sum.last_ack_frame, >, sum.fin_frame[0]);
      g_assert_nonnull (story);
      g_assert_true (g_str_has_prefix (story, "The server (127.0.0.1:8080) closed first"));
      g_assert_nonnull (strstr (story, "Keep-Alive: timeout=5"));
      g_assert_nonnull (strstr (story, "four segments"));
      g_assert_nonnull (strstr (story, "TIME_WAIT lasts 2MSL"));
      g_assert_nonnull (strstr (story, "Linux waits 60 s"));
    }
}

/* A real reset from the shared corpus: a GET answered with 503, the
 * server's FIN (frame 7), then the client resets instead of closing. */
static void
test_corpus_reset (void)
{
  const char *corpus = pl_test_corpus_dir ();
  g_autofree char *path = NULL;
  g_autoptr(GFile) file = NULL;
  g_autoptr(PlCapture) capture = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *close = NULL;
  PlTcpSummary sum;

  if (corpus == NULL)
    {
      pl_test_corpus_absent ("http/one_http_stream_rst.pcap");
      return;
    }
  path = g_build_filename (corpus, "http", "one_http_stream_rst.pcap", NULL);
  file = g_file_new_for_path (path);
  capture = pl_capture_new (file);
  g_assert_true (pl_capture_load (capture, NULL, NULL, NULL, &error));
  pl_tcp_summary_compute (capture, 0, &sum);
  close = pl_tcp_summary_describe_close (capture, 0, &sum);
  g_test_message ("%s", close);
  g_assert_cmpuint (sum.close_kind, ==, PL_TCP_CLOSE_RESET);
  g_assert_cmpint (sum.reset_by, ==, 0);
  g_assert_cmpuint (sum.rst_frame, ==, 9);
  g_assert_cmpint (sum.first_closer, ==, 1);
  g_assert_cmpuint (sum.fin_frame[1], ==, 6);
  g_assert_true (g_str_has_prefix (close, "Reset by the client"));
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/tcp-state/textbook", test_textbook);
  g_test_add_func ("/tcp-state/three-way-close", test_three_way_close);
  g_test_add_func ("/tcp-state/simultaneous-close", test_simultaneous_close);
  g_test_add_func ("/tcp-state/simultaneous-open", test_simultaneous_open);
  g_test_add_func ("/tcp-state/half-close", test_half_close);
  g_test_add_func ("/tcp-state/reset", test_reset);
  g_test_add_func ("/tcp-state/mid-capture", test_mid_capture);
  g_test_add_func ("/tcp-state/sample", test_sample);
  g_test_add_func ("/tcp-state/corpus-reset", test_corpus_reset);
  return g_test_run ();
}
