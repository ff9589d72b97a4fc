/* test-http-cli.c: the HTTP/1.x side of the command line (RFC 9112):
 * --dump-http on the bundled sample, --save-body and its errors, the http
 * column of --list-streams, and --dump-http against what curl reported
 * for our own HTTP fixtures (tests/data/http-lab*.pcap with a
 * <capture>.curl.tsv sidecar), skipped when there are none.
 */
#include "config.h"

#include <glib.h>
#include <glib/gstdio.h>
#include <stdio.h>
#include <string.h>

#include "pl-cli-test.h"
#include "pl-test-require.h"

static void
test_dump_http (void)
{
  g_autofree char *sample = sample_path ();
  g_auto(Run) run = { 0 };

  run_cli (&run, "--dump-http", sample, NULL);
  g_assert_cmpint (run.status, ==, 0);
  g_assert_cmpstr (run.err, ==, "");
  g_assert_cmpstr (run.out, ==,
    "stream\tkind\tfirst_frame\tlast_frame\tmethod\turi\tstatus\tcontent_length\tcontent_range\tbody_bytes\tbody_length\tcomplete\n"
    "0\trequest\t4\t4\tGET\t/\t\t\t\t0\t0\tyes\n"
    "0\tresponse\t6\t6\tGET\t/\t200\t954\t\t954\t954\tyes\n"
    "0\trequest\t8\t8\tGET\t/logo.jpg\t\t\t\t0\t0\tyes\n"
    "0\tresponse\t10\t44\tGET\t/logo.jpg\t200\t301768\t\t301768\t301768\tyes\n"
    "0\trequest\t46\t46\tGET\t/music.mp3\t\t\t\t0\t0\tyes\n"
    "0\tresponse\t47\t47\tGET\t/music.mp3\t206\t2\tbytes 0-1/3365242\t2\t2\tyes\n"
    "0\trequest\t49\t49\tGET\t/music.mp3\t\t\t\t0\t0\tyes\n"
    "0\tresponse\t50\t323\tGET\t/music.mp3\t206\t3365242\tbytes 0-3365241/3365242\t3365242\t3365242\tyes\n");
}

static void
test_list_streams_http (void)
{
  g_autofree char *sample = sample_path ();
  g_auto(Run) run = { 0 };
  g_auto(GStrv) lines = NULL;

  run_cli (&run, "--list-streams", sample, NULL);
  g_assert_cmpint (run.status, ==, 0);
  lines = g_strsplit (run.out, "\n", -1);
  g_assert_true (g_str_has_suffix (lines[0], "\thttp\tsni"));
  /* Plain HTTP: the sni column stays empty. */
  g_assert_true (g_str_has_suffix (lines[1], "\tGET / -> 200; GET /logo.jpg -> 200; "
                                             "GET /music.mp3 -> 206; GET /music.mp3 -> 206\t"));
  g_assert_cmpstr (lines[2], ==, "");
}

static void
test_dump_frames_http (void)
{
  g_autofree char *sample = sample_path ();
  g_auto(Run) run = { 0 };
  g_auto(GStrv) lines = NULL;
  guint i, marked = 0;

  run_cli (&run, "--dump-frames", sample, NULL);
  g_assert_cmpint (run.status, ==, 0);
  lines = g_strsplit (run.out, "\n", -1);
  g_assert_true (g_str_has_suffix (lines[0], "\thttp\ttls_records\ttls_handshakes"));
  for (i = 1; lines[i] != NULL && lines[i][0] != '\0'; i++)
    {
      g_auto(GStrv) cols = g_strsplit (lines[i], "\t", -1);
      const char *http;

      /* http, then the two TLS columns (empty on plain HTTP). */
      g_assert_cmpuint (g_strv_length (cols), ==, 18);
      g_assert_cmpstr (cols[16], ==, "");
      g_assert_cmpstr (cols[17], ==, "");
      http = cols[15];
      if (*http == '\0')
        continue;
      marked++;
      if (i == 44)
        g_assert_cmpstr (http, ==, "200");
      if (i == 49)
        g_assert_cmpstr (http, ==, "GET /music.mp3");
      if (i == 323)
        g_assert_cmpstr (http, ==, "206");
    }
  g_assert_cmpuint (marked, ==, 8);
}

