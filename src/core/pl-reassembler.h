/* pl-reassembler.h: TCP reassembly of one direction of one stream
 * (RFC 9293 section 3.10.7.4: segment text is processed in sequence order).
 *
 * The reassembler turns the segments one endpoint sent, in capture order,
 * into an in-order byte stream for a consumer (the HTTP parser), numbered by
 * 64-bit stream offsets: offset 0 is the first payload byte after the SYN
 * (relative sequence number 1).  Bytes never captured reach the consumer as
 * explicit gaps (data == NULL), never as silence.
 *
 * Nothing is copied and nothing is allocated per segment: in-order bytes are
 * handed over as pointers into the caller's buffer, and out-of-order
 * segments wait as (offset, length, pointer, frame) records, 24 bytes each,
 * in one sorted array.  Delivered bytes are not remembered: the consumer
 * gets each one once, with the frame that carried it, and keeps what it
 * needs (the HTTP table keeps the frame of a message's first byte and walks
 * the frame table from there, see pl-http-table.c).
 *
 * Lifetime contract: the data pointer given to pl_reassembler_add() must
 * stay valid until every byte the reassembler took from it has been
 * delivered (at the latest by pl_reassembler_flush()) or the reassembler is
 * freed: buffered segments are delivered from it later and compared with
 * the retransmissions that overlap them.  Pointers into the capture's
 * GMappedFile satisfy this for free.  pl_reassembler_add_staged() takes
 * two copies of the bytes: one valid only during the call, which in-order
 * bytes are delivered from, and one that satisfies the contract, kept for
 * what must wait (the loader parses from a read buffer and keeps pointers
 * into the mapping, whose pages are then seldom touched).  A consumer
 * copies what it keeps of delivered bytes: data is valid during the
 * callback only.
 *
 * Overlaps are resolved first-wins (what was delivered or buffered first is
 * kept), as Wireshark and Suricata's default policy do.  Which repeated
 * bytes are compared with their first copy:
 *  - bytes still buffered (out of order, waiting behind a hole): compared,
 *    and a difference gets an OVERLAP_CONFLICT note;
 *  - bytes already delivered: not compared (they are forgotten once
 *    delivered), only counted as old_bytes, so a retransmission that
 *    differs from bytes already delivered gets no note;
 *  - bytes cut off by the snap length, on either side: nothing to compare.
 * Sequence numbers are compared only through pl-seq.h.
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Out-of-order bytes buffered per direction before segments are skipped. */
#define PL_REASSEMBLER_DEFAULT_MAX_BUFFERED ((gsize) 8 * 1024 * 1024)

/* Not a frame index.  Every delivery names a frame given to
 * pl_reassembler_add(); callers use this for "none yet". */
#define PL_REASSEMBLER_NO_FRAME G_MAXUINT32

/* What one segment was, from the byte stream's point of view.  When several
 * apply, the first in this list that applies wins (a segment partly beyond
 * the cap is BEYOND_CAP even if some of its bytes were new). */
typedef enum
{
  PL_REASSEMBLER_BEYOND_CAP,       /* some bytes skipped: out-of-order buffer full */
  PL_REASSEMBLER_BEYOND_FIN,       /* some bytes lie after the FIN: dropped */
  PL_REASSEMBLER_NO_PAYLOAD,       /* no payload (SYN, FIN or ACK only) */
  PL_REASSEMBLER_RETRANSMITTED,    /* every byte was already delivered or buffered */
  PL_REASSEMBLER_PARTIAL_OVERLAP,  /* some new bytes, some already seen */
  PL_REASSEMBLER_OUT_OF_ORDER,     /* all new, buffered behind a hole */
  PL_REASSEMBLER_IN_ORDER,         /* all new and delivered at once */
} PlReassemblerStatus;

/* Why a note was made; each comes with a static untranslated text. */
typedef enum
{
  PL_REASSEMBLER_NOTE_OVERLAP_CONFLICT = 1 << 0, /* repeated bytes differ from a first copy still buffered */
  PL_REASSEMBLER_NOTE_BUFFER_FULL      = 1 << 1, /* out-of-order cap reached: bytes skipped */
  PL_REASSEMBLER_NOTE_AFTER_FIN        = 1 << 2, /* payload after the FIN's sequence number */
  PL_REASSEMBLER_NOTE_FIN_CONFLICT     = 1 << 3, /* a FIN at another place than the first, or before bytes already seen */
} PlReassemblerNote;

typedef struct
{
  PlReassemblerStatus status;
  guint32 notes;          /* PlReassemblerNote bits made for this segment */
  gint64  offset;         /* stream offset of the first payload byte (may be < 0 for junk) */
  guint32 new_bytes;      /* bytes first seen here (delivered or buffered) */
  guint32 old_bytes;      /* bytes already delivered or buffered (or before offset 0) */
  guint32 skipped_bytes;  /* bytes dropped: beyond the cap or after the FIN */
} PlReassemblerResult;

