/* test-tshark-agree.c: --dump-frames against tshark's reference output.
 *
 * For every capture with a sibling <capture>.tshark.tsv (the shared corpus
 * in ../shared/pcaps, and our own fixtures in tests/data), every TCP frame of
 * the reference must agree with our dump on time, addresses, ports, stream,
 * flags, relative and raw seq/ack, length and calculated window.  Known
 * differences where Wireshark is the odd one out are listed below with the
 * reason; anything else fails the test.
 *
 * The analysis column is checked against tshark's 15 tcp.analysis.* columns
 * (a name in our column <=> "1" in theirs): at least 99.5% of the TCP frames
 * of each file must agree on all 15, and every remaining difference must be
 * listed in analysis_diffs[] with its reason.  A listed difference that no
 * longer occurs fails too, so the list stays true.
 *
 * The http column must equal tshark's "http.request.method
 * http.request.uri" or http.response.code on every frame (tshark, with its
 * default desegmentation, puts them on the frame that completes head and
 * body), except the frames listed in http_diffs[], which must still differ.
 */
#include "config.h"

#include <glib.h>
#include <string.h>

typedef struct
{
  const char *file;   /* path relative to the corpus or tests/data */
  guint       frame;  /* 0: every frame of the file */
  const char *column; /* our column name */
  const char *reason;
} Quirk;

static const Quirk quirks[] = {
  /* LINKTYPE_NFLOG is outside the link types we decode: the file opens and
   * its frames are listed undecoded, as the MANIFEST intends. */
  { "linktypes/nflog.pcap", 0, "*", "NFLOG (239) is not a link type we decode" },
  /* Frames 60-159 sit on an interface whose 64-bit timestamps are just
   * below 2^64 microseconds (a corrupt or negative clock).  tshark prints
   * them as unsigned seconds (18446744073204.x); nanoseconds since the
   * epoch in 64 bits cannot hold that, so we clamp to the largest time. */
  { "formats/pcapng-example.pcapng", 0, "time", "timestamps beyond 64-bit nanoseconds" },
  { NULL, 0, NULL, NULL }
};

/* Analysis flags where we knowingly differ from tshark, one row per frame
 * and flag. */
typedef struct
{
  const char *file;   /* path relative to the corpus or tests/data */
  guint       frame;
  const char *flag;   /* the name after "tcp.analysis." */
  const char *reason;
} AnalysisDiff;

static const AnalysisDiff analysis_diffs[] = {
  { NULL, 0, NULL, NULL }
};

/* Frames where our http column knowingly differs from tshark's (frame 0:
 * the frames of that file where the reason applies, at least one). */
typedef struct
{
  const char *file;
  guint       frame;
  const char *reason;
} HttpDiff;

#define OUT_OF_ORDER_REASON \
  "we reassemble out-of-order segments; tshark 4.0 does not by default " \
  "(tcp.reassemble_out_of_order off) and loses this message; with it on, tshark agrees"
#define DUPLICATE_REASON \
  "the response was captured twice: tshark dissects the retransmitted copy " \
  "again, we count each stream byte once (first copy wins)"

static const HttpDiff http_diffs[] = {
  { "http/http-range-file.pcap", 25, OUT_OF_ORDER_REASON },
  { "http/206_example_b.pcap", 953, OUT_OF_ORDER_REASON },
  /* Regenerated with the loss fixtures: the frame moves, the reason stays. */
  { "data/loss-output.pcap", 0, OUT_OF_ORDER_REASON },
  { "tcp/wireshark-retrans.pcap", 42, DUPLICATE_REASON },
  { "tcp/wireshark-retrans.pcap", 86, DUPLICATE_REASON },
  { NULL, 0, NULL }
};

/* The names in our analysis column, in PlAnalysisFlags order. */
static const char * const analysis_names[] = {
  "retransmission",
  "fast_retransmission",
  "spurious_retransmission",
  "out_of_order",
  "lost_segment",
  "ack_lost_segment",
  "duplicate_ack",
  "zero_window",
  "zero_window_probe",
  "zero_window_probe_ack",
  "window_full",
  "window_update",
  "keep_alive",
  "keep_alive_ack",
  "reused_ports",
};

#define MIN_ANALYSIS_AGREEMENT 99.5

/* Our column name, tshark's column name. */
static const char * const columns[][2] = {
  { "time", "frame.time_epoch" },
  { "sport", "tcp.srcport" },
  { "dport", "tcp.dstport" },
  { "stream", "tcp.stream" },
  { "flags", "tcp.flags" },
  { "seq", "tcp.seq" },
  { "seq_raw", "tcp.seq_raw" },
  { "ack", "tcp.ack" },
  { "ack_raw", "tcp.ack_raw" },
  { "len", "tcp.len" },
  { "win", "tcp.window_size" },
};

