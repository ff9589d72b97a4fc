/* test-capture-reader.c: tests of the pcap/pcapng reader on files built in
 * memory (every format variant, every error path) and of the libpcap
 * helpers (link-type names, BPF filters).
 *
 * Formats: pcap-savefile(5), draft-ietf-opsawg-pcapng.  The files are
 * written field by field here, in either byte order, so each test states
 * exactly the bytes it reads.
 */
#include <string.h>

#include <glib.h>

#include "pl-capture-reader.h"
#include "pl-pcap-source.h"

#ifndef PL_TEST_SOURCE_ROOT
# define PL_TEST_SOURCE_ROOT "."
#endif

#define NAME "test-capture.file"
#define NSEC G_GINT64_CONSTANT (1000000000)

/* A growing file in one byte order (which pcapng may change per section). */
typedef struct
{
  GByteArray *buf;
  gboolean    be;
} Builder;

static void
builder_init (Builder  *b,
              gboolean  be)
{
  b->buf = g_byte_array_new ();
  b->be = be;
}

static void
builder_clear (Builder *b)
{
  g_byte_array_unref (b->buf);
}

static void
put_bytes (Builder    *b,
           const void *data,
           gsize       len)
{
  g_byte_array_append (b->buf, data, (guint) len);
}

static void
put_u8 (Builder *b,
        guint8   v)
{
  put_bytes (b, &v, 1);
}

static void
put_u16 (Builder *b,
         guint16  v)
{
  guint8 x[2];

  if (b->be)
    {
      x[0] = v >> 8;
      x[1] = v & 0xFF;
    }
  else
    {
      x[0] = v & 0xFF;
      x[1] = v >> 8;
    }
  put_bytes (b, x, 2);
}

static void
set_u32 (Builder *b,
         gsize    off,
         guint32  v)
{
  guint8 *x = b->buf->data + off;
  int i;

  for (i = 0; i < 4; i++)
    x[b->be ? 3 - i : i] = (v >> (8 * i)) & 0xFF;
}

static void
put_u32 (Builder *b,
         guint32  v)
{
  guint8 zero[4] = { 0 };

  put_bytes (b, zero, 4);
  set_u32 (b, b->buf->len - 4, v);
}

static void
put_u64 (Builder *b,
         guint64  v)
{
  /* pcapng writes 64-bit values (timestamps aside) in section byte order. */
  if (b->be)
    {
      put_u32 (b, v >> 32);
      put_u32 (b, v & 0xFFFFFFFF);
    }
  else
    {
      put_u32 (b, v & 0xFFFFFFFF);
      put_u32 (b, v >> 32);
    }
}

static void
pad4 (Builder *b)
{
  while (b->buf->len % 4 != 0)
    put_u8 (b, 0);
}

/* Distinct bytes for frame n, so a wrong offset shows. */
static void
fill_frame (guint8 *data,
            guint32 len,
            guint   n)
{
  guint32 i;

  for (i = 0; i < len; i++)
    data[i] = (guint8) (n * 31 + i);
}

static void
put_frame (Builder *b,
           guint32  len,
           guint    n)
{
  guint8 *data = g_malloc (len + 1);

  fill_frame (data, len, n);
  put_bytes (b, data, len);
  g_free (data);
}

static gboolean
frame_is (const guint8 *file,
          gsize         file_len,
          const PlRecord *r,
          guint         n)
{
  guint8 *want;
  gboolean ok;

  if (r->offset > file_len || r->caplen > file_len - r->offset)
    return FALSE;
  want = g_malloc (r->caplen + 1);
  fill_frame (want, r->caplen, n);
  ok = memcmp (file + r->offset, want, r->caplen) == 0;
  g_free (want);
  return ok;
}

/* pcap */

static void
pcap_header (Builder *b,
             guint32  magic,
             guint16  major,
             guint16  minor,
             guint32  snaplen,
             guint32  linktype)
{
  put_u32 (b, magic);
  put_u16 (b, major);
  put_u16 (b, minor);
  put_u32 (b, 0);
  put_u32 (b, 0);
  put_u32 (b, snaplen);
  put_u32 (b, linktype);
}

static void
pcap_record (Builder *b,
             gboolean modified,
             guint32  sec,
             guint32  frac,
             guint32  caplen,
             guint32  origlen,
             guint    n)
{
  put_u32 (b, sec);
  put_u32 (b, frac);
  put_u32 (b, caplen);
  put_u32 (b, origlen);
  if (modified)
    {
      put_u32 (b, 7);      /* ifindex */
      put_u16 (b, 0x0800); /* protocol */
      put_u8 (b, 0);       /* pkt_type */
      put_u8 (b, 0);       /* pad */
    }
  put_frame (b, caplen, n);
}

/* pcapng */

static gsize
block_begin (Builder *b,
             guint32  type)
{
  gsize start = b->buf->len;

  put_u32 (b, type);
  put_u32 (b, 0);
  return start;
}

static void
block_end (Builder *b,
           gsize    start)
{
  guint32 total;

  pad4 (b);
  total = b->buf->len - start + 4;
  put_u32 (b, total);
  set_u32 (b, start + 4, total);
}

static void
put_option (Builder    *b,
            guint16     code,
            const void *value,
            guint16     len)
{
  put_u16 (b, code);
  put_u16 (b, len);
  put_bytes (b, value, len);
  pad4 (b);
}

static void
put_end_of_options (Builder *b)
{
  put_u16 (b, 0);
  put_u16 (b, 0);
}

static void
shb_versioned (Builder *b,
               guint16  major,
               guint16  minor)
{
  gsize start = block_begin (b, 0x0A0D0D0A);

  put_u32 (b, 0x1A2B3C4D);
  put_u16 (b, major);
  put_u16 (b, minor);
  put_u64 (b, G_MAXUINT64); /* section length unknown */
  put_option (b, 4, "test", 4); /* shb_userappl */
  put_end_of_options (b);
  block_end (b, start);
}

static void
shb (Builder *b)
{
  shb_versioned (b, 1, 0);
}

/* tsresol < 0: no option.  name NULL: no option. */
static void
idb_full (Builder    *b,
          guint16     linktype,
          guint32     snaplen,
          int         tsresol,
          gboolean    has_offset,
          gint64      offset,
          const char *name)
{
  gsize start = block_begin (b, 1);

  put_u16 (b, linktype);
  put_u16 (b, 0);
  put_u32 (b, snaplen);
  if (name != NULL)
    put_option (b, 2, name, (guint16) strlen (name));
  if (tsresol >= 0)
    {
      guint8 v = (guint8) tsresol;

      put_option (b, 9, &v, 1);
    }
  if (has_offset)
    {
      put_u16 (b, 14);
      put_u16 (b, 8);
      put_u64 (b, (guint64) offset);
    }
  if (name != NULL || tsresol >= 0 || has_offset)
    put_end_of_options (b);
  block_end (b, start);
}

static void
idb (Builder *b,
     guint16  linktype,
     guint32  snaplen)
{
  idb_full (b, linktype, snaplen, -1, FALSE, 0, NULL);
}

static void
epb (Builder *b,
     guint32  ifid,
     guint64  ts,
     guint32  caplen,
     guint32  origlen,
     guint    n)
{
  gsize start = block_begin (b, 6);

  put_u32 (b, ifid);
  put_u32 (b, ts >> 32);
  put_u32 (b, ts & 0xFFFFFFFF);
  put_u32 (b, caplen);
  put_u32 (b, origlen);
  put_frame (b, caplen, n);
  pad4 (b);
  put_option (b, 1, "an epb comment", 14); /* opt_comment after the data */
  put_end_of_options (b);
  block_end (b, start);
}

static void
spb (Builder *b,
     guint32  origlen,
     guint32  data_len,
     guint    n)
{
  gsize start = block_begin (b, 3);

  put_u32 (b, origlen);
  put_frame (b, data_len, n);
  block_end (b, start);
}

static void
obsolete_pb (Builder *b,
             guint16  ifid,
             guint64  ts,
             guint32  caplen,
             guint32  origlen,
             guint    n)
{
  gsize start = block_begin (b, 2);

  put_u16 (b, ifid);
  put_u16 (b, 3); /* drops */
  put_u32 (b, ts >> 32);
  put_u32 (b, ts & 0xFFFFFFFF);
  put_u32 (b, caplen);
  put_u32 (b, origlen);
  put_frame (b, caplen, n);
  block_end (b, start);
}

static void
opaque_block (Builder *b,
              guint32  type,
              guint32  body_len)
{
  gsize start = block_begin (b, type);

  put_frame (b, body_len, 99);
  block_end (b, start);
}

/* Reading */

static PlCaptureReader *
open_ok (const GByteArray *buf)
{
  GError *error = NULL;
  PlCaptureReader *reader = pl_capture_reader_new (buf->data, buf->len, NAME, &error);

  g_assert_no_error (error);
  g_assert_nonnull (reader);
  return reader;
}

