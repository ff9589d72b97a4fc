/* pl-capture-reader.c: walks the records of a pcap or pcapng file held in
 * memory, without libpcap and without copying packet bytes.
 *
 * pcap: tcpdump.org/manpages/pcap-savefile.5 and draft-ietf-opsawg-pcap.
 * pcapng: draft-ietf-opsawg-pcapng (SHB, IDB, EPB, SPB, obsolete PB).
 *
 * Where the specs leave room we do what libpcap 1.10 does (accepted
 * versions, swapped length fields of pcap 2.0-2.3, if_tsresol limits,
 * truncating scaled timestamp fractions), so that a frame we read has the
 * same time and bytes libpcap gives.  We differ on purpose in three places:
 * pcapng interfaces may have different link types and snap lengths; a pcap
 * record longer than the file's snap length keeps all its bytes (libpcap
 * cuts it to the snap length); pcap seconds are unsigned (until 2106).
 *
 * Every read of file bytes goes through pl-byte-reader.h.  Nothing is
 * allocated per record, so walking a page-cached file costs a few bounds
 * checks and loads per frame.
 */
#include "pl-capture-reader.h"

#include <glib/gi18n.h>
#include <inttypes.h>

#include <stdarg.h>

#include "pl-byte-reader.h"
#include "pl-read-ahead.h"

G_DEFINE_QUARK (pl-capture-error-quark, pl_capture_error)

#define PL_PCAP_MAGIC_USEC       0xa1b2c3d4u
#define PL_PCAP_MAGIC_NSEC       0xa1b23c4du
#define PL_PCAP_MAGIC_MODIFIED   0xa1b2cd34u
#define PL_PCAP_HEADER_LEN       24
#define PL_PCAP_RECORD_LEN       16
#define PL_PCAP_MODIFIED_RECORD_LEN 24
/* The link type is the low 16 bits of the pcap field (the pcap draft,
 * draft-ietf-opsawg-pcap): bits 26-31 say whether frames carry an FCS and
 * how long it is, bits 16-25 are reserved and ignored, as libpcap does. */
#define PL_PCAP_LINKTYPE_MASK    0x0000FFFFu

#define PL_PCAPNG_BT_SHB         0x0A0D0D0Au
#define PL_PCAPNG_BT_IDB         0x00000001u
#define PL_PCAPNG_BT_PB          0x00000002u
#define PL_PCAPNG_BT_SPB         0x00000003u
#define PL_PCAPNG_BT_EPB         0x00000006u
#define PL_PCAPNG_BYTE_ORDER_MAGIC 0x1A2B3C4Du
#define PL_PCAPNG_BLOCK_OVERHEAD 12  /* type, total length, trailing length */
#define PL_PCAPNG_SHB_MIN_BODY   16  /* byte-order magic, versions, section length */

#define PL_PCAPNG_OPT_ENDOFOPT   0
#define PL_PCAPNG_OPT_IF_NAME    2
#define PL_PCAPNG_OPT_IF_TSRESOL 9
#define PL_PCAPNG_OPT_IF_TSOFFSET 14

/* No link layer has frames this large (D-Bus messages, the largest, stop
 * at 128 MiB).  A bigger length is damage, not a capture still being
 * written, so it is CORRUPT rather than TRUNCATED. */
#define PL_MAX_CAPLEN            (256u * 1024u * 1024u)
/* libpcap's largest snap length for ordinary link types: a pcap record may
 * exceed the file's snap length up to this much before we call it damage. */
#define PL_PCAP_SANE_CAPLEN      262144u
/* A block may carry a maximal frame plus generous options. */
#define PL_PCAPNG_MAX_BLOCK_LEN  (PL_MAX_CAPLEN + 1024u * 1024u)

#define PL_NSEC_PER_SEC          G_GUINT64_CONSTANT (1000000000)
/* Largest whole second whose nanosecond count fits a gint64 (year 2262). */
#define PL_MAX_TS_SEC            (G_MAXINT64 / (gint64) PL_NSEC_PER_SEC)

typedef enum
{
  PL_TS_SCALE_MUL,    /* 10^n units with n <= 9: ns = frac * factor */
  PL_TS_SCALE_DIV,    /* 10^n units with n > 9: ns = frac / factor */
  PL_TS_SCALE_SHIFT,  /* 2^n units: ns = frac * 1e9 >> n, in 96 bits */
} PlTsScale;

/* The public interface plus how to turn its timestamps into nanoseconds.
 * Allocated one by one so that pointers handed out stay valid while later
 * IDBs are added. */
typedef struct
{
  PlInterface pub;
  PlTsScale   scale;
  guint64     factor;
  gboolean    big_endian;  /* of the section the interface belongs to */
} PlIface;

typedef enum
{
  PL_LENGTHS_IN_ORDER,
  PL_LENGTHS_SWAPPED,        /* pcap 2.0-2.2 and 543.0: len before caplen */
  PL_LENGTHS_MAYBE_SWAPPED,  /* pcap 2.3: swapped only if caplen > len */
} PlLengthOrder;

struct _PlCaptureReader
{
  PlByteReader    bytes;
  char           *display_name;
  PlCaptureFormat format;
  gboolean        big_endian;       /* of the current pcapng section */
  gsize           pos;              /* next unread byte */
  guint64         n_records;        /* records returned so far */
  GPtrArray      *ifaces;           /* PlIface, over all sections */
  GError         *error;            /* what ended reading, repeated later */
  gboolean        done;

