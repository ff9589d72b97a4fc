/* pl-test-synth.c: synthetic captures (see pl-test-synth.h). */
#include "config.h"

#include <string.h>

#include "pl-test-synth.h"

#define SNAP 40

static void
put16 (guint8 *p,
       guint   v)
{
  p[0] = v >> 8;
  p[1] = v;
}

static void
put32 (guint8 *p,
       guint32 v)
{
  p[0] = v >> 24;
  p[1] = v >> 16;
  p[2] = v >> 8;
  p[3] = v;
}

static void
add_frame (GByteArray *out,
           gint64      ts_us,
           gboolean    from_client,
           guint8      flags,
           guint32     seq,
           guint32     ack,
           guint32     payload)
{
  guint8 rec[16 + SNAP] = { 0 };
  guint8 *ip = rec + 16, *tcp = ip + 20;
  guint32 sec = (guint32) (ts_us / 1000000), usec = (guint32) (ts_us % 1000000);
  guint32 len = 40 + payload;

  /* Record header, little endian as the magic says. */
  memcpy (rec, &sec, 4);
  memcpy (rec + 4, &usec, 4);
  rec[8] = SNAP;
  memcpy (rec + 12, &len, 4);

  ip[0] = 0x45;
  put16 (ip + 2, len);
  ip[8] = 64;
  ip[9] = 6;
  put32 (ip + 12, from_client ? 0x0a000001 : 0x0a000002);
  put32 (ip + 16, from_client ? 0x0a000002 : 0x0a000001);
  put16 (tcp, from_client ? 40000 : 80);
  put16 (tcp + 2, from_client ? 80 : 40000);
  put32 (tcp + 4, seq);
  put32 (tcp + 8, ack);
  tcp[12] = 5 << 4;
  tcp[13] = flags;
  put16 (tcp + 14, 65535);
  g_byte_array_append (out, rec, sizeof rec);
}

GBytes *
pl_test_synth_stream (guint n_frames,
                      guint pause_every)
{
  GByteArray *out = g_byte_array_sized_new (24 + (gsize) n_frames * (16 + SNAP));
  guint8 header[24] = { 0xd4, 0xc3, 0xb2, 0xa1, 2, 0, 4, 0 };
  guint32 cseq = 1000, sseq = 50000, mss = 1448;
  gint64 t = 1700000000LL * 1000000;
  guint i = 0, data = 0, next_pause = pause_every;

  header[16] = 0xff;
  header[17] = 0xff;
  header[20] = 101;  /* LINKTYPE_RAW */
  g_byte_array_append (out, header, sizeof header);

  add_frame (out, t, TRUE, 0x02, cseq, 0, 0);
  add_frame (out, t += 30, FALSE, 0x12, sseq, cseq + 1, 0);
  add_frame (out, t += 30, TRUE, 0x10, ++cseq, ++sseq, 0);
  i = 3;
  while (i + 3 < MAX (n_frames, 8))
    {
      /* Two segments, then the ACK of both. */
      add_frame (out, t += 5, FALSE, data % 8 == 7 ? 0x18 : 0x10, sseq, cseq, mss);
      sseq += mss;
      data++;
      i++;
      if (data % 2 == 0)
        {
          add_frame (out, t += 3, TRUE, 0x10, cseq, sseq, 0);
          i++;
        }
      if (pause_every > 0 && i >= next_pause)
        {
          t += 1000000;
          next_pause += pause_every;
        }
    }
  add_frame (out, t += 100, TRUE, 0x11, cseq, sseq, 0);
  add_frame (out, t += 30, FALSE, 0x11, sseq, cseq + 1, 0);
  add_frame (out, t += 30, TRUE, 0x10, cseq + 1, sseq + 1, 0);
  return g_byte_array_free_to_bytes (out);
}

GBytes *
pl_test_synth_syns (guint n_streams)
{
  GByteArray *out = g_byte_array_sized_new (24 + (gsize) n_streams * (16 + SNAP));
  guint8 header[24] = { 0xd4, 0xc3, 0xb2, 0xa1, 2, 0, 4, 0 };
  gint64 t = 1700000000LL * 1000000;
  guint i;

  header[16] = 0xff;
  header[17] = 0xff;
  header[20] = 101;  /* LINKTYPE_RAW */
  g_byte_array_append (out, header, sizeof header);

  for (i = 0; i < n_streams; i++)
    {
      guint8 rec[16 + SNAP] = { 0 };
      guint8 *ip = rec + 16, *tcp = ip + 20;
      guint32 sec = (guint32) (t / 1000000), usec = (guint32) (t % 1000000), len = 40;
      /* Clients spread over 10.0.0.0/8 (Knuth's multiplicative hash):
       * addresses like 10.143.27.209, ports from 10000. */
      guint32 client = 0x0a000000u | ((i * 2654435761u) & 0xffffffu);

      memcpy (rec, &sec, 4);
      memcpy (rec + 4, &usec, 4);
      rec[8] = SNAP;
      memcpy (rec + 12, &len, 4);
      ip[0] = 0x45;
      put16 (ip + 2, len);
      ip[8] = 64;
      ip[9] = 6;
      put32 (ip + 12, client);
      put32 (ip + 16, 0xc0a80101u);
      put16 (tcp, 10000 + i % 50000);
      put16 (tcp + 2, 8080);
      put32 (tcp + 4, i * 7919u);
      tcp[12] = 5 << 4;
      tcp[13] = 0x02;
      put16 (tcp + 14, 64240);
      g_byte_array_append (out, rec, sizeof rec);
      t += 10;
    }
  return g_byte_array_free_to_bytes (out);
}

GBytes *
pl_test_synth_segments (guint n_segments)
{
  GByteArray *out = g_byte_array_sized_new (24 + ((gsize) n_segments + 6) * (16 + SNAP));
  guint8 header[24] = { 0xd4, 0xc3, 0xb2, 0xa1, 2, 0, 4, 0 };
  guint32 cseq = 1000, sseq = 50000, mss = 1448;
  gint64 t = 1700000000LL * 1000000;
  guint i;

  header[16] = 0xff;
  header[17] = 0xff;
  header[20] = 101;  /* LINKTYPE_RAW */
  g_byte_array_append (out, header, sizeof header);

  add_frame (out, t, TRUE, 0x02, cseq, 0, 0);
  add_frame (out, t += 30, FALSE, 0x12, sseq, cseq + 1, 0);
  add_frame (out, t += 30, TRUE, 0x10, ++cseq, ++sseq, 0);
  for (i = 0; i < n_segments; i++)
    {
      add_frame (out, t += 5, FALSE, i % 8 == 7 ? 0x18 : 0x10, sseq, cseq, mss);
      sseq += mss;
    }
  add_frame (out, t += 100, TRUE, 0x11, cseq, sseq, 0);
  add_frame (out, t += 30, FALSE, 0x11, sseq, cseq + 1, 0);
  add_frame (out, t += 30, TRUE, 0x10, cseq + 1, sseq + 1, 0);
  return g_byte_array_free_to_bytes (out);
}
