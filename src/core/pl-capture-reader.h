/* pl-capture-reader.h: walks the records of a pcap or pcapng file held in
 * memory (normally a GMappedFile), without copying packet bytes.
 *
 * Formats: pcap (tcpdump.org/manpages/pcap-savefile.5; microsecond and
 * nanosecond magic, either byte order, the "modified" Kuznetzov variant with
 * its 24-byte record header) and pcapng (draft-ietf-opsawg-pcapng: several
 * sections of either byte order, several interfaces with different link
 * types, snap lengths and timestamp resolutions; EPB, SPB and the obsolete
 * Packet Block carry frames, other blocks are skipped).  libpcap 1.10 refuses
 * pcapng files whose interfaces differ; we read them.
 */
#pragma once

#include <glib.h>

#include "pl-read-ahead.h"

G_BEGIN_DECLS

#define PL_CAPTURE_ERROR (pl_capture_error_quark ())

typedef enum
{
  PL_CAPTURE_ERROR_IO,          /* the file could not be opened or mapped */
  PL_CAPTURE_ERROR_NOT_CAPTURE, /* no pcap or pcapng magic */
  PL_CAPTURE_ERROR_UNSUPPORTED, /* a version or feature we do not read */
  PL_CAPTURE_ERROR_TRUNCATED,   /* the file ends inside a header or record */
  PL_CAPTURE_ERROR_CORRUPT,     /* a length or field that cannot be right */
  PL_CAPTURE_ERROR_CHANGED,     /* the file shrank while it was open */
} PlCaptureError;

GQuark pl_capture_error_quark (void);

typedef enum
{
  PL_CAPTURE_FORMAT_PCAP,
  PL_CAPTURE_FORMAT_PCAP_NSEC,
  PL_CAPTURE_FORMAT_PCAP_MODIFIED,
  PL_CAPTURE_FORMAT_PCAPNG,
} PlCaptureFormat;

typedef struct
{
  guint32 linktype;    /* LINKTYPE_* as stored in the file, FCS bits masked off */
  guint32 snaplen;     /* 0 when the file says "no limit" */
  guint64 ts_units;    /* timestamp units per second (1e6, 1e9, pcapng if_tsresol) */
  gint64  ts_offset;   /* pcapng if_tsoffset, seconds */
  guint   section;     /* pcapng section number, from 0; 0 for pcap */
  char   *name;        /* pcapng if_name, or NULL */
} PlInterface;

typedef struct
{
  gint64  ts_ns;       /* nanoseconds since the epoch */
  guint64 offset;      /* where the frame's bytes start in the file data */
  guint32 caplen;      /* bytes present at offset */
  guint32 origlen;     /* length on the wire */
  guint32 iface;       /* index into the reader's interfaces, over all sections */
  const guint8 *data;  /* the caplen bytes at offset: into the data given to
                        * pl_capture_reader_new(), or into the read-ahead's
                        * window, valid until the next call */
} PlRecord;

typedef struct _PlCaptureReader PlCaptureReader;

/* Parses the file header.  display_name names the file in error messages.
 * Fails with PL_CAPTURE_ERROR_NOT_CAPTURE, _UNSUPPORTED or _TRUNCATED, or
 * _CORRUPT when the first pcapng block has impossible lengths.  data must
 * stay valid while the reader is used. */
PlCaptureReader   *pl_capture_reader_new            (const guint8     *data,
                                                     gsize             len,
                                                     const char       *display_name,
                                                     GError          **error);
void               pl_capture_reader_free           (PlCaptureReader  *reader);

/* Reads the next frame record.  Returns TRUE and fills *record, or FALSE:
 * with *error unset at the clean end of the file, with
 * PL_CAPTURE_ERROR_TRUNCATED when the file ends inside a record (every
 * earlier record is good: a capture still being written), or with
 * PL_CAPTURE_ERROR_CORRUPT when a record or block cannot be parsed.  After
 * FALSE, further calls return FALSE (with the same error again, if there
 * was one).  Error messages name the file, the record number (from 1) and
 * the file offset.  Never allocates. */
/* Parse records from the read-ahead's windows where they hold them (the
 * read-ahead reads the same file as the data given to
 * pl_capture_reader_new(), which serves the rest).  NULL: from the data
 * only.  The read-ahead must outlive its use. */
void               pl_capture_reader_set_read_ahead (PlCaptureReader  *reader,
                                                     PlReadAhead      *ahead);

gboolean           pl_capture_reader_next           (PlCaptureReader  *reader,
                                                     PlRecord         *record,
                                                     GError          **error);

PlCaptureFormat    pl_capture_reader_get_format     (PlCaptureReader  *reader);
gboolean           pl_capture_reader_is_big_endian  (PlCaptureReader  *reader);
/* Offset of the next unread byte: a loader can resume from it. */
guint64            pl_capture_reader_get_position   (PlCaptureReader  *reader);
/* Interfaces seen so far; pcapng adds one per IDB as reading goes on.  The
 * pointer stays valid until the reader is freed. */
guint              pl_capture_reader_get_n_interfaces (PlCaptureReader *reader);
const PlInterface *pl_capture_reader_get_interface  (PlCaptureReader  *reader,
                                                     guint             index);

/* The time of the record whose bytes start at data_offset (a PlRecord's
 * offset) on interface iface, in the two parts Wireshark 4.0's wiretap
 * makes of it, with its arithmetic and without normalising: seconds (pcap:
 * unsigned; pcapng: units / units-per-second + if_tsoffset) and a
 * nanosecond part that a damaged pcap record can leave at 1e9 or more, or
 * negative (ts_usec * 1000 wraps in 32 bits).  PlRecord.ts_ns is the
 * normalised time; this is for printing what tshark prints. */
gboolean           pl_capture_reader_get_wiretap_time (PlCaptureReader *reader,
                                                     guint64           data_offset,
                                                     guint32           iface,
                                                     gint64           *secs,
                                                     gint32           *nsecs);

/* The same from a copy of the file's bytes: data is the record's first
 * byte (at data_offset in the file), and the copy holds the
 * pl_capture_reader_get_time_lead() bytes before it (those in the file). */
gboolean           pl_capture_reader_get_wiretap_time_at (PlCaptureReader *reader,
                                                     const guint8     *data,
                                                     guint64           data_offset,
                                                     guint32           iface,
                                                     gint64           *secs,
                                                     gint32           *nsecs);
/* How many bytes before a record's data its time is read from. */
gsize              pl_capture_reader_get_time_lead  (PlCaptureReader  *reader);

const char        *pl_capture_format_to_string      (PlCaptureFormat   format);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (PlCaptureReader, pl_capture_reader_free)

G_END_DECLS