  /* pcap */
  gsize           record_header_len;
  guint32         frac_to_ns;
  PlLengthOrder   length_order;

  /* pcapng */
  guint           n_sections;
  guint           section_first_iface;
  const guint8   *block;            /* the current block's first byte */

  /* Where records are parsed from when a read-ahead is set: its current
   * window (the file's bytes [win_start, win_start + win_len)), else the
   * data given to pl_capture_reader_new(). */
  PlReadAhead    *ahead;
  const guint8   *win;
  guint64         win_start;
  gsize           win_len;
};

/* The file's bytes [off, off + n), which the caller has checked lie in the
 * file: from the read-ahead's window when it holds them (the mapping is
 * then not touched), else from the data. */
static inline const guint8 *
reader_bytes (PlCaptureReader *self,
              gsize            off,
              gsize            n)
{
  if (self->ahead != NULL)
    {
      if (self->win != NULL && off >= self->win_start &&
          n <= self->win_len && off - self->win_start <= self->win_len - n)
        return self->win + (off - self->win_start);
      /* A call may move the read-ahead on: the old window is gone. */
      self->win = NULL;
      if (pl_read_ahead_get (self->ahead, off, n, &self->win, &self->win_start, &self->win_len))
        return self->win + (off - self->win_start);
      self->win = NULL;
    }
  return self->bytes.data + off;
}

static inline guint32
load_u32 (const guint8 *p,
          gboolean      big_endian)
{
  guint32 v;

  memcpy (&v, p, 4);
  return big_endian ? GUINT32_FROM_BE (v) : GUINT32_FROM_LE (v);
}

static inline guint16
load_u16 (const guint8 *p,
          gboolean      big_endian)
{
  guint16 v;

  memcpy (&v, p, 2);
  return big_endian ? GUINT16_FROM_BE (v) : GUINT16_FROM_LE (v);
}

static void
pl_iface_free (gpointer data)
{
  PlIface *iface = data;

  g_free (iface->pub.name);
  g_free (iface);
}

static PlIface *
pl_capture_reader_add_iface (PlCaptureReader *self,
                             guint32          linktype,
                             guint32          snaplen)
{
  PlIface *iface = g_new0 (PlIface, 1);

  iface->pub.linktype = linktype;
  iface->pub.snaplen = snaplen;
  iface->pub.ts_units = 1000000;
  iface->pub.section = self->n_sections > 0 ? self->n_sections - 1 : 0;
  iface->scale = PL_TS_SCALE_MUL;
  iface->factor = 1000;
  iface->big_endian = self->big_endian;
  g_ptr_array_add (self->ifaces, iface);

  return iface;
}

/* if_tsresol: bit 7 clear means units of 10^-n s, set means 2^-n s.  The
 * limits are libpcap's: the number of units per second must fit 64 bits. */
static gboolean
pl_iface_set_tsresol (PlIface *iface,
                      guint8   tsresol)
{
  guint n = tsresol & 0x7F;
  guint64 units = 1;
  guint i;

  if (tsresol & 0x80)
    {
      if (n > 63)
        return FALSE;
      iface->pub.ts_units = G_GUINT64_CONSTANT (1) << n;
      iface->scale = PL_TS_SCALE_SHIFT;
      iface->factor = n;
      return TRUE;
    }

  if (n > 19)
    return FALSE;
  for (i = 0; i < n; i++)
    units *= 10;
  iface->pub.ts_units = units;
  if (units <= PL_NSEC_PER_SEC)
    {
      iface->scale = PL_TS_SCALE_MUL;
      iface->factor = PL_NSEC_PER_SEC / units;
    }
  else
    {
      iface->scale = PL_TS_SCALE_DIV;
      iface->factor = units / PL_NSEC_PER_SEC;
    }
  return TRUE;
}

/* (frac * 1e9) >> shift without a 128-bit type: frac < 2^shift <= 2^63, so
 * the product needs 94 bits.  Split frac in 32-bit halves; each half times
 * 1e9 (< 2^30) fits 64 bits. */
static guint64
pl_frac_shift_to_ns (guint64 frac,
                     guint   shift)
{
  guint64 lo_part = (frac & 0xFFFFFFFFu) * PL_NSEC_PER_SEC;
  guint64 hi_part = (frac >> 32) * PL_NSEC_PER_SEC;
  guint64 lo = lo_part + (hi_part << 32);
  guint64 hi = (hi_part >> 32) + (lo < lo_part ? 1 : 0);

  if (shift == 0)
    return lo;  /* frac is 0 here: units of one second */
  return (lo >> shift) | (hi << (64 - shift));
}

/* Seconds plus offset plus nanoseconds, saturating instead of wrapping: a
 * timestamp past 2262 is damage in the file, and a clamped value keeps
 * the ordering of the frames around it. */
static gint64
pl_ts_combine (guint64 sec,
               gint64  offset,
               guint64 frac_ns)
{
  gint64 s;
  gint64 base;

  /* Both terms within +-2^62, so the sum cannot overflow. */
  s = sec > (guint64) (G_MAXINT64 / 2) ? G_MAXINT64 / 2 : (gint64) sec;
  offset = CLAMP (offset, -(G_MAXINT64 / 2), G_MAXINT64 / 2);
  s += offset;

  if (s > PL_MAX_TS_SEC)
    return G_MAXINT64;
  if (s < -PL_MAX_TS_SEC)
    return G_MININT64;

  base = s * (gint64) PL_NSEC_PER_SEC;
  /* frac_ns is below 2^43 (a pcap fraction in microseconds, times 1000). */
  if (base >= 0 && frac_ns > (guint64) (G_MAXINT64 - base))
    return G_MAXINT64;
  return base + (gint64) frac_ns;
}

