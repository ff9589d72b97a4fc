/* test-libpcap-agree.c: reads every capture of the shared corpus with our
 * reader and with libpcap, and checks that both see the same frames.
 *
 * libpcap is the reference for pcap and pcapng (pcap-savefile(5),
 * draft-ietf-opsawg-pcapng): on every frame it returns we must agree on
 * the time in nanoseconds, the lengths and the bytes.  Where libpcap stops
 * with an error (pcapng files whose interfaces differ, see the corpus
 * MANIFEST) we must read at least as far.  Known, intended differences:
 * - a pcap record longer than the file's snap length: libpcap cuts it to
 *   the snap length, we keep what the file holds;
 * - pcap timestamp fields of 2^31 and more: libpcap sign-extends them, we
 *   read them unsigned as pcap-savefile says;
 * - files in malformed/ need only not crash us, and any error must name
 *   the file.
 * Our own fixtures (tests/data) and the sample are read the same way.  The
 * corpus lives outside the project (PL_SHARED_PCAPS, ../shared/pcaps next
 * to the source tree); without it its cases are one visible skip, or a
 * failure with PL_REQUIRE_CORPUS=1 (pl-test-require.h).
 */
#include <stdlib.h>
#include <string.h>

#include <glib.h>
#include <pcap/pcap.h>

#include "pl-capture-reader.h"
#include "pl-pcap-source.h"
#include "pl-test-require.h"

#ifndef PL_TEST_SOURCE_ROOT
# define PL_TEST_SOURCE_ROOT "."
#endif

#define NSEC G_GINT64_CONSTANT (1000000000)

typedef struct
{
  char    *path;       /* absolute or as given */
  char    *rel;        /* relative to the corpus, our display name */
  gint64   manifest;   /* packet count from MANIFEST.md, or -1 */
  gboolean malformed;
} CorpusFile;

static void
corpus_file_free (gpointer data)
{
  CorpusFile *cf = data;

  g_free (cf->path);
  g_free (cf->rel);
  g_free (cf);
}

static gboolean
is_capture_name (const char *name)
{
  return name[0] != '.' &&
         !g_str_has_suffix (name, ".tsv") &&
         !g_str_has_suffix (name, ".md") &&
         !g_str_has_suffix (name, ".sh") &&
         strcmp (name, "SHA256SUMS") != 0;
}

static void
collect_files (const char *root,
               const char *rel,
               GPtrArray  *out)
{
  g_autofree char *dir_path = rel != NULL ? g_build_filename (root, rel, NULL) : g_strdup (root);
  g_autoptr(GDir) dir = g_dir_open (dir_path, 0, NULL);
  g_autoptr(GPtrArray) names = g_ptr_array_new_with_free_func (g_free);  /* main sorts */
  const char *name;
  guint i;

  if (dir == NULL)
    return;
  while ((name = g_dir_read_name (dir)) != NULL)
    g_ptr_array_add (names, g_strdup (name));

  for (i = 0; i < names->len; i++)
    {
      const char *n = g_ptr_array_index (names, i);
      g_autofree char *child_rel = rel != NULL ? g_build_filename (rel, n, NULL) : g_strdup (n);
      g_autofree char *child = g_build_filename (root, child_rel, NULL);

      if (g_file_test (child, G_FILE_TEST_IS_DIR))
        collect_files (root, child_rel, out);
      else if (is_capture_name (n) && g_file_test (child, G_FILE_TEST_IS_REGULAR))
        {
          CorpusFile *cf = g_new0 (CorpusFile, 1);

          cf->path = g_steal_pointer (&child);
          cf->rel = g_steal_pointer (&child_rel);
          cf->manifest = -1;
          cf->malformed = g_str_has_prefix (cf->rel, "malformed" G_DIR_SEPARATOR_S);
          g_ptr_array_add (out, cf);
        }
    }
}

static int
compare_rel (gconstpointer a,
             gconstpointer b)
{
  const CorpusFile *fa = *(const CorpusFile * const *) a;
  const CorpusFile *fb = *(const CorpusFile * const *) b;

  return strcmp (fa->rel, fb->rel);
}

