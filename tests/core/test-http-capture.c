/* test-http-capture.c: HTTP/1.x messages of a whole capture (RFC 9112,
 * RFC 9110 ranges and codings) on the bundled sample data/samples/lab.pcap:
 * the four requests and responses, their frames and pairing, Content-Range,
 * bodies saved atomically and identical to the files served, and the two
 * 206 answers for /music.mp3 stitched into the whole file.  Content codings
 * are checked on the shared corpus when it is present.
 */
#include "config.h"

#include <glib/gstdio.h>
#include <string.h>

#include "pl-capture.h"
#include "pl-http-message.h"

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
    { FALSE, 0, 6, "/", 200, 936 },
    { TRUE, 0, 8, "/logo.jpg", 0, 0 },
    { FALSE, 0, 260, "/logo.jpg", 200, 301768 },
    { TRUE, 1, 274, "/music.mp3", 0, 0 },
    { FALSE, 1, 349, "/music.mp3", 206, 72993 },
    { TRUE, 2, 358, "/music.mp3", 0, 0 },
    { FALSE, 2, 400, "/music.mp3", 206, 30000 },
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

  /* The logo's response: 211 segments, frames 9..260. */
  {
    g_autoptr(PlHttpMessage) logo = pl_capture_get_http_message (capture, 3);
    g_autoptr(GArray) frames = pl_http_message_dup_frames (logo);

    g_assert_cmpuint (frames->len, ==, 211);
    g_assert_cmpuint (pl_http_message_get_first_frame (logo), ==, 8);
  }
  /* A frame that completes nothing. */
  g_assert_null (pl_capture_get_http_message_completed_in (capture, 4));
  g_assert_true (pl_capture_stream_has_http (capture, 2));
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
  g_assert_cmpstr (range, ==, "bytes=20000-49999");
  g_assert_cmpstr (reason, ==, "Partial Content");
  g_assert_cmpuint (fields->len, >=, 3);
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
  g_assert_cmpuint (cr.first, ==, 20000);
  g_assert_cmpuint (cr.last, ==, 49999);
  g_assert_cmpint (cr.complete_length, ==, 72993);
  g_assert_cmpuint (cr.length, ==, 30000);

  {
    g_autoptr(PlHttpMessage) first = pl_capture_get_http_message (capture, 5);

    g_assert_true (pl_http_message_get_content_range (first, &cr));
    g_assert_cmpuint (cr.first, ==, 0);
    g_assert_cmpuint (cr.last, ==, 72992);
  }
}

static void
test_lab_save_body (void)
{
  g_autoptr(PlCapture) capture = load_lab ();
  g_autoptr(PlHttpMessage) logo = pl_capture_get_http_message_completed_in (capture, 259);
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
  g_autoptr(GBytes) expected = read_fixture ("lab-music.mp3");
  g_autoptr(GArray) present = NULL;
  g_autoptr(GArray) missing = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) object = NULL;
  guint64 total = 0;

  object = pl_http_message_stitch (part, &total, &present, &missing, &error);
  g_assert_no_error (error);
  g_assert_nonnull (object);
  g_assert_cmpuint (total, ==, 72993);
  g_assert_cmpuint (present->len, ==, 1);
  g_assert_cmpuint (g_array_index (present, PlHttpByteRange, 0).first, ==, 0);
  g_assert_cmpuint (g_array_index (present, PlHttpByteRange, 0).last, ==, 72992);
  g_assert_cmpuint (missing->len, ==, 0);
  g_assert_true (g_bytes_equal (object, expected));
}

/* Content codings, on the shared corpus when it is here. */
static void
test_corpus_codings (void)
{
  const char *corpus = g_getenv ("PL_SHARED_PCAPS");
  static const char * const files[] = { "http/get-gzip.pcap", "http/http-sticky-start.pcap",
                                        "http/http-body-match.pcap" };
  guint i, decoded = 0;

  if (corpus == NULL || !g_file_test (corpus, G_FILE_TEST_IS_DIR))
    {
      g_test_skip ("the shared corpus is not here");
      return;
    }
  for (i = 0; i < G_N_ELEMENTS (files); i++)
    {
      g_autofree char *path = g_build_filename (corpus, files[i], NULL);
      g_autoptr(PlCapture) capture = NULL;
      guint j, n;

      if (!g_file_test (path, G_FILE_TEST_EXISTS))
        continue;
      capture = load (path);
      n = pl_capture_get_n_http_messages (capture);
      for (j = 0; j < n; j++)
        {
          g_autoptr(PlHttpMessage) msg = pl_capture_get_http_message (capture, j);
          g_autofree char *coding = pl_http_message_dup_header (msg, "Content-Encoding");
          g_autoptr(GBytes) wire = NULL;
          g_autoptr(GBytes) body = NULL;
          g_autoptr(GError) error = NULL;

          if (coding == NULL || pl_http_message_get_missing_length (msg) > 0)
            continue;
          wire = pl_http_message_dup_body (msg, FALSE, &error);
          g_assert_no_error (error);
          g_assert_cmpuint (g_bytes_get_size (wire), ==, pl_http_message_get_body_length (msg));
          body = pl_http_message_dup_body (msg, TRUE, &error);
          g_assert_no_error (error);
          g_assert_nonnull (body);
          g_assert_false (g_bytes_equal (wire, body));
          decoded++;
        }
    }
  g_test_message ("%u gzip bodies decoded", decoded);
  g_assert_cmpuint (decoded, >, 0);
}

/* multipart/byteranges (RFC 9110 14.6): the parts' Content-Range, on the
 * shared corpus when it is present. */
static void
test_corpus_multipart (void)
{
  const char *corpus = g_getenv ("PL_SHARED_PCAPS");
  g_autofree char *path = NULL;
  g_autoptr(PlCapture) capture = NULL;
  guint j, n, multipart = 0;

  if (corpus == NULL || !g_file_test (corpus, G_FILE_TEST_IS_DIR))
    {
      g_test_skip ("the shared corpus is not here");
      return;
    }
  path = g_build_filename (corpus, "http", "byteranges.pcap", NULL);
  if (!g_file_test (path, G_FILE_TEST_EXISTS))
    {
      g_test_skip ("http/byteranges.pcap is not in the corpus");
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
  g_test_add_func ("/http-capture/corpus/codings", test_corpus_codings);
  g_test_add_func ("/http-capture/corpus/multipart", test_corpus_multipart);

  return g_test_run ();
}
