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
 * handed over as pointers into the caller's buffer, out-of-order segments
 * wait as (offset, length, pointer, frame) records in one sorted array, and
 * delivered bytes are remembered as (offset, length, pointer, frame) spans in
 * another, so a stream offset maps back to the frames that carried it.
 *
 * Spans cost 24 bytes per delivered segment, which a capture of a million
 * frames cannot afford: pl_reassembler_set_keep_spans (r, FALSE) turns
 * them off for a consumer that finds frames and bytes another way (the
 * HTTP index walks the frame table, see pl-http-table.c).  Without spans,
 * retransmitted bytes that were already delivered are not compared, so
 * OVERLAP_CONFLICT is only noted against bytes still buffered.
 *
 * Lifetime contract: the data pointer given to pl_reassembler_add() must stay
 * valid until the reassembler is freed, not only until the bytes are
 * delivered: buffered segments are delivered from it later, and delivered
 * spans keep it so a retransmission can be compared with the bytes it
 * repeats.  Pointers into the capture's GMappedFile satisfy this for free.
 *
 * Overlaps are resolved first-wins (what was delivered or buffered first is
 * kept), as Wireshark and Suricata's default policy do; differing bytes get
 * a note.  Sequence numbers are compared only through pl-seq.h.
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Out-of-order bytes buffered per direction before segments are skipped. */
#define PL_REASSEMBLER_DEFAULT_MAX_BUFFERED ((gsize) 8 * 1024 * 1024)

/* The frame of a gap nobody carried. */
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
  PL_REASSEMBLER_NOTE_OVERLAP_CONFLICT = 1 << 0, /* repeated bytes differ from the first copy */
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

/* A run of delivered stream bytes and the frame that carried them.  Gaps
 * have data == NULL; frame is PL_REASSEMBLER_NO_FRAME for bytes never
 * captured, or the frame whose snap length cut them off. */
typedef struct
{
  guint64       offset;
  const guint8 *data;
  guint32       length;
  guint32       frame;
} PlReassemblerSpan;

/* In-order bytes [offset, offset + len).  data == NULL: a gap of len bytes;
 * frame is then the frame that revealed it (the segment after the hole, the
 * FIN, or the snap-cut frame), or PL_REASSEMBLER_NO_FRAME. */
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

/* deliver and note may be NULL: spans are still recorded for lookups. */
PlReassembler      *pl_reassembler_new               (PlReassemblerDeliverFunc  deliver,
                                                      PlReassemblerNoteFunc     note,
                                                      gpointer                  user_data);
void                pl_reassembler_free              (PlReassembler            *r);

/* The raw sequence number that shows as relative 0 (the SYN's, as in
 * PlTcpPeer.base_seq): offset 0 is isn + 1.  Call before the first segment
 * when the SYN was not captured; otherwise a SYN sets it, and without either
 * the first segment's payload is offset 0. */
void                pl_reassembler_set_isn           (PlReassembler            *r,
                                                      guint32                   isn);
/* Whether delivered spans are recorded (the default); turning them off
 * drops those recorded so far, and get_spans() and find_frames() then
 * answer nothing.  Turning them back on is only allowed before the first
 * byte is delivered. */
void                pl_reassembler_set_keep_spans    (PlReassembler            *r,
                                                      gboolean                  keep_spans);
/* The out-of-order cap in bytes referenced; it also bounds the number of
 * waiting records to max_bytes / 512 (at least 64). */
void                pl_reassembler_set_max_buffered  (PlReassembler            *r,
                                                      gsize                     max_bytes);

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
gsize               pl_reassembler_get_buffered      (PlReassembler            *r);
/* TRUE and the stream offset of the FIN when one was accepted. */
gboolean            pl_reassembler_get_fin_offset    (PlReassembler            *r,
                                                      guint64                  *offset);

/* Delivered spans in offset order, contiguous from 0. */
const PlReassemblerSpan *pl_reassembler_get_spans    (PlReassembler            *r,
                                                      guint                    *n_spans);

/* Frames that carried delivered bytes of [offset, offset + length), in
 * stream order, without repeating a frame twice in a row.  Writes at most
 * max into frames and returns how many there are in all (so a result above
 * max means the array was too small).  Gaps contribute no frame. */
guint               pl_reassembler_find_frames       (PlReassembler            *r,
                                                      guint64                   offset,
                                                      guint64                   length,
                                                      guint32                  *frames,
                                                      guint                     max);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (PlReassembler, pl_reassembler_free)

G_END_DECLS
