/* test-hostile.c: captures built to exhaust memory load with bounded memory,
 * with notes on the frames concerned or a clean error naming the file.
 *
 * Each case writes its capture into a temporary folder, then loads it in a
 * subprocess (g_test_trap_subprocess) so that the child's peak resident set
 * (getrusage ru_maxrss) measures that load alone.  The limit of each case is
 * stated next to it; it includes the mapped file's pages, which count as
 * resident once read, and holds under AddressSanitizer too (whose redzones
 * and shadow add roughly a third).  The measured figure is printed as a
 * test message (visible with --verbose or in the TAP log).
 */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/resource.h>

#include <glib/gstdio.h>

#include "pl-capture.h"
#ifdef PL_FUZZ_HAVE_HTTP
#include "pl-http-message.h"
#endif

#define MIB (1024 * 1024)

/* AddressSanitizer's redzones, quarantine and copying realloc roughly
 * double what the heap holds at its peak: every limit below, except the
 * file's own pages, is multiplied by this. */
#if defined(__SANITIZE_ADDRESS__)
#define ASAN_FACTOR 2
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define ASAN_FACTOR 2
#endif
#endif
#ifndef ASAN_FACTOR
#define ASAN_FACTOR 1
#endif

static char *tmp_dir;
/* What a child found, passed to the parent with its figure. */
static GString *child_report;

/* ------------------------------------------------------------------------
 * Writing captures: little-endian pcap, LINKTYPE_RAW (IPv4 straight away),
 * no checksums (nothing here is about them).
 */

typedef struct
{
  FILE    *fp;
  char    *path;
  guint32  n_frames;
} Writer;

static void
put_u16_be (guint8  *p,
            guint16  v)
{
  p[0] = v >> 8;
  p[1] = v & 0xff;
}

static void
put_u32_be (guint8  *p,
            guint32  v)
{
  p[0] = v >> 24;
  p[1] = (v >> 16) & 0xff;
  p[2] = (v >> 8) & 0xff;
  p[3] = v & 0xff;
}

static void
put_u32_le (guint8  *p,
            guint32  v)
{
  p[0] = v & 0xff;
  p[1] = (v >> 8) & 0xff;
  p[2] = (v >> 16) & 0xff;
  p[3] = v >> 24;
}

static void
writer_raw (Writer       *w,
            const void   *data,
            gsize         len)
{
  g_assert_cmpuint (fwrite (data, 1, len, w->fp), ==, len);
}

static void
writer_open (Writer     *w,
             const char *name,
             guint32     snaplen)
{
  guint8 header[24];

  w->path = g_build_filename (tmp_dir, name, NULL);
  w->fp = fopen (w->path, "wb");
  g_assert_nonnull (w->fp);
  /* Writes go out in big blocks: the million-frame file is 56 MB. */
  setvbuf (w->fp, NULL, _IOFBF, 1 << 20);
  w->n_frames = 0;

  put_u32_le (header, 0xa1b2c3d4u);
  put_u32_le (header + 4, 2 | (4u << 16));
  put_u32_le (header + 8, 0);
  put_u32_le (header + 12, 0);
  put_u32_le (header + 16, snaplen);
  put_u32_le (header + 20, 101);  /* LINKTYPE_RAW */
  writer_raw (w, header, sizeof header);
}

/* A record header claiming caplen bytes, as they come (the caller writes
 * the bytes, or not). */
static void
writer_record_header (Writer  *w,
                      guint32  caplen,
                      guint32  origlen)
{
  guint8 rec[16];

  put_u32_le (rec, 1700000000u + w->n_frames / 1000000);
  put_u32_le (rec + 4, w->n_frames % 1000000);
  put_u32_le (rec + 8, caplen);
  put_u32_le (rec + 12, origlen);
  writer_raw (w, rec, sizeof rec);
  w->n_frames++;
}

typedef struct
{
  guint32 src, dst;
  guint16 sport, dport;
} Tuple;