static void
assert_error (const GError *error,
              PlCaptureError code)
{
  g_assert_error (error, PL_CAPTURE_ERROR, (gint) code);
  g_assert_true (g_str_has_prefix (error->message, NAME ": "));
}

/* Reads every record into out (up to max); returns how many.  Checks the
 * bounds of each and that a finished reader stays finished. */
static guint
read_all (PlCaptureReader *reader,
          const guint8    *file,
          gsize            file_len,
          PlRecord        *out,
          guint            max,
          GError         **error)
{
  guint n = 0;
  PlRecord r;
  GError *again = NULL;

  while (pl_capture_reader_next (reader, &r, error))
    {
      g_assert_cmpuint (r.offset, <=, file_len);
      g_assert_cmpuint (r.caplen, <=, file_len - r.offset);
      g_assert_cmpuint (r.offset + r.caplen, <=, pl_capture_reader_get_position (reader));
      g_assert_cmpuint (r.iface, <, pl_capture_reader_get_n_interfaces (reader));
      if (n < max)
        out[n] = r;
      n++;
    }

  g_assert_false (pl_capture_reader_next (reader, &r, &again));
  if (error != NULL && *error != NULL)
    {
      g_assert_nonnull (again);
      g_assert_cmpstr (again->message, ==, (*error)->message);
    }
  else
    {
      g_assert_no_error (again);
    }
  g_clear_error (&again);
  return n;
}

static void
expect_open_error (const guint8  *data,
                   gsize          len,
                   PlCaptureError code,
                   const char    *fragment)
{
  GError *error = NULL;
  PlCaptureReader *reader = pl_capture_reader_new (data, len, NAME, &error);

  g_assert_null (reader);
  assert_error (error, code);
  if (fragment != NULL && strstr (error->message, fragment) == NULL)
    g_error ("\"%s\" does not contain \"%s\"", error->message, fragment);
  g_clear_error (&error);
}

/* pcap tests */

/* Timestamps as Wireshark's wiretap reads them, for the dumps that must
 * print what tshark prints: a pcap fraction of a second or more is kept
 * unnormalised, and one whose nanoseconds pass 2^31 wraps negative; a
 * pcapng time beyond 64-bit nanoseconds keeps its seconds. */
static void
test_wiretap_time (void)
{
  static const struct {
    guint32 magic;
    guint32 sec;
    guint32 frac;
    gint64  secs;
    gint32  nsecs;
  } cases[] = {
    { 0xa1b2c3d4, 1418946725, 672232, 1418946725, 672232000 },
    { 0xa1b2c3d4, 6553600, 2097152, 6553600, 2097152000 },
    /* 371655446 us: times 1000 wraps in 32 bits, to a negative int */
    { 0xa1b2c3d4, 167804941, 371655446, 167804941, -2006708752 },
    { 0xa1b23c4d, 100, 3000000000u, 100, -1294967296 },
  };
  guint i;

  for (i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      Builder b;
      PlCaptureReader *reader;
      PlRecord r;
      GError *error = NULL;
      gint64 secs;
      gint32 nsecs;

      builder_init (&b, FALSE);
      put_u32 (&b, cases[i].magic);
      put_u16 (&b, 2);
      put_u16 (&b, 4);
      put_u32 (&b, 0);
      put_u32 (&b, 0);
      put_u32 (&b, 65535);
      put_u32 (&b, 1);
      put_u32 (&b, cases[i].sec);
      put_u32 (&b, cases[i].frac);
      put_u32 (&b, 4);
      put_u32 (&b, 4);
      put_u32 (&b, 0xdeadbeef);
      reader = open_ok (b.buf);
      g_assert_true (pl_capture_reader_next (reader, &r, &error));
      g_assert_no_error (error);
      g_assert_true (pl_capture_reader_get_wiretap_time (reader, r.offset, r.iface, &secs, &nsecs));
      g_assert_cmpint (secs, ==, cases[i].secs);
      g_assert_cmpint (nsecs, ==, cases[i].nsecs);
      pl_capture_reader_free (reader);
      builder_clear (&b);
    }

  /* pcapng, microseconds: 2^64 - 505347525 us is 18446744073204 s, far
   * beyond what 64-bit nanoseconds hold (PlRecord clamps it). */
  {
    Builder b;
    PlCaptureReader *reader;
    PlRecord r;
    GError *error = NULL;
    guint64 t = G_MAXUINT64 - 505347525u;
    gint64 secs;
    gint32 nsecs;

    builder_init (&b, FALSE);
    put_u32 (&b, 0x0A0D0D0A);
    put_u32 (&b, 28);
    put_u32 (&b, 0x1A2B3C4D);
    put_u16 (&b, 1);
    put_u16 (&b, 0);
    put_u64 (&b, G_MAXUINT64);
    put_u32 (&b, 28);
    put_u32 (&b, 1);
    put_u32 (&b, 20);
    put_u16 (&b, 1);
    put_u16 (&b, 0);
    put_u32 (&b, 0);
    put_u32 (&b, 20);
    put_u32 (&b, 6);
    put_u32 (&b, 36);
    put_u32 (&b, 0);
    put_u32 (&b, (guint32) (t >> 32));
    put_u32 (&b, (guint32) t);
    put_u32 (&b, 4);
    put_u32 (&b, 4);
    put_u32 (&b, 0xdeadbeef);
    put_u32 (&b, 36);
    reader = open_ok (b.buf);
    g_assert_true (pl_capture_reader_next (reader, &r, &error));
    g_assert_no_error (error);
    g_assert_cmpint (r.ts_ns, ==, G_MAXINT64);
    g_assert_true (pl_capture_reader_get_wiretap_time (reader, r.offset, r.iface, &secs, &nsecs));
    g_assert_cmpint (secs, ==, G_GINT64_CONSTANT (18446744073204));
    g_assert_cmpint (nsecs, ==, (gint32) ((t % 1000000) * 1000));
    pl_capture_reader_free (reader);
    builder_clear (&b);
  }
}

static void
test_pcap_variants (void)
{
  static const struct {
    guint32 magic;
    PlCaptureFormat format;
    guint64 units;
  } kinds[] = {
    { 0xa1b2c3d4, PL_CAPTURE_FORMAT_PCAP, 1000000 },
    { 0xa1b23c4d, PL_CAPTURE_FORMAT_PCAP_NSEC, 1000000000 },
    { 0xa1b2cd34, PL_CAPTURE_FORMAT_PCAP_MODIFIED, 1000000 },
  };
  guint k;
  int be;

  for (k = 0; k < G_N_ELEMENTS (kinds); k++)
    for (be = 0; be <= 1; be++)
      {
        gboolean modified = kinds[k].format == PL_CAPTURE_FORMAT_PCAP_MODIFIED;
        guint32 mult = kinds[k].units == 1000000 ? 1000 : 1;
        Builder b;
        PlCaptureReader *reader;
        const PlInterface *iface;
        PlRecord recs[4];
        GError *error = NULL;
        gsize header = modified ? 24 : 16;
        guint n;

        builder_init (&b, be);
        pcap_header (&b, kinds[k].magic, 2, 4, 65535, 1);
        pcap_record (&b, modified, 1700000000, 123456, 60, 60, 0);
        pcap_record (&b, modified, 4000000000u, 999999, 0, 1514, 1);  /* past 2038 */
        pcap_record (&b, modified, 1, 2, 1514, 9000, 2);

        reader = open_ok (b.buf);
        g_assert_cmpint (pl_capture_reader_get_format (reader), ==, kinds[k].format);
        g_assert_cmpint (pl_capture_reader_is_big_endian (reader), ==, be);
        g_assert_cmpuint (pl_capture_reader_get_n_interfaces (reader), ==, 1);
        iface = pl_capture_reader_get_interface (reader, 0);
        g_assert_cmpuint (iface->linktype, ==, 1);
        g_assert_cmpuint (iface->snaplen, ==, 65535);
        g_assert_cmpuint (iface->ts_units, ==, kinds[k].units);
        g_assert_cmpint (iface->ts_offset, ==, 0);
        g_assert_cmpuint (iface->section, ==, 0);
        g_assert_null (iface->name);
        g_assert_cmpuint (pl_capture_reader_get_position (reader), ==, 24);

        n = read_all (reader, b.buf->data, b.buf->len, recs, 4, &error);
        g_assert_no_error (error);
        g_assert_cmpuint (n, ==, 3);

        g_assert_cmpint (recs[0].ts_ns, ==, 1700000000 * NSEC + 123456 * mult);
        g_assert_cmpuint (recs[0].offset, ==, 24 + header);
        g_assert_cmpuint (recs[0].caplen, ==, 60);
        g_assert_cmpuint (recs[0].origlen, ==, 60);
        g_assert_true (frame_is (b.buf->data, b.buf->len, &recs[0], 0));

        g_assert_cmpint (recs[1].ts_ns, ==, 4000000000 * NSEC + 999999 * mult);
        g_assert_cmpuint (recs[1].offset, ==, 24 + 2 * header + 60);
        g_assert_cmpuint (recs[1].caplen, ==, 0);
        g_assert_cmpuint (recs[1].origlen, ==, 1514);

        g_assert_cmpint (recs[2].ts_ns, ==, NSEC + 2 * mult);
        g_assert_cmpuint (recs[2].caplen, ==, 1514);
        g_assert_cmpuint (recs[2].origlen, ==, 9000);
        g_assert_true (frame_is (b.buf->data, b.buf->len, &recs[2], 2));
        g_assert_cmpuint (recs[2].iface, ==, 0);

        g_assert_cmpuint (pl_capture_reader_get_position (reader), ==, b.buf->len);
        pl_capture_reader_free (reader);
        builder_clear (&b);
      }
}

