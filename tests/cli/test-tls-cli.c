/* test-tls-cli.c: the TLS columns of the command line against tshark 4.0.
 *
 * For every capture in tests/data with a tshark TLS reference
 * <capture>.tls.tsv (build-aux/tshark-tls-reference.sh; check-references.sh
 * makes it again and fails when it went stale), the tls_records and
 * tls_handshakes columns of --dump-frames must equal tshark's
 * tls.record.content_type and tls.handshake.type on every frame, and the sni
 * column of --list-streams tshark's tls.handshake.extensions_server_name on
 * every stream: 100%, no quirk.  tls-lab.pcap also has its TLS on ports
 * tshark gives to no dissector (4433, 8444): tshark finds them with its
 * heuristic, so no "decode as" is needed.  http-lab.pcap has a reference
 * too: plain HTTP, where nothing may be taken for TLS.
 */
#include "config.h"

#include <glib.h>
#include <string.h>

#include "pl-cli-test.h"
#include "pl-test-require.h"

static char *
data_path (const char *name)
{
  return g_build_filename (g_getenv ("PL_TEST_SRCDIR"), "tests", "data", name, NULL);
}

static void
test_reference (gconstpointer user_data)
{
  const char *capture = user_data;
  g_autofree char *ref_path = g_strconcat (capture, ".tls.tsv", NULL);
  g_autofree char *ref_text = NULL;
  g_auto(Run) frames = { 0 };
  g_auto(Run) streams = { 0 };
  g_auto(GStrv) ref = NULL;
  g_auto(GStrv) ours = NULL;
  g_auto(GStrv) stream_lines = NULL;
  g_autoptr(GHashTable) our_rows = g_hash_table_new_full (g_direct_hash, g_direct_equal, NULL, (GDestroyNotify) g_strfreev);
  g_autoptr(GHashTable) their_sni = g_hash_table_new_full (g_direct_hash, g_direct_equal, NULL, g_free);
  g_autoptr(GError) error = NULL;
  guint i, n_frames = 0, n_tls = 0, differ = 0, n_sni = 0;

  g_assert_true (g_file_get_contents (ref_path, &ref_text, NULL, &error));
  g_assert_no_error (error);
  run_cli (&frames, "--dump-frames", capture, NULL);
  g_assert_cmpint (frames.status, ==, 0);
  run_cli (&streams, "--list-streams", capture, NULL);
  g_assert_cmpint (streams.status, ==, 0);

  ours = g_strsplit (frames.out, "\n", -1);
  g_assert_true (g_str_has_suffix (ours[0], "\thttp\ttls_records\ttls_handshakes"));
  for (i = 1; ours[i] != NULL && ours[i][0] != '\0'; i++)
    {
      char **cols = g_strsplit (ours[i], "\t", -1);

      g_assert_cmpuint (g_strv_length (cols), ==, 18);
      g_hash_table_insert (our_rows, GUINT_TO_POINTER (g_ascii_strtoull (cols[0], NULL, 10)), cols);
    }

  ref = g_strsplit (ref_text, "\n", -1);
  g_assert_cmpstr (ref[0], ==, "frame.number\ttcp.stream\ttls.record.content_type\ttls.handshake.type\t"
                               "tls.handshake.extensions_server_name");
  for (i = 1; ref[i] != NULL && ref[i][0] != '\0'; i++)
    {
      g_auto(GStrv) t = g_strsplit (ref[i], "\t", -1);
      guint frame;
      char **o;

      g_assert_cmpuint (g_strv_length (t), ==, 5);
      frame = (guint) g_ascii_strtoull (t[0], NULL, 10);
      o = g_hash_table_lookup (our_rows, GUINT_TO_POINTER (frame));
      g_assert_nonnull (o);
      n_frames++;
      n_tls += t[2][0] != '\0';
      if (g_strcmp0 (o[16], t[2]) != 0 || g_strcmp0 (o[17], t[3]) != 0)
        {
          g_test_message ("frame %u: ours '%s' / '%s', tshark '%s' / '%s'", frame, o[16], o[17], t[2], t[3]);
          differ++;
        }
      if (t[4][0] != '\0' && t[1][0] != '\0')
        g_hash_table_insert (their_sni, GUINT_TO_POINTER (g_ascii_strtoull (t[1], NULL, 10)), g_strdup (t[4]));
    }
  g_test_message ("%u frames, %u with TLS records in tshark, %u differ", n_frames, n_tls, differ);
  g_assert_cmpuint (differ, ==, 0);
  /* A capture without TLS (http-lab.pcap) checks that nothing is taken for
   * TLS; test_lab() checks that the TLS one is not empty. */

  stream_lines = g_strsplit (streams.out, "\n", -1);
  g_assert_true (g_str_has_suffix (stream_lines[0], "\thttp\tsni"));
  for (i = 1; stream_lines[i] != NULL && stream_lines[i][0] != '\0'; i++)
    {
      g_auto(GStrv) cols = g_strsplit (stream_lines[i], "\t", -1);
      const char *want;

      g_assert_cmpuint (g_strv_length (cols), ==, 12);
      want = g_hash_table_lookup (their_sni, GUINT_TO_POINTER (g_ascii_strtoull (cols[0], NULL, 10)));
      g_assert_cmpstr (cols[11], ==, want != NULL ? want : "");
      n_sni += want != NULL;
    }
  g_test_message ("%u streams with a server name", n_sni);
}