typedef struct
{
  char       *path;
  char       *name;
} Case;

static int
column_index (char      **header,
              const char *name)
{
  int i;

  for (i = 0; header[i] != NULL; i++)
    if (strcmp (header[i], name) == 0)
      return i;
  return -1;
}

static const AnalysisDiff *
find_analysis_diff (const char *name,
                    guint       frame,
                    const char *flag,
                    guint      *index)
{
  guint i;

  for (i = 0; analysis_diffs[i].file != NULL; i++)
    if (g_str_has_suffix (name, analysis_diffs[i].file) &&
        analysis_diffs[i].frame == frame &&
        strcmp (analysis_diffs[i].flag, flag) == 0)
      {
        *index = i;
        return &analysis_diffs[i];
      }
  return NULL;
}

/* Compares one frame's analysis flags; returns TRUE when all 15 agree. */
static gboolean
compare_analysis (const char  *name,
                  guint        frame,
                  char       **ref_header,
                  char       **ref,
                  const char  *ours,
                  gboolean    *listed_seen,
                  guint       *unlisted)
{
  g_auto(GStrv) mine = g_strsplit (ours, ",", -1);
  gboolean all = TRUE;
  guint k;

  for (k = 0; k < G_N_ELEMENTS (analysis_names); k++)
    {
      g_autofree char *column = g_strconcat ("tcp.analysis.", analysis_names[k], NULL);
      int ri = column_index (ref_header, column);
      gboolean theirs, ours_set;
      const AnalysisDiff *diff;
      guint index = 0;

      g_assert_cmpint (ri, >=, 0);
      theirs = strcmp (ref[ri], "1") == 0;
      ours_set = g_strv_contains ((const char * const *) mine, analysis_names[k]);
      if (theirs == ours_set)
        continue;
      all = FALSE;
      diff = find_analysis_diff (name, frame, analysis_names[k], &index);
      if (diff != NULL)
        {
          listed_seen[index] = TRUE;
          continue;
        }
      (*unlisted)++;
      if (*unlisted <= 20)
        g_test_message ("%s: frame %u: analysis %s: ours %s, tshark %s (not listed)", name, frame,
                        analysis_names[k], ours_set ? "set" : "clear", theirs ? "set" : "clear");
    }
  return all;
}

/* Our http column against tshark's fields on one frame; FALSE when they
 * differ and the difference is not listed (listed ones are marked seen). */
static gboolean
compare_http (const char  *name,
              guint        frame,
              char       **ref_header,
              char       **ref,
              const char  *ours,
              gboolean    *listed_seen)
{
  const char *method = ref[column_index (ref_header, "http.request.method")];
  g_autofree char *theirs = NULL;
  guint i;

  if (method[0] != '\0')
    theirs = g_strdup_printf ("%s %s", method, ref[column_index (ref_header, "http.request.uri")]);
  else
    theirs = g_strdup (ref[column_index (ref_header, "http.response.code")]);
  for (i = 0; http_diffs[i].file != NULL; i++)
    {
      gboolean differ = strcmp (ours, theirs) != 0;

      if (!g_str_has_suffix (name, http_diffs[i].file))
        continue;
      /* frame 0: whichever frames of the file the reason applies to. */
      if (http_diffs[i].frame == frame || (http_diffs[i].frame == 0 && differ))
        {
          listed_seen[i] = listed_seen[i] || differ;
          return TRUE;
        }
    }
  if (strcmp (ours, theirs) == 0)
    return TRUE;
  g_test_message ("%s: frame %u: http: ours '%s', tshark '%s'", name, frame, ours, theirs);
  return FALSE;
}

static const Quirk *
find_quirk (const char *name,
            guint       frame,
            const char *column)
{
  guint i;

  for (i = 0; quirks[i].file != NULL; i++)
    if (g_str_has_suffix (name, quirks[i].file) &&
        (quirks[i].frame == 0 || quirks[i].frame == frame) &&
        (strcmp (quirks[i].column, "*") == 0 || strcmp (quirks[i].column, column) == 0))
      return &quirks[i];
  return NULL;
}

/* Hex flags compare by value (tshark writes 0x0018, we write 0x018). */
static gboolean
values_equal (const char *column,
              const char *ours,
              const char *theirs)
{
  if (strcmp (column, "flags") == 0)
    return g_ascii_strtoull (ours, NULL, 16) == g_ascii_strtoull (theirs, NULL, 16);
  return strcmp (ours, theirs) == 0;
}