static void
test_pcap_linktype_bits (void)
{
  static const guint32 fields[][2] = {
    { 0x30000001, 1 },           /* FCS length 3 words, Ethernet */
    { 0x340000E5, 229 },         /* FCS-present bit too */
    { 0x00300001, 1 },           /* reserved bits 16-25 are ignored */
    { 101, 101 },
  };
  guint i;

  for (i = 0; i < G_N_ELEMENTS (fields); i++)
    {
      Builder b;
      PlCaptureReader *reader;

      builder_init (&b, FALSE);
      pcap_header (&b, 0xa1b2c3d4, 2, 4, 0, fields[i][0]);
      reader = open_ok (b.buf);
      g_assert_cmpuint (pl_capture_reader_get_interface (reader, 0)->linktype, ==, fields[i][1]);
      g_assert_cmpuint (pl_capture_reader_get_interface (reader, 0)->snaplen, ==, 0);
      pl_capture_reader_free (reader);
      builder_clear (&b);
    }
}

static void
test_pcap_old_versions (void)
{
  /* Before 2.3 the record said len before caplen; 2.3 files come both
   * ways (libpcap swaps them when caplen > len); 543.0 is DG/UX. */
  static const struct {
    guint16 major, minor;
    guint32 first, second;
    guint32 caplen, origlen;
  } cases[] = {
    { 2, 2, 100, 40, 40, 100 },
    { 2, 0, 100, 40, 40, 100 },
    { 2, 3, 100, 40, 40, 100 },
    { 2, 3, 40, 100, 40, 100 },
    { 543, 0, 100, 40, 40, 100 },
    { 2, 4, 40, 100, 40, 100 },
  };
  guint i;

  for (i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      Builder b;
      PlCaptureReader *reader;
      PlRecord r[2];
      GError *error = NULL;

      builder_init (&b, TRUE);
      pcap_header (&b, 0xa1b2c3d4, cases[i].major, cases[i].minor, 65535, 1);
      put_u32 (&b, 10);
      put_u32 (&b, 20);
      put_u32 (&b, cases[i].first);
      put_u32 (&b, cases[i].second);
      put_frame (&b, 40, 0);

      reader = open_ok (b.buf);
      g_assert_cmpuint (read_all (reader, b.buf->data, b.buf->len, r, 2, &error), ==, 1);
      g_assert_no_error (error);
      g_assert_cmpuint (r[0].caplen, ==, cases[i].caplen);
      g_assert_cmpuint (r[0].origlen, ==, cases[i].origlen);
      g_assert_true (frame_is (b.buf->data, b.buf->len, &r[0], 0));
      pl_capture_reader_free (reader);
      builder_clear (&b);
    }
}

static void
test_pcap_unsupported_version (void)
{
  static const struct {
    guint16 major, minor;
    const char *text;
  } cases[] = {
    { 1, 4, "unsupported pcap version 1.4" },
    { 2, 5, "unsupported pcap version 2.5" },
    { 3, 0, "unsupported pcap version 3.0" },
    { 0, 0, "unsupported pcap version 0.0" },
  };
  guint i;
  int be;

  for (i = 0; i < G_N_ELEMENTS (cases); i++)
    for (be = 0; be <= 1; be++)
      {
        Builder b;

        builder_init (&b, be);
        pcap_header (&b, 0xa1b2c3d4, cases[i].major, cases[i].minor, 65535, 1);
        pcap_record (&b, FALSE, 1, 1, 10, 10, 0);
        expect_open_error (b.buf->data, b.buf->len, PL_CAPTURE_ERROR_UNSUPPORTED, cases[i].text);
        builder_clear (&b);
      }
}

static void
test_pcap_truncated_header (void)
{
  Builder b;
  gsize cut;

  builder_init (&b, FALSE);
  pcap_header (&b, 0xa1b23c4d, 2, 4, 65535, 1);
  for (cut = 4; cut < 24; cut++)
    expect_open_error (b.buf->data, cut, PL_CAPTURE_ERROR_TRUNCATED, "file header");
  builder_clear (&b);
}

/* Cut the file at every byte inside the last record: the earlier records
 * all come back, then TRUNCATED. */
static void
test_pcap_truncated_record (void)
{
  int modified;

  for (modified = 0; modified <= 1; modified++)
    {
      Builder b;
      gsize last_start;
      gsize cut;

      builder_init (&b, FALSE);
      pcap_header (&b, modified ? 0xa1b2cd34 : 0xa1b2c3d4, 2, 4, 65535, 1);
      pcap_record (&b, modified, 1, 0, 54, 54, 0);
      pcap_record (&b, modified, 2, 0, 70, 70, 1);
      last_start = b.buf->len;
      pcap_record (&b, modified, 3, 0, 100, 100, 2);

      for (cut = last_start + 1; cut < b.buf->len; cut++)
        {
          PlCaptureReader *reader;
          PlRecord r[3];
          GError *error = NULL;

          reader = pl_capture_reader_new (b.buf->data, cut, NAME, &error);
          g_assert_no_error (error);
          g_assert_cmpuint (read_all (reader, b.buf->data, cut, r, 3, &error), ==, 2);
          assert_error (error, PL_CAPTURE_ERROR_TRUNCATED);
          g_assert_nonnull (strstr (error->message, "record 3"));
          g_assert_true (frame_is (b.buf->data, cut, &r[0], 0));
          g_assert_true (frame_is (b.buf->data, cut, &r[1], 1));
          g_assert_cmpuint (pl_capture_reader_get_position (reader), ==, last_start);
          g_clear_error (&error);
          pl_capture_reader_free (reader);
        }
      builder_clear (&b);
    }
}

static void
test_pcap_corrupt_caplen (void)
{
  static const struct {
    guint32 snaplen;
    guint32 caplen;
    guint32 present;
    PlCaptureError code;
  } cases[] = {
    { 65535, 0x80000000u, 100, PL_CAPTURE_ERROR_CORRUPT },
    { 65535, 0xFFFFFFFFu, 100, PL_CAPTURE_ERROR_CORRUPT },
    { 65535, 0xFFFFFFF0u, 0, PL_CAPTURE_ERROR_CORRUPT },
    { 0, 256 * 1024 * 1024 + 1, 100, PL_CAPTURE_ERROR_CORRUPT },
    { 65535, 300000, 100, PL_CAPTURE_ERROR_CORRUPT },       /* beyond snaplen and libpcap's max */
    { 65535, 1000, 100, PL_CAPTURE_ERROR_TRUNCATED },       /* plausible: still being written */
    { 8 * 1024 * 1024, 1024 * 1024, 100, PL_CAPTURE_ERROR_TRUNCATED },
  };
  guint i;

  for (i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      Builder b;
      PlCaptureReader *reader;
      PlRecord r[2];
      GError *error = NULL;

      builder_init (&b, TRUE);
      pcap_header (&b, 0xa1b2c3d4, 2, 4, cases[i].snaplen, 1);
      pcap_record (&b, FALSE, 1, 0, 60, 60, 0);
      put_u32 (&b, 2);
      put_u32 (&b, 0);
      put_u32 (&b, cases[i].caplen);
      put_u32 (&b, 60);
      put_frame (&b, cases[i].present, 1);

      reader = open_ok (b.buf);
      g_assert_cmpuint (read_all (reader, b.buf->data, b.buf->len, r, 2, &error), ==, 1);
      assert_error (error, cases[i].code);
      g_assert_nonnull (strstr (error->message, "record 2"));
      g_assert_nonnull (strstr (error->message, "offset 100"));
      g_clear_error (&error);
      pl_capture_reader_free (reader);
      builder_clear (&b);
    }
}

/* libpcap cuts such records to the snap length; we keep what the file
 * holds (trunc-hdr.pcap in the corpus: snaplen 1, caplen 8). */
static void
test_pcap_caplen_above_snaplen (void)
{
  Builder b;
  PlCaptureReader *reader;
  PlRecord r[2];
  GError *error = NULL;

  builder_init (&b, FALSE);
  pcap_header (&b, 0xa1b2c3d4, 2, 4, 1, 1);
  pcap_record (&b, FALSE, 1, 0, 8, 78, 0);
  reader = open_ok (b.buf);
  g_assert_cmpuint (read_all (reader, b.buf->data, b.buf->len, r, 2, &error), ==, 1);
  g_assert_no_error (error);
  g_assert_cmpuint (r[0].caplen, ==, 8);
  g_assert_cmpuint (r[0].origlen, ==, 78);
  pl_capture_reader_free (reader);
  builder_clear (&b);
}