/* An IPv4/TCP segment of payload_len bytes on the wire, of which the first
 * captured are in the file (from payload, which may be NULL: zeros). */
static void
writer_segment (Writer        *w,
                const Tuple   *t,
                gboolean       reply,
                guint16        flags,
                guint32        seq,
                guint32        ack,
                const guint8  *payload,
                guint32        payload_len,
                guint32        captured)
{
  guint8 h[40] = { 0 };
  static const guint8 zeros[4096];

  g_assert_cmpuint (captured, <=, payload_len);
  writer_record_header (w, 40 + captured, 40 + payload_len);

  h[0] = 0x45;
  put_u16_be (h + 2, (guint16) (40 + payload_len));
  h[8] = 64;
  h[9] = 6;
  put_u32_be (h + 12, reply ? t->dst : t->src);
  put_u32_be (h + 16, reply ? t->src : t->dst);
  put_u16_be (h + 20, reply ? t->dport : t->sport);
  put_u16_be (h + 22, reply ? t->sport : t->dport);
  put_u32_be (h + 24, seq);
  put_u32_be (h + 28, ack);
  h[32] = 5 << 4;
  h[33] = (guint8) flags;
  put_u16_be (h + 34, 65535);
  writer_raw (w, h, sizeof h);

  if (payload != NULL)
    writer_raw (w, payload, captured);
  else
    {
      guint32 done;

      for (done = 0; done < captured; done += MIN (captured - done, sizeof zeros))
        writer_raw (w, zeros, MIN (captured - done, sizeof zeros));
    }
}

static char *
writer_close (Writer *w)
{
  g_assert_cmpint (fclose (w->fp), ==, 0);
  w->fp = NULL;
  return g_steal_pointer (&w->path);
}

/* ------------------------------------------------------------------------
 * Measuring
 */

static long
peak_rss_kib (void)
{
  struct rusage ru;

  g_assert_cmpint (getrusage (RUSAGE_SELF, &ru), ==, 0);
  return ru.ru_maxrss;  /* KiB on Linux */
}

static gsize
file_size (const char *path)
{
  GStatBuf st;

  g_assert_cmpint (g_stat (path, &st), ==, 0);
  return (gsize) st.st_size;
}

typedef void (*CheckFunc) (PlCapture  *capture,
                           const char *path);

/* In the child: loads path, runs check, asserts the peak growth is under
 * limit bytes, and leaves the figure in a file for the parent to print. */
static void
load_measured (const char *path,
               gsize       limit,
               CheckFunc   check)
{
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(PlCapture) capture = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *figure_path = g_strconcat (path, ".rss", NULL);
  g_autofree char *figure = NULL;
  long before, after;

  before = peak_rss_kib ();
  capture = pl_capture_new (file);
  if (pl_capture_load (capture, NULL, NULL, NULL, &error))
    check (capture, path);
  else
    check (NULL, error->message);
  after = peak_rss_kib ();

  figure = g_strdup_printf ("%ld\n%s", after - before, child_report->str);
  g_assert_true (g_file_set_contents (figure_path, figure, -1, NULL));
  g_assert_cmpint ((after - before) * 1024, <=, (gint64) limit);
}

/* In the parent: runs the current test again in a child, which loads. */
static void
run_measured (const char *path,
              gsize       limit)
{
  g_autofree char *figure_path = g_strconcat (path, ".rss", NULL);
  g_autofree char *figure = NULL;
  g_autofree char *base = g_path_get_basename (path);
  char *report;

  g_test_trap_subprocess (NULL, 0, G_TEST_SUBPROCESS_INHERIT_STDERR);
  g_test_trap_assert_passed ();

  g_assert_true (g_file_get_contents (figure_path, &figure, NULL, NULL));
  report = strchr (figure, '\n');
  g_assert_nonnull (report);
  *report++ = '\0';
  g_test_message ("%s: %" G_GSIZE_FORMAT " KiB file, peak RSS grew by %s KiB while loading "
                  "(limit %" G_GSIZE_FORMAT " KiB)%s%s",
                  base, file_size (path) / 1024, figure, limit / 1024,
                  report[0] != '\0' ? "; " : "", report);
  g_unlink (figure_path);
}