static void
test_save_body (void)
{
  g_autofree char *sample = sample_path ();
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("pl-http-cli-XXXXXX", &error);
  g_autofree char *out = g_build_filename (dir, "logo.jpg", NULL);
  g_autofree char *arg = g_strconcat ("--save-body=44:", out, NULL);
  g_autofree char *arg_none = g_strconcat ("--save-body=5:", out, NULL);
  g_autofree char *arg_request = g_strconcat ("--save-body=4:", out, NULL);
  g_autofree char *expected_path = g_build_filename (PL_TEST_SOURCE_ROOT, "tests", "data", "lab-logo.jpg", NULL);
  g_autofree char *expected = NULL;
  g_autofree char *saved = NULL;
  gsize expected_len, saved_len;
  g_auto(Run) ok = { 0 };
  g_auto(Run) none = { 0 };
  g_auto(Run) request = { 0 };
  g_auto(Run) bad = { 0 };

  g_assert_no_error (error);
  run_cli (&ok, arg, sample, NULL);
  g_assert_cmpint (ok.status, ==, 0);
  g_assert_cmpstr (ok.out, ==, "");
  g_assert_true (g_file_get_contents (expected_path, &expected, &expected_len, NULL));
  g_assert_true (g_file_get_contents (out, &saved, &saved_len, NULL));
  g_assert_cmpmem (saved, saved_len, expected, expected_len);

  /* Frame 5 completes no message; frame 4 completes a request without a body. */
  run_cli (&none, arg_none, sample, NULL);
  g_assert_cmpint (none.status, ==, 1);
  g_assert_nonnull (strstr (none.err, "no HTTP message is completed in frame 5"));
  g_assert_nonnull (strstr (none.err, "lab.pcap"));
  run_cli (&request, arg_request, sample, NULL);
  g_assert_cmpint (request.status, ==, 1);
  g_assert_nonnull (strstr (request.err, "no body"));
  /* The earlier file is still whole. */
  g_clear_pointer (&saved, g_free);
  g_assert_true (g_file_get_contents (out, &saved, &saved_len, NULL));
  g_assert_cmpuint (saved_len, ==, expected_len);

  run_cli (&bad, "--save-body=x", sample, NULL);
  g_assert_cmpint (bad.status, ==, 2);

  g_unlink (out);
  g_rmdir (dir);
}

/* --save-body --stitch: http-lab.pcap's two 206 answers for /music.mp3
 * (bytes 0-72992 and 20000-49999) make the whole file, from either. */
static void
test_save_stitched (void)
{
  g_autofree char *capture = g_build_filename (PL_TEST_SOURCE_ROOT, "tests", "data", "http-lab.pcap", NULL);
  g_autofree char *music = g_build_filename (PL_TEST_SOURCE_ROOT, "tests", "data", "lab-music.mp3", NULL);
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("pl-http-cli-XXXXXX", &error);
  g_autofree char *out = g_build_filename (dir, "music.mp3", NULL);
  g_autofree char *arg = g_strconcat ("--save-body=231:", out, NULL);
  g_autofree char *expected = NULL;
  g_autofree char *saved = NULL;
  gsize expected_len, saved_len;
  g_auto(Run) part = { 0 };
  g_auto(Run) whole = { 0 };
  g_auto(Run) alone = { 0 };

  g_assert_no_error (error);
  g_assert_true (g_file_get_contents (music, &expected, &expected_len, NULL));

  /* Without --stitch, frame 231's 206 body: bytes 20000-49999. */
  run_cli (&part, arg, capture, NULL);
  g_assert_cmpint (part.status, ==, 0);
  g_assert_true (g_file_get_contents (out, &saved, &saved_len, NULL));
  g_assert_cmpmem (saved, saved_len, expected + 20000, 30000);
  g_clear_pointer (&saved, g_free);

  run_cli (&whole, arg, "--stitch", capture, NULL);
  g_assert_cmpint (whole.status, ==, 0);
  g_assert_cmpstr (whole.err, ==, "");
  g_assert_true (g_file_get_contents (out, &saved, &saved_len, NULL));
  g_assert_cmpmem (saved, saved_len, expected, expected_len);

  run_cli (&alone, "--stitch", "--dump-http", capture, NULL);
  g_assert_cmpint (alone.status, ==, 2);
  g_assert_nonnull (strstr (alone.err, "--stitch needs --save-body"));

  g_unlink (out);
  g_rmdir (dir);
}