static void
test_pcap_empty (void)
{
  Builder b;
  PlCaptureReader *reader;
  PlRecord r;
  GError *error = NULL;

  builder_init (&b, FALSE);
  pcap_header (&b, 0xa1b2c3d4, 2, 4, 524288, 1);
  reader = open_ok (b.buf);
  g_assert_cmpuint (read_all (reader, b.buf->data, b.buf->len, &r, 1, &error), ==, 0);
  g_assert_no_error (error);
  pl_capture_reader_free (reader);
  builder_clear (&b);
}

static void
test_not_capture (void)
{
  static const guint8 shb_no_magic[] = {
    0x0A, 0x0D, 0x0D, 0x0A, 0x1C, 0, 0, 0, 'h', 'e', 'l', 'l', 'o', 0, 0, 0,
  };
  const char *text = "GET / HTTP/1.1\r\nHost: example.org\r\n\r\n";

  expect_open_error ((const guint8 *) "", 0, PL_CAPTURE_ERROR_NOT_CAPTURE, "empty");
  expect_open_error (NULL, 0, PL_CAPTURE_ERROR_NOT_CAPTURE, NULL);
  expect_open_error ((const guint8 *) "\xd4\xc3\xb2", 3, PL_CAPTURE_ERROR_NOT_CAPTURE, NULL);
  expect_open_error ((const guint8 *) text, strlen (text), PL_CAPTURE_ERROR_NOT_CAPTURE, "magic");
  expect_open_error (shb_no_magic, sizeof shb_no_magic, PL_CAPTURE_ERROR_NOT_CAPTURE, NULL);
}

/* pcapng tests */

static void
test_pcapng_basic (void)
{
  int be;

  for (be = 0; be <= 1; be++)
    {
      Builder b;
      PlCaptureReader *reader;
      const PlInterface *iface;
      PlRecord r[4];
      GError *error = NULL;
      gsize first_epb;

      builder_init (&b, be);
      shb (&b);
      idb_full (&b, 1, 262144, 9, FALSE, 0, "eth0");
      first_epb = b.buf->len;
      epb (&b, 0, G_GUINT64_CONSTANT (1700000000123456789), 60, 60, 0);
      epb (&b, 0, G_GUINT64_CONSTANT (1700000001000000001), 61, 1500, 1);  /* data padded */
      epb (&b, 0, 0, 0, 0, 2);

      reader = open_ok (b.buf);
      g_assert_cmpint (pl_capture_reader_get_format (reader), ==, PL_CAPTURE_FORMAT_PCAPNG);
      g_assert_cmpint (pl_capture_reader_is_big_endian (reader), ==, be);
      g_assert_cmpuint (read_all (reader, b.buf->data, b.buf->len, r, 4, &error), ==, 3);
      g_assert_no_error (error);

      g_assert_cmpuint (pl_capture_reader_get_n_interfaces (reader), ==, 1);
      iface = pl_capture_reader_get_interface (reader, 0);
      g_assert_cmpuint (iface->linktype, ==, 1);
      g_assert_cmpuint (iface->snaplen, ==, 262144);
      g_assert_cmpuint (iface->ts_units, ==, 1000000000);
      g_assert_cmpstr (iface->name, ==, "eth0");

      g_assert_cmpint (r[0].ts_ns, ==, G_GINT64_CONSTANT (1700000000123456789));
      g_assert_cmpuint (r[0].offset, ==, first_epb + 28);
      g_assert_cmpuint (r[0].caplen, ==, 60);
      g_assert_true (frame_is (b.buf->data, b.buf->len, &r[0], 0));
      g_assert_cmpint (r[1].ts_ns, ==, G_GINT64_CONSTANT (1700000001000000001));
      g_assert_cmpuint (r[1].caplen, ==, 61);
      g_assert_cmpuint (r[1].origlen, ==, 1500);
      g_assert_true (frame_is (b.buf->data, b.buf->len, &r[1], 1));
      g_assert_cmpint (r[2].ts_ns, ==, 0);
      g_assert_cmpuint (r[2].caplen, ==, 0);

      pl_capture_reader_free (reader);
      builder_clear (&b);
    }
}

static void
test_pcapng_minor_version_2 (void)
{
  Builder b;
  PlCaptureReader *reader;
  PlRecord r[2];
  GError *error = NULL;

  builder_init (&b, FALSE);
  shb_versioned (&b, 1, 2);
  idb (&b, 1, 0);
  epb (&b, 0, 5, 10, 10, 0);
  reader = open_ok (b.buf);
  g_assert_cmpuint (read_all (reader, b.buf->data, b.buf->len, r, 2, &error), ==, 1);
  g_assert_no_error (error);
  g_assert_cmpint (r[0].ts_ns, ==, 5000);  /* default: microseconds */
  pl_capture_reader_free (reader);
  builder_clear (&b);
}

/* Three sections, big-endian, little-endian, big-endian, each with its own
 * interfaces numbered from 0. */
static void
test_pcapng_sections (void)
{
  Builder b;
  PlCaptureReader *reader;
  PlRecord r[8];
  GError *error = NULL;
  const PlInterface *iface;

  builder_init (&b, TRUE);
  shb (&b);
  idb_full (&b, 1, 65535, -1, FALSE, 0, "be0");
  epb (&b, 0, 1000000, 10, 10, 0);

  b.be = FALSE;
  shb (&b);
  idb_full (&b, 0, 128, -1, FALSE, 0, "le0");
  idb_full (&b, 113, 256, 9, FALSE, 0, "le1");
  epb (&b, 1, 2000000000, 11, 11, 1);
  epb (&b, 0, 3000000, 12, 12, 2);

  b.be = TRUE;
  shb (&b);
  idb_full (&b, 101, 0, 3, FALSE, 0, NULL);
  epb (&b, 0, 4000, 13, 13, 3);

  reader = open_ok (b.buf);
  g_assert_true (pl_capture_reader_is_big_endian (reader));
  g_assert_cmpuint (read_all (reader, b.buf->data, b.buf->len, r, 8, &error), ==, 4);
  g_assert_no_error (error);
  g_assert_true (pl_capture_reader_is_big_endian (reader));
  g_assert_cmpuint (pl_capture_reader_get_n_interfaces (reader), ==, 4);

  g_assert_cmpuint (r[0].iface, ==, 0);
  g_assert_cmpuint (r[1].iface, ==, 2);
  g_assert_cmpuint (r[2].iface, ==, 1);
  g_assert_cmpuint (r[3].iface, ==, 3);
  g_assert_cmpint (r[0].ts_ns, ==, 1 * NSEC);
  g_assert_cmpint (r[1].ts_ns, ==, 2 * NSEC);
  g_assert_cmpint (r[2].ts_ns, ==, 3 * NSEC);
  g_assert_cmpint (r[3].ts_ns, ==, 4 * NSEC);
  g_assert_true (frame_is (b.buf->data, b.buf->len, &r[0], 0));
  g_assert_true (frame_is (b.buf->data, b.buf->len, &r[1], 1));
  g_assert_true (frame_is (b.buf->data, b.buf->len, &r[2], 2));
  g_assert_true (frame_is (b.buf->data, b.buf->len, &r[3], 3));

  iface = pl_capture_reader_get_interface (reader, 0);
  g_assert_cmpuint (iface->section, ==, 0);
  g_assert_cmpstr (iface->name, ==, "be0");
  iface = pl_capture_reader_get_interface (reader, 1);
  g_assert_cmpuint (iface->section, ==, 1);
  g_assert_cmpuint (iface->linktype, ==, 0);
  g_assert_cmpuint (iface->snaplen, ==, 128);
  iface = pl_capture_reader_get_interface (reader, 2);
  g_assert_cmpuint (iface->section, ==, 1);
  g_assert_cmpuint (iface->linktype, ==, 113);
  g_assert_cmpuint (iface->snaplen, ==, 256);
  g_assert_cmpstr (iface->name, ==, "le1");
  iface = pl_capture_reader_get_interface (reader, 3);
  g_assert_cmpuint (iface->section, ==, 2);
  g_assert_cmpuint (iface->linktype, ==, 101);
  g_assert_cmpuint (iface->ts_units, ==, 1000);
  g_assert_null (iface->name);

  pl_capture_reader_free (reader);
  builder_clear (&b);
}

/* Interface ids do not carry over into the next section. */
static void
test_pcapng_section_resets_interfaces (void)
{
  Builder b;
  PlCaptureReader *reader;
  PlRecord r[2];
  GError *error = NULL;

  builder_init (&b, FALSE);
  shb (&b);
  idb (&b, 1, 0);
  idb (&b, 1, 0);
  epb (&b, 1, 0, 4, 4, 0);
  shb (&b);
  idb (&b, 1, 0);
  epb (&b, 1, 0, 4, 4, 1);

  reader = open_ok (b.buf);
  g_assert_cmpuint (read_all (reader, b.buf->data, b.buf->len, r, 2, &error), ==, 1);
  assert_error (error, PL_CAPTURE_ERROR_CORRUPT);
  g_assert_nonnull (strstr (error->message, "interface 1"));
  g_assert_nonnull (strstr (error->message, "record 2"));
  g_clear_error (&error);
  pl_capture_reader_free (reader);
  builder_clear (&b);
}