static guint
count_notes (PlCapture *capture)
{
  guint i, total = 0;

  for (i = 0; i < pl_capture_get_n_frames (capture); i++)
    {
      const PlNote *notes;

      total += pl_capture_get_frame_notes (capture, i, &notes);
    }
  return total;
}

/* ------------------------------------------------------------------------
 * 1,000,000 streams: a SYN each, from different addresses and ports.
 * Limit: the file's pages plus 450 bytes per stream: the frame entry (56),
 * the stream record (PlTcpStream, 192), and while loading its sequence
 * analysis state (136) and the tuple index (4 bytes a slot, at most half
 * full, 12 while it doubles).  Streams and frames live in blocks that
 * never move, so nothing is copied or reserved ahead.  Measured: 396 bytes
 * per stream at the peak (465 before the analysis state and the index
 * left PlTcpStream), 251 kept after the load (bench-export prints both).
 */

#define N_STREAMS 1000000

static void
check_million (PlCapture  *capture,
               const char *path)
{
  g_assert_nonnull (capture);
  g_assert_cmpuint (pl_capture_get_n_frames (capture), ==, N_STREAMS);
  g_assert_cmpuint (pl_capture_get_n_streams (capture), ==, N_STREAMS);
  g_assert_null (pl_capture_get_warning (capture));
}

static void
test_million_streams (void)
{
  g_autofree char *path = g_build_filename (tmp_dir, "million-streams.pcap", NULL);
  gsize limit;

  if (!g_test_subprocess ())
    {
      Writer w;
      g_autofree char *written = NULL;
      guint32 i;

      writer_open (&w, "million-streams.pcap", 262144);
      for (i = 0; i < N_STREAMS; i++)
        {
          Tuple t = { 0x0a000000u | (i >> 16), 0x7f000001u, (guint16) (1024 + (i & 0xffff)), 80 };

          writer_segment (&w, &t, FALSE, 0x02 /* SYN */, i * 7919u, 0, NULL, 0, 0);
        }
      written = writer_close (&w);
    }

  limit = file_size (path) + (gsize) N_STREAMS * 450 * ASAN_FACTOR;
  if (g_test_subprocess ())
    {
      load_measured (path, limit, check_million);
      return;
    }
  run_measured (path, limit);
  g_unlink (path);
}

/* ------------------------------------------------------------------------
 * Out-of-order data that never fills its gap: the client's first 1000
 * bytes never arrive, then 100,000 segments of 1400 bytes follow (140 MB
 * of stream; one in ten captured in full, the others cut to their headers
 * by the snap length).  The reassembler's out-of-order cap
 * (PL_REASSEMBLER_DEFAULT_MAX_BUFFERED, 8 MiB, and 16384 records) must hold
 * it.  Limit: the file's pages plus 64 MiB.
 */

#define N_OOO 100000

static void
check_ooo (PlCapture  *capture,
           const char *path)
{
  g_assert_nonnull (capture);
  g_assert_cmpuint (pl_capture_get_n_frames (capture), ==, N_OOO + 3);
  g_assert_cmpuint (pl_capture_get_n_streams (capture), ==, 1);
  /* The bytes beyond the out-of-order cap are skipped with a note on the
   * frames that carried them. */
  g_assert_cmpuint (count_notes (capture), >, 0);
  g_string_append_printf (child_report, "%u notes", count_notes (capture));
}