static void
test_capture (gconstpointer data)
{
  const Case *c = data;
  const char *cli = g_getenv ("PL_CLI");
  g_autofree char *tsv_path = g_strconcat (c->path, ".tshark.tsv", NULL);
  g_autofree char *tsv = NULL;
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) ref_lines = NULL;
  g_auto(GStrv) our_lines = NULL;
  g_auto(GStrv) ref_header = NULL;
  g_auto(GStrv) our_header = NULL;
  g_autoptr(GPtrArray) ours = g_ptr_array_new_with_free_func ((GDestroyNotify) g_strfreev);
  const char *argv[] = { cli, "--dump-frames", c->path, NULL };
  int status = 0;
  guint i, compared = 0, mismatches = 0, quirked = 0;
  guint tcp_frames = 0, analysis_agree = 0, analysis_unlisted = 0;
  guint http_frames = 0, http_agree = 0, http_unlisted = 0;
  g_autofree gboolean *http_seen = g_new0 (gboolean, G_N_ELEMENTS (http_diffs));
  g_autofree gboolean *listed_seen = g_new0 (gboolean, G_N_ELEMENTS (analysis_diffs));

  g_assert_nonnull (cli);
  g_assert_true (g_file_get_contents (tsv_path, &tsv, NULL, &error));
  g_assert_no_error (error);

  g_assert_true (g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_DEFAULT, NULL, NULL,
                               &out, &err, &status, &error));
  g_assert_no_error (error);
  if (!g_spawn_check_wait_status (status, NULL))
    g_error ("%s: packet-ladder failed: %s", c->name, err);

  ref_lines = g_strsplit (tsv, "\n", -1);
  our_lines = g_strsplit (out, "\n", -1);
  ref_header = g_strsplit (ref_lines[0], "\t", -1);
  our_header = g_strsplit (our_lines[0], "\t", -1);

  for (i = 1; our_lines[i] != NULL && our_lines[i][0] != '\0'; i++)
    g_ptr_array_add (ours, g_strsplit (our_lines[i], "\t", -1));

  for (i = 1; ref_lines[i] != NULL; i++)
    {
      g_auto(GStrv) ref = NULL;
      char **row;
      guint frame, k;
      const char *ref_src, *ref_dst;

      if (ref_lines[i][0] == '\0')
        continue;
      ref = g_strsplit (ref_lines[i], "\t", -1);
      frame = (guint) g_ascii_strtoull (ref[column_index (ref_header, "frame.number")], NULL, 10);
      if (frame == 0 || frame > ours->len)
        {
          g_test_message ("%s: frame %u: tshark has it, we read only %u frames", c->name, frame, ours->len);
          mismatches++;
          continue;
        }
      row = g_ptr_array_index (ours, frame - 1);

      /* Exactly one of ip.src / ipv6.src is set. */
      ref_src = ref[column_index (ref_header, "ip.src")];
      if (ref_src[0] == '\0')
        ref_src = ref[column_index (ref_header, "ipv6.src")];
      ref_dst = ref[column_index (ref_header, "ip.dst")];
      if (ref_dst[0] == '\0')
        ref_dst = ref[column_index (ref_header, "ipv6.dst")];

      for (k = 0; k < G_N_ELEMENTS (columns) + 2; k++)
        {
          const char *col, *theirs, *mine;
          const Quirk *q;

          if (k < G_N_ELEMENTS (columns))
            {
              int ri = column_index (ref_header, columns[k][1]);

              col = columns[k][0];
              g_assert_cmpint (ri, >=, 0);
              theirs = ref[ri];
            }
          else
            {
              col = k == G_N_ELEMENTS (columns) ? "src" : "dst";
              theirs = k == G_N_ELEMENTS (columns) ? ref_src : ref_dst;
            }
          mine = row[column_index (our_header, col)];

          /* tshark prints the ack field of segments without ACK; we leave
           * it empty because it means nothing there. */
          if ((strcmp (col, "ack") == 0 || strcmp (col, "ack_raw") == 0) &&
              !(g_ascii_strtoull (ref[column_index (ref_header, "tcp.flags")], NULL, 16) & 0x10))
            continue;

          compared++;
          if (values_equal (col, mine, theirs))
            continue;
          q = find_quirk (c->name, frame, col);
          if (q != NULL)
            {
              quirked++;
              continue;
            }
          mismatches++;
          if (mismatches <= 20)
            g_test_message ("%s: frame %u: %s: ours '%s', tshark '%s'", c->name, frame, col, mine, theirs);
        }

      /* The analysis flags, unless the whole file is a listed quirk. */
      if (find_quirk (c->name, frame, "analysis") == NULL)
        {
          tcp_frames++;
          if (compare_analysis (c->name, frame, ref_header, ref,
                                row[column_index (our_header, "analysis")],
                                listed_seen, &analysis_unlisted))
            analysis_agree++;
        }

      if (find_quirk (c->name, frame, "http") == NULL)
        {
          http_frames++;
          if (!compare_http (c->name, frame, ref_header, ref, row[column_index (our_header, "http")], http_seen))
            http_unlisted++;
          else
            http_agree++;
        }
    }

  g_test_message ("%s: %u values compared, %u mismatches, %u listed quirks", c->name, compared, mismatches, quirked);
  if (mismatches > 0)
    g_test_fail_printf ("%s: %u values differ from tshark (see the messages above)", c->name, mismatches);

  if (tcp_frames > 0)
    {
      double pct = 100.0 * analysis_agree / tcp_frames;

      g_test_message ("%s: analysis flags agree on %u of %u TCP frames (%.2f%%)",
                      c->name, analysis_agree, tcp_frames, pct);
      if (pct < MIN_ANALYSIS_AGREEMENT)
        g_test_fail_printf ("%s: analysis flags agree on %.2f%% of TCP frames, below %.1f%%",
                            c->name, pct, MIN_ANALYSIS_AGREEMENT);
    }
  if (analysis_unlisted > 0)
    g_test_fail_printf ("%s: %u analysis flags differ from tshark and are not listed (see the messages above)",
                        c->name, analysis_unlisted);
  g_test_message ("%s: http column agrees on %u of %u frames (listed differences included)",
                  c->name, http_agree, http_frames);
  if (http_unlisted > 0)
    g_test_fail_printf ("%s: the http column differs from tshark on %u frames (see the messages above)",
                        c->name, http_unlisted);
  for (i = 0; http_diffs[i].file != NULL; i++)
    if (g_str_has_suffix (c->name, http_diffs[i].file) && !http_seen[i])
      g_test_fail_printf ("%s: frame %u: the listed http difference (%s) no longer occurs",
                          c->name, http_diffs[i].frame, http_diffs[i].reason);
  for (i = 0; analysis_diffs[i].file != NULL; i++)
    if (g_str_has_suffix (c->name, analysis_diffs[i].file) && !listed_seen[i])
      g_test_fail_printf ("%s: frame %u: the listed analysis difference (%s: %s) no longer occurs",
                          c->name, analysis_diffs[i].frame, analysis_diffs[i].flag, analysis_diffs[i].reason);
}