static inline gint64
pl_iface_ts_to_ns (const PlIface *iface,
                   guint64        t)
{
  guint64 units = iface->pub.ts_units;
  guint64 sec;
  guint64 frac;
  guint64 frac_ns;

  switch (iface->scale)
    {
    case PL_TS_SCALE_MUL:
      /* Constant divisors for the two common resolutions become
       * multiplications. */
      if (units == 1000000)
        {
          sec = t / 1000000;
          frac = t % 1000000;
        }
      else if (units == PL_NSEC_PER_SEC)
        {
          sec = t / PL_NSEC_PER_SEC;
          frac = t % PL_NSEC_PER_SEC;
        }
      else
        {
          sec = t / units;
          frac = t % units;
        }
      frac_ns = frac * iface->factor;
      break;

    case PL_TS_SCALE_DIV:
      sec = t / units;
      frac_ns = (t % units) / iface->factor;
      break;

    case PL_TS_SCALE_SHIFT:
      sec = iface->factor >= 64 ? 0 : t >> iface->factor;
      frac = t & (units - 1);
      frac_ns = pl_frac_shift_to_ns (frac, (guint) iface->factor);
      break;

    default:
      g_assert_not_reached ();
      return 0;
    }

  if (G_LIKELY (iface->pub.ts_offset == 0 && sec < (guint64) PL_MAX_TS_SEC))
    return (gint64) (sec * PL_NSEC_PER_SEC + frac_ns);
  return pl_ts_combine (sec, iface->pub.ts_offset, frac_ns);
}

/* Ends reading with an error that names the file.  The error is kept so
 * that later calls report it again instead of looking like a clean end. */
static gboolean pl_capture_reader_fail (PlCaptureReader  *self,
                                        GError          **error,
                                        PlCaptureError    code,
                                        const char       *format,
                                        ...) G_GNUC_PRINTF (4, 5);

static gboolean
pl_capture_reader_fail (PlCaptureReader  *self,
                        GError          **error,
                        PlCaptureError    code,
                        const char       *format,
                        ...)
{
  va_list args;
  char *reason;

  va_start (args, format);
  reason = g_strdup_vprintf (format, args);
  va_end (args);

  g_clear_error (&self->error);
  self->error = g_error_new (PL_CAPTURE_ERROR, code, "%s: %s", self->display_name, reason);
  self->done = TRUE;
  g_free (reason);

  if (error != NULL)
    *error = g_error_copy (self->error);
  return FALSE;
}

/* pcap */

static gboolean
pl_capture_reader_open_pcap (PlCaptureReader  *self,
                             guint32           magic,
                             GError          **error)
{
  PlByteReader *b = &self->bytes;
  gboolean be = self->big_endian;
  guint16 major;
  guint16 minor;
  guint32 snaplen;
  guint32 linktype;
  PlIface *iface;

  if (b->len < PL_PCAP_HEADER_LEN)
    return pl_capture_reader_fail (self, error, PL_CAPTURE_ERROR_TRUNCATED,
                                   _("the file ends inside the pcap file header (%zu of %d bytes)"),
                                   b->len, PL_PCAP_HEADER_LEN);

  major = pl_byte_reader_peek_u16 (b, 4, be);
  minor = pl_byte_reader_peek_u16 (b, 6, be);
  /* bytes 8-15: thiszone and sigfigs, which every writer leaves at 0 */
  snaplen = pl_byte_reader_peek_u32 (b, 16, be);
  linktype = pl_byte_reader_peek_u32 (b, 20, be) & PL_PCAP_LINKTYPE_MASK;

  /* libpcap reads 2.0 to 2.4 and DG/UX's 543.0; before 2.3 the two length
   * fields came in the other order, and some 2.3 writers used either. */
  if (major == 2 && minor <= 2)
    self->length_order = PL_LENGTHS_SWAPPED;
  else if (major == 2 && minor == 3)
    self->length_order = PL_LENGTHS_MAYBE_SWAPPED;
  else if (major == 2 && minor == 4)
    self->length_order = PL_LENGTHS_IN_ORDER;
  else if (major == 543 && minor == 0)
    self->length_order = PL_LENGTHS_SWAPPED;
  else
    return pl_capture_reader_fail (self, error, PL_CAPTURE_ERROR_UNSUPPORTED,
                                   _("unsupported pcap version %u.%u"), major, minor);

  switch (magic)
    {
    case PL_PCAP_MAGIC_NSEC:
      self->format = PL_CAPTURE_FORMAT_PCAP_NSEC;
      self->frac_to_ns = 1;
      self->record_header_len = PL_PCAP_RECORD_LEN;
      break;

    case PL_PCAP_MAGIC_MODIFIED:
      self->format = PL_CAPTURE_FORMAT_PCAP_MODIFIED;
      self->frac_to_ns = 1000;
      self->record_header_len = PL_PCAP_MODIFIED_RECORD_LEN;
      break;

    case PL_PCAP_MAGIC_USEC:
    default:
      self->format = PL_CAPTURE_FORMAT_PCAP;
      self->frac_to_ns = 1000;
      self->record_header_len = PL_PCAP_RECORD_LEN;
      break;
    }

  iface = pl_capture_reader_add_iface (self, linktype, snaplen);
  if (self->format == PL_CAPTURE_FORMAT_PCAP_NSEC)
    {
      iface->pub.ts_units = PL_NSEC_PER_SEC;
      iface->factor = 1;
    }

  self->pos = PL_PCAP_HEADER_LEN;
  return TRUE;
}

