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

#include "pl-test-require.h"

/* An accepted difference: one column on an exact run of frames, each of
 * which must still differ (a listed difference that no longer occurs
 * fails, so the list stays true). */
typedef struct
{
  const char *file;        /* path relative to the corpus or tests/data */
  guint       first_frame; /* frame numbers from 1, inclusive */
  guint       last_frame;
  const char *column;      /* our column name */
  const char *reason;
} Quirk;

static const Quirk quirks[] = {
  { NULL, 0, 0, NULL, NULL }
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

/* Frames where our http column knowingly differs from tshark's: one row
 * per frame, each of which must still differ. */
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

#define TOKEN_METHOD_REASON \
  "a request method outside tshark 4.0's fixed list (PURGE): methods are tokens " \
  "(RFC 9110 section 9.1), we show the request, tshark only its response"

static const HttpDiff http_diffs[] = {
  { "http/http-range-file.pcap", 25, OUT_OF_ORDER_REASON },
  { "http/206_example_b.pcap", 953, OUT_OF_ORDER_REASON },
  { "data/loss-output.pcap", 850, OUT_OF_ORDER_REASON },
  { "data/http-methods.pcap", 44, TOKEN_METHOD_REASON },
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

/* PL_TSHARK_AGREE_FILE: one capture, nothing exempted. */
static gboolean single_file;

/* Summed over every file, for /tshark-agree/totals. */
static struct
{
  guint files;
  guint values;
  guint values_exempted;
  guint tcp_frames;
  guint analysis_agree;
  guint http_frames;
  guint http_exempted;
} totals;

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
              gboolean    *listed_seen,
              guint       *exempted)
{
  const char *method = ref[column_index (ref_header, "http.request.method")];
  g_autofree char *theirs = NULL;
  guint i;

  if (method[0] != '\0')
    theirs = g_strdup_printf ("%s %s", method, ref[column_index (ref_header, "http.request.uri")]);
  else
    theirs = g_strdup (ref[column_index (ref_header, "http.response.code")]);
  for (i = 0; http_diffs[i].file != NULL; i++)
    if (g_str_has_suffix (name, http_diffs[i].file) && http_diffs[i].frame == frame)
      {
        listed_seen[i] = strcmp (ours, theirs) != 0;
        if (listed_seen[i])
          (*exempted)++;
        return TRUE;
      }
  if (strcmp (ours, theirs) == 0)
    return TRUE;
  g_test_message ("%s: frame %u: http: ours '%s', tshark '%s'", name, frame, ours, theirs);
  return FALSE;
}

/* The index of the quirk covering this frame and column, or -1. */
static int
find_quirk (const char *name,
            guint       frame,
            const char *column)
{
  int i;

  for (i = 0; quirks[i].file != NULL; i++)
    if (g_str_has_suffix (name, quirks[i].file) &&
        frame >= quirks[i].first_frame && frame <= quirks[i].last_frame &&
        strcmp (quirks[i].column, column) == 0)
      return i;
  return -1;
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
  guint i, compared = 0, mismatches = 0, quirked = 0, extra = 0;
  guint tcp_frames = 0, analysis_agree = 0, analysis_unlisted = 0;
  guint http_frames = 0, http_agree = 0, http_unlisted = 0, http_exempted = 0;
  g_autofree gboolean *http_seen = g_new0 (gboolean, G_N_ELEMENTS (http_diffs));
  g_autofree gboolean *listed_seen = g_new0 (gboolean, G_N_ELEMENTS (analysis_diffs));
  g_autofree guint *quirk_hits = g_new0 (guint, G_N_ELEMENTS (quirks));
  g_autofree gboolean *in_reference = NULL;
  int our_stream;

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
  our_stream = column_index (our_header, "stream");
  g_assert_cmpint (our_stream, >=, 0);

  for (i = 1; our_lines[i] != NULL && our_lines[i][0] != '\0'; i++)
    g_ptr_array_add (ours, g_strsplit (our_lines[i], "\t", -1));
  in_reference = g_new0 (gboolean, ours->len + 1);

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
      in_reference[frame] = TRUE;
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
          int q;

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
          q = find_quirk (c->name, frame, col);
          if (values_equal (col, mine, theirs))
            {
              if (q >= 0)
                g_test_fail_printf ("%s: frame %u: %s: the listed difference (%s) no longer occurs",
                                    c->name, frame, col, quirks[q].reason);
              continue;
            }
          if (q >= 0)
            {
              quirk_hits[q]++;
              quirked++;
              continue;
            }
          mismatches++;
          if (mismatches <= 20)
            g_test_message ("%s: frame %u: %s: ours '%s', tshark '%s'", c->name, frame, col, mine, theirs);
        }

      tcp_frames++;
      if (compare_analysis (c->name, frame, ref_header, ref,
                            row[column_index (our_header, "analysis")],
                            listed_seen, &analysis_unlisted))
        analysis_agree++;

      http_frames++;
      if (!compare_http (c->name, frame, ref_header, ref, row[column_index (our_header, "http")],
                         http_seen, &http_exempted))
        http_unlisted++;
      else
        http_agree++;
    }

  /* The other way round: every frame we call TCP, tshark calls TCP. */
  for (i = 1; i <= ours->len; i++)
    {
      char **row = g_ptr_array_index (ours, i - 1);

      if (in_reference[i] || row[our_stream] == NULL || row[our_stream][0] == '\0')
        continue;
      extra++;
      if (extra <= 20)
        g_test_message ("%s: frame %u: we report a TCP segment (stream %s), tshark has no TCP row",
                        c->name, i, row[our_stream]);
    }
  if (extra > 0)
    g_test_fail_printf ("%s: %u frames are TCP for us and not for tshark", c->name, extra);

  g_test_message ("%s: %u values compared, %u mismatches, %u exempted by the list",
                  c->name, compared, mismatches, quirked);
  if (mismatches > 0)
    g_test_fail_printf ("%s: %u values differ from tshark (see the messages above)", c->name, mismatches);
  for (i = 0; quirks[i].file != NULL; i++)
    if (g_str_has_suffix (c->name, quirks[i].file) &&
        quirk_hits[i] != quirks[i].last_frame - quirks[i].first_frame + 1)
      g_test_fail_printf ("%s: frames %u-%u: the listed %s difference (%s) occurs on %u of them",
                          c->name, quirks[i].first_frame, quirks[i].last_frame, quirks[i].column,
                          quirks[i].reason, quirk_hits[i]);

  if (tcp_frames > 0)
    g_test_message ("%s: analysis flags agree on %u of %u TCP frames (%.2f%%)",
                    c->name, analysis_agree, tcp_frames, 100.0 * analysis_agree / tcp_frames);
  if (analysis_unlisted > 0)
    g_test_fail_printf ("%s: %u analysis flags differ from tshark and are not listed (see the messages above)",
                        c->name, analysis_unlisted);
  g_test_message ("%s: http column agrees on %u of %u frames, %u listed differences",
                  c->name, http_agree - http_exempted, http_frames, http_exempted);
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

  if (single_file)
    {
      g_assert_cmpuint (tcp_frames, >, 0);
      g_assert_cmpuint (quirked, ==, 0);
      g_assert_cmpuint (analysis_agree, ==, tcp_frames);
      g_assert_cmpuint (http_exempted, ==, 0);
      g_assert_cmpuint (http_agree, ==, http_frames);
    }

  totals.files++;
  totals.values += compared;
  totals.values_exempted += quirked;
  totals.tcp_frames += tcp_frames;
  totals.analysis_agree += analysis_agree;
  totals.http_frames += http_frames;
  totals.http_exempted += http_exempted;
}