static void
test_pcapng_tsresol (void)
{
  static const struct {
    int tsresol;
    guint64 units;
    guint64 t;
    gint64 ns;
  } cases[] = {
    { 0, 1, 7, 7 * NSEC },
    { 3, 1000, 1234567, G_GINT64_CONSTANT (1234567000000) },
    { 6, 1000000, G_GUINT64_CONSTANT (1700000000654321), G_GINT64_CONSTANT (1700000000654321000) },
    { 9, 1000000000, G_GUINT64_CONSTANT (1700000000123456789), G_GINT64_CONSTANT (1700000000123456789) },
    { 12, G_GUINT64_CONSTANT (1000000000000), G_GUINT64_CONSTANT (12345678901234567890), G_GINT64_CONSTANT (12345678901234567) },
    { 19, G_GUINT64_CONSTANT (10000000000000000000), G_GUINT64_CONSTANT (15000000000000000000), G_GINT64_CONSTANT (1500000000) },
    { 0x80, 1, 42, 42 * NSEC },
    { 0x80 | 10, 1024, 5 * 1024 + 512, G_GINT64_CONSTANT (5500000000) },
    { 0x80 | 10, 1024, 1, 976562 },  /* 1e9/1024 = 976562.5, truncated */
    { 0x80 | 30, G_GUINT64_CONSTANT (1) << 30, (G_GUINT64_CONSTANT (3) << 30) + (G_GUINT64_CONSTANT (1) << 29), G_GINT64_CONSTANT (3500000000) },
    { 0x80 | 32, G_GUINT64_CONSTANT (1) << 32, (G_GUINT64_CONSTANT (1700000000) << 32) | 0xFFFFFFFFu, G_GINT64_CONSTANT (1700000000999999999) },
    { 0x80 | 63, G_GUINT64_CONSTANT (1) << 63, (G_GUINT64_CONSTANT (1) << 63) + (G_GUINT64_CONSTANT (1) << 62), G_GINT64_CONSTANT (1500000000) },
    { 0x80 | 63, G_GUINT64_CONSTANT (1) << 63, G_MAXUINT64, G_GINT64_CONSTANT (1999999999) },
    /* Beyond 2262 does not fit: clamped, not wrapped. */
    { 0, 1, G_GUINT64_CONSTANT (1) << 63, G_MAXINT64 },
    { 6, 1000000, G_MAXUINT64, G_MAXINT64 },
    { 9, 1000000000, G_MAXUINT64, G_GINT64_CONSTANT (-1) },  /* placeholder, see below */
  };
  guint i;

  for (i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      Builder b;
      PlCaptureReader *reader;
      PlRecord r[2];
      GError *error = NULL;
      gint64 want = cases[i].ns;

      /* 2^64-1 ns is year 2554: clamped too. */
      if (want == -1)
        want = G_MAXINT64;

      builder_init (&b, i % 2 == 0);
      shb (&b);
      idb_full (&b, 1, 0, cases[i].tsresol, FALSE, 0, NULL);
      epb (&b, 0, cases[i].t, 4, 4, 0);
      reader = open_ok (b.buf);
      g_assert_cmpuint (read_all (reader, b.buf->data, b.buf->len, r, 2, &error), ==, 1);
      g_assert_no_error (error);
      g_assert_cmpuint (pl_capture_reader_get_interface (reader, 0)->ts_units, ==, cases[i].units);
      if (r[0].ts_ns != want)
        g_error ("tsresol 0x%02x, t %" G_GUINT64_FORMAT ": got %" G_GINT64_FORMAT " ns, want %" G_GINT64_FORMAT,
                 cases[i].tsresol, cases[i].t, r[0].ts_ns, want);
      pl_capture_reader_free (reader);
      builder_clear (&b);
    }
}

static void
test_pcapng_tsresol_too_fine (void)
{
  static const int bad[] = { 20, 127, 0x80 | 64, 0xFF };
  guint i;

  for (i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      Builder b;
      PlCaptureReader *reader;
      PlRecord r;
      GError *error = NULL;

      builder_init (&b, FALSE);
      shb (&b);
      idb_full (&b, 1, 0, bad[i], FALSE, 0, NULL);
      epb (&b, 0, 1, 4, 4, 0);
      reader = open_ok (b.buf);
      g_assert_cmpuint (read_all (reader, b.buf->data, b.buf->len, &r, 1, &error), ==, 0);
      assert_error (error, PL_CAPTURE_ERROR_UNSUPPORTED);
      g_assert_nonnull (strstr (error->message, "resolution"));
      g_clear_error (&error);
      pl_capture_reader_free (reader);
      builder_clear (&b);
    }
}

static void
test_pcapng_tsoffset (void)
{
  static const struct {
    int tsresol;
    gint64 offset;
    guint64 t;
    gint64 ns;
  } cases[] = {
    { -1, 1000000000, 1500000, G_GINT64_CONSTANT (1000000001500000000) },
    { -1, -100, 1000000000, 900 * NSEC },
    { 9, -2000000000, 1, G_GINT64_CONSTANT (-1999999999999999999) },
    { 0x80 | 1, 10, 3, G_GINT64_CONSTANT (11500000000) },
    { 0, G_MAXINT64, 5, G_MAXINT64 },
    { 0, G_MININT64, 5, G_MININT64 },
    { 0, -10, G_GUINT64_CONSTANT (9223372036), G_GINT64_CONSTANT (9223372026) * NSEC },
  };
  guint i;

  for (i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      Builder b;
      PlCaptureReader *reader;
      PlRecord r[2];
      GError *error = NULL;

      builder_init (&b, i % 2 == 1);
      shb (&b);
      idb_full (&b, 1, 0, cases[i].tsresol, TRUE, cases[i].offset, NULL);
      epb (&b, 0, cases[i].t, 4, 4, 0);
      reader = open_ok (b.buf);
      g_assert_cmpuint (read_all (reader, b.buf->data, b.buf->len, r, 2, &error), ==, 1);
      g_assert_no_error (error);
      g_assert_cmpint (pl_capture_reader_get_interface (reader, 0)->ts_offset, ==, cases[i].offset);
      g_assert_cmpint (r[0].ts_ns, ==, cases[i].ns);
      pl_capture_reader_free (reader);
      builder_clear (&b);
    }
}

static void
test_pcapng_spb (void)
{
  Builder b;
  PlCaptureReader *reader;
  PlRecord r[8];
  GError *error = NULL;

  builder_init (&b, TRUE);
  shb (&b);
  idb (&b, 1, 64);
  idb (&b, 113, 0);
  spb (&b, 100, 64, 0);   /* cut by the snap length */
  spb (&b, 10, 10, 1);    /* padding is not data */
  spb (&b, 30, 30, 2);
  b.be = FALSE;
  shb (&b);
  idb (&b, 101, 0);
  spb (&b, 100, 40, 3);   /* no snap length: what the block holds */
  spb (&b, 0, 0, 4);

  reader = open_ok (b.buf);
  g_assert_cmpuint (read_all (reader, b.buf->data, b.buf->len, r, 8, &error), ==, 5);
  g_assert_no_error (error);
  g_assert_cmpuint (r[0].caplen, ==, 64);
  g_assert_cmpuint (r[0].origlen, ==, 100);
  g_assert_cmpuint (r[0].iface, ==, 0);
  g_assert_cmpint (r[0].ts_ns, ==, 0);
  g_assert_true (frame_is (b.buf->data, b.buf->len, &r[0], 0));
  g_assert_cmpuint (r[1].caplen, ==, 10);
  g_assert_true (frame_is (b.buf->data, b.buf->len, &r[1], 1));
  g_assert_cmpuint (r[2].caplen, ==, 30);
  g_assert_cmpuint (r[3].caplen, ==, 40);
  g_assert_cmpuint (r[3].origlen, ==, 100);
  g_assert_cmpuint (r[3].iface, ==, 2);
  g_assert_true (frame_is (b.buf->data, b.buf->len, &r[3], 3));
  g_assert_cmpuint (r[4].caplen, ==, 0);
  pl_capture_reader_free (reader);
  builder_clear (&b);
}