/* Range series from the corpus: http-range-file.pcap fetches a 146,515-byte
 * picture in fifteen 206 answers that leave no hole; byteranges.pcap holds
 * one multipart/byteranges answer with a few parts of a 605,292,323-byte
 * file.  The stitched file has the resource's length either way, the parts
 * in place and zeros elsewhere (a sparse file), and stderr names the holes. */
static void
test_save_stitched_corpus (void)
{
  const char *corpus = pl_test_corpus_dir ();
  g_autofree char *series = NULL;
  g_autofree char *multipart = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("pl-http-cli-XXXXXX", &error);
  g_autofree char *picture = g_build_filename (dir, "picture.jpg", NULL);
  g_autofree char *part = g_build_filename (dir, "part", NULL);
  g_autofree char *big = g_build_filename (dir, "big.psf", NULL);
  g_autofree char *picture_arg = g_strconcat ("--save-body=25:", picture, NULL);
  g_autofree char *part_arg = g_strconcat ("--save-body=46:", part, NULL);
  g_autofree char *big_arg = g_strconcat ("--save-body=65:", big, NULL);
  g_autofree char *saved = NULL;
  g_autofree char *piece = NULL;
  gsize saved_len, piece_len;
  g_auto(Run) whole = { 0 };
  g_auto(Run) second = { 0 };
  g_auto(Run) holes = { 0 };
  GStatBuf st;
  guint8 bytes[16], zeros[16] = { 0 };
  FILE *f;

  g_assert_no_error (error);
  if (corpus == NULL)
    {
      g_rmdir (dir);
      pl_test_corpus_absent ("http/http-range-file.pcap and http/byteranges.pcap");
      return;
    }
  series = g_build_filename (corpus, "http", "http-range-file.pcap", NULL);
  multipart = g_build_filename (corpus, "http", "byteranges.pcap", NULL);

  run_cli (&whole, picture_arg, "--stitch", series, NULL);
  g_assert_cmpint (whole.status, ==, 0);
  g_assert_cmpstr (whole.err, ==, "");
  g_assert_true (g_file_get_contents (picture, &saved, &saved_len, NULL));
  g_assert_cmpuint (saved_len, ==, 146515);
  /* JPEG: starts FF D8, ends FF D9; frame 46 completes bytes 10000-19999. */
  g_assert_cmpuint ((guint8) saved[0], ==, 0xff);
  g_assert_cmpuint ((guint8) saved[1], ==, 0xd8);
  g_assert_cmpuint ((guint8) saved[saved_len - 2], ==, 0xff);
  g_assert_cmpuint ((guint8) saved[saved_len - 1], ==, 0xd9);
  run_cli (&second, part_arg, series, NULL);
  g_assert_cmpint (second.status, ==, 0);
  g_assert_true (g_file_get_contents (part, &piece, &piece_len, NULL));
  g_assert_cmpmem (saved + 10000, 10000, piece, piece_len);

  run_cli (&holes, big_arg, "--stitch", multipart, NULL);
  g_assert_cmpint (holes.status, ==, 0);
  g_test_message ("%.200s", holes.err);
  g_assert_true (g_str_has_prefix (holes.err, "packet-ladder: warning: "));
  g_assert_nonnull (strstr (holes.err, ": bytes 0-3941901, 3944542-4000046, "));
  g_assert_nonnull (strstr (holes.err, " of 605292323 were not captured and are zeros"));
  g_assert_cmpint (g_stat (big, &st), ==, 0);
  g_assert_cmpint (st.st_size, ==, 605292323);
  f = fopen (big, "rb");
  g_assert_nonnull (f);
  g_assert_cmpint (fseek (f, 3941902 - 8, SEEK_SET), ==, 0);
  g_assert_cmpuint (fread (bytes, 1, sizeof bytes, f), ==, sizeof bytes);
  fclose (f);
  /* The hole ends in zeros, the part after it does not. */
  g_assert_cmpmem (bytes, 8, zeros, 8);
  g_assert_true (memcmp (bytes + 8, zeros, 8) != 0);

  g_unlink (picture);
  g_unlink (part);
  g_unlink (big);
  g_rmdir (dir);
}

static int
compare_names (gconstpointer a,
               gconstpointer b)
{
  return strcmp (*(const char * const *) a, *(const char * const *) b);
}

/* --dump-http responses against curl's own account of each transfer.
 * curl lists transfers in the order it made them, and parallel transfers
 * interleave on the wire, so the two lists are compared as multisets. */