static void
test_out_of_order_gap (void)
{
  g_autofree char *path = g_build_filename (tmp_dir, "ooo-gap.pcap", NULL);
  gsize limit;

  if (!g_test_subprocess ())
    {
      Tuple t = { 0x7f000001u, 0x7f000001u, 40000, 8080 };
      guint8 payload[1400];
      Writer w;
      g_autofree char *written = NULL;
      guint32 i, c_isn = 1000, s_isn = 5000000;

      memset (payload, 'x', sizeof payload);
      writer_open (&w, "ooo-gap.pcap", 262144);
      writer_segment (&w, &t, FALSE, 0x02, c_isn, 0, NULL, 0, 0);
      writer_segment (&w, &t, TRUE, 0x12, s_isn, c_isn + 1, NULL, 0, 0);
      writer_segment (&w, &t, FALSE, 0x10, c_isn + 1, s_isn + 1, NULL, 0, 0);
      for (i = 0; i < N_OOO; i++)
        writer_segment (&w, &t, FALSE, 0x18, c_isn + 1 + 1000 + i * 1400u, s_isn + 1,
                        payload, sizeof payload, i % 10 == 0 ? sizeof payload : 0);
      written = writer_close (&w);
    }

  limit = file_size (path) + 64 * MIB * ASAN_FACTOR;
  if (g_test_subprocess ())
    {
      load_measured (path, limit, check_ooo);
      return;
    }
  run_measured (path, limit);
  g_unlink (path);
}

/* ------------------------------------------------------------------------
 * Lengths claiming gigabytes.  Limit: 16 MiB (nothing may be allocated by
 * a claimed length).
 */

static void
check_claimed (PlCapture  *capture,
               const char *path)
{
  const GError *warning;

  /* Loads: the frames before the bad record are kept, and the warning
   * names the file. */
  g_assert_nonnull (capture);
  g_assert_cmpuint (pl_capture_get_n_frames (capture), ==, 3);
  warning = pl_capture_get_warning (capture);
  g_assert_nonnull (warning);
  g_assert_true (warning->domain == PL_CAPTURE_ERROR);
  g_assert_nonnull (strstr (warning->message, path));
  g_string_append (child_report, warning->message);
}

static void
write_claim (const char *name,
             guint32     snaplen,
             guint32     claimed)
{
  Tuple t = { 0x7f000001u, 0x7f000001u, 40000, 8080 };
  Writer w;
  g_autofree char *written = NULL;
  guint8 junk[100];

  writer_open (&w, name, snaplen);
  writer_segment (&w, &t, FALSE, 0x02, 1, 0, NULL, 0, 0);
  writer_segment (&w, &t, TRUE, 0x12, 100, 2, NULL, 0, 0);
  writer_segment (&w, &t, FALSE, 0x10, 2, 101, NULL, 0, 0);
  writer_record_header (&w, claimed, claimed);
  memset (junk, 0xee, sizeof junk);
  writer_raw (&w, junk, sizeof junk);
  written = writer_close (&w);
}

static void
run_claim (const char *name,
           guint32     snaplen,
           guint32     claimed)
{
  g_autofree char *path = g_build_filename (tmp_dir, name, NULL);

  if (!g_test_subprocess ())
    write_claim (name, snaplen, claimed);
  if (g_test_subprocess ())
    {
      load_measured (path, 16 * MIB * ASAN_FACTOR, check_claimed);
      return;
    }
  run_measured (path, 16 * MIB * ASAN_FACTOR);
  g_unlink (path);
}

/* The file header claims a 4 GiB snap length, then a record 192 MiB long
 * (plausible under that snap length) ends the file early. */
static void
test_snaplen_4g (void)
{
  run_claim ("snaplen-4g.pcap", G_MAXUINT32, 192u * MIB);
}

/* A record claiming 2 GiB under an ordinary snap length. */
static void
test_record_2g (void)
{
  run_claim ("record-2g.pcap", 65535, 2048u * MIB);
}

/* The same in pcapng: an interface with a 4 GiB snap length, then an
 * Enhanced Packet Block whose length fields claim 2 GiB. */
static void
check_pcapng_claim (PlCapture  *capture,
                    const char *path)
{
  const GError *warning;

  g_assert_nonnull (capture);
  g_assert_cmpuint (pl_capture_get_n_frames (capture), ==, 1);
  warning = pl_capture_get_warning (capture);
  g_assert_nonnull (warning);
  g_assert_nonnull (strstr (warning->message, path));
  g_string_append (child_report, warning->message);
}

