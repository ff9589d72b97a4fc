/* pl-gzip.c: inflates a gzip-compressed capture (RFC 1952) into memory with
 * GIO's GZlibDecompressor, driven through g_converter_convert() so that the
 * end of each member is known exactly and concatenated members follow on
 * (gzip -c a >> b makes such files; gunzip and Wireshark read them whole).
 *
 * The output buffer is sized from the last member's ISIZE field (the
 * inflated length modulo 2^32) when that is plausible, and doubled when a
 * file holds more, so a normal file is inflated with one allocation and no
 * copy; frames later point into it as into a mapped file.
 */
#include "config.h"

#include <gio/gio.h>
#include <glib/gi18n.h>
#include <string.h>

#include "pl-byte-reader.h"
#include "pl-capture-reader.h"
#include "pl-gzip.h"

/* The smallest gzip member: 10-byte header, an empty deflate block, 8-byte
 * trailer. */
#define GZIP_MIN_MEMBER 18

/* Compressed bytes handed to zlib per call.  A call that fails reports
 * nothing it wrote, so damage loses at most the output of this much
 * input; what came before is kept. */
#define INPUT_STEP (16 * 1024)

gboolean
pl_gzip_is_gzip (const guint8 *data,
                 gsize         len)
{
  PlByteReader r;

  /* ID1 ID2 and CM = 8 (deflate), the only method RFC 1952 defines. */
  pl_byte_reader_init (&r, data, len);
  return len >= 3 && pl_byte_reader_peek_u8 (&r, 0) == 0x1f &&
         pl_byte_reader_peek_u8 (&r, 1) == 0x8b && pl_byte_reader_peek_u8 (&r, 2) == 8;
}

/* deflate inflates at most 1032 bytes from one (RFC 1951 limits). */
#define DEFLATE_MAX_RATIO 1032

static gsize
initial_size (const guint8 *data,
              gsize         len,
              guint64       max)
{
  PlByteReader r;
  guint64 isize = 0, guess;

  if (len >= GZIP_MIN_MEMBER)
    {
      pl_byte_reader_init (&r, data + len - 4, 4);
      isize = pl_byte_reader_peek_u32_le (&r, 0);
    }
  /* ISIZE is modulo 2^32 and only the last member's, and the last bytes of
   * a file cut short are anything: trust it only where deflate could have
   * made it, else guess a ratio and grow as needed. */
  guess = (guint64) len * 4;
  if (isize >= len / 2 && isize <= (guint64) len * DEFLATE_MAX_RATIO)
    guess = isize;
  guess = MAX (guess, 4096);
  return (gsize) MIN (guess, max);
}

