/* test-tls-capture.c: TLS in a loaded capture (tests/data/tls-lab.pcap,
 * real loopback traffic): the stream summaries, the record labels, and the
 * field tree of TLS frames, whose offsets must point at the very bytes the
 * fields show (the hex pane highlights them).
 */
#include "config.h"

#include <string.h>

#include "pl-capture.h"
#include "pl-field.h"
#include "pl-tls-table.h"

static PlCapture *
load_lab (void)
{
  g_autofree char *path = g_build_filename (PL_TEST_SOURCE_ROOT, "tests", "data", "tls-lab.pcap", NULL);
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(PlCapture) capture = pl_capture_new (file);
  g_autoptr(GError) error = NULL;

  g_assert_true (pl_capture_load (capture, NULL, NULL, NULL, &error));
  g_assert_no_error (error);
  return g_steal_pointer (&capture);
}

/* The field with key under root, whose bytes in the frame are text. */
static void
assert_bytes (PlCapture  *capture,
              PlField    *root,
              guint       frame,
              const char *key,
              const char *text)
{
  PlField *f = pl_field_find (root, key);
  guint32 caplen;
  const guint8 *data = pl_capture_get_frame_data (capture, frame, &caplen);

  if (f == NULL)
    g_error ("frame %u: no field %s", frame + 1, key);
  g_assert_cmpstr (pl_field_get_value (f), ==, text);
  g_assert_false (pl_field_get_generated (f));
  g_assert_cmpuint (pl_field_get_length (f), ==, strlen (text));
  g_assert_cmpuint (pl_field_get_offset (f) + pl_field_get_length (f), <=, caplen);
  g_assert_cmpint (memcmp (data + pl_field_get_offset (f), text, strlen (text)), ==, 0);
}

/* The field's bytes, big-endian. */
static guint32
field_value (PlCapture  *capture,
             PlField    *root,
             guint       frame,
             const char *key)
{
  PlField *f = pl_field_find (root, key);
  guint32 caplen, v = 0;
  const guint8 *data = pl_capture_get_frame_data (capture, frame, &caplen);
  guint i;

  if (f == NULL)
    g_error ("frame %u: no field %s", frame + 1, key);
  g_assert_false (pl_field_get_generated (f));
  g_assert_cmpuint (pl_field_get_offset (f) + pl_field_get_length (f), <=, caplen);
  for (i = 0; i < pl_field_get_length (f); i++)
    v = (v << 8) | data[pl_field_get_offset (f) + i];
  return v;
}

static void
test_summaries (void)
{
  g_autoptr(PlCapture) capture = load_lab ();
  PlTlsTable *tls = pl_capture_get_tls_table (capture);
  static const char *const want[] = {
    "TLS 1.2 handshake, example.org, http/1.1",
    "TLS 1.3 handshake, example.org, h2",
    "TLS 1.3 handshake, example.org, http/1.1",
    "TLS handshake failed: handshake_failure, example.org, http/1.1",
    "TLS 1.2 handshake, mail.example.org, h2,http/1.1",
  };
  guint i;

  g_assert_cmpuint (pl_capture_get_n_streams (capture), ==, G_N_ELEMENTS (want));
  for (i = 0; i < G_N_ELEMENTS (want); i++)
    {
      g_autofree char *s = pl_tls_table_dup_stream_summary (tls, i);

      g_assert_cmpstr (s, ==, want[i]);
    }
}

static void
test_labels (void)
{
  g_autoptr(PlCapture) capture = load_lab ();
  PlTlsTable *tls = pl_capture_get_tls_table (capture);
  g_autoptr(GString) all = g_string_new (NULL);
  guint i, n = pl_tls_table_get_n_records (tls);

  for (i = 0; i < n; i++)
    {
      g_autofree char *label = pl_tls_table_dup_record_label (tls, i);

      g_string_append_printf (all, "%u: %s\n", pl_tls_table_get_record (tls, i)->frame + 1, label);
    }
  g_test_message ("%s", all->str);
  g_assert_true (g_str_has_prefix (all->str, "4: ClientHello (example.org, http/1.1)\n"));
  g_assert_nonnull (strstr (all->str, "6: ServerHello TLS 1.2 TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384\n"));
  g_assert_nonnull (strstr (all->str, "6: Certificate CN=example.org\n"));
  g_assert_nonnull (strstr (all->str, "6: ServerKeyExchange\n"));
  g_assert_nonnull (strstr (all->str, "6: ServerHelloDone\n"));
  g_assert_nonnull (strstr (all->str, "8: ChangeCipherSpec\n8: Encrypted Handshake\n"));
  g_assert_nonnull (strstr (all->str, "35: ClientHello (example.org, h2)\n"));
  g_assert_nonnull (strstr (all->str, "37: ServerHello TLS 1.3 TLS_AES_256_GCM_SHA384\n"));
  g_assert_nonnull (strstr (all->str, "107: Alert fatal handshake_failure\n"));
  g_assert_nonnull (strstr (all->str, ": Application Data 536 B\n"));
  g_assert_nonnull (strstr (all->str, ": Encrypted Alert\n"));
}