static void
test_curl_sidecar (gconstpointer data)
{
  const char *path = data;
  g_autofree char *sidecar_path = g_strconcat (path, ".curl.tsv", NULL);
  g_autofree char *sidecar = NULL;
  g_auto(GStrv) ref = NULL;
  g_auto(GStrv) lines = NULL;
  g_auto(Run) run = { 0 };
  g_autoptr(GPtrArray) ours = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GPtrArray) theirs = g_ptr_array_new_with_free_func (g_free);
  guint i;

  g_assert_true (g_file_get_contents (sidecar_path, &sidecar, NULL, NULL));
  run_cli (&run, "--dump-http", path, NULL);
  g_assert_cmpint (run.status, ==, 0);

  /* Final responses (curl reports no 1xx): method uri status
   * content_length content_range body_bytes, as curl's columns; curl got
   * every body whole, so the capture holds what was declared. */
  lines = g_strsplit (run.out, "\n", -1);
  for (i = 1; lines[i] != NULL && lines[i][0] != '\0'; i++)
    {
      g_auto(GStrv) row = g_strsplit (lines[i], "\t", -1);

      g_assert_cmpuint (g_strv_length (row), ==, 12);
      if (strcmp (row[1], "response") != 0 || row[6][0] == '1')
        continue;
      g_assert_cmpstr (row[10], ==, row[9]);
      g_assert_cmpstr (row[11], ==, "yes");
      /* Cut the strv after body_length; free what the cut hides. */
      g_clear_pointer (&row[11], g_free);
      g_clear_pointer (&row[10], g_free);
      g_ptr_array_add (ours, g_strjoinv ("\t", row + 4));
    }

  ref = g_strsplit (sidecar, "\n", -1);
  for (i = 0; ref[i] != NULL; i++)
    {
      g_auto(GStrv) want = NULL;

      if (ref[i][0] == '\0' || ref[i][0] == '#' || g_str_has_prefix (ref[i], "method\t"))
        continue;
      want = g_strsplit (ref[i], "\t", -1);
      g_assert_cmpuint (g_strv_length (want), ==, 6);
      g_ptr_array_add (theirs, g_strjoinv ("\t", want));
    }

  g_ptr_array_sort (ours, compare_names);
  g_ptr_array_sort (theirs, compare_names);
  for (i = 0; i < MAX (ours->len, theirs->len); i++)
    {
      const char *o = i < ours->len ? g_ptr_array_index (ours, i) : "(none)";
      const char *t = i < theirs->len ? g_ptr_array_index (theirs, i) : "(none)";

      if (strcmp (o, t) != 0)
        g_test_fail_printf ("%s: sorted transfer %u: ours '%s', curl '%s'", path, i, o, t);
    }
  g_assert_cmpuint (theirs->len, >, 0);
  g_test_message ("%s: %u transfers compared with curl", path, theirs->len);
}

/* Methods as tokens and lenient request lines (tests/data/http-methods.pcap):
 * every request with its method and target as Wireshark reads them, each
 * response with the request it answers, lenient lines flagged; HTTP/0.9
 * "GET /" has no head end, so it never completes. */
static void
test_methods_and_lenient_lines (void)
{
  g_autofree char *path = g_build_filename (PL_TEST_SOURCE_ROOT, "tests", "data", "http-methods.pcap", NULL);
  g_auto(Run) run = { 0 };
  g_auto(GStrv) lines = NULL;
  g_autoptr(GString) summary = g_string_new (NULL);
  guint i;

  run_cli (&run, "--dump-http", path, NULL);
  g_assert_cmpint (run.status, ==, 0);
  lines = g_strsplit (run.out, "\n", -1);
  for (i = 1; lines[i] != NULL && lines[i][0] != '\0'; i++)
    {
      g_auto(GStrv) row = g_strsplit (lines[i], "\t", -1);

      /* kind method uri status complete */
      g_string_append_printf (summary, "%s %s %s %s %s\n", row[1], row[4], row[5], row[6], row[11]);
    }
  g_assert_cmpstr (summary->str, ==,
                   "request NOTIFY *  yes\n"
                   "response NOTIFY * 405 yes\n"
                   "request SUBSCRIBE /evt  yes\n"
                   "response SUBSCRIBE /evt 405 yes\n"
                   "request UNSUBSCRIBE /evt  yes\n"
                   "response UNSUBSCRIBE /evt 405 yes\n"
                   "request CCM_POST /ccm  yes\n"
                   "response CCM_POST /ccm 400 yes\n"
                   "request PURGE /index.html  yes\n"
                   "response PURGE /index.html 405 yes\n"
                   "request GET HTTP/1.1  yes\n"
                   "response GET HTTP/1.1 400 yes\n"
                   "request GET /a  yes\n"
                   "response GET /a 400 yes\n"
                   "request GET /  no\n"
                   "request GET /index.html  yes\n"
                   "request GET /a  yes\n"
                   "response GET /a 400 yes\n");
}