/* In-order bytes [offset, offset + len), each offset exactly once, in
 * order from 0.  With data, frame is the frame that carried these bytes
 * (its payload, first copy wins) and data points into the buffer given
 * with that frame.  data == NULL: a gap of len bytes; frame is then the
 * frame whose snap length cut these bytes off, or the frame that revealed
 * the hole (the first segment after it, or at the end the FIN or the
 * segment that reached furthest). */
typedef void (*PlReassemblerDeliverFunc) (gpointer      user_data,
                                          guint64       offset,
                                          const guint8 *data,
                                          gsize         len,
                                          guint32       frame);

/* A remark on one frame; at most one per kind per pl_reassembler_add(). */
typedef void (*PlReassemblerNoteFunc)    (gpointer           user_data,
                                          guint32            frame,
                                          PlReassemblerNote  note,
                                          const char        *text);

typedef struct _PlReassembler PlReassembler;

/* max_buffered: the out-of-order cap in bytes referenced
 * (PL_REASSEMBLER_DEFAULT_MAX_BUFFERED unless a caller has reason to
 * differ); it also bounds the number of waiting records to
 * max_buffered / 512 (at least 64).  Out-of-order bytes beyond it are
 * skipped with a BUFFER_FULL note and later delivered as a gap, unless a
 * retransmission brings them back in time.  deliver and note are
 * required. */
PlReassembler      *pl_reassembler_new               (gsize                     max_buffered,
                                                      PlReassemblerDeliverFunc  deliver,
                                                      PlReassemblerNoteFunc     note,
                                                      gpointer                  user_data);
void                pl_reassembler_free              (PlReassembler            *r);

/* The raw sequence number that shows as relative 0 (the SYN's, as in
 * PlTcpPeer.base_seq): offset 0 is isn + 1.  Call before the first segment
 * when the SYN was not captured; otherwise a SYN sets it, and without either
 * the first segment's payload is offset 0. */
void                pl_reassembler_set_isn           (PlReassembler            *r,
                                                      guint32                   isn);

/* One segment as sent: seq and tcp_flags (PlTcpFlags) from its header,
 * payload_len by the IP length, and the captured_len <= payload_len bytes at
 * data that the snap length kept (the rest becomes a gap).  data may be NULL
 * when captured_len is 0.  result may be NULL. */
PlReassemblerStatus pl_reassembler_add               (PlReassembler            *r,
                                                      guint32                   frame,
                                                      guint32                   seq,
                                                      guint16                   tcp_flags,
                                                      const guint8             *data,
                                                      guint32                   captured_len,
                                                      guint32                   payload_len,
                                                      PlReassemblerResult      *result);

/* The same, with data valid during the call only and keep holding the same
 * captured_len bytes for as long as the contract above asks (both NULL, or
 * neither; both are ignored when captured_len is 0, so a caller may pass
 * where a segment's payload would be whatever its length). */
PlReassemblerStatus pl_reassembler_add_staged        (PlReassembler            *r,
                                                      guint32                   frame,
                                                      guint32                   seq,
                                                      guint16                   tcp_flags,
                                                      const guint8             *data,
                                                      const guint8             *keep,
                                                      guint32                   captured_len,
                                                      guint32                   payload_len,
                                                      PlReassemblerResult      *result);

/* End of capture (or RST): delivers everything buffered, in order, with gaps
 * for the holes, up to the FIN or the highest byte seen.  Segments added
 * afterwards are reassembled as before. */
void                pl_reassembler_flush             (PlReassembler            *r);

/* Offset of the next byte to deliver (all before it were delivered). */
guint64             pl_reassembler_get_delivered     (PlReassembler            *r);
/* TRUE and the raw sequence number of stream offset 0 once it is known
 * (the ISN given plus 1, or the first segment's). */
gboolean            pl_reassembler_get_origin        (PlReassembler            *r,
                                                      guint32                  *seq);
/* Bytes waiting out of order behind a hole. */
gsize               pl_reassembler_get_buffered      (PlReassembler            *r);
/* TRUE and the stream offset of the FIN when one was accepted. */
gboolean            pl_reassembler_get_fin_offset    (PlReassembler            *r,
                                                      guint64                  *offset);
/* A FIN was accepted and every byte before it delivered: the direction
 * is over (what the HTTP and TLS tables end a direction on). */
gboolean            pl_reassembler_fin_delivered     (PlReassembler            *r);

/* Would the receiver of this direction take a RST with sequence number
 * seq?  Not when it lies before what the sender already sent (RFC 9293
 * section 3.10.7, RFC 5961 section 3.2: a RST outside the receive window
 * is dropped): a stray RST far below, an old segment's or a forged one,
 * leaves the connection going on, as it did on the wire.  TRUE when
 * nothing is known yet (r NULL, or no segment seen). */
gboolean            pl_reassembler_accepts_rst       (PlReassembler            *r,
                                                      guint32                   seq);
/* Did the peer acknowledge (ack, raw) bytes of this direction that wait
 * behind a hole?  Then the hole was received and the capture will never
 * show it: the caller flushes.  base_seq is the direction's raw base (its
 * SYN's sequence number). */
gboolean            pl_reassembler_hole_acked        (PlReassembler            *r,
                                                      guint32                   base_seq,
                                                      guint32                   ack);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (PlReassembler, pl_reassembler_free)

G_END_DECLS
