/* test-http-capture.c: HTTP/1.x messages of a whole capture (RFC 9112,
 * RFC 9110 ranges and codings) on the bundled sample data/samples/lab.pcap:
 * the four requests and responses, their frames and pairing, Content-Range,
 * bodies saved atomically and identical to the files served, and the two
 * 206 answers for /music.mp3 stitched into the whole file.  Decoded bodies
 * (chunked, gzip, deflate) are compared with tshark's exported objects on
 * our fixtures and on the shared corpus.
 */
#include "config.h"

#include <glib/gstdio.h>
#include <string.h>

#include "pl-capture.h"
#include "pl-http-message.h"
#include "pl-test-require.h"

static PlCapture *
load (const char *path)
{
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(PlCapture) capture = pl_capture_new (file);
  g_autoptr(GError) error = NULL;

  g_assert_true (pl_capture_load (capture, NULL, NULL, NULL, &error));
  g_assert_no_error (error);
  return g_steal_pointer (&capture);
}

static PlCapture *
load_lab (void)
{
  g_autofree char *path = g_build_filename (PL_TEST_SOURCE_ROOT, "data", "samples", "lab.pcap", NULL);

  return load (path);
}

static GBytes *
read_fixture (const char *name)
{
  g_autofree char *path = g_build_filename (PL_TEST_SOURCE_ROOT, "tests", "data", name, NULL);
  g_autoptr(GError) error = NULL;
  char *data;
  gsize len;

  g_assert_true (g_file_get_contents (path, &data, &len, &error));
  g_assert_no_error (error);
  return g_bytes_new_take (data, len);
}

/* The SHA-256 of a file served while the sample was captured, as
 * make-sample.sh wrote them into data/samples/lab-served.sha256. */
static const char *
served_sha256 (const char *name)
{
  static GHashTable *sums;

  if (sums == NULL)
    {
      g_autofree char *path = g_build_filename (PL_TEST_SOURCE_ROOT, "data", "samples", "lab-served.sha256", NULL);
      g_autofree char *text = NULL;
      g_auto(GStrv) lines = NULL;
      guint i;

      g_assert_true (g_file_get_contents (path, &text, NULL, NULL));
      sums = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
      lines = g_strsplit (text, "\n", -1);
      for (i = 0; lines[i] != NULL; i++)
        {
          g_auto(GStrv) parts = g_strsplit (lines[i], "  ", 2);

          if (g_strv_length (parts) == 2)
            g_hash_table_insert (sums, g_strdup (parts[1]), g_strdup (parts[0]));
        }
    }
  g_assert_true (g_hash_table_contains (sums, name));
  return g_hash_table_lookup (sums, name);
}