/* A capture that left out segments (tests/data/ack-unseen.pcap): each
 * response says how much of its body the capture holds against what it
 * declared, and is still paired with its request although one response's
 * head was never captured. */
static void
test_incomplete_messages (void)
{
  g_autofree char *path = g_build_filename (PL_TEST_SOURCE_ROOT, "tests", "data", "ack-unseen.pcap", NULL);
  g_auto(Run) run = { 0 };
  g_auto(GStrv) lines = NULL;
  guint i, incomplete = 0, responses = 0;

  run_cli (&run, "--dump-http", path, NULL);
  g_assert_cmpint (run.status, ==, 0);
  lines = g_strsplit (run.out, "\n", -1);
  for (i = 1; lines[i] != NULL && lines[i][0] != '\0'; i++)
    {
      g_auto(GStrv) row = g_strsplit (lines[i], "\t", -1);
      guint64 captured = g_ascii_strtoull (row[9], NULL, 10);

      if (strcmp (row[1], "request") == 0)
        {
          g_assert_cmpstr (row[9], ==, "0");
          g_assert_cmpstr (row[11], ==, "yes");
          continue;
        }
      responses++;
      /* The page is 66 bytes, the file 65536; never one for the other. */
      g_assert_cmpstr (row[10], ==, strcmp (row[5], "/index.html") == 0 ? "66" : "65536");
      g_assert_cmpstr (row[7], ==, row[10]);
      if (strcmp (row[11], "no") == 0)
        {
          incomplete++;
          g_assert_cmpuint (captured, <, 65536);
        }
      else
        g_assert_cmpstr (row[9], ==, row[10]);
    }
  g_assert_cmpuint (responses, >=, 10);
  g_assert_cmpuint (incomplete, >=, 3);
}

static void
test_no_curl_fixtures (void)
{
  pl_test_missing ("no tests/data/http-lab*.pcap with a .curl.tsv sidecar");
}

int
main (int    argc,
      char **argv)
{
  g_autofree char *data_dir = g_build_filename (PL_TEST_SOURCE_ROOT, "tests", "data", NULL);
  g_autoptr(GDir) dir = NULL;
  g_autoptr(GPtrArray) names = g_ptr_array_new_with_free_func (g_free);
  const char *name;
  guint i;

  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/http-cli/dump-http", test_dump_http);
  g_test_add_func ("/http-cli/list-streams", test_list_streams_http);
  g_test_add_func ("/http-cli/dump-frames", test_dump_frames_http);
  g_test_add_func ("/http-cli/save-body", test_save_body);
  g_test_add_func ("/http-cli/save-body-stitched", test_save_stitched);
  g_test_add_func ("/http-cli/corpus/save-body-stitched", test_save_stitched_corpus);
  g_test_add_func ("/http-cli/methods-and-lenient-lines", test_methods_and_lenient_lines);
  g_test_add_func ("/http-cli/incomplete-messages", test_incomplete_messages);

  dir = g_dir_open (data_dir, 0, NULL);
  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    if (g_str_has_prefix (name, "http-lab") && g_str_has_suffix (name, ".curl.tsv"))
      g_ptr_array_add (names, g_strndup (name, strlen (name) - strlen (".curl.tsv")));
  g_ptr_array_sort (names, compare_names);
  for (i = 0; i < names->len; i++)
    {
      g_autofree char *test_path = g_strdup_printf ("/http-cli/curl/%s", (char *) g_ptr_array_index (names, i));
      char *path = g_build_filename (data_dir, g_ptr_array_index (names, i), NULL);

      g_test_add_data_func_full (test_path, path, test_curl_sidecar, g_free);
    }
  if (names->len == 0)
    g_test_add_func ("/http-cli/curl/absent", test_no_curl_fixtures);

  return g_test_run ();
}