/* The pkts column of MANIFEST.md rows ("| `dir/file` | ... | pkts | ...")
 * when it is a plain count such as "159" or "0 (header only)". */
static GHashTable *
load_manifest_counts (const char *root)
{
  g_autofree char *path = g_build_filename (root, "MANIFEST.md", NULL);
  g_autofree char *text = NULL;
  g_auto(GStrv) lines = NULL;
  g_autoptr(GRegex) count_re = NULL;
  GHashTable *counts = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  guint i;

  if (!g_file_get_contents (path, &text, NULL, NULL))
    return counts;

  count_re = g_regex_new ("^([0-9]+)( \\([^)]*\\))?$", 0, 0, NULL);
  lines = g_strsplit (text, "\n", -1);
  for (i = 0; lines[i] != NULL; i++)
    {
      g_auto(GStrv) cells = NULL;
      g_autoptr(GMatchInfo) match = NULL;
      g_autofree char *file = NULL;
      g_autofree char *pkts = NULL;
      char *end;

      if (!g_str_has_prefix (lines[i], "| `"))
        continue;
      cells = g_strsplit (lines[i], "|", -1);
      if (g_strv_length (cells) < 8)
        continue;
      file = g_strstrip (g_strdup (cells[1]));
      pkts = g_strstrip (g_strdup (cells[6]));
      if (!g_str_has_prefix (file, "`") || !g_str_has_suffix (file, "`"))
        continue;
      if (!g_regex_match (count_re, pkts, 0, &match))
        continue;
      file[strlen (file) - 1] = '\0';
      g_hash_table_insert (counts, g_strdup (file + 1),
                           GINT_TO_POINTER ((gint) strtol (pkts, &end, 10) + 1));
    }
  return counts;
}

/* The highest frame.number in the sibling tshark TSV (TCP frames only), or
 * 0; our count must reach it. */
static guint64
tsv_last_frame (const char *capture_path)
{
  g_autofree char *path = g_strconcat (capture_path, ".tshark.tsv", NULL);
  g_autofree char *text = NULL;
  g_auto(GStrv) lines = NULL;
  guint64 last = 0;
  guint i;

  if (!g_file_get_contents (path, &text, NULL, NULL))
    return 0;
  lines = g_strsplit (text, "\n", -1);
  for (i = 1; lines[i] != NULL; i++)
    {
      guint64 n = g_ascii_strtoull (lines[i], NULL, 10);

      last = MAX (last, n);
    }
  return last;
}