static gboolean
pl_capture_reader_next_pcap (PlCaptureReader  *self,
                             PlRecord         *record,
                             GError          **error)
{
  PlByteReader *b = &self->bytes;
  gboolean be = self->big_endian;
  gsize pos = self->pos;
  gsize avail = b->len - pos;
  gsize header_len = self->record_header_len;
  guint32 sec;
  guint32 frac;
  guint32 caplen;
  guint32 origlen;
  guint32 snaplen;

  if (avail == 0)
    {
      self->done = TRUE;
      return FALSE;
    }

  if (avail < header_len)
    return pl_capture_reader_fail (self, error, PL_CAPTURE_ERROR_TRUNCATED,
                                   _("record %" PRIu64 " at offset %zu: "
                                   "the file ends inside the record header (%zu of %zu bytes)"),
                                   self->n_records + 1, pos, avail, header_len);

  {
    const guint8 *h = reader_bytes (self, pos, header_len);

    sec = load_u32 (h, be);
    frac = load_u32 (h + 4, be);
    caplen = load_u32 (h + 8, be);
    origlen = load_u32 (h + 12, be);
  }

  if (G_UNLIKELY (self->length_order != PL_LENGTHS_IN_ORDER) &&
      (self->length_order == PL_LENGTHS_SWAPPED || caplen > origlen))
    {
      guint32 t = caplen;

      caplen = origlen;
      origlen = t;
    }

  if (G_UNLIKELY (caplen > PL_MAX_CAPLEN))
    return pl_capture_reader_fail (self, error, PL_CAPTURE_ERROR_CORRUPT,
                                   _("record %" PRIu64 " at offset %zu: "
                                   "captured length %u is larger than the maximum of %u"),
                                   self->n_records + 1, pos, caplen, PL_MAX_CAPLEN);

  if (G_UNLIKELY (caplen > avail - header_len))
    {
      /* A capture still being written ends inside a plausible record; a
       * length beyond both the snap length and anything libpcap would
       * write is a damaged header, whatever follows it. */
      snaplen = ((PlIface *) g_ptr_array_index (self->ifaces, 0))->pub.snaplen;
      if (caplen > MAX (snaplen, PL_PCAP_SANE_CAPLEN))
        return pl_capture_reader_fail (self, error, PL_CAPTURE_ERROR_CORRUPT,
                                       _("record %" PRIu64 " at offset %zu: "
                                       "captured length %u is larger than the snapshot length %u and than the rest of the file"),
                                       self->n_records + 1, pos, caplen, snaplen);
      return pl_capture_reader_fail (self, error, PL_CAPTURE_ERROR_TRUNCATED,
                                     _("record %" PRIu64 " at offset %zu: "
                                     "the file ends inside the packet data (%zu of %u bytes)"),
                                     self->n_records + 1, pos, avail - header_len, caplen);
    }

  /* Seconds are unsigned (pcap-savefile), so 2^32 s * 1e9 + fraction
   * always fits a gint64, even a nanosecond fraction >= 1e9 as some
   * writers store it; libpcap passes such fractions through the same way. */
  record->ts_ns = (gint64) ((guint64) sec * PL_NSEC_PER_SEC + (guint64) frac * self->frac_to_ns);
  record->offset = pos + header_len;
  record->caplen = caplen;
  record->origlen = origlen;
  record->iface = 0;
  record->data = reader_bytes (self, pos + header_len, caplen);

  self->pos = pos + header_len + caplen;
  self->n_records++;
  /* The next record's header is a cache line the caller will not touch
   * before it asks for it: start loading it while this packet is decoded
   * (a prefetch never faults). */
  if (self->pos < b->len)
    {
      if (self->win != NULL && self->pos >= self->win_start && self->pos - self->win_start < self->win_len)
        __builtin_prefetch (self->win + (self->pos - self->win_start));
      else if (self->ahead == NULL)
        __builtin_prefetch (b->data + self->pos);
    }
  return TRUE;
}

/* pcapng */

/* Validates the block at self->pos: its lengths, and for a Section Header
 * Block its byte order and version, which then apply from here on.  On
 * success, *type, *body and *body_len describe the block between its
 * length fields. */
