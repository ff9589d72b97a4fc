/* pl-byte-reader.h: bounds-checked reads of packet and file bytes.
 *
 * Every read of capture bytes goes through these getters (the tcpdump
 * habit): a read past the end never touches memory, it sets the reader's
 * overrun flag and returns 0, so decoders can read a whole header and check
 * once.  Never cast bytes to structs.
 */
#pragma once

#include <glib.h>
#include <string.h>

G_BEGIN_DECLS

typedef struct
{
  const guint8 *data;
  gsize         len;
  gsize         pos;
  gboolean      overrun;
} PlByteReader;

static inline void
pl_byte_reader_init (PlByteReader *r,
                     const guint8 *data,
                     gsize         len)
{
  r->data = data;
  r->len = len;
  r->pos = 0;
  r->overrun = FALSE;
}

static inline gboolean
pl_byte_reader_has (const PlByteReader *r,
                    gsize               off,
                    gsize               n)
{
  return off <= r->len && n <= r->len - off;
}

static inline gsize
pl_byte_reader_remaining (const PlByteReader *r)
{
  return r->pos <= r->len ? r->len - r->pos : 0;
}

/* Absolute-offset getters: do not move pos. */
static inline guint8
pl_byte_reader_peek_u8 (PlByteReader *r,
                        gsize         off)
{
  if (!pl_byte_reader_has (r, off, 1))
    {
      r->overrun = TRUE;
      return 0;
    }
  return r->data[off];
}

static inline guint16
pl_byte_reader_peek_u16_be (PlByteReader *r,
                            gsize         off)
{
  if (!pl_byte_reader_has (r, off, 2))
    {
      r->overrun = TRUE;
      return 0;
    }
  return (guint16) ((r->data[off] << 8) | r->data[off + 1]);
}

static inline guint16
pl_byte_reader_peek_u16_le (PlByteReader *r,
                            gsize         off)
{
  if (!pl_byte_reader_has (r, off, 2))
    {
      r->overrun = TRUE;
      return 0;
    }
  return (guint16) ((r->data[off + 1] << 8) | r->data[off]);
}

static inline guint32
pl_byte_reader_peek_u32_be (PlByteReader *r,
                            gsize         off)
{
  if (!pl_byte_reader_has (r, off, 4))
    {
      r->overrun = TRUE;
      return 0;
    }
  return ((guint32) r->data[off] << 24) | ((guint32) r->data[off + 1] << 16) |
         ((guint32) r->data[off + 2] << 8) | (guint32) r->data[off + 3];
}

static inline guint32
pl_byte_reader_peek_u32_le (PlByteReader *r,
                            gsize         off)
{
  if (!pl_byte_reader_has (r, off, 4))
    {
      r->overrun = TRUE;
      return 0;
    }
  return ((guint32) r->data[off + 3] << 24) | ((guint32) r->data[off + 2] << 16) |
         ((guint32) r->data[off + 1] << 8) | (guint32) r->data[off];
}

static inline guint64
pl_byte_reader_peek_u64_le (PlByteReader *r,
                            gsize         off)
{
  guint64 lo = pl_byte_reader_peek_u32_le (r, off);
  guint64 hi = pl_byte_reader_peek_u32_le (r, off + 4);
  return (hi << 32) | lo;
}

static inline guint16
pl_byte_reader_peek_u16 (PlByteReader *r,
                         gsize         off,
                         gboolean      big_endian)
{
  return big_endian ? pl_byte_reader_peek_u16_be (r, off) : pl_byte_reader_peek_u16_le (r, off);
}

static inline guint32
pl_byte_reader_peek_u32 (PlByteReader *r,
                         gsize         off,
                         gboolean      big_endian)
{
  return big_endian ? pl_byte_reader_peek_u32_be (r, off) : pl_byte_reader_peek_u32_le (r, off);
}

/* Copies n bytes at off into dest; on overrun dest is zeroed. */
static inline gboolean
pl_byte_reader_peek_bytes (PlByteReader *r,
                           gsize         off,
                           gsize         n,
                           guint8       *dest)
{
  if (!pl_byte_reader_has (r, off, n))
    {
      r->overrun = TRUE;
      memset (dest, 0, n);
      return FALSE;
    }
  memcpy (dest, r->data + off, n);
  return TRUE;
}

/* Cursor getters: read at pos and advance. */
static inline guint8
pl_byte_reader_get_u8 (PlByteReader *r)
{
  guint8 v = pl_byte_reader_peek_u8 (r, r->pos);
  r->pos += 1;
  return v;
}

static inline guint16
pl_byte_reader_get_u16_be (PlByteReader *r)
{
  guint16 v = pl_byte_reader_peek_u16_be (r, r->pos);
  r->pos += 2;
  return v;
}

static inline guint32
pl_byte_reader_get_u32_be (PlByteReader *r)
{
  guint32 v = pl_byte_reader_peek_u32_be (r, r->pos);
  r->pos += 4;
  return v;
}

static inline void
pl_byte_reader_skip (PlByteReader *r,
                     gsize         n)
{
  if (!pl_byte_reader_has (r, r->pos, n))
    r->overrun = TRUE;
  r->pos += n;
}

G_END_DECLS