/* The figures README.md quotes ("How it agrees with Wireshark"), printed
 * after the last file.  With the corpus here they are at least these: a
 * file that drops out of the comparison cannot go unnoticed. */
#define README_FILES            85
#define README_VALUES           153000

static void
test_totals (void)
{
  g_test_message ("all files: %u files, %u header values compared (%u exempted by the list), "
                  "analysis flags of %u TCP frames (%u agree), http column on %u frames (%u listed differences)",
                  totals.files, totals.values, totals.values_exempted, totals.tcp_frames,
                  totals.analysis_agree, totals.http_frames, totals.http_exempted);
  g_assert_cmpuint (totals.analysis_agree, ==, totals.tcp_frames);
  if (pl_test_corpus_dir () != NULL)
    {
      g_assert_cmpuint (totals.files, >=, README_FILES);
      g_assert_cmpuint (totals.values, >=, README_VALUES);
    }
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

int
main (int    argc,
      char **argv)
{
  const char *corpus = pl_test_corpus_dir ();
  g_autofree char *fixtures = g_build_filename (PL_TEST_SOURCE_ROOT, "tests", NULL);
  static const char * const corpus_dirs[] = { "http", "tcp", "ipv6", "linktypes", "formats" };
  guint i;

  const char *one = g_getenv ("PL_TSHARK_AGREE_FILE");

  g_test_init (&argc, &argv, NULL);

  if (one != NULL && one[0] != '\0')
    {
      Case *c = g_new0 (Case, 1);

      single_file = TRUE;
      c->path = g_strdup (one);
      c->name = g_path_get_basename (one);
      g_test_add_data_func ("/tshark-agree/one", c, test_capture);
      return g_test_run ();
    }

  if (corpus != NULL)
    {
      for (i = 0; i < G_N_ELEMENTS (corpus_dirs); i++)
        add_dir (corpus, corpus_dirs[i], "corpus");
    }
  else
    g_test_add_data_func ("/tshark-agree/corpus", "agreement with tshark on its captures",
                          pl_test_corpus_absent);

  add_dir (fixtures, "data", "ours");
  add_dir (PL_TEST_SOURCE_ROOT, "data/samples", "ours");
  /* A suite of its own, added last: GLib runs a suite's cases before its
   * sub-suites, and sub-suites in the order they were made. */
  g_test_add_func ("/tshark-agree/totals/all", test_totals);

  return g_test_run ();
}