static void
put_block (GByteArray   *out,
           guint32       type,
           const guint8 *body,
           guint32       body_len,
           guint32       claimed_total)
{
  guint8 b[8];
  guint32 total = claimed_total != 0 ? claimed_total : 12 + body_len;

  put_u32_le (b, type);
  put_u32_le (b + 4, total);
  g_byte_array_append (out, b, 8);
  g_byte_array_append (out, body, body_len);
  if (claimed_total == 0)
    g_byte_array_append (out, b + 4, 4);
}

static void
test_pcapng_claims (void)
{
  g_autofree char *path = g_build_filename (tmp_dir, "claims.pcapng", NULL);

  if (!g_test_subprocess ())
    {
      g_autoptr(GByteArray) out = g_byte_array_new ();
      guint8 shb[16], idb[8], epb[20 + 40];

      put_u32_le (shb, 0x1a2b3c4du);
      put_u32_le (shb + 4, 1);  /* version 1.0 */
      memset (shb + 8, 0xff, 8);  /* section length unknown */
      put_block (out, 0x0a0d0d0au, shb, sizeof shb, 0);
      put_u32_le (idb, 101);
      put_u32_le (idb + 4, G_MAXUINT32);
      put_block (out, 1, idb, sizeof idb, 0);

      memset (epb, 0, sizeof epb);
      put_u32_le (epb + 12, 40);
      put_u32_le (epb + 16, 40);
      epb[20] = 0x45;
      epb[29] = 6;
      put_block (out, 6, epb, sizeof epb, 0);

      /* An EPB whose caplen says 2 GiB inside an ordinary block, then a
       * block whose total length says 2 GiB. */
      put_u32_le (epb + 12, 2048u * MIB);
      put_block (out, 6, epb, sizeof epb, 0);
      put_block (out, 6, epb, sizeof epb, 2048u * MIB);
      g_assert_true (g_file_set_contents (path, (const char *) out->data, out->len, NULL));
    }
  if (g_test_subprocess ())
    {
      load_measured (path, 16 * MIB * ASAN_FACTOR, check_pcapng_claim);
      return;
    }
  run_measured (path, 16 * MIB * ASAN_FACTOR);
  g_unlink (path);
}

#ifdef PL_FUZZ_HAVE_HTTP
/* ------------------------------------------------------------------------
 * HTTP: a GET, then a response built to make the parser keep or allocate
 * too much.  Limit: the file's pages plus 32 MiB.
 */

typedef void (*BodyFunc) (Writer      *w,
                          const Tuple *t,
                          guint32     *seq,
                          guint32      ack);

static void
write_http (const char *name,
            const char *response_head,
            BodyFunc    body)
{
  static const char request[] = "GET /big HTTP/1.1\r\nHost: localhost:8080\r\n\r\n";
  Tuple t = { 0x7f000001u, 0x7f000001u, 40000, 8080 };
  guint32 c = 1000, s = 900000;
  Writer w;
  g_autofree char *written = NULL;
  gsize head_len = strlen (response_head);
  gsize off;

  writer_open (&w, name, 262144);
  writer_segment (&w, &t, FALSE, 0x02, c, 0, NULL, 0, 0);
  writer_segment (&w, &t, TRUE, 0x12, s, c + 1, NULL, 0, 0);
  c++, s++;
  writer_segment (&w, &t, FALSE, 0x10, c, s, NULL, 0, 0);
  writer_segment (&w, &t, FALSE, 0x18, c, s, (const guint8 *) request, sizeof request - 1,
                  sizeof request - 1);
  c += sizeof request - 1;

  /* The head in segments of at most 1400 bytes. */
  for (off = 0; off < head_len; off += 1400)
    {
      guint32 n = (guint32) MIN (head_len - off, 1400);

      writer_segment (&w, &t, TRUE, 0x18, s, c, (const guint8 *) response_head + off, n, n);
      s += n;
    }
  if (body != NULL)
    body (&w, &t, &s, c);

  writer_segment (&w, &t, TRUE, 0x11, s, c, NULL, 0, 0);
  writer_segment (&w, &t, FALSE, 0x11, c, s + 1, NULL, 0, 0);
  writer_segment (&w, &t, TRUE, 0x10, s + 1, c + 1, NULL, 0, 0);
  written = writer_close (&w);
}