GBytes *
pl_gzip_inflate (const guint8 *data,
                 gsize         len,
                 const char   *display_name,
                 guint64       max,
                 GError      **warning,
                 GError      **error)
{
  g_autoptr(GZlibDecompressor) dec = NULL;
  g_autofree guint8 *buf = NULL;
  gsize cap, used = 0, in_pos = 0, step = INPUT_STEP;
  g_autofree char *problem = NULL;
  gboolean truncated = FALSE;

  g_return_val_if_fail (pl_gzip_is_gzip (data, len), NULL);

  cap = initial_size (data, len, max);
  buf = g_try_malloc (MAX (cap, 1));
  if (buf == NULL)
    {
      g_autofree char *size = g_format_size (cap);

      g_set_error (error, PL_CAPTURE_ERROR, PL_CAPTURE_ERROR_IO,
                   /* Translators: the file, then a size such as "3.2 GB". */
                   _("%s: not enough memory to decompress it (%s)"), display_name, size);
      return NULL;
    }

  for (;;)
    {
      g_autoptr(GError) local_error = NULL;
      GConverterResult res;
      gsize bytes_read = 0, bytes_written = 0, chunk;

      if (dec == NULL)
        {
          /* A further member, or the end (bytes after the last member that
           * do not start one are ignored, as gunzip ignores them). */
          if (in_pos >= len || !pl_gzip_is_gzip (data + in_pos, len - in_pos))
            break;
          dec = g_zlib_decompressor_new (G_ZLIB_COMPRESSOR_FORMAT_GZIP);
        }
      if (used == cap)
        {
          gsize grown;
          guint8 *bigger;

          if ((guint64) cap >= max)
            {
              g_autofree char *size = g_format_size (max);

              g_set_error (error, PL_CAPTURE_ERROR, PL_CAPTURE_ERROR_UNSUPPORTED,
                           /* Translators: the file, then a size such as "4.3 GB". */
                           _("%s: decompresses to more than %s; decompress it first (gunzip) "
                             "and open the result, which is read without a copy"),
                           display_name, size);
              return NULL;
            }
          grown = (gsize) MIN ((guint64) cap * 2, max);
          bigger = g_try_realloc (buf, grown);
          if (bigger == NULL)
            {
              g_autofree char *size = g_format_size (grown);

              g_set_error (error, PL_CAPTURE_ERROR, PL_CAPTURE_ERROR_IO,
                           _("%s: not enough memory to decompress it (%s)"), display_name, size);
              return NULL;
            }
          buf = bigger;
          cap = grown;
        }

      chunk = MIN (step, len - in_pos);
      res = g_converter_convert (G_CONVERTER (dec), data + in_pos, chunk, buf + used, cap - used,
                                 in_pos + chunk == len ? G_CONVERTER_INPUT_AT_END : G_CONVERTER_NO_FLAGS,
                                 &bytes_read, &bytes_written, &local_error);
      if (res == G_CONVERTER_ERROR)
        {
          if (g_error_matches (local_error, G_IO_ERROR, G_IO_ERROR_NO_SPACE))
            {
              /* Not even one byte fitted: grow and go on. */
              used = cap;
              continue;
            }
          if (g_error_matches (local_error, G_IO_ERROR, G_IO_ERROR_PARTIAL_INPUT) &&
              in_pos + chunk < len)
            {
              /* More input is needed to make progress: give more. */
              step *= 2;
              continue;
            }
          if (g_error_matches (local_error, G_IO_ERROR, G_IO_ERROR_PARTIAL_INPUT))
            truncated = TRUE;
          else
            problem = g_strdup (local_error->message);
          break;
        }
      in_pos += bytes_read;
      used += bytes_written;
      step = INPUT_STEP;
      if (res == G_CONVERTER_FINISHED)
        g_clear_object (&dec);
    }

  if ((problem != NULL || truncated) && used == 0)
    {
      if (problem != NULL)
        g_set_error (error, PL_CAPTURE_ERROR, PL_CAPTURE_ERROR_CORRUPT,
                     /* Translators: the file, then zlib's message. */
                     _("%s: the gzip data is corrupt (%s)"), display_name, problem);
      else
        g_set_error (error, PL_CAPTURE_ERROR, PL_CAPTURE_ERROR_TRUNCATED,
                     _("%s: the gzip file is cut short before any capture data"), display_name);
      return NULL;
    }
  if (problem != NULL || truncated)
    {
      g_autofree char *size = g_format_size_full (used, G_FORMAT_SIZE_LONG_FORMAT);

      if (problem != NULL)
        g_set_error (warning, PL_CAPTURE_ERROR, PL_CAPTURE_ERROR_CORRUPT,
                     /* Translators: the file, a size ("1.2 MB (1,234,567 bytes)"),
                      * then zlib's message. */
                     _("%s: the gzip data is corrupt after %s of decompressed data (%s); "
                       "the frames before that are read"),
                     display_name, size, problem);
      else
        g_set_error (warning, PL_CAPTURE_ERROR, PL_CAPTURE_ERROR_TRUNCATED,
                     /* Translators: the file, then a size ("1.2 MB (1,234,567 bytes)"). */
                     _("%s: the gzip file is cut short after %s of decompressed data; "
                       "the frames before that are read"),
                     display_name, size);
    }

  /* Give back what the size hint over-reserved. */
  if (used < cap)
    buf = g_realloc (buf, MAX (used, 1));
  return g_bytes_new_take (g_steal_pointer (&buf), used);
}