static void
test_lab_messages (void)
{
  g_autoptr(PlCapture) capture = load_lab ();
  /* kind, stream, completing frame (from 1), method, uri, status */
  static const struct
  {
    gboolean    request;
    guint       stream;
    guint       frame;
    const char *uri;
    guint       status;
    guint64     body;
  } expect[] = {
    { TRUE, 0, 4, "/", 0, 0 },
    { FALSE, 0, 6, "/", 200, 954 },
    { TRUE, 0, 8, "/logo.jpg", 0, 0 },
    { FALSE, 0, 44, "/logo.jpg", 200, 301768 },
    { TRUE, 0, 46, "/music.mp3", 0, 0 },
    { FALSE, 0, 47, "/music.mp3", 206, 2 },
    { TRUE, 0, 49, "/music.mp3", 0, 0 },
    { FALSE, 0, 323, "/music.mp3", 206, 3365242 },
  };
  guint i;

  g_assert_cmpuint (pl_capture_get_n_http_messages (capture), ==, G_N_ELEMENTS (expect));
  for (i = 0; i < G_N_ELEMENTS (expect); i++)
    {
      g_autoptr(PlHttpMessage) msg = pl_capture_get_http_message (capture, i);
      g_autoptr(PlHttpMessage) done = pl_capture_get_http_message_completed_in (capture, expect[i].frame - 1);
      g_autoptr(PlHttpMessage) partner = NULL;
      g_autofree char *uri = pl_http_message_dup_uri (msg);
      g_autoptr(GArray) frames = pl_http_message_dup_frames (msg);

      g_assert_cmpint (pl_http_message_is_request (msg), ==, expect[i].request);
      g_assert_cmpuint (pl_http_message_get_stream (msg), ==, expect[i].stream);
      g_assert_cmpuint (pl_http_message_get_direction (msg), ==, expect[i].request ? 0 : 1);
      g_assert_cmpuint (pl_http_message_get_complete_frame (msg), ==, expect[i].frame - 1);
      g_assert_cmpuint (pl_http_message_get_last_frame (msg), ==, expect[i].frame - 1);
      g_assert_nonnull (done);
      g_assert_cmpuint (pl_http_message_get_index (done), ==, i);
      g_assert_cmpstr (pl_http_message_get_method_name (msg), ==, "GET");
      g_assert_cmpstr (uri, ==, expect[i].uri);
      g_assert_cmpuint (pl_http_message_get_status (msg), ==, expect[i].status);
      g_assert_cmpuint (pl_http_message_get_body_length (msg), ==, expect[i].body);
      g_assert_cmpuint (pl_http_message_get_flags (msg), ==, 0);
      g_assert_cmpuint (frames->len, >=, 1);
      g_assert_cmpuint (g_array_index (frames, guint32, 0), ==, pl_http_message_get_first_frame (msg));

      partner = expect[i].request ? pl_http_message_get_response (msg) : pl_http_message_get_request (msg);
      g_assert_nonnull (partner);
      g_assert_cmpuint (pl_http_message_get_index (partner), ==, expect[i].request ? i + 1 : i - 1);
      if (!expect[i].request)
        g_assert_cmpint (pl_http_message_get_response_time_ns (msg), >, 0);
    }

  /* The logo's response: 23 segments of at most 16332 bytes, frames 10..44. */
  {
    g_autoptr(PlHttpMessage) logo = pl_capture_get_http_message (capture, 3);
    g_autoptr(GArray) frames = pl_http_message_dup_frames (logo);
    guint k = 0, n = 0;
    g_autofree char *where = pl_capture_describe_http_segment (capture, 10, &k, &n);

    g_assert_cmpuint (frames->len, ==, 23);
    g_assert_cmpuint (pl_http_message_get_first_frame (logo), ==, 9);
    g_assert_cmpstr (where, ==, "segment 2 of 23 of HTTP/1.1 200 OK (frames 10–44)");
    g_assert_cmpuint (k, ==, 2);
    g_assert_cmpuint (n, ==, 23);
  }
  /* A frame that completes nothing, and carries no HTTP. */
  g_assert_null (pl_capture_get_http_message_completed_in (capture, 4));
  g_assert_null (pl_capture_describe_http_segment (capture, 4, NULL, NULL));
  g_assert_true (pl_capture_stream_has_http (capture, 0));
}

