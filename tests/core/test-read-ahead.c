/* test-read-ahead.c: PlReadAhead gives the file's bytes window by window,
 * equal to the file, reading each byte once; refuses what no window holds;
 * survives a file shorter than it was told; prepares memory and lets go of
 * it when claimed.
 */
#include "config.h"

#include <fcntl.h>
#include <string.h>
#include <unistd.h>
#include <glib/gstdio.h>

#include "pl-read-ahead.h"

typedef struct
{
  char   *path;
  int     fd;
  guint8 *bytes;
  gsize   len;
} TempFile;

static void
temp_file_init (TempFile *t,
                gsize     len)
{
  g_autoptr(GError) error = NULL;
  GRand *rand = g_rand_new_with_seed (len);

  t->fd = g_file_open_tmp ("pl-read-ahead-XXXXXX", &t->path, &error);
  g_assert_no_error (error);
  t->len = len;
  t->bytes = g_malloc (MAX (len, 1));
  for (gsize i = 0; i < len; i++)
    t->bytes[i] = (guint8) g_rand_int (rand);
  g_rand_free (rand);
  g_assert_cmpint (write (t->fd, t->bytes, len), ==, (gssize) len);
}

static void
temp_file_clear (TempFile *t)
{
  close (t->fd);
  g_unlink (t->path);
  g_free (t->path);
  g_free (t->bytes);
}

/* Walks the file in steps of 1 to 700 bytes asking for up to the overlap
 * each time: every answer is TRUE and equal to the file. */
static void
walk (gsize chunk,
      gsize overlap,
      gsize len)
{
  TempFile t;
  PlReadAhead *ra;
  GRand *rand = g_rand_new_with_seed (chunk * 31 + overlap);
  guint64 off = 0;
  guint n_gets = 0;

  temp_file_init (&t, len);
  ra = pl_read_ahead_new (t.fd, len, chunk, overlap);
  g_assert_nonnull (ra);
  while (off < len)
    {
      gsize n = (gsize) g_rand_int_range (rand, 1, (gint32) MAX (overlap, 1) + 1);
      const guint8 *data;
      guint64 start;
      gsize wlen;

      n = MIN (n, len - off);
      if (overlap == 0)
        n = MIN (n, chunk - off % chunk);
      if (!pl_read_ahead_get (ra, off, n, &data, &start, &wlen))
        g_error ("no window for [%" G_GUINT64_FORMAT ", +%zu) of %zu (chunk %zu, overlap %zu)", off, n, len, chunk, overlap);
      g_assert_cmpuint (start, <=, off);
      g_assert_cmpuint (off + n, <=, start + wlen);
      g_assert_cmpmem (data + (off - start), n, t.bytes + off, n);
      n_gets++;
      off += (guint64) g_rand_int_range (rand, 1, 700);
    }
  /* Every byte came through pread() once, the overlaps copied. */
  g_assert_cmpuint (pl_read_ahead_get_bytes_read (ra), ==, len);
  pl_read_ahead_free (ra);
  g_rand_free (rand);
  temp_file_clear (&t);
  g_test_message ("chunk %zu, overlap %zu, %zu bytes: %u reads equal", chunk, overlap, len, n_gets);
}

static void
test_walk (void)
{
  walk (4096, 2048, 1000000);
  walk (1000, 500, 123457);
  walk (4096, 0, 50000);
  walk (PL_READ_AHEAD_CHUNK, PL_READ_AHEAD_OVERLAP, 3 * PL_READ_AHEAD_CHUNK + 17);
  walk (PL_READ_AHEAD_CHUNK, PL_READ_AHEAD_OVERLAP, 100);  /* smaller than a chunk */
}

/* From an offset on: the bytes before it are never read. */
static void
test_from (void)
{
  TempFile t;
  PlReadAhead *ra;
  const guint8 *data;
  guint64 start, off;
  gsize wlen;

  temp_file_init (&t, 100000);
  ra = pl_read_ahead_new_from (t.fd, 12345, t.len, 4096, 1000);
  g_assert_false (pl_read_ahead_get (ra, 12000, 10, &data, &start, &wlen));
  for (off = 12345; off < t.len; off += 777)
    {
      gsize n = MIN ((gsize) 900, t.len - off);

      g_assert_true (pl_read_ahead_get (ra, off, n, &data, &start, &wlen));
      g_assert_cmpuint ((start - 12345) % 4096, ==, 0);
      g_assert_cmpmem (data + (off - start), n, t.bytes + off, n);
    }
  g_assert_cmpuint (pl_read_ahead_get_bytes_read (ra), ==, t.len - 12345);
  pl_read_ahead_free (ra);
  temp_file_clear (&t);
}

/* What no window holds: longer than the overlap across a chunk's end,
 * behind the current window, past the end. */