static void
test_pcapng_obsolete_pb (void)
{
  int be;

  for (be = 0; be <= 1; be++)
    {
      Builder b;
      PlCaptureReader *reader;
      PlRecord r[3];
      GError *error = NULL;

      builder_init (&b, be);
      shb (&b);
      idb (&b, 1, 0);
      idb_full (&b, 105, 0, 9, FALSE, 0, NULL);
      obsolete_pb (&b, 1, 1234567890, 33, 40, 0);
      obsolete_pb (&b, 0, 1234567890, 20, 20, 1);
      reader = open_ok (b.buf);
      g_assert_cmpuint (read_all (reader, b.buf->data, b.buf->len, r, 3, &error), ==, 2);
      g_assert_no_error (error);
      g_assert_cmpuint (r[0].iface, ==, 1);
      g_assert_cmpint (r[0].ts_ns, ==, 1234567890);
      g_assert_cmpuint (r[0].caplen, ==, 33);
      g_assert_cmpuint (r[0].origlen, ==, 40);
      g_assert_true (frame_is (b.buf->data, b.buf->len, &r[0], 0));
      g_assert_cmpuint (r[1].iface, ==, 0);
      g_assert_cmpint (r[1].ts_ns, ==, G_GINT64_CONSTANT (1234567890000));
      pl_capture_reader_free (reader);
      builder_clear (&b);
    }
}

static void
test_pcapng_skipped_blocks (void)
{
  Builder b;
  PlCaptureReader *reader;
  PlRecord r[3];
  GError *error = NULL;
  gsize start;

  builder_init (&b, FALSE);
  shb (&b);
  opaque_block (&b, 0x0BAD, 40);        /* custom block before any IDB */
  idb (&b, 1, 0);
  start = block_begin (&b, 4);           /* NRB: one IPv4 record, end */
  put_u16 (&b, 1);
  put_u16 (&b, 13);
  put_bytes (&b, "\x7f\x00\x00\x01localhost", 13);
  pad4 (&b);
  put_u16 (&b, 0);
  put_u16 (&b, 0);
  block_end (&b, start);
  epb (&b, 0, 1, 8, 8, 0);
  start = block_begin (&b, 5);           /* ISB */
  put_u32 (&b, 0);
  put_u32 (&b, 0);
  put_u32 (&b, 0);
  block_end (&b, start);
  opaque_block (&b, 0x0000000A, 16);     /* decryption secrets */
  opaque_block (&b, 0x40000BAD, 0);      /* custom, empty body */
  opaque_block (&b, 0x12345678, 1000);   /* unknown */
  epb (&b, 0, 2, 9, 9, 1);
  opaque_block (&b, 0x00000005, 0);      /* trailing, too short for an ISB: skipped */

  reader = open_ok (b.buf);
  g_assert_cmpuint (read_all (reader, b.buf->data, b.buf->len, r, 3, &error), ==, 2);
  g_assert_no_error (error);
  g_assert_true (frame_is (b.buf->data, b.buf->len, &r[0], 0));
  g_assert_true (frame_is (b.buf->data, b.buf->len, &r[1], 1));
  g_assert_cmpuint (pl_capture_reader_get_position (reader), ==, b.buf->len);
  pl_capture_reader_free (reader);
  builder_clear (&b);
}

static void
test_pcapng_unsupported_version (void)
{
  static const guint16 versions[][2] = { { 0, 1 }, { 1, 1 }, { 2, 0 }, { 1, 3 } };
  guint i;

  for (i = 0; i < G_N_ELEMENTS (versions); i++)
    {
      Builder b;
      char text[64];
      PlCaptureReader *reader;
      PlRecord r[2];
      GError *error = NULL;

      g_snprintf (text, sizeof text, "unsupported pcapng version %u.%u",
                  versions[i][0], versions[i][1]);

      /* As the first section: the file cannot be opened. */
      builder_init (&b, i % 2 == 0);
      shb_versioned (&b, versions[i][0], versions[i][1]);
      idb (&b, 1, 0);
      epb (&b, 0, 1, 4, 4, 0);
      expect_open_error (b.buf->data, b.buf->len, PL_CAPTURE_ERROR_UNSUPPORTED, text);
      builder_clear (&b);

      /* As a later section: the frames before it are kept. */
      builder_init (&b, FALSE);
      shb (&b);
      idb (&b, 1, 0);
      epb (&b, 0, 1, 4, 4, 0);
      b.be = TRUE;
      shb_versioned (&b, versions[i][0], versions[i][1]);
      idb (&b, 1, 0);
      epb (&b, 0, 1, 4, 4, 1);
      reader = open_ok (b.buf);
      g_assert_cmpuint (read_all (reader, b.buf->data, b.buf->len, r, 2, &error), ==, 1);
      assert_error (error, PL_CAPTURE_ERROR_UNSUPPORTED);
      g_assert_nonnull (strstr (error->message, text));
      g_clear_error (&error);
      pl_capture_reader_free (reader);
      builder_clear (&b);
    }
}

static void
test_pcapng_truncated (void)
{
  int be;

  for (be = 0; be <= 1; be++)
    {
      Builder b;
      gsize shb_end;
      gsize last_start;
      gsize cut;

      builder_init (&b, be);
      shb (&b);
      shb_end = b.buf->len;
      idb (&b, 1, 0);
      epb (&b, 0, 1, 60, 60, 0);
      epb (&b, 0, 2, 61, 61, 1);
      last_start = b.buf->len;
      epb (&b, 0, 3, 62, 62, 2);

      /* Inside the first section header: cannot open. */
      for (cut = 4; cut < shb_end; cut++)
        expect_open_error (b.buf->data, cut, PL_CAPTURE_ERROR_TRUNCATED, "offset 0");

      for (cut = last_start + 1; cut < b.buf->len; cut++)
        {
          PlCaptureReader *reader;
          PlRecord r[3];
          GError *error = NULL;

          reader = pl_capture_reader_new (b.buf->data, cut, NAME, &error);
          g_assert_no_error (error);
          g_assert_cmpuint (read_all (reader, b.buf->data, cut, r, 3, &error), ==, 2);
          assert_error (error, PL_CAPTURE_ERROR_TRUNCATED);
          g_assert_true (frame_is (b.buf->data, cut, &r[0], 0));
          g_assert_true (frame_is (b.buf->data, cut, &r[1], 1));
          g_assert_cmpuint (pl_capture_reader_get_position (reader), ==, last_start);
          g_clear_error (&error);
          pl_capture_reader_free (reader);
        }
      builder_clear (&b);
    }
}

/* Damage the block after one good EPB in various ways: the first frame
 * comes back, then CORRUPT with the offset of the bad block. */
typedef void (*Damage) (Builder *b, gsize start);

static void
damage_length_small (Builder *b, gsize start)
{
  set_u32 (b, start + 4, 8);
}

static void
damage_length_odd (Builder *b, gsize start)
{
  set_u32 (b, start + 4, 30);
}

static void
damage_length_huge (Builder *b, gsize start)
{
  set_u32 (b, start + 4, 0xFFFFFFFC);
}

static void
damage_trailer (Builder *b, gsize start)
{
  set_u32 (b, b->buf->len - 4, 64);
}

static void
damage_caplen_block (Builder *b, gsize start)
{
  set_u32 (b, start + 20, 200);  /* more than the block holds */
}

static void
damage_caplen_huge (Builder *b, gsize start)
{
  set_u32 (b, start + 20, 0xFFFFFFFF);
}

static void
damage_caplen_2g (Builder *b, gsize start)
{
  set_u32 (b, start + 20, 0x80000001);
}

static void
damage_interface (Builder *b, gsize start)
{
  set_u32 (b, start + 8, 5);
}

static void
damage_interface_max (Builder *b, gsize start)
{
  set_u32 (b, start + 8, 0xFFFFFFFF);
}

static void
damage_shb_magic (Builder *b, gsize start)
{
  set_u32 (b, start, 0x0A0D0D0A);
  set_u32 (b, start + 8, 0xDEADBEEF);
}

static void
damage_epb_short (Builder *b, gsize start)
{
  /* A 16-byte EPB: too short for its fixed fields. */
  g_byte_array_set_size (b->buf, start + 16);
  set_u32 (b, start + 4, 16);
  set_u32 (b, start + 12, 16);
}

static void
test_pcapng_corrupt (void)
{
  static const struct {
    Damage damage;
    const char *fragment;
  } cases[] = {
    { damage_length_small, "bad block length 8" },
    { damage_length_odd, "bad block length 30" },
    { damage_length_huge, "larger than the maximum" },
    { damage_trailer, "differ" },
    { damage_caplen_block, "captured length 200" },
    { damage_caplen_huge, "captured length 4294967295" },
    { damage_caplen_2g, "captured length 2147483649" },
    { damage_interface, "interface 5" },
    { damage_interface_max, "interface 4294967295" },
    { damage_shb_magic, "byte-order magic" },
    { damage_epb_short, "too short" },
  };
  guint i;
  int be;

  for (i = 0; i < G_N_ELEMENTS (cases); i++)
    for (be = 0; be <= 1; be++)
      {
        Builder b;
        PlCaptureReader *reader;
        PlRecord r[3];
        GError *error = NULL;
        gsize start;
        char offset[64];

        builder_init (&b, be);
        shb (&b);
        idb (&b, 1, 0);
        epb (&b, 0, 1, 60, 60, 0);
        start = b.buf->len;
        epb (&b, 0, 2, 61, 61, 1);
        cases[i].damage (&b, start);
        epb (&b, 0, 3, 62, 62, 2);

        reader = open_ok (b.buf);
        g_assert_cmpuint (read_all (reader, b.buf->data, b.buf->len, r, 3, &error), ==, 1);
        assert_error (error, PL_CAPTURE_ERROR_CORRUPT);
        g_snprintf (offset, sizeof offset, "offset %" G_GSIZE_FORMAT, start);
        if (strstr (error->message, cases[i].fragment) == NULL ||
            strstr (error->message, offset) == NULL)
          g_error ("case %u: \"%s\" lacks \"%s\" or \"%s\"", i, error->message, cases[i].fragment, offset);
        g_assert_true (frame_is (b.buf->data, b.buf->len, &r[0], 0));
        g_clear_error (&error);
        pl_capture_reader_free (reader);
        builder_clear (&b);
      }
}