static gboolean
pl_capture_reader_pcapng_block (PlCaptureReader  *self,
                                guint32          *type,
                                gsize            *body,
                                gsize            *body_len,
                                GError          **error)
{
  PlByteReader *b = &self->bytes;
  gsize pos = self->pos;
  gsize avail = b->len - pos;
  guint32 block_type;
  guint32 total;
  guint32 trailer;

  if (avail < 8)
    return pl_capture_reader_fail (self, error, PL_CAPTURE_ERROR_TRUNCATED,
                                   _("block at offset %zu (before record %" PRIu64 "): "
                                   "the file ends inside the block header"),
                                   pos, self->n_records + 1);

  block_type = load_u32 (reader_bytes (self, pos, 8), self->big_endian);

  if (block_type == PL_PCAPNG_BT_SHB)
    {
      /* The block type reads the same in both byte orders; the byte-order
       * magic after the length says which order this section uses. */
      guint16 major;
      guint16 minor;

      if (avail < 16)
        return pl_capture_reader_fail (self, error, PL_CAPTURE_ERROR_TRUNCATED,
                                       _("section header at offset %zu: "
                                       "the file ends inside the block"), pos);

      if (pl_byte_reader_peek_u32_le (b, pos + 8) == PL_PCAPNG_BYTE_ORDER_MAGIC)
        self->big_endian = FALSE;
      else if (pl_byte_reader_peek_u32_be (b, pos + 8) == PL_PCAPNG_BYTE_ORDER_MAGIC)
        self->big_endian = TRUE;
      else
        return pl_capture_reader_fail (self, error, PL_CAPTURE_ERROR_CORRUPT,
                                       _("section header at offset %zu: "
                                       "bad byte-order magic 0x%08x"),
                                       pos, pl_byte_reader_peek_u32_be (b, pos + 8));

      /* libpcap reads 1.0 and 1.2 (same layout; some writers say 1.2). */
      major = pl_byte_reader_peek_u16 (b, pos + 12, self->big_endian);
      minor = pl_byte_reader_peek_u16 (b, pos + 14, self->big_endian);
      if (major != 1 || (minor != 0 && minor != 2))
        return pl_capture_reader_fail (self, error, PL_CAPTURE_ERROR_UNSUPPORTED,
                                       _("section header at offset %zu: "
                                       "unsupported pcapng version %u.%u"),
                                       pos, major, minor);
    }

  total = load_u32 (reader_bytes (self, pos, 8) + 4, self->big_endian);

  if (total < PL_PCAPNG_BLOCK_OVERHEAD || total % 4 != 0)
    return pl_capture_reader_fail (self, error, PL_CAPTURE_ERROR_CORRUPT,
                                   _("block at offset %zu (before record %" PRIu64 "): "
                                   "bad block length %u"),
                                   pos, self->n_records + 1, total);

  if (total > avail)
    {
      if (total > PL_PCAPNG_MAX_BLOCK_LEN)
        return pl_capture_reader_fail (self, error, PL_CAPTURE_ERROR_CORRUPT,
                                       _("block at offset %zu (before record %" PRIu64 "): "
                                       "block length %u is larger than the maximum of %u"),
                                       pos, self->n_records + 1, total, PL_PCAPNG_MAX_BLOCK_LEN);
      return pl_capture_reader_fail (self, error, PL_CAPTURE_ERROR_TRUNCATED,
                                     _("block at offset %zu (before record %" PRIu64 "): "
                                     "the file ends inside the block (%zu of %u bytes)"),
                                     pos, self->n_records + 1, avail, total);
    }

  /* The whole block from here on, from one place. */
  self->block = reader_bytes (self, pos, total);
  trailer = load_u32 (self->block + total - 4, self->big_endian);
  if (trailer != total)
    return pl_capture_reader_fail (self, error, PL_CAPTURE_ERROR_CORRUPT,
                                   _("block at offset %zu (before record %" PRIu64 "): "
                                   "block length %u at the start and %u at the end differ"),
                                   pos, self->n_records + 1, total, trailer);

  if (block_type == PL_PCAPNG_BT_SHB && total - PL_PCAPNG_BLOCK_OVERHEAD < PL_PCAPNG_SHB_MIN_BODY)
    return pl_capture_reader_fail (self, error, PL_CAPTURE_ERROR_CORRUPT,
                                   _("section header at offset %zu: "
                                   "block length %u is too short"), pos, total);

  *type = block_type;
  *body = pos + 8;
  *body_len = total - PL_PCAPNG_BLOCK_OVERHEAD;
  return TRUE;
}

static void
pl_capture_reader_begin_section (PlCaptureReader *self)
{
  /* Interface ids restart at 0 in every section. */
  self->n_sections++;
  self->section_first_iface = self->ifaces->len;
}

static gboolean
pl_capture_reader_read_idb (PlCaptureReader  *self,
                            gsize             body,
                            gsize             body_len,
                            GError          **error)
{
  PlByteReader *b = &self->bytes;
  gboolean be = self->big_endian;
  gsize block_pos = self->pos;
  gsize opt;
  gsize end = body + body_len;
  gboolean saw_tsresol = FALSE;
  gboolean saw_tsoffset = FALSE;
  PlIface *iface;

  if (body_len < 8)
    return pl_capture_reader_fail (self, error, PL_CAPTURE_ERROR_CORRUPT,
                                   _("interface description at offset %zu: block is too short"),
                                   block_pos);

  /* A 16-bit link type (no FCS bits here: pcapng has if_fcslen), 16
   * reserved bits, the snap length. */
  iface = pl_capture_reader_add_iface (self,
                                       pl_byte_reader_peek_u16 (b, body, be),
                                       pl_byte_reader_peek_u32 (b, body + 4, be));

  for (opt = body + 8; end - opt >= 4;)
    {
      guint16 code = pl_byte_reader_peek_u16 (b, opt, be);
      guint16 len = pl_byte_reader_peek_u16 (b, opt + 2, be);
      gsize value = opt + 4;

      if (code == PL_PCAPNG_OPT_ENDOFOPT)
        break;

      if (len > end - value)
        return pl_capture_reader_fail (self, error, PL_CAPTURE_ERROR_CORRUPT,
                                       _("interface description at offset %zu: "
                                       "option %u of length %u overruns the block"),
                                       block_pos, code, len);

      /* Like libpcap, the first if_tsresol and if_tsoffset count.  A value
       * of the wrong size is ignored rather than fatal: the frames are
       * still readable, only their times may be off. */
      switch (code)
        {
        case PL_PCAPNG_OPT_IF_NAME:
          if (iface->pub.name == NULL)
            {
              /* Not always NUL-terminated, and not always UTF-8. */
              char *raw = g_malloc0 ((gsize) len + 1);

              pl_byte_reader_peek_bytes (b, value, len, (guint8 *) raw);
              iface->pub.name = g_utf8_make_valid (raw, -1);
              g_free (raw);
            }
          break;

        case PL_PCAPNG_OPT_IF_TSRESOL:
          if (len == 1 && !saw_tsresol)
            {
              guint8 tsresol = pl_byte_reader_peek_u8 (b, value);

              saw_tsresol = TRUE;
              if (!pl_iface_set_tsresol (iface, tsresol))
                return pl_capture_reader_fail (self, error, PL_CAPTURE_ERROR_UNSUPPORTED,
                                               _("interface description at offset %zu: "
                                               "timestamp resolution %s%u is too fine"),
                                               block_pos, (tsresol & 0x80) ? "2^-" : "10^-",
                                               (guint) (tsresol & 0x7F));
            }
          break;

        case PL_PCAPNG_OPT_IF_TSOFFSET:
          if (len == 8 && !saw_tsoffset)
            {
              guint64 hi = pl_byte_reader_peek_u32 (b, value + (be ? 0 : 4), be);
              guint64 lo = pl_byte_reader_peek_u32 (b, value + (be ? 4 : 0), be);

              saw_tsoffset = TRUE;
              iface->pub.ts_offset = (gint64) ((hi << 32) | lo);
            }
          break;

        default:
          break;
        }

      /* Values are padded to 32 bits; a missing pad at the very end is
       * harmless, so stop there rather than complain. */
      if ((gsize) ((len + 3u) & ~3u) > end - value)
        break;
      opt = value + ((len + 3u) & ~3u);
    }

  return TRUE;
}