static PlHttpMessage *
find_response (PlCapture *capture)
{
  guint i;

  for (i = 0; i < pl_capture_get_n_http_messages (capture); i++)
    {
      PlHttpMessage *msg = pl_capture_get_http_message (capture, i);

      if (!pl_http_message_is_request (msg))
        return msg;
      g_object_unref (msg);
    }
  return NULL;
}

static void
run_http (const char *name,
          const char *response_head,
          BodyFunc    body,
          CheckFunc   check)
{
  g_autofree char *path = g_build_filename (tmp_dir, name, NULL);
  gsize limit;

  if (!g_test_subprocess ())
    write_http (name, response_head, body);
  limit = file_size (path) + 32 * MIB * ASAN_FACTOR;
  if (g_test_subprocess ())
    {
      load_measured (path, limit, check);
      return;
    }
  run_measured (path, limit);
  g_unlink (path);
}

/* Content-Length: 2 GiB, then 1000 segments of body (1.4 MB), then FIN. */
static void
body_some_bytes (Writer      *w,
                 const Tuple *t,
                 guint32     *seq,
                 guint32      ack)
{
  guint8 payload[1400];
  guint i;

  memset (payload, 'b', sizeof payload);
  for (i = 0; i < 1000; i++)
    {
      writer_segment (w, t, TRUE, 0x10, *seq, ack, payload, sizeof payload, sizeof payload);
      *seq += sizeof payload;
    }
}

static void
check_content_length (PlCapture  *capture,
                      const char *path)
{
  g_autoptr(PlHttpMessage) response = NULL;
  g_autoptr(GBytes) body = NULL;
  g_autoptr(GError) error = NULL;

  g_assert_nonnull (capture);
  response = find_response (capture);
  g_assert_nonnull (response);
  g_assert_cmpuint (pl_http_message_get_framing (response), ==, PL_HTTP_FRAMING_LENGTH);
  g_assert_cmpuint (pl_http_message_get_body_length (response), ==, 1000 * 1400);
  g_assert_true (pl_http_message_get_flags (response) & PL_HTTP_MSG_TRUNCATED);
  /* The body as captured, not as announced. */
  body = pl_http_message_dup_body (response, TRUE, &error);
  g_assert_true (body == NULL || g_bytes_get_size (body) <= 1000 * 1400);
  g_string_append_printf (child_report, "response flags 0x%x, body %" G_GUINT64_FORMAT " bytes%s%s",
                          pl_http_message_get_flags (response),
                          pl_http_message_get_body_length (response),
                          error != NULL ? ", body refused: " : "",
                          error != NULL ? error->message : "");
}

static void
test_http_content_length_2g (void)
{
  run_http ("content-length-2g.pcap",
            "HTTP/1.1 200 OK\r\nContent-Length: 2147483648\r\n\r\n",
            body_some_bytes, check_content_length);
}

/* A chunked body that never ends: 4000 segments of 63 chunks of 16 bytes
 * (252,000 chunks), no last chunk, then FIN. */
static void
body_endless_chunks (Writer      *w,
                     const Tuple *t,
                     guint32     *seq,
                     guint32      ack)
{
  static const char chunk[] = "10\r\n0123456789abcdef\r\n";
  guint8 payload[63 * (sizeof chunk - 1)];
  guint i;

  for (i = 0; i < 63; i++)
    memcpy (payload + i * (sizeof chunk - 1), chunk, sizeof chunk - 1);
  for (i = 0; i < 4000; i++)
    {
      writer_segment (w, t, TRUE, 0x10, *seq, ack, payload, sizeof payload, sizeof payload);
      *seq += sizeof payload;
    }
}