static void
test_pcapng_corrupt_first_block (void)
{
  Builder b;

  /* Section header whose length disagrees with its trailer (libpcap's
   * shb-option-too-long.pcapng is of this kind). */
  builder_init (&b, FALSE);
  shb (&b);
  set_u32 (&b, 4, 24);
  expect_open_error (b.buf->data, b.buf->len, PL_CAPTURE_ERROR_CORRUPT, "offset 0");
  builder_clear (&b);

  /* Versions are checked before lengths: a future version may differ. */
  builder_init (&b, TRUE);
  put_u32 (&b, 0x0A0D0D0A);
  put_u32 (&b, 16);
  put_u32 (&b, 0x1A2B3C4D);
  put_u32 (&b, 16);
  put_u32 (&b, 0);
  put_u32 (&b, 0);
  expect_open_error (b.buf->data, b.buf->len, PL_CAPTURE_ERROR_UNSUPPORTED, "version 0.16");
  builder_clear (&b);

  /* Too short to hold the section header fields. */
  builder_init (&b, TRUE);
  put_u32 (&b, 0x0A0D0D0A);
  put_u32 (&b, 20);
  put_u32 (&b, 0x1A2B3C4D);
  put_u16 (&b, 1);
  put_u16 (&b, 0);
  put_u32 (&b, 20);  /* no room for the section length */
  expect_open_error (b.buf->data, b.buf->len, PL_CAPTURE_ERROR_CORRUPT, "too short");
  builder_clear (&b);
}

static void
test_pcapng_packet_before_idb (void)
{
  Builder b;
  PlCaptureReader *reader;
  PlRecord r;
  GError *error = NULL;

  builder_init (&b, FALSE);
  shb (&b);
  spb (&b, 10, 10, 0);
  reader = open_ok (b.buf);
  g_assert_cmpuint (read_all (reader, b.buf->data, b.buf->len, &r, 1, &error), ==, 0);
  assert_error (error, PL_CAPTURE_ERROR_CORRUPT);
  g_assert_nonnull (strstr (error->message, "describes 0 interfaces"));
  g_clear_error (&error);
  pl_capture_reader_free (reader);
  builder_clear (&b);
}

static void
test_pcapng_idb_options (void)
{
  Builder b;
  PlCaptureReader *reader;
  PlRecord r[2];
  GError *error = NULL;
  gsize start;
  guint8 tsresol;

  /* An unterminated, non-UTF-8 name; a second if_tsresol (ignored, as
   * libpcap would refuse it); options without opt_endofopt. */
  builder_init (&b, TRUE);
  shb (&b);
  start = block_begin (&b, 1);
  put_u16 (&b, 1);
  put_u16 (&b, 0);
  put_u32 (&b, 0);
  put_option (&b, 2, "et\xff", 3);
  tsresol = 3;
  put_option (&b, 9, &tsresol, 1);
  tsresol = 9;
  put_option (&b, 9, &tsresol, 1);
  put_option (&b, 14, "abc", 3);     /* wrong size: ignored */
  block_end (&b, start);
  epb (&b, 0, 1500, 4, 4, 0);
  reader = open_ok (b.buf);
  g_assert_cmpuint (read_all (reader, b.buf->data, b.buf->len, r, 2, &error), ==, 1);
  g_assert_no_error (error);
  g_assert_true (g_utf8_validate (pl_capture_reader_get_interface (reader, 0)->name, -1, NULL));
  g_assert_true (g_str_has_prefix (pl_capture_reader_get_interface (reader, 0)->name, "et"));
  g_assert_cmpint (r[0].ts_ns, ==, G_GINT64_CONSTANT (1500000000));
  pl_capture_reader_free (reader);
  builder_clear (&b);

  /* An option that runs past the block. */
  builder_init (&b, FALSE);
  shb (&b);
  start = block_begin (&b, 1);
  put_u16 (&b, 1);
  put_u16 (&b, 0);
  put_u32 (&b, 0);
  put_u16 (&b, 2);
  put_u16 (&b, 12336);
  put_u32 (&b, 0);
  block_end (&b, start);
  reader = open_ok (b.buf);
  g_assert_cmpuint (read_all (reader, b.buf->data, b.buf->len, r, 2, &error), ==, 0);
  assert_error (error, PL_CAPTURE_ERROR_CORRUPT);
  g_assert_nonnull (strstr (error->message, "overruns"));
  g_clear_error (&error);
  pl_capture_reader_free (reader);
  builder_clear (&b);

  /* An IDB too short for its fields. */
  builder_init (&b, FALSE);
  shb (&b);
  start = block_begin (&b, 1);
  put_u32 (&b, 1);
  block_end (&b, start);
  reader = open_ok (b.buf);
  g_assert_cmpuint (read_all (reader, b.buf->data, b.buf->len, r, 2, &error), ==, 0);
  assert_error (error, PL_CAPTURE_ERROR_CORRUPT);
  g_clear_error (&error);
  pl_capture_reader_free (reader);
  builder_clear (&b);
}

/* Random damage to valid files: the reader must stay inside the data and
 * end with either a clean end or an error naming the file. */
static void
fuzz_one (const GByteArray *orig)
{
  guint8 *copy = g_memdup2 (orig->data, orig->len);
  gsize len = orig->len;
  guint n_flips = g_test_rand_int_range (1, 5);
  guint i;
  PlCaptureReader *reader;
  GError *error = NULL;

  if (g_test_rand_int_range (0, 4) == 0)
    len = g_test_rand_int_range (0, (gint32) len);
  for (i = 0; i < n_flips && len > 0; i++)
    {
      gsize at = g_test_rand_int_range (0, (gint32) len);

      switch (g_test_rand_int_range (0, 3))
        {
        case 0:
          copy[at] ^= 1u << g_test_rand_int_range (0, 8);
          break;
        case 1:
          copy[at] = 0xFF;
          break;
        default:
          copy[at] = (guint8) g_test_rand_int ();
          break;
        }
    }

  reader = pl_capture_reader_new (copy, len, NAME, &error);
  if (reader == NULL)
    {
      g_assert_nonnull (error);
      g_assert_true (g_str_has_prefix (error->message, NAME ": "));
    }
  else
    {
      PlRecord r;

      g_assert_no_error (error);
      read_all (reader, copy, len, &r, 1, &error);
      if (error != NULL)
        g_assert_true (g_str_has_prefix (error->message, NAME ": "));
      pl_capture_reader_free (reader);
    }
  g_clear_error (&error);
  g_free (copy);
}

static void
test_fuzz (void)
{
  Builder files[4];
  guint i;
  guint round;

  builder_init (&files[0], FALSE);
  pcap_header (&files[0], 0xa1b2c3d4, 2, 4, 96, 1);
  for (i = 0; i < 6; i++)
    pcap_record (&files[0], FALSE, i, i, 20 + i, 100, i);

  builder_init (&files[1], TRUE);
  pcap_header (&files[1], 0xa1b2cd34, 2, 4, 96, 1);
  for (i = 0; i < 6; i++)
    pcap_record (&files[1], TRUE, i, i, 20 + i, 100, i);

  builder_init (&files[2], FALSE);
  shb (&files[2]);
  idb_full (&files[2], 1, 64, 0x80 | 20, TRUE, -5, "x");
  epb (&files[2], 0, 1, 20, 20, 0);
  spb (&files[2], 30, 30, 1);
  files[2].be = TRUE;
  shb (&files[2]);
  idb_full (&files[2], 113, 0, 12, FALSE, 0, NULL);
  obsolete_pb (&files[2], 0, 7, 9, 9, 2);
  epb (&files[2], 0, 8, 10, 10, 3);

  builder_init (&files[3], TRUE);
  shb (&files[3]);
  opaque_block (&files[3], 0x0BAD, 8);
  idb (&files[3], 1, 0);
  epb (&files[3], 0, 1, 5, 5, 0);

  for (round = 0; round < 3000; round++)
    fuzz_one (files[round % G_N_ELEMENTS (files)].buf);

  for (i = 0; i < G_N_ELEMENTS (files); i++)
    builder_clear (&files[i]);
}