/* The interface a packet block names, as a global index. */
static gboolean
pl_capture_reader_lookup_iface (PlCaptureReader  *self,
                                guint32           id,
                                const char       *block_name,
                                guint32          *global,
                                GError          **error)
{
  guint n = self->ifaces->len - self->section_first_iface;

  if (id >= n)
    return pl_capture_reader_fail (self, error, PL_CAPTURE_ERROR_CORRUPT,
                                   /* Translators: a record number, a byte offset in the file, a block kind, then numbers. */
                                   g_dngettext (GETTEXT_PACKAGE,
                                                "record %" PRIu64 " at offset %zu: "
                                                "%s names interface %u, but section %u describes %u interface",
                                                "record %" PRIu64 " at offset %zu: "
                                                "%s names interface %u, but section %u describes %u interfaces",
                                                n),
                                   self->n_records + 1, self->pos, block_name, id,
                                   self->n_sections - 1, n);
  *global = self->section_first_iface + id;
  return TRUE;
}

static gboolean
pl_capture_reader_read_packet_block (PlCaptureReader  *self,
                                     guint32           type,
                                     gsize             body,
                                     gsize             body_len,
                                     PlRecord         *record,
                                     GError          **error)
{
  gboolean be = self->big_endian;
  const char *block_name;
  const PlIface *iface;
  guint32 id;
  guint32 global = 0;
  guint32 caplen;
  guint32 origlen;
  guint64 t;
  gsize data;
  /* The block's body, as pl_capture_reader_pcapng_block() found it. */
  const guint8 *bp = self->block + (body - self->pos);

  if (type == PL_PCAPNG_BT_SPB)
    {
      /* Simple Packet Block: interface 0 of the section, no timestamp, and
       * the captured length is implied by the snap length and the block. */
      if (body_len < 4)
        return pl_capture_reader_fail (self, error, PL_CAPTURE_ERROR_CORRUPT,
                                       _("record %" PRIu64 " at offset %zu: "
                                       "simple packet block is too short"),
                                       self->n_records + 1, self->pos);
      if (!pl_capture_reader_lookup_iface (self, 0, "simple packet block", &global, error))
        return FALSE;
      iface = g_ptr_array_index (self->ifaces, global);

      origlen = load_u32 (bp, be);
      caplen = origlen;
      if (iface->pub.snaplen != 0 && caplen > iface->pub.snaplen)
        caplen = iface->pub.snaplen;
      if (caplen > body_len - 4)
        caplen = (guint32) (body_len - 4);

      record->ts_ns = 0;
      record->offset = body + 4;
      record->data = bp + 4;
      record->caplen = caplen;
      record->origlen = origlen;
      record->iface = global;
      return TRUE;
    }

  /* Enhanced Packet Block: 32-bit interface id.  Obsolete Packet Block: a
   * 16-bit id and a 16-bit drop count.  Then the same fields. */
  block_name = type == PL_PCAPNG_BT_EPB ? _("enhanced packet block") : _("packet block");
  if (body_len < 20)
    return pl_capture_reader_fail (self, error, PL_CAPTURE_ERROR_CORRUPT,
                                   _("record %" PRIu64 " at offset %zu: "
                                   "%s is too short"),
                                   self->n_records + 1, self->pos, block_name);

  if (type == PL_PCAPNG_BT_EPB)
    id = load_u32 (bp, be);
  else
    id = load_u16 (bp, be);
  if (!pl_capture_reader_lookup_iface (self, id, block_name, &global, error))
    return FALSE;
  iface = g_ptr_array_index (self->ifaces, global);

  t = ((guint64) load_u32 (bp + 4, be) << 32) | load_u32 (bp + 8, be);
  caplen = load_u32 (bp + 12, be);
  origlen = load_u32 (bp + 16, be);
  data = body + 20;

  if (caplen > body_len - 20 || caplen > PL_MAX_CAPLEN)
    return pl_capture_reader_fail (self, error, PL_CAPTURE_ERROR_CORRUPT,
                                   _("record %" PRIu64 " at offset %zu: "
                                   "captured length %u is larger than the %s (%zu bytes of data)"),
                                   self->n_records + 1, self->pos, caplen, block_name, body_len - 20);

  record->ts_ns = pl_iface_ts_to_ns (iface, t);
  record->offset = data;
  record->data = bp + 20;
  record->caplen = caplen;
  record->origlen = origlen;
  record->iface = global;
  return TRUE;
}