static void
test_file (gconstpointer data)
{
  const CorpusFile *cf = data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GError) our_error = NULL;
  g_autoptr(GMappedFile) mapped = NULL;
  g_autoptr(PlCaptureReader) reader = NULL;
  char errbuf[PCAP_ERRBUF_SIZE] = "";
  pcap_t *pcap;
  const guint8 *bytes;
  gsize len;
  guint64 ours = 0;
  guint64 theirs = 0;
  guint64 cut_by_libpcap = 0;
  guint64 signed_ts = 0;
  const char *their_end = "end of file";
  char *their_error = NULL;
  guint64 tsv_last;

  mapped = g_mapped_file_new (cf->path, FALSE, &error);
  g_assert_no_error (error);
  bytes = (const guint8 *) g_mapped_file_get_contents (mapped);
  len = g_mapped_file_get_length (mapped);

  reader = pl_capture_reader_new (bytes, len, cf->rel, &our_error);
  pcap = pcap_open_offline_with_tstamp_precision (cf->path, PCAP_TSTAMP_PRECISION_NANO, errbuf);

  if (reader == NULL)
    {
      g_assert_nonnull (our_error);
      g_assert_nonnull (strstr (our_error->message, cf->rel));
      g_test_message ("%s: we refuse: %s; libpcap %s%s",
                      cf->rel, our_error->message,
                      pcap != NULL ? "opens it" : "refuses: ", pcap != NULL ? "" : errbuf);
      if (pcap != NULL)
        {
          struct pcap_pkthdr *hdr;
          const u_char *lp_data;
          int rc = pcap_next_ex (pcap, &hdr, &lp_data);

          /* Refusing what libpcap reads is only acceptable for damage. */
          if (rc == 1 && !cf->malformed)
            g_error ("%s: libpcap reads frames but we refuse the file: %s", cf->rel, our_error->message);
          pcap_close (pcap);
        }
      g_assert_true (cf->malformed || cf->manifest <= 0);
      return;
    }

  if (pcap == NULL)
    {
      g_test_message ("%s: libpcap refuses: %s", cf->rel, errbuf);
      their_end = "refused";
    }
  else
    {
      for (;;)
        {
          struct pcap_pkthdr *hdr;
          const u_char *lp_data;
          int rc = pcap_next_ex (pcap, &hdr, &lp_data);
          PlRecord rec;
          const PlInterface *iface;
          gint64 lp_ns;
          gboolean ok;

          if (rc == PCAP_ERROR_BREAK)
            {
              /* libpcap reached a clean end: so must we, at the same frame. */
              ok = pl_capture_reader_next (reader, &rec, &our_error);
              g_assert_no_error (our_error);
              if (ok)
                g_error ("%s: libpcap ends after %" G_GUINT64_FORMAT " frames, we read more", cf->rel, theirs);
              break;
            }
          if (rc != 1)
            {
              their_end = "error";
              their_error = g_strdup (pcap_geterr (pcap));
              break;
            }
          theirs++;

          ok = pl_capture_reader_next (reader, &rec, &our_error);
          if (!ok)
            g_error ("%s: frame %" G_GUINT64_FORMAT ": libpcap reads it, we stop: %s",
                     cf->rel, theirs, our_error != NULL ? our_error->message : "clean end");
          ours++;

          iface = pl_capture_reader_get_interface (reader, rec.iface);
          g_assert_cmpint (pl_linktype_to_dlt (iface->linktype), ==, pcap_datalink (pcap));

          lp_ns = (gint64) hdr->ts.tv_sec * NSEC + hdr->ts.tv_usec;
          if (lp_ns != rec.ts_ns && pl_capture_reader_get_format (reader) != PL_CAPTURE_FORMAT_PCAPNG &&
              (hdr->ts.tv_sec < 0 || hdr->ts.tv_usec < 0))
            {
              /* libpcap 1.10 reads the two pcap timestamp fields as signed
               * 32-bit values; pcap-savefile says unsigned, and so do we. */
              guint64 frac = pl_capture_reader_get_format (reader) == PL_CAPTURE_FORMAT_PCAP_NSEC
                ? (guint32) hdr->ts.tv_usec
                : (guint64) (guint32) (hdr->ts.tv_usec / 1000) * 1000;

              lp_ns = (gint64) ((guint64) (guint32) hdr->ts.tv_sec * NSEC + frac);
              signed_ts++;
            }
          if (lp_ns != rec.ts_ns)
            g_error ("%s: frame %" G_GUINT64_FORMAT ": time %" G_GINT64_FORMAT " ns, libpcap %" G_GINT64_FORMAT,
                     cf->rel, theirs, rec.ts_ns, lp_ns);
          g_assert_cmpuint (rec.origlen, ==, hdr->len);

          if (rec.caplen != hdr->caplen)
            {
              /* libpcap cuts records beyond the snap length (sf-pcap.c). */
              g_assert_true (pl_capture_reader_get_format (reader) != PL_CAPTURE_FORMAT_PCAPNG);
              g_assert_cmpuint (hdr->caplen, ==, (guint) pcap_snapshot (pcap));
              g_assert_cmpuint (rec.caplen, >, hdr->caplen);
              cut_by_libpcap++;
            }
          g_assert_cmpuint (rec.offset, <=, len);
          g_assert_cmpuint (rec.caplen, <=, len - rec.offset);
          if (hdr->caplen > 0 && memcmp (bytes + rec.offset, lp_data, hdr->caplen) != 0)
            g_error ("%s: frame %" G_GUINT64_FORMAT ": bytes differ from libpcap's", cf->rel, theirs);
        }
      pcap_close (pcap);
    }

  /* Whatever libpcap made of it, read the rest. */
  if (our_error == NULL)
    {
      PlRecord rec;

      while (pl_capture_reader_next (reader, &rec, &our_error))
        {
          g_assert_cmpuint (rec.offset, <=, len);
          g_assert_cmpuint (rec.caplen, <=, len - rec.offset);
          ours++;
        }
    }
  if (our_error != NULL)
    g_assert_nonnull (strstr (our_error->message, cf->rel));

  g_test_message ("%s: %s, %u interface%s; MANIFEST %" G_GINT64_FORMAT "; ours %" G_GUINT64_FORMAT " frames (%s); "
                  "libpcap %" G_GUINT64_FORMAT " (%s%s%s)%s%s",
                  cf->rel, pl_capture_format_to_string (pl_capture_reader_get_format (reader)),
                  pl_capture_reader_get_n_interfaces (reader),
                  pl_capture_reader_get_n_interfaces (reader) == 1 ? "" : "s",
                  cf->manifest, ours, our_error != NULL ? our_error->message : "clean end",
                  theirs, their_end,
                  their_error != NULL ? ": " : "", their_error != NULL ? their_error : "",
                  cut_by_libpcap > 0 ? "; libpcap cut some frames to the snap length" : "",
                  signed_ts > 0 ? "; libpcap read some timestamps as signed" : "");

  if (!cf->malformed)
    {
      /* A good capture reads to its end. */
      g_assert_no_error (our_error);
    }
  if (cf->manifest >= 0)
    g_assert_cmpint ((gint64) ours, ==, cf->manifest);

  tsv_last = tsv_last_frame (cf->path);
  g_assert_cmpuint (tsv_last, <=, ours);

  g_free (their_error);
}