static void
test_field_tree (void)
{
  g_autoptr(PlCapture) capture = load_lab ();
  g_autoptr(PlField) hello = pl_field_tree_build (capture, 3);
  g_autoptr(PlField) server = pl_field_tree_build (capture, 5);
  g_autoptr(PlField) alert = pl_field_tree_build (capture, 106);
  g_autoptr(PlField) plain = pl_field_tree_build (capture, 2);
  PlField *f;
  guint i, n_frames = pl_capture_get_n_frames (capture), checked = 0;

  /* The ClientHello: the record header and the server name where they are. */
  g_assert_cmpuint (field_value (capture, hello, 3, "tls.record.content_type"), ==, 22);
  g_assert_cmpuint (field_value (capture, hello, 3, "tls.handshake.type"), ==, 1);
  assert_bytes (capture, hello, 3, "tls.handshake.extensions_server_name", "example.org");
  /* The ALPN list: its protocols with their length bytes. */
  f = pl_field_find (hello, "tls.handshake.extensions_alpn_str");
  g_assert_nonnull (f);
  g_assert_cmpstr (pl_field_get_value (f), ==, "http/1.1");
  g_assert_cmpuint (pl_field_get_length (f), ==, 9);
  {
    guint32 caplen;
    const guint8 *data = pl_capture_get_frame_data (capture, 3, &caplen);

    g_assert_cmpuint (pl_field_get_offset (f) + 9, <=, caplen);
    g_assert_cmpint (memcmp (data + pl_field_get_offset (f), "\x08http/1.1", 9), ==, 0);
  }
  /* The ServerHello: its cipher suite's two bytes; the Certificate over two
   * records: its CN is shown, reassembled (generated, no place). */
  g_assert_cmpuint (field_value (capture, server, 5, "tls.handshake.ciphersuite"), ==, 0xc030);
  f = pl_field_find (server, "x509sat.commonName");
  g_assert_nonnull (f);
  g_assert_cmpstr (pl_field_get_value (f), ==, "example.org");
  g_assert_nonnull (pl_field_find (server, "tls.handshake.reassembled"));
  /* The alert: level 2, description 40. */
  g_assert_cmpuint (field_value (capture, alert, 106, "tls.alert_message.level"), ==, 2);
  g_assert_cmpuint (field_value (capture, alert, 106, "tls.alert_message.desc"), ==, 40);
  g_assert_null (pl_field_find (plain, "tls"));

  /* Every record whose header is in its frame: the content type byte. */
  for (i = 0; i < n_frames; i++)
    {
      g_autoptr(PlField) root = pl_field_tree_build (capture, i);
      PlField *top = pl_field_find (root, "tls");
      guint k;

      if (top == NULL)
        continue;
      for (k = 0; k < pl_field_get_n_children (top); k++)
        {
          PlField *rec = pl_field_get_child (top, k);
          PlField *ct = pl_field_find (rec, "tls.record.content_type");
          guint32 caplen;
          const guint8 *data = pl_capture_get_frame_data (capture, i, &caplen);

          if (ct == NULL)
            ct = pl_field_find (rec, "tls.record.opaque_type");
          g_assert_nonnull (ct);
          if (pl_field_get_generated (ct))
            continue;
          g_assert_cmpuint (pl_field_get_offset (ct), <, caplen);
          g_assert_cmpuint (data[pl_field_get_offset (ct)], >=, 20);
          g_assert_cmpuint (data[pl_field_get_offset (ct)], <=, 23);
          g_assert_cmpuint (pl_field_get_offset (rec), ==, pl_field_get_offset (ct));
          checked++;
        }
    }
  g_test_message ("%u record headers found in place", checked);
  g_assert_cmpuint (checked, >, 40);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/tls-capture/summaries", test_summaries);
  g_test_add_func ("/tls-capture/labels", test_labels);
  g_test_add_func ("/tls-capture/field-tree", test_field_tree);
  return g_test_run ();
}