static gboolean
pl_capture_reader_next_pcapng (PlCaptureReader  *self,
                               PlRecord         *record,
                               GError          **error)
{
  for (;;)
    {
      guint32 type;
      gsize body;
      gsize body_len;
      gsize next;

      if (self->pos == self->bytes.len)
        {
          self->done = TRUE;
          return FALSE;
        }

      if (!pl_capture_reader_pcapng_block (self, &type, &body, &body_len, error))
        return FALSE;
      next = body + body_len + 4;

      switch (type)
        {
        case PL_PCAPNG_BT_EPB:
        case PL_PCAPNG_BT_SPB:
        case PL_PCAPNG_BT_PB:
          if (!pl_capture_reader_read_packet_block (self, type, body, body_len, record, error))
            return FALSE;
          self->pos = next;
          self->n_records++;
          return TRUE;

        case PL_PCAPNG_BT_IDB:
          if (!pl_capture_reader_read_idb (self, body, body_len, error))
            return FALSE;
          break;

        case PL_PCAPNG_BT_SHB:
          pl_capture_reader_begin_section (self);
          break;

        default:
          /* Name resolution, statistics, decryption secrets, custom and
           * future blocks carry no frames. */
          break;
        }

      self->pos = next;
    }
}

/* Public API */

PlCaptureReader *
pl_capture_reader_new (const guint8  *data,
                       gsize          len,
                       const char    *display_name,
                       GError       **error)
{
  g_autoptr(PlCaptureReader) self = NULL;
  PlByteReader *b;
  guint32 magic_le;
  guint32 magic_be;

  g_return_val_if_fail (data != NULL || len == 0, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  self = g_new0 (PlCaptureReader, 1);
  pl_byte_reader_init (&self->bytes, data, len);
  self->display_name = g_strdup (display_name != NULL ? display_name : "capture");
  self->ifaces = g_ptr_array_new_with_free_func (pl_iface_free);
  b = &self->bytes;

  if (len < 4)
    {
      pl_capture_reader_fail (self, error, PL_CAPTURE_ERROR_NOT_CAPTURE,
                              "%s", len == 0 ? _("the file is empty")
                                             : _("the file is too short to be a pcap or pcapng capture"));
      return NULL;
    }

  magic_le = pl_byte_reader_peek_u32_le (b, 0);
  magic_be = pl_byte_reader_peek_u32_be (b, 0);

  if (magic_le == PL_PCAP_MAGIC_USEC || magic_le == PL_PCAP_MAGIC_NSEC ||
      magic_le == PL_PCAP_MAGIC_MODIFIED)
    {
      self->big_endian = FALSE;
      if (!pl_capture_reader_open_pcap (self, magic_le, error))
        return NULL;
    }
  else if (magic_be == PL_PCAP_MAGIC_USEC || magic_be == PL_PCAP_MAGIC_NSEC ||
           magic_be == PL_PCAP_MAGIC_MODIFIED)
    {
      self->big_endian = TRUE;
      if (!pl_capture_reader_open_pcap (self, magic_be, error))
        return NULL;
    }
  else if (magic_le == PL_PCAPNG_BT_SHB)
    {
      guint32 type;
      gsize body;
      gsize body_len;

      /* "\n\r\r\n" could start a text file; only the byte-order magic makes
       * it pcapng. */
      if (len >= 12 &&
          pl_byte_reader_peek_u32_le (b, 8) != PL_PCAPNG_BYTE_ORDER_MAGIC &&
          pl_byte_reader_peek_u32_be (b, 8) != PL_PCAPNG_BYTE_ORDER_MAGIC)
        {
          pl_capture_reader_fail (self, error, PL_CAPTURE_ERROR_NOT_CAPTURE,
                                  _("not a pcap or pcapng capture (no byte-order magic after the pcapng block type)"));
          return NULL;
        }

      self->format = PL_CAPTURE_FORMAT_PCAPNG;
      if (!pl_capture_reader_pcapng_block (self, &type, &body, &body_len, error))
        return NULL;
      pl_capture_reader_begin_section (self);
      self->pos = body + body_len + 4;
    }
  else
    {
      pl_capture_reader_fail (self, error, PL_CAPTURE_ERROR_NOT_CAPTURE,
                              _("not a pcap or pcapng capture (magic 0x%08x)"), magic_be);
      return NULL;
    }

  return g_steal_pointer (&self);
}

void
pl_capture_reader_free (PlCaptureReader *reader)
{
  if (reader == NULL)
    return;

  g_ptr_array_unref (reader->ifaces);
  g_clear_error (&reader->error);
  g_free (reader->display_name);
  g_free (reader);
}

void
pl_capture_reader_set_read_ahead (PlCaptureReader *reader,
                                  PlReadAhead     *ahead)
{
  g_return_if_fail (reader != NULL);

  reader->ahead = ahead;
  reader->win = NULL;
}

gboolean
pl_capture_reader_next (PlCaptureReader  *reader,
                        PlRecord         *record,
                        GError          **error)
{
  g_return_val_if_fail (reader != NULL, FALSE);
  g_return_val_if_fail (record != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (G_UNLIKELY (reader->done))
    {
      if (reader->error != NULL && error != NULL)
        *error = g_error_copy (reader->error);
      return FALSE;
    }

  switch (reader->format)
    {
    case PL_CAPTURE_FORMAT_PCAP:
    case PL_CAPTURE_FORMAT_PCAP_NSEC:
    case PL_CAPTURE_FORMAT_PCAP_MODIFIED:
      return pl_capture_reader_next_pcap (reader, record, error);

    case PL_CAPTURE_FORMAT_PCAPNG:
      return pl_capture_reader_next_pcapng (reader, record, error);

    default:
      g_return_val_if_reached (FALSE);
    }
}

PlCaptureFormat
pl_capture_reader_get_format (PlCaptureReader *reader)
{
  g_return_val_if_fail (reader != NULL, PL_CAPTURE_FORMAT_PCAP);

  return reader->format;
}

gboolean
pl_capture_reader_is_big_endian (PlCaptureReader *reader)
{
  g_return_val_if_fail (reader != NULL, FALSE);

  return reader->big_endian;
}

guint64
pl_capture_reader_get_position (PlCaptureReader *reader)
{
  g_return_val_if_fail (reader != NULL, 0);

  return reader->pos;
}

guint
pl_capture_reader_get_n_interfaces (PlCaptureReader *reader)
{
  g_return_val_if_fail (reader != NULL, 0);

  return reader->ifaces->len;
}

const PlInterface *
pl_capture_reader_get_interface (PlCaptureReader *reader,
                                 guint            index)
{
  PlIface *iface;

  g_return_val_if_fail (reader != NULL, NULL);
  g_return_val_if_fail (index < reader->ifaces->len, NULL);

  iface = g_ptr_array_index (reader->ifaces, index);
  return &iface->pub;
}

gsize
pl_capture_reader_get_time_lead (PlCaptureReader *reader)
{
  g_return_val_if_fail (reader != NULL, 0);

  return reader->format != PL_CAPTURE_FORMAT_PCAPNG ? reader->record_header_len : 28;
}

gboolean
pl_capture_reader_get_wiretap_time (PlCaptureReader *reader,
                                    guint64          data_offset,
                                    guint32          iface_index,
                                    gint64          *secs,
                                    gint32          *nsecs)
{
  g_return_val_if_fail (reader != NULL, FALSE);

  *secs = 0;
  *nsecs = 0;
  if (data_offset > reader->bytes.len)
    return FALSE;
  return pl_capture_reader_get_wiretap_time_at (reader, reader->bytes.data + data_offset, data_offset,
                                                iface_index, secs, nsecs);
}

gboolean
pl_capture_reader_get_wiretap_time_at (PlCaptureReader *reader,
                                       const guint8    *data,
                                       guint64          data_offset,
                                       guint32          iface_index,
                                       gint64          *secs,
                                       gint32          *nsecs)
{
  const PlIface *iface;
  gboolean be;

  *secs = 0;
  *nsecs = 0;
  if (iface_index >= reader->ifaces->len || data_offset > reader->bytes.len)
    return FALSE;
  iface = g_ptr_array_index (reader->ifaces, iface_index);
  be = iface->big_endian;

  if (reader->format != PL_CAPTURE_FORMAT_PCAPNG)
    {
      guint32 sec, frac;

      if (data_offset < reader->record_header_len)
        return FALSE;
      sec = load_u32 (data - reader->record_header_len, be);
      frac = load_u32 (data - reader->record_header_len + 4, be);
      /* wiretap: ts_usec * 1000 in 32-bit unsigned arithmetic, stored in
       * an int; no normalisation. */
      *secs = sec;
      *nsecs = (gint32) (reader->frac_to_ns == 1 ? frac : frac * 1000u);
      return TRUE;
    }

  /* Enhanced and obsolete Packet Blocks: the timestamp sits 16 and 12
   * bytes before the data; a Simple Packet Block has none (time 0). */
  if (data_offset >= 28)
    {
      guint32 type = load_u32 (data - 28, be);

      if (type == PL_PCAPNG_BT_EPB || type == PL_PCAPNG_BT_PB)
        {
          guint64 hi = load_u32 (data - 16, be);
          guint64 lo = load_u32 (data - 12, be);
          guint64 t = (hi << 32) | lo;
          guint64 units = iface->pub.ts_units;

          /* wiretap's arithmetic, 64-bit wrap and int cast included. */
          *secs = (gint64) (t / units) + iface->pub.ts_offset;
          *nsecs = (gint32) (guint32) (((t % units) * PL_NSEC_PER_SEC) / units);
          return TRUE;
        }
    }
  return TRUE;
}

const char *
pl_capture_format_to_string (PlCaptureFormat format)
{
  switch (format)
    {
    case PL_CAPTURE_FORMAT_PCAP:
      return "pcap";
    case PL_CAPTURE_FORMAT_PCAP_NSEC:
      return "pcap (nanosecond)";
    case PL_CAPTURE_FORMAT_PCAP_MODIFIED:
      return "pcap (modified)";
    case PL_CAPTURE_FORMAT_PCAPNG:
      return "pcapng";
    default:
      return "unknown";
    }
}
