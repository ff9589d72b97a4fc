/* test-field-tree.c: the field tree of the sample's SYN names every part of
 * the TCP header at the right bytes, with values read back from those bytes;
 * the layers of tunnelled frames are where tshark's PDML puts them. */
#include "config.h"

#include <string.h>

#include "pl-field.h"
#include "pl-test-require.h"

typedef struct
{
  const char *key;
  guint       rel_offset;  /* from the TCP header */
  guint       length;
} Part;

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

static guint32
be (const guint8 *p,
    guint         n)
{
  guint32 v = 0;
  guint i;

  for (i = 0; i < n; i++)
    v = (v << 8) | p[i];
  return v;
}

static void
assert_field (PlField    *root,
              const char *key,
              guint       offset,
              guint       length,
              const char *value_prefix)
{
  PlField *f = pl_field_find (root, key);

  if (f == NULL)
    g_error ("no field %s", key);
  g_assert_cmpuint (pl_field_get_offset (f), ==, offset);
  g_assert_cmpuint (pl_field_get_length (f), ==, length);
  if (value_prefix != NULL && !g_str_has_prefix (pl_field_get_value (f), value_prefix))
    g_error ("%s: value '%s' does not start with '%s'", key, pl_field_get_value (f), value_prefix);
}

static void
test_syn (void)
{
  g_autoptr(PlCapture) capture = load_sample ();
  g_autoptr(PlField) root = NULL;
  const PlFrame *frame;
  const guint8 *data;
  guint32 caplen;
  guint t;
  char buf[64];
  PlField *f;
  guint i, n_first;

  /* The first frame of the sample is the client's SYN. */
  frame = pl_capture_get_frame (capture, 0);
  g_assert_cmpuint (frame->tcp_flags, ==, PL_TCP_SYN);
  data = pl_capture_get_frame_data (capture, 0, &caplen);
  root = pl_field_tree_build (capture, 0);
  g_assert_nonnull (root);

  /* Layers in Wireshark's order. */
  n_first = pl_field_get_n_children (root);
  g_assert_cmpuint (n_first, ==, 4);
  g_assert_cmpstr (pl_field_get_key (pl_field_get_child (root, 0)), ==, "frame");
  g_assert_cmpstr (pl_field_get_key (pl_field_get_child (root, 1)), ==, "null");
  g_assert_cmpstr (pl_field_get_key (pl_field_get_child (root, 2)), ==, "ip");
  g_assert_cmpstr (pl_field_get_key (pl_field_get_child (root, 3)), ==, "tcp");

  /* BSD loopback (4 bytes, as macOS lo0) then a 20-byte IPv4 header: TCP at 24. */
  t = frame->l4_off;
  g_assert_cmpuint (t, ==, 24);
  assert_field (root, "tcp", t, (data[t + 12] >> 4) * 4, NULL);

  g_snprintf (buf, sizeof buf, "%u", be (data + t, 2));
  assert_field (root, "tcp.srcport", t, 2, buf);
  g_snprintf (buf, sizeof buf, "%u", be (data + t + 2, 2));
  assert_field (root, "tcp.dstport", t + 2, 2, buf);
  assert_field (root, "tcp.seq", t + 4, 4, "0 ");
  g_snprintf (buf, sizeof buf, "%u", be (data + t + 4, 4));
  assert_field (root, "tcp.seq_raw", t + 4, 4, buf);
  assert_field (root, "tcp.ack", t + 8, 4, NULL);
  g_snprintf (buf, sizeof buf, "%u", be (data + t + 8, 4));
  assert_field (root, "tcp.ack_raw", t + 8, 4, buf);
  g_snprintf (buf, sizeof buf, "%u bytes", (data[t + 12] >> 4) * 4);
  assert_field (root, "tcp.hdr_len", t + 12, 1, buf);
  assert_field (root, "tcp.flags", t + 12, 2, "0x002");
  assert_field (root, "tcp.flags.res", t + 12, 1, "Not set");
  assert_field (root, "tcp.flags.ae", t + 12, 1, "Not set");
  assert_field (root, "tcp.flags.cwr", t + 13, 1, "Not set");
  assert_field (root, "tcp.flags.ece", t + 13, 1, "Not set");
  assert_field (root, "tcp.flags.urg", t + 13, 1, "Not set");
  assert_field (root, "tcp.flags.ack", t + 13, 1, "Not set");
  assert_field (root, "tcp.flags.push", t + 13, 1, "Not set");
  assert_field (root, "tcp.flags.reset", t + 13, 1, "Not set");
  assert_field (root, "tcp.flags.syn", t + 13, 1, "Set");
  assert_field (root, "tcp.flags.fin", t + 13, 1, "Not set");
  g_snprintf (buf, sizeof buf, "%u", be (data + t + 14, 2));
  assert_field (root, "tcp.window_size_value", t + 14, 2, buf);
  /* A SYN's window is never scaled. */
  assert_field (root, "tcp.window_size", 0, 0, buf);
  g_snprintf (buf, sizeof buf, "0x%04x", be (data + t + 16, 2));
  assert_field (root, "tcp.checksum", t + 16, 2, buf);
  f = pl_field_find (root, "tcp.checksum.status");
  g_assert_nonnull (f);
  /* Loopback: either really good or recognisably offloaded, never "Bad". */
  g_assert_false (g_str_has_prefix (pl_field_get_value (f), "Bad"));
  g_snprintf (buf, sizeof buf, "%u", be (data + t + 18, 2));
  assert_field (root, "tcp.urgent_pointer", t + 18, 2, buf);

  /* Linux SYN options: MSS, SACK permitted, timestamps, NOP, window scale. */
  assert_field (root, "tcp.options", t + 20, (data[t + 12] >> 4) * 4 - 20, NULL);
  for (i = t + 20; i < t + (data[t + 12] >> 4) * 4u;)
    {
      guint8 kind = data[i];

      if (kind == 1)
        {
          i++;
          continue;
        }
      if (kind == 0)
        break;
      switch (kind)
        {
        case 2:
          assert_field (root, "tcp.options.mss", i, 4, NULL);
          g_snprintf (buf, sizeof buf, "%u", be (data + i + 2, 2));
          assert_field (root, "tcp.options.mss_val", i + 2, 2, buf);
          /* lo0's MTU 16384 - 40. */
          g_assert_cmpuint (be (data + i + 2, 2), ==, 16344);
          break;
        case 3:
          assert_field (root, "tcp.options.wscale", i, 3, NULL);
          g_snprintf (buf, sizeof buf, "%u", data[i + 2]);
          assert_field (root, "tcp.options.wscale.shift", i + 2, 1, buf);
          break;
        case 4:
          assert_field (root, "tcp.options.sack_perm", i, 2, NULL);
          break;
        case 8:
          assert_field (root, "tcp.options.timestamp", i, 10, NULL);
          g_snprintf (buf, sizeof buf, "%u", be (data + i + 2, 4));
          assert_field (root, "tcp.options.timestamp.tsval", i + 2, 4, buf);
          g_snprintf (buf, sizeof buf, "%u", be (data + i + 6, 4));
          assert_field (root, "tcp.options.timestamp.tsecr", i + 6, 4, buf);
          break;
        default:
          g_error ("unexpected option kind %u in the sample's SYN", kind);
        }
      i += data[i + 1];
    }
  g_assert_nonnull (pl_field_find (root, "tcp.options.mss_val"));
  g_assert_nonnull (pl_field_find (root, "tcp.options.sack_perm"));
  g_assert_nonnull (pl_field_find (root, "tcp.options.timestamp.tsval"));
  g_assert_nonnull (pl_field_find (root, "tcp.options.wscale.shift"));

  /* IPv4 parts. */
  assert_field (root, "ip.src", 16, 4, "127.0.0.1");
  assert_field (root, "ip.dst", 20, 4, "127.0.0.1");
  assert_field (root, "ip.ttl", 12, 1, NULL);
  assert_field (root, "ip.proto", 13, 1, "TCP");
  f = pl_field_find (root, "ip.checksum.status");
  g_assert_cmpstr (pl_field_get_value (f), ==, "Good");

  /* Frame facts. */
  g_snprintf (buf, sizeof buf, "%u bytes", caplen);
  assert_field (root, "frame.cap_len", 0, 0, buf);
  assert_field (root, "frame.number", 0, 0, "1");
  assert_field (root, "frame.encap_type", 0, 0, "BSD loopback (0)");
}