static int
compare_names (gconstpointer a,
               gconstpointer b)
{
  return strcmp (*(const char * const *) a, *(const char * const *) b);
}

static void
add_dir (const char *root,
         const char *sub,
         const char *prefix)
{
  g_autofree char *dir_path = g_build_filename (root, sub, NULL);
  g_autoptr(GDir) dir = g_dir_open (dir_path, 0, NULL);
  g_autoptr(GPtrArray) names = g_ptr_array_new_with_free_func (g_free);
  const char *name;
  guint i;

  if (dir == NULL)
    return;
  while ((name = g_dir_read_name (dir)) != NULL)
    if (g_str_has_suffix (name, ".tshark.tsv"))
      g_ptr_array_add (names, g_strndup (name, strlen (name) - strlen (".tshark.tsv")));
  g_ptr_array_sort (names, compare_names);

  for (i = 0; i < names->len; i++)
    {
      Case *c = g_new0 (Case, 1);
      g_autofree char *test_path = NULL;

      c->path = g_build_filename (dir_path, g_ptr_array_index (names, i), NULL);
      c->name = g_build_filename (sub, g_ptr_array_index (names, i), NULL);
      test_path = g_strdup_printf ("/tshark-agree/%s/%s", prefix, c->name);
      g_test_add_data_func_full (test_path, c, test_capture, NULL);
    }
}

static void
test_corpus_absent (void)
{
  g_test_skip ("the shared corpus (../shared/pcaps or PL_SHARED_PCAPS) is not here");
}

int
main (int    argc,
      char **argv)
{
  const char *corpus = g_getenv ("PL_SHARED_PCAPS");
  g_autofree char *fixtures = g_build_filename (PL_TEST_SOURCE_ROOT, "tests", NULL);
  static const char * const corpus_dirs[] = { "http", "tcp", "ipv6", "linktypes", "formats" };
  guint i;

  g_test_init (&argc, &argv, NULL);

  if (corpus != NULL && g_file_test (corpus, G_FILE_TEST_IS_DIR))
    {
      for (i = 0; i < G_N_ELEMENTS (corpus_dirs); i++)
        add_dir (corpus, corpus_dirs[i], "corpus");
    }
  else
    g_test_add_func ("/tshark-agree/corpus/absent", test_corpus_absent);

  add_dir (fixtures, "data", "ours");
  add_dir (PL_TEST_SOURCE_ROOT, "data/samples", "ours");

  return g_test_run ();
}