static void
test_lab_headers (void)
{
  g_autoptr(PlCapture) capture = load_lab ();
  g_autoptr(PlHttpMessage) request = pl_capture_get_http_message (capture, 6);
  g_autoptr(PlHttpMessage) response = pl_capture_get_http_message (capture, 7);
  g_autoptr(GArray) fields = pl_http_message_dup_headers (request);
  g_autoptr(GBytes) head = pl_http_message_dup_head (request);
  g_autofree char *range = pl_http_message_dup_header (request, "range");
  g_autofree char *reason = pl_http_message_dup_reason (response);
  const char *head_text;
  PlHttpRange cr;
  guint i;

  g_assert_nonnull (head);
  head_text = g_bytes_get_data (head, NULL);
  g_assert_true (g_str_has_prefix (head_text, "GET /music.mp3 HTTP/1.1\r\n"));
  g_assert_cmpstr (range, ==, "bytes=0-3365241");
  g_assert_cmpstr (reason, ==, "Partial Content");
  g_assert_cmpuint (fields->len, >=, 3);
  /* A browser's request on a keep-alive connection. */
  {
    g_autofree char *ua = pl_http_message_dup_header (request, "User-Agent");
    g_autofree char *accept = pl_http_message_dup_header (request, "Accept");
    g_autofree char *conn = pl_http_message_dup_header (request, "Connection");
    g_autofree char *keep = pl_http_message_dup_header (response, "Keep-Alive");

    g_assert_true (g_str_has_prefix (ua, "Mozilla/5.0"));
    g_assert_nonnull (accept);
    g_assert_cmpstr (conn, ==, "keep-alive");
    g_assert_cmpstr (keep, ==, "timeout=5");
  }
  /* Each field's position points at its name in the stream. */
  for (i = 0; i < fields->len; i++)
    {
      const PlHttpField *f = &g_array_index (fields, PlHttpField, i);
      guint64 rel = f->offset - pl_http_message_get_offset (request);

      g_assert_cmpmem (head_text + rel, strlen (f->name), f->name, strlen (f->name));
      g_assert_cmpuint (rel + f->length, <=, g_bytes_get_size (head));
    }

  g_assert_false (pl_http_message_get_content_range (request, &cr));
  g_assert_true (pl_http_message_get_content_range (response, &cr));
  g_assert_cmpuint (cr.first, ==, 0);
  g_assert_cmpuint (cr.last, ==, 3365241);
  g_assert_cmpint (cr.complete_length, ==, 3365242);
  g_assert_cmpuint (cr.length, ==, 3365242);

  {
    g_autoptr(PlHttpMessage) first = pl_capture_get_http_message (capture, 5);

    g_assert_true (pl_http_message_get_content_range (first, &cr));
    g_assert_cmpuint (cr.first, ==, 0);
    g_assert_cmpuint (cr.last, ==, 1);
    g_assert_cmpint (cr.complete_length, ==, 3365242);
    g_assert_cmpuint (cr.length, ==, 2);
  }
}