static void
test_syn_ack_relative (void)
{
  g_autoptr(PlCapture) capture = load_sample ();
  g_autoptr(PlField) root = pl_field_tree_build (capture, 1);
  const PlFrame *frame = pl_capture_get_frame (capture, 1);
  g_autofree char *label = NULL;

  g_assert_cmpuint (frame->tcp_flags, ==, PL_TCP_SYN | PL_TCP_ACK);
  /* SYN-ACK: seq 0, ack 1 relative. */
  assert_field (root, "tcp.seq", frame->l4_off + 4, 4, "0 ");
  assert_field (root, "tcp.ack", frame->l4_off + 8, 4, "1 ");
  assert_field (root, "tcp.nxtseq", 0, 0, "1 ");
  label = pl_field_dup_label (pl_field_find (root, "tcp.nxtseq"));
  g_assert_true (g_str_has_prefix (label, "["));
  g_assert_null (pl_field_tree_build (capture, pl_capture_get_n_frames (capture)));
}

/* Tunnels: every layer tshark shows (outer and inner Ethernet, IP, GRE, UDP,
 * VXLAN, Geneve, MPLS), in tshark's order, at tshark's bytes. */
static const char *const tunnel_keys[] = {
  "eth.dst", "eth.src", "eth.type", "ip.proto", "ip.src", "ipv6.nxt", "ipv6.src",
  "gre.flags_and_version", "gre.proto", "gre.checksum", "gre.key", "gre.sequence_number",
  "udp.srcport", "udp.dstport", "udp.length", "udp.checksum", "vxlan.flags", "vxlan.vni",
  "geneve.version", "geneve.option.length", "geneve.proto_type", "geneve.vni",
  "mpls.label", "mpls.exp", "mpls.bottom", "mpls.ttl", "tcp.srcport", "tcp.seq",
};