/* What the fixture is known to hold, so the comparison above cannot pass
 * on an empty reference: five ClientHellos, four ServerHellos, the two
 * TLS 1.2 Certificates, the fatal alert. */
static void
test_lab (void)
{
  g_autofree char *capture = data_path ("tls-lab.pcap");
  g_auto(Run) run = { 0 };
  g_auto(GStrv) lines = NULL;
  guint i, alerts = 0, client_hellos = 0, hellos = 0, certificates = 0;

  if (!g_file_test (capture, G_FILE_TEST_EXISTS))
    {
      pl_test_missing ("tests/data/tls-lab.pcap is missing (make-tls-fixtures.sh)");
      return;
    }
  run_cli (&run, "--dump-frames", capture, NULL);
  g_assert_cmpint (run.status, ==, 0);
  lines = g_strsplit (run.out, "\n", -1);
  for (i = 1; lines[i] != NULL && lines[i][0] != '\0'; i++)
    {
      g_auto(GStrv) cols = g_strsplit (lines[i], "\t", -1);
      g_auto(GStrv) hs = g_strsplit (cols[17], ",", -1);
      guint k;

      if (g_str_equal (cols[16], "21") && g_str_equal (cols[6], "3"))
        alerts++;
      for (k = 0; hs[k] != NULL; k++)
        {
          client_hellos += g_str_equal (hs[k], "1");
          hellos += g_str_equal (hs[k], "2");
          certificates += g_str_equal (hs[k], "11");
        }
    }
  g_assert_cmpuint (alerts, ==, 1);
  /* The failed handshake (8444) has no ServerHello. */
  g_assert_cmpuint (client_hellos, ==, 5);
  g_assert_cmpuint (hellos, ==, 4);
  g_assert_cmpuint (certificates, ==, 2);
}

int
main (int    argc,
      char **argv)
{
  g_autofree char *dir = NULL;
  g_autoptr(GDir) d = NULL;
  const char *name;
  guint n = 0;

  g_test_init (&argc, &argv, NULL);
  dir = g_build_filename (g_getenv ("PL_TEST_SRCDIR"), "tests", "data", NULL);
  d = g_dir_open (dir, 0, NULL);
  g_test_add_func ("/tls-cli/lab", test_lab);
  while (d != NULL && (name = g_dir_read_name (d)) != NULL)
    if (g_str_has_suffix (name, ".tls.tsv"))
      {
        g_autofree char *capture_name = g_strndup (name, strlen (name) - strlen (".tls.tsv"));
        g_autofree char *test_path = g_strdup_printf ("/tls-cli/tshark/%s", capture_name);

        g_test_add_data_func_full (test_path, g_build_filename (dir, capture_name, NULL),
                                   test_reference, g_free);
        n++;
      }
  if (n == 0)
    g_test_add_func ("/tls-cli/tshark/absent", test_lab);
  return g_test_run ();
}