static void
test_lab_save_body (void)
{
  g_autoptr(PlCapture) capture = load_lab ();
  g_autoptr(PlHttpMessage) logo = pl_capture_get_http_message_completed_in (capture, 43);
  g_autoptr(PlHttpMessage) request = pl_capture_get_http_message (capture, 0);
  g_autoptr(GBytes) expected = read_fixture ("lab-logo.jpg");
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("pl-http-XXXXXX", &error);
  g_autofree char *path = g_build_filename (dir, "logo.jpg", NULL);
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autofree char *saved = NULL;
  gsize saved_len;

  g_assert_no_error (error);
  /* An existing file is replaced whole. */
  g_assert_true (g_file_set_contents (path, "old contents that are longer than nothing", -1, NULL));
  g_assert_true (pl_http_message_save_body (logo, file, &error));
  g_assert_no_error (error);
  g_assert_true (g_file_get_contents (path, &saved, &saved_len, NULL));
  g_assert_cmpmem (saved, saved_len, g_bytes_get_data (expected, NULL), g_bytes_get_size (expected));

  /* A request without a body: an error, and the file is left alone. */
  g_assert_false (pl_http_message_save_body (request, file, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND);
  g_clear_pointer (&saved, g_free);
  g_assert_true (g_file_get_contents (path, &saved, &saved_len, NULL));
  g_assert_cmpuint (saved_len, ==, g_bytes_get_size (expected));

  g_unlink (path);
  g_rmdir (dir);
}

static void
test_lab_stitch (void)
{
  g_autoptr(PlCapture) capture = load_lab ();
  g_autoptr(PlHttpMessage) part = pl_capture_get_http_message (capture, 7);
  g_autoptr(GArray) present = NULL;
  g_autoptr(GArray) missing = NULL;
  g_autoptr(GArray) responses = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) object = NULL;
  g_autofree char *sha = NULL;
  guint64 total = 0;

  object = pl_http_message_stitch (part, &total, &present, &missing, &error);
  g_assert_no_error (error);
  g_assert_nonnull (object);
  g_assert_cmpuint (total, ==, 3365242);
  g_assert_cmpuint (present->len, ==, 1);
  g_assert_cmpuint (g_array_index (present, PlHttpByteRange, 0).first, ==, 0);
  g_assert_cmpuint (g_array_index (present, PlHttpByteRange, 0).last, ==, 3365241);
  g_assert_cmpuint (missing->len, ==, 0);
  /* The file served, by the SHA-256 make-sample.sh recorded. */
  sha = g_compute_checksum_for_bytes (G_CHECKSUM_SHA256, object);
  g_assert_cmpstr (sha, ==, served_sha256 ("music.mp3"));

  /* The coverage bar's ranges, without reading the bodies: both 206s
   * (bytes 0-1, then 0-3365241) cover the whole file. */
  g_clear_pointer (&present, g_array_unref);
  g_clear_pointer (&missing, g_array_unref);
  total = 0;
  g_assert_true (pl_http_message_get_coverage (part, &total, &present, &missing, &responses, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (total, ==, 3365242);
  g_assert_cmpuint (present->len, ==, 1);
  g_assert_cmpuint (g_array_index (present, PlHttpByteRange, 0).last, ==, 3365241);
  g_assert_cmpuint (missing->len, ==, 0);
  g_assert_cmpuint (responses->len, ==, 2);
  g_assert_cmpuint (g_array_index (responses, guint, 0), ==, 5);
  g_assert_cmpuint (g_array_index (responses, guint, 1), ==, 7);
}

/* The decoded bodies of a capture against tshark's: `tshark
 * --export-objects http` writes every message body it reassembled, de-chunked
 * and decoded (gzip, deflate), one file each.  The multisets of their
 * SHA-256 must be equal (tshark reordering out-of-order segments, as we
 * do): each body tshark exports is one of ours and each
 * complete body of ours is one tshark exports.  Empty bodies are left out
 * (tshark writes none for some and empty files for others). */
static void
check_export_objects (const char *path,
                      guint      *n_compared)
{
  g_autofree char *tshark = g_find_program_in_path ("tshark");
  g_autoptr(GError) error = NULL;
  g_autofree char *tmp = g_dir_make_tmp ("pl-objects-XXXXXX", &error);
  g_autofree char *objects = g_build_filename (tmp, "objects", NULL);
  g_autofree char *config = g_build_filename (tmp, "config", NULL);
  g_autofree char *export_arg = g_strconcat ("http,", objects, NULL);
  g_autofree char *err = NULL;
  g_auto(GStrv) envp = g_get_environ ();
  /* tshark 4.0 leaves out-of-order segments unreassembled by default and
   * loses the messages behind them; we reorder, so tshark must too. */
  const char *argv[] = { tshark, "-n", "-q", "-o", "tcp.reassemble_out_of_order:TRUE",
                         "-r", path, "--export-objects", export_arg, NULL };
  g_autoptr(GHashTable) theirs = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autoptr(PlCapture) capture = load (path);
  g_autoptr(GDir) dir = NULL;
  const char *name;
  guint i, n, ours = 0, exported = 0, unmatched = 0;
  int status;

  g_assert_no_error (error);
  g_assert_cmpint (g_mkdir (objects, 0700), ==, 0);
  g_assert_cmpint (g_mkdir (config, 0700), ==, 0);
  /* No personal preferences: tshark's defaults decode gzip and deflate. */
  envp = g_environ_setenv (envp, "WIRESHARK_CONFIG_DIR", config, TRUE);
  g_assert_true (g_spawn_sync (NULL, (char **) argv, envp, G_SPAWN_STDOUT_TO_DEV_NULL, NULL, NULL,
                               NULL, &err, &status, &error));
  g_assert_no_error (error);
  if (!g_spawn_check_wait_status (status, NULL))
    g_error ("tshark --export-objects failed on %s: %s", path, err);

  dir = g_dir_open (objects, 0, &error);
  g_assert_no_error (error);
  while ((name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *file = g_build_filename (objects, name, NULL);
      g_autofree char *data = NULL;
      g_autofree char *sum = NULL;
      gsize len;

      g_assert_true (g_file_get_contents (file, &data, &len, NULL));
      g_unlink (file);
      if (len == 0)
        continue;
      sum = g_compute_checksum_for_data (G_CHECKSUM_SHA256, (const guchar *) data, len);
      g_hash_table_insert (theirs, g_steal_pointer (&sum),
                           GUINT_TO_POINTER (GPOINTER_TO_UINT (g_hash_table_lookup (theirs, sum)) + 1));
      exported++;
    }
  g_rmdir (objects);
  g_rmdir (config);
  g_rmdir (tmp);

  n = pl_capture_get_n_http_messages (capture);
  for (i = 0; i < n; i++)
    {
      g_autoptr(PlHttpMessage) msg = pl_capture_get_http_message (capture, i);
      g_autoptr(GBytes) body = NULL;
      g_autoptr(GError) body_error = NULL;
      g_autofree char *sum = NULL;
      guint count;

      if (pl_http_message_get_body_length (msg) == 0 || pl_http_message_get_missing_length (msg) > 0 ||
          pl_http_message_get_complete_frame (msg) == PL_HTTP_NO_FRAME)
        continue;
      body = pl_http_message_dup_body (msg, TRUE, &body_error);
      g_assert_no_error (body_error);
      if (g_bytes_get_size (body) == 0)
        continue;
      ours++;
      sum = g_compute_checksum_for_bytes (G_CHECKSUM_SHA256, body);
      count = GPOINTER_TO_UINT (g_hash_table_lookup (theirs, sum));
      if (count == 0)
        {
          g_test_message ("%s: message %u (frame %u): our decoded body (%" G_GSIZE_FORMAT
                          " bytes) is not among tshark's objects",
                          path, i, pl_http_message_get_complete_frame (msg) + 1, g_bytes_get_size (body));
          unmatched++;
          continue;
        }
      if (count == 1)
        g_hash_table_remove (theirs, sum);
      else
        g_hash_table_insert (theirs, g_steal_pointer (&sum), GUINT_TO_POINTER (count - 1));
    }
  g_test_message ("%s: %u bodies of ours, %u objects of tshark's, %u of theirs unmatched",
                  path, ours, exported, g_hash_table_size (theirs));
  g_assert_cmpuint (unmatched, ==, 0);
  g_assert_cmpuint (g_hash_table_size (theirs), ==, 0);
  *n_compared += ours;
}

static gboolean
have_tshark (void)
{
  g_autofree char *tshark = g_find_program_in_path ("tshark");

  if (tshark == NULL)
    pl_test_missing ("tshark is not installed (apt-get install tshark)");
  return tshark != NULL;
}

/* Our fixtures: chunked, gzip, deflate, chunked+gzip, a chunked request
 * body (http-codings.pcap); gzip and ranges (http-lab.pcap); the sample. */
static void
test_export_objects (void)
{
  static const char * const files[] = { "tests/data/http-codings.pcap", "tests/data/http-lab.pcap",
                                        "tests/data/http-lab-loss.pcap", "data/samples/lab.pcap" };
  guint i, compared = 0;

  if (!have_tshark ())
    return;
  for (i = 0; i < G_N_ELEMENTS (files); i++)
    {
      g_autofree char *path = g_build_filename (PL_TEST_SOURCE_ROOT, files[i], NULL);

      check_export_objects (path, &compared);
    }
  g_test_message ("%u decoded bodies equal tshark's", compared);
  g_assert_cmpuint (compared, >=, 15);
}

/* The same on every HTTP capture of the shared corpus. */
static void
test_corpus_export_objects (void)
{
  const char *corpus = pl_test_corpus_dir ();
  g_autofree char *http = NULL;
  g_autoptr(GDir) dir = NULL;
  g_autoptr(GPtrArray) names = g_ptr_array_new_with_free_func (g_free);
  const char *name;
  guint i, compared = 0;

  if (corpus == NULL)
    {
      pl_test_corpus_absent ("decoded bodies of http/*.pcap");
      return;
    }
  if (!have_tshark ())
    return;
  http = g_build_filename (corpus, "http", NULL);
  dir = g_dir_open (http, 0, NULL);
  g_assert_nonnull (dir);
  while ((name = g_dir_read_name (dir)) != NULL)
    if (g_str_has_suffix (name, ".pcap") || g_str_has_suffix (name, ".pcapng"))
      g_ptr_array_add (names, g_build_filename (http, name, NULL));
  for (i = 0; i < names->len; i++)
    check_export_objects (g_ptr_array_index (names, i), &compared);
  g_test_message ("%u decoded bodies equal tshark's", compared);
  g_assert_cmpuint (compared, >, 0);
}

/* multipart/byteranges (RFC 9110 14.6): the parts' Content-Range, on the
 * shared corpus when it is present. */
static void
test_corpus_multipart (void)
{
  const char *corpus = pl_test_corpus_dir ();
  g_autofree char *path = NULL;
  g_autoptr(PlCapture) capture = NULL;
  guint j, n, multipart = 0;

  if (corpus == NULL)
    {
      pl_test_corpus_absent ("http/byteranges.pcap");
      return;
    }
  path = g_build_filename (corpus, "http", "byteranges.pcap", NULL);
  if (!g_file_test (path, G_FILE_TEST_EXISTS))
    {
      pl_test_missing ("http/byteranges.pcap is not in the corpus");
      return;
    }
  capture = load (path);
  n = pl_capture_get_n_http_messages (capture);
  for (j = 0; j < n; j++)
    {
      g_autoptr(PlHttpMessage) msg = pl_capture_get_http_message (capture, j);
      g_autoptr(GArray) ranges = NULL;
      g_autoptr(GError) error = NULL;
      PlHttpRange single;
      guint k;

      if (pl_http_message_get_status (msg) != 206)
        continue;
      g_assert_false (pl_http_message_get_content_range (msg, &single));
      ranges = pl_http_message_dup_ranges (msg, &error);
      g_assert_no_error (error);
      g_assert_cmpuint (ranges->len, >, 1);
      for (k = 0; k < ranges->len; k++)
        {
          const PlHttpRange *r = &g_array_index (ranges, PlHttpRange, k);

          g_assert_cmpuint (r->last, >=, r->first);
          g_assert_cmpuint (r->length, ==, r->last - r->first + 1);
          g_assert_cmpuint (r->body_offset + r->length, <=, pl_http_message_get_body_length (msg));
        }
      multipart++;
    }
  g_assert_cmpuint (multipart, ==, 1);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/http-capture/lab/messages", test_lab_messages);
  g_test_add_func ("/http-capture/lab/headers", test_lab_headers);
  g_test_add_func ("/http-capture/lab/save-body", test_lab_save_body);
  g_test_add_func ("/http-capture/lab/stitch", test_lab_stitch);
  g_test_add_func ("/http-capture/export-objects", test_export_objects);
  g_test_add_func ("/http-capture/corpus/export-objects", test_corpus_export_objects);
  g_test_add_func ("/http-capture/corpus/multipart", test_corpus_multipart);

  return g_test_run ();
}