static void
check_endless_chunked (PlCapture  *capture,
                       const char *path)
{
  g_autoptr(PlHttpMessage) response = NULL;

  g_assert_nonnull (capture);
  response = find_response (capture);
  g_assert_nonnull (response);
  g_assert_cmpuint (pl_http_message_get_framing (response), ==, PL_HTTP_FRAMING_CHUNKED);
  g_assert_cmpuint (pl_http_message_get_body_length (response), ==, 4000 * 63 * 16);
  g_assert_true (pl_http_message_get_flags (response) & PL_HTTP_MSG_TRUNCATED);
  g_string_append_printf (child_report, "response flags 0x%x, body %" G_GUINT64_FORMAT " bytes",
                          pl_http_message_get_flags (response),
                          pl_http_message_get_body_length (response));
}

static void
test_http_endless_chunked (void)
{
  run_http ("endless-chunked.pcap",
            "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n",
            body_endless_chunks, check_endless_chunked);
}

/* A response head of 100,000 header fields (1.9 MB). */
static void
check_many_headers (PlCapture  *capture,
                    const char *path)
{
  g_autoptr(PlHttpMessage) response = NULL;

  g_assert_nonnull (capture);
  response = find_response (capture);
  g_assert_nonnull (response);
  g_assert_true (pl_http_message_get_flags (response) &
                 (PL_HTTP_MSG_HEAD_TOO_LARGE | PL_HTTP_MSG_TOO_MANY_HEADERS));
  g_string_append_printf (child_report, "response flags 0x%x", pl_http_message_get_flags (response));
}

static void
test_http_100k_headers (void)
{
  g_autoptr(GString) head = g_string_new ("HTTP/1.1 200 OK\r\n");
  guint i;

  for (i = 0; i < 100000; i++)
    g_string_append_printf (head, "X-Header-%u: v\r\n", i);
  g_string_append (head, "Content-Length: 0\r\n\r\n");
  run_http ("100k-headers.pcap", head->str, NULL, check_many_headers);
}
#endif

int
main (int    argc,
      char **argv)
{
  gboolean owner = FALSE;
  int ret;

  g_test_init (&argc, &argv, NULL);
  child_report = g_string_new (NULL);

  /* The parent makes the folder; the children it starts find it here. */
  tmp_dir = g_strdup (g_getenv ("PL_HOSTILE_TMPDIR"));
  if (tmp_dir == NULL)
    {
      g_autoptr(GError) error = NULL;

      tmp_dir = g_dir_make_tmp ("pl-hostile-XXXXXX", &error);
      g_assert_no_error (error);
      g_setenv ("PL_HOSTILE_TMPDIR", tmp_dir, TRUE);
      owner = TRUE;
    }

  g_test_add_func ("/hostile/million-streams", test_million_streams);
  g_test_add_func ("/hostile/out-of-order-gap", test_out_of_order_gap);
  g_test_add_func ("/hostile/snaplen-4g", test_snaplen_4g);
  g_test_add_func ("/hostile/record-2g", test_record_2g);
  g_test_add_func ("/hostile/pcapng-claims", test_pcapng_claims);
#ifdef PL_FUZZ_HAVE_HTTP
  g_test_add_func ("/hostile/http-content-length-2g", test_http_content_length_2g);
  g_test_add_func ("/hostile/http-endless-chunked", test_http_endless_chunked);
  g_test_add_func ("/hostile/http-100k-headers", test_http_100k_headers);
#endif

  ret = g_test_run ();

  if (owner)
    {
      g_autoptr(GDir) dir = g_dir_open (tmp_dir, 0, NULL);
      const char *name;

      while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
        {
          g_autofree char *p = g_build_filename (tmp_dir, name, NULL);
          g_unlink (p);
        }
      g_rmdir (tmp_dir);
    }
  g_free (tmp_dir);
  g_string_free (child_report, TRUE);
  return ret;
}