static void
test_refusals (void)
{
  TempFile t;
  PlReadAhead *ra;
  const guint8 *data;
  guint64 start;
  gsize wlen;

  temp_file_init (&t, 10000);
  ra = pl_read_ahead_new (t.fd, t.len, 1000, 100);
  g_assert_true (pl_read_ahead_get (ra, 950, 150, &data, &start, &wlen));
  g_assert_cmpuint (start, ==, 0);
  g_assert_cmpuint (wlen, ==, 1100);
  g_assert_false (pl_read_ahead_get (ra, 950, 151, &data, &start, &wlen));
  /* Window 3, then back to window 2: gone. */
  g_assert_true (pl_read_ahead_get (ra, 3010, 10, &data, &start, &wlen));
  g_assert_cmpuint (start, ==, 3000);
  g_assert_false (pl_read_ahead_get (ra, 2500, 10, &data, &start, &wlen));
  /* The last window ends at the file's end. */
  g_assert_true (pl_read_ahead_get (ra, 9990, 10, &data, &start, &wlen));
  g_assert_cmpuint (start + wlen, ==, 10000);
  g_assert_false (pl_read_ahead_get (ra, 9990, 11, &data, &start, &wlen));
  g_assert_false (pl_read_ahead_get (ra, 20000, 1, &data, &start, &wlen));
  pl_read_ahead_free (ra);
  temp_file_clear (&t);
}

/* Told 10,000 bytes more than the file has (it shrank): the windows stop
 * where the reads stopped, the caller is refused there, nothing hangs. */
static void
test_short_file (void)
{
  TempFile t;
  PlReadAhead *ra;
  const guint8 *data;
  guint64 start;
  gsize wlen;

  temp_file_init (&t, 25000);
  ra = pl_read_ahead_new (t.fd, t.len + 10000, 4096, 1024);
  g_assert_true (pl_read_ahead_get (ra, 24000, 1000, &data, &start, &wlen));
  g_assert_cmpmem (data + (24000 - start), 1000, t.bytes + 24000, 1000);
  g_assert_false (pl_read_ahead_get (ra, 24990, 20, &data, &start, &wlen));
  g_assert_false (pl_read_ahead_get (ra, 30000, 1, &data, &start, &wlen));
  g_assert_false (pl_read_ahead_get (ra, 34999, 1, &data, &start, &wlen));
  pl_read_ahead_free (ra);

  /* Freed while the thread still has windows to read. */
  ra = pl_read_ahead_new (t.fd, t.len, 1024, 0);
  g_assert_true (pl_read_ahead_get (ra, 0, 1, &data, &start, &wlen));
  pl_read_ahead_free (ra);
  temp_file_clear (&t);
}

/* Memory given to the thread comes back intact and writable, whether the
 * thread got to it or was stopped by the claim; prepare replaces an
 * earlier request; freeing with a request pending claims it first. */
static void
test_prepare (void)
{
  TempFile t;
  PlReadAhead *ra;
  gsize size = 8 << 20;
  guint8 *a = g_malloc (size);
  guint8 *b = g_malloc (size);
  const guint8 *data;
  guint64 start;
  gsize wlen;

  temp_file_init (&t, 300000);
  ra = pl_read_ahead_new (t.fd, t.len, 4096, 1024);
  pl_read_ahead_prepare (ra, a, size);
  g_assert_true (pl_read_ahead_get (ra, 100000, 100, &data, &start, &wlen));
  pl_read_ahead_claim (ra);
  memset (a, 0xab, size);
  pl_read_ahead_prepare (ra, b, size);
  pl_read_ahead_prepare (ra, a + 4095, 10000);  /* replaces b's; not page-aligned */
  g_usleep (20000);
  pl_read_ahead_claim (ra);
  memset (b, 0xcd, size);
  g_assert_cmpuint (a[0], ==, 0xab);
  g_assert_cmpuint (a[size - 1], ==, 0xab);
  g_assert_true (pl_read_ahead_get (ra, 299000, 1000, &data, &start, &wlen));
  g_assert_cmpmem (data + (299000 - start), 1000, t.bytes + 299000, 1000);
  pl_read_ahead_prepare (ra, a, size);
  pl_read_ahead_free (ra);
  g_assert_cmpuint (b[size / 2], ==, 0xcd);
  g_free (a);
  g_free (b);
  temp_file_clear (&t);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/read-ahead/walk", test_walk);
  g_test_add_func ("/read-ahead/from", test_from);
  g_test_add_func ("/read-ahead/refusals", test_refusals);
  g_test_add_func ("/read-ahead/short-file", test_short_file);
  g_test_add_func ("/read-ahead/prepare", test_prepare);
  return g_test_run ();
}