static void
test_format_strings (void)
{
  g_assert_cmpstr (pl_capture_format_to_string (PL_CAPTURE_FORMAT_PCAP), ==, "pcap");
  g_assert_cmpstr (pl_capture_format_to_string (PL_CAPTURE_FORMAT_PCAPNG), ==, "pcapng");
  g_assert_nonnull (pl_capture_format_to_string (PL_CAPTURE_FORMAT_PCAP_NSEC));
  g_assert_nonnull (pl_capture_format_to_string (PL_CAPTURE_FORMAT_PCAP_MODIFIED));
}

/* libpcap helpers */

static void
test_linktype_names (void)
{
  const char *a;
  const char *b;

  g_assert_cmpstr (pl_linktype_name (0), ==, "NULL");
  g_assert_cmpstr (pl_linktype_name (1), ==, "EN10MB");
  g_assert_cmpstr (pl_linktype_description (1), ==, "Ethernet");
  g_assert_cmpstr (pl_linktype_name (101), ==, "RAW");   /* LINKTYPE_RAW is DLT_RAW */
  g_assert_cmpstr (pl_linktype_name (113), ==, "LINUX_SLL");
  g_assert_cmpstr (pl_linktype_name (228), ==, "IPV4");
  g_assert_cmpstr (pl_linktype_name (229), ==, "IPV6");
  g_assert_cmpstr (pl_linktype_name (276), ==, "LINUX_SLL2");

  a = pl_linktype_name (65000);
  b = pl_linktype_name (65000);
  g_assert_cmpstr (a, ==, "LINKTYPE_65000");
  g_assert_true (a == b);
  g_assert_cmpstr (pl_linktype_name (0x00300000), ==, "LINKTYPE_3145728");
  g_assert_cmpstr (pl_linktype_name (G_MAXUINT32), ==, "LINKTYPE_4294967295");
  g_assert_nonnull (strstr (pl_linktype_description (65000), "65000"));
}

/* Ethernet, IPv4, TCP 12345 -> 80 (or UDP), no payload. */
static gsize
make_frame (guint8  *frame,
            gboolean ethernet,
            guint8   proto,
            guint16  dport)
{
  static const guint8 eth[14] = {
    0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 0x08, 0x00,
  };
  gsize off = 0;
  guint8 *ip;
  guint8 *l4;

  if (ethernet)
    {
      memcpy (frame, eth, sizeof eth);
      off = sizeof eth;
    }
  ip = frame + off;
  memset (ip, 0, 40);
  ip[0] = 0x45;
  ip[3] = 40;
  ip[8] = 64;
  ip[9] = proto;
  ip[12] = 10; ip[15] = 1;
  ip[16] = 10; ip[19] = 2;
  l4 = ip + 20;
  l4[0] = 12345 >> 8;
  l4[1] = 12345 & 0xFF;
  l4[2] = dport >> 8;
  l4[3] = dport & 0xFF;
  l4[12] = 0x50;
  return off + 40;
}

static void
test_bpf_filter (void)
{
  guint8 frame[64];
  gsize len;
  GError *error = NULL;
  g_autoptr(PlBpfFilter) port80 = NULL;
  g_autoptr(PlBpfFilter) raw80 = NULL;
  g_autoptr(PlBpfFilter) all = NULL;

  port80 = pl_bpf_filter_new (1, 65535, "tcp port 80", &error);
  g_assert_no_error (error);
  g_assert_nonnull (port80);
  g_assert_cmpuint (pl_bpf_filter_get_linktype (port80), ==, 1);

  len = make_frame (frame, TRUE, 6, 80);
  g_assert_true (pl_bpf_filter_matches (port80, frame, len, len));
  /* Cut inside the IP header: the interpreter refuses to read past it. */
  g_assert_false (pl_bpf_filter_matches (port80, frame, 20, len));
  len = make_frame (frame, TRUE, 6, 81);
  g_assert_false (pl_bpf_filter_matches (port80, frame, len, len));
  len = make_frame (frame, TRUE, 17, 80);
  g_assert_false (pl_bpf_filter_matches (port80, frame, len, len));

  /* LINKTYPE_RAW (101) must reach libpcap as DLT_RAW, and snaplen 0 must
   * not turn every match into "accept 0 bytes". */
  raw80 = pl_bpf_filter_new (101, 0, "tcp dst port 80", &error);
  g_assert_no_error (error);
  len = make_frame (frame, FALSE, 6, 80);
  g_assert_true (pl_bpf_filter_matches (raw80, frame, len, len));
  len = make_frame (frame, FALSE, 6, 8080);
  g_assert_false (pl_bpf_filter_matches (raw80, frame, len, len));

  all = pl_bpf_filter_new (113, 0, "", &error);
  g_assert_no_error (error);
  g_assert_true (pl_bpf_filter_matches (all, frame, 0, 0));
}

static void
test_bpf_bad_expression (void)
{
  GError *error = NULL;
  PlBpfFilter *filter;

  filter = pl_bpf_filter_new (1, 65535, "tcp port 99999", &error);
  g_assert_null (filter);
  g_assert_error (error, PL_BPF_ERROR, PL_BPF_ERROR_INVALID);
  g_assert_nonnull (strstr (error->message, "99999"));
  g_clear_error (&error);

  filter = pl_bpf_filter_new (1, 65535, "tcp port", &error);
  g_assert_null (filter);
  g_assert_error (error, PL_BPF_ERROR, PL_BPF_ERROR_INVALID);
  g_assert_nonnull (strstr (error->message, "syntax error"));
  g_clear_error (&error);

  /* Ethernet-only primitives on a link type without MAC addresses. */
  filter = pl_bpf_filter_new (101, 0, "ether host 00:01:02:03:04:05", &error);
  g_assert_null (filter);
  g_assert_error (error, PL_BPF_ERROR, PL_BPF_ERROR_INVALID);
  g_assert_cmpstr (error->message, !=, "");
  g_clear_error (&error);

  filter = pl_bpf_filter_new (65000, 0, "tcp", &error);
  g_assert_null (filter);
  g_assert_error (error, PL_BPF_ERROR, PL_BPF_ERROR_INVALID);
  g_clear_error (&error);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/capture-reader/pcap/variants", test_pcap_variants);
  g_test_add_func ("/capture-reader/wiretap-time", test_wiretap_time);
  g_test_add_func ("/capture-reader/pcap/linktype-bits", test_pcap_linktype_bits);
  g_test_add_func ("/capture-reader/pcap/old-versions", test_pcap_old_versions);
  g_test_add_func ("/capture-reader/pcap/unsupported-version", test_pcap_unsupported_version);
  g_test_add_func ("/capture-reader/pcap/truncated-header", test_pcap_truncated_header);
  g_test_add_func ("/capture-reader/pcap/truncated-record", test_pcap_truncated_record);
  g_test_add_func ("/capture-reader/pcap/corrupt-caplen", test_pcap_corrupt_caplen);
  g_test_add_func ("/capture-reader/pcap/caplen-above-snaplen", test_pcap_caplen_above_snaplen);
  g_test_add_func ("/capture-reader/pcap/empty", test_pcap_empty);
  g_test_add_func ("/capture-reader/not-capture", test_not_capture);
  g_test_add_func ("/capture-reader/pcapng/basic", test_pcapng_basic);
  g_test_add_func ("/capture-reader/pcapng/minor-version-2", test_pcapng_minor_version_2);
  g_test_add_func ("/capture-reader/pcapng/sections", test_pcapng_sections);
  g_test_add_func ("/capture-reader/pcapng/section-resets-interfaces", test_pcapng_section_resets_interfaces);
  g_test_add_func ("/capture-reader/pcapng/tsresol", test_pcapng_tsresol);
  g_test_add_func ("/capture-reader/pcapng/tsresol-too-fine", test_pcapng_tsresol_too_fine);
  g_test_add_func ("/capture-reader/pcapng/tsoffset", test_pcapng_tsoffset);
  g_test_add_func ("/capture-reader/pcapng/spb", test_pcapng_spb);
  g_test_add_func ("/capture-reader/pcapng/obsolete-pb", test_pcapng_obsolete_pb);
  g_test_add_func ("/capture-reader/pcapng/skipped-blocks", test_pcapng_skipped_blocks);
  g_test_add_func ("/capture-reader/pcapng/unsupported-version", test_pcapng_unsupported_version);
  g_test_add_func ("/capture-reader/pcapng/truncated", test_pcapng_truncated);
  g_test_add_func ("/capture-reader/pcapng/corrupt", test_pcapng_corrupt);
  g_test_add_func ("/capture-reader/pcapng/corrupt-first-block", test_pcapng_corrupt_first_block);
  g_test_add_func ("/capture-reader/pcapng/packet-before-idb", test_pcapng_packet_before_idb);
  g_test_add_func ("/capture-reader/pcapng/idb-options", test_pcapng_idb_options);
  g_test_add_func ("/capture-reader/fuzz", test_fuzz);
  g_test_add_func ("/capture-reader/format-strings", test_format_strings);
  g_test_add_func ("/pcap-source/linktype-names", test_linktype_names);
  g_test_add_func ("/pcap-source/bpf-filter", test_bpf_filter);
  g_test_add_func ("/pcap-source/bpf-bad-expression", test_bpf_bad_expression);

  return g_test_run ();
}