/* Our own fixtures and the sample, next to the corpus: every file we
 * commit must read as libpcap reads it. */
static void
add_our_captures (const char *sub,
                  GPtrArray  *files)
{
  g_autofree char *dir_path = g_build_filename (PL_TEST_SOURCE_ROOT, sub, NULL);
  g_autoptr(GDir) dir = g_dir_open (dir_path, 0, NULL);
  const char *name;

  g_assert_nonnull (dir);
  while ((name = g_dir_read_name (dir)) != NULL)
    {
      CorpusFile *cf;

      if (!g_str_has_suffix (name, ".pcap") && !g_str_has_suffix (name, ".pcapng"))
        continue;
      cf = g_new0 (CorpusFile, 1);
      cf->path = g_build_filename (dir_path, name, NULL);
      cf->rel = g_build_filename (sub, name, NULL);
      cf->manifest = -1;
      g_ptr_array_add (files, cf);
    }
}

int
main (int   argc,
      char *argv[])
{
  const char *root = NULL;
  g_autoptr(GPtrArray) files = g_ptr_array_new_with_free_func (corpus_file_free);
  g_autoptr(GPtrArray) ours = g_ptr_array_new_with_free_func (corpus_file_free);
  g_autoptr(GHashTable) counts = NULL;
  guint i;

  g_test_init (&argc, &argv, NULL);

  add_our_captures ("tests/data", ours);
  add_our_captures ("data/samples", ours);
  g_ptr_array_sort (ours, compare_rel);
  g_assert_cmpuint (ours->len, >, 0);
  for (i = 0; i < ours->len; i++)
    {
      CorpusFile *cf = g_ptr_array_index (ours, i);
      g_autofree char *test_path = g_strconcat ("/libpcap-agree/ours/", cf->rel, NULL);

      g_test_add_data_func (test_path, cf, test_file);
    }

  root = pl_test_corpus_dir ();
  if (root != NULL)
    {
      collect_files (root, NULL, files);
      g_ptr_array_sort (files, compare_rel);
      counts = load_manifest_counts (root);
    }
  for (i = 0; i < files->len; i++)
    {
      CorpusFile *cf = g_ptr_array_index (files, i);
      g_autofree char *test_path = g_strconcat ("/libpcap-agree/corpus/", cf->rel, NULL);
      gpointer count;

      if (g_hash_table_lookup_extended (counts, cf->rel, NULL, &count))
        cf->manifest = GPOINTER_TO_INT (count) - 1;
      g_test_add_data_func (test_path, cf, test_file);
    }
  if (files->len == 0)
    g_test_add_data_func ("/libpcap-agree/corpus", "libpcap agreement on its captures",
                          pl_test_corpus_absent);

  return g_test_run ();
}