static gboolean
is_tunnel_key (const char *key)
{
  guint i;

  for (i = 0; i < G_N_ELEMENTS (tunnel_keys); i++)
    if (g_strcmp0 (key, tunnel_keys[i]) == 0)
      return TRUE;
  return FALSE;
}

typedef struct
{
  GString *out;
  gboolean seen_geneve_option;  /* geneve.option.length also names each option's length */
} PdmlState;

static void
pdml_start (GMarkupParseContext *context,
            const char          *element,
            const char         **names,
            const char         **values,
            gpointer             user_data,
            GError             **error)
{
  PdmlState *st = user_data;
  const char *name = NULL, *pos = NULL, *size = NULL;
  guint i;

  if (strcmp (element, "field") != 0)
    return;
  for (i = 0; names[i] != NULL; i++)
    {
      if (strcmp (names[i], "name") == 0)
        name = values[i];
      else if (strcmp (names[i], "pos") == 0)
        pos = values[i];
      else if (strcmp (names[i], "size") == 0)
        size = values[i];
    }
  if (name == NULL || pos == NULL || size == NULL || !is_tunnel_key (name))
    return;
  if (strcmp (name, "geneve.option.length") == 0)
    {
      if (st->seen_geneve_option)
        return;
      st->seen_geneve_option = TRUE;
    }
  g_string_append_printf (st->out, "%s@%s+%s\n", name, pos, size);
}

static void
our_layers (PlField *f,
            GString *out)
{
  guint i;

  if (is_tunnel_key (pl_field_get_key (f)))
    g_string_append_printf (out, "%s@%u+%u\n", pl_field_get_key (f), pl_field_get_offset (f),
                            pl_field_get_length (f));
  for (i = 0; i < pl_field_get_n_children (f); i++)
    our_layers (pl_field_get_child (f, i), out);
}

static void
test_tunnels (void)
{
  static const char *const files[] = {
    "tunnel-vxlan.pcap", "tunnel-gre.pcap", "tunnel-gretap.pcap", "tunnel-ipip.pcap",
    "tunnel-ip6ip.pcap", "tunnel-mpls.pcap", "tunnel-geneve.pcap",
  };
  g_autofree char *tshark = g_find_program_in_path ("tshark");
  guint k;

  if (tshark == NULL)
    {
      pl_test_missing ("tshark is not installed: the tunnel layers are not compared with its PDML");
      return;
    }

  for (k = 0; k < G_N_ELEMENTS (files); k++)
    {
      g_autofree char *path = g_build_filename (PL_TEST_SOURCE_ROOT, "tests", "data", files[k], NULL);
      g_autoptr(GFile) file = g_file_new_for_path (path);
      g_autoptr(PlCapture) capture = pl_capture_new (file);
      g_autoptr(GError) error = NULL;
      guint n = 0, i, checked = 0;
      guint per_stream[2] = { 0, 0 };

      g_assert_true (pl_capture_load (capture, NULL, NULL, NULL, &error));
      g_assert_no_error (error);
      n = pl_capture_get_n_frames (capture);
      /* Two data segments of each stream: inner IPv4 and inner IPv6. */
      for (i = 0; i < n; i++)
        {
          const PlFrame *frame = pl_capture_get_frame (capture, i);
          g_autoptr(PlField) root = NULL;
          g_autofree char *filter = NULL, *pdml = NULL, *err = NULL;
          g_autoptr(GString) theirs = g_string_new (NULL);
          g_autoptr(GString) ours = g_string_new (NULL);
          g_autoptr(GMarkupParseContext) ctx = NULL;
          GMarkupParser parser = { pdml_start, NULL, NULL, NULL, NULL };
          PdmlState st = { theirs, FALSE };
          int status = 0;
          const char *argv[] = { tshark, "-n", "-r", path, "-Y", NULL, "-T", "pdml", NULL };

          if (frame->stream == PL_NO_STREAM || frame->stream > 1 || frame->payload_len == 0 ||
              per_stream[frame->stream] >= 2)
            continue;
          per_stream[frame->stream]++;
          filter = g_strdup_printf ("frame.number==%u", i + 1);
          argv[5] = filter;
          g_assert_true (g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_STDERR_TO_DEV_NULL, NULL, NULL,
                                       &pdml, NULL, &status, &error));
          g_assert_no_error (error);
          ctx = g_markup_parse_context_new (&parser, 0, &st, NULL);
          g_assert_true (g_markup_parse_context_parse (ctx, pdml, -1, &error));
          g_assert_no_error (error);

          root = pl_field_tree_build (capture, i);
          our_layers (root, ours);
          g_assert_cmpstr (ours->str, ==, theirs->str);
          checked++;
        }
      g_test_message ("%s: layers of %u frames equal tshark's", files[k], checked);
      g_assert_cmpuint (checked, ==, 4);
    }
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/field-tree/sample-syn", test_syn);
  g_test_add_func ("/field-tree/sample-syn-ack", test_syn_ack_relative);
  g_test_add_func ("/field-tree/tunnels", test_tunnels);
  return g_test_run ();
}
