/* pl-pcap-source.h: what Packet Ladder takes from libpcap: the names of
 * link types and BPF filters (pcap-filter(7)) run over frames we read
 * ourselves.  This pair is the only place that includes <pcap/pcap.h>.
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define PL_BPF_ERROR (pl_bpf_error_quark ())

typedef enum
{
  PL_BPF_ERROR_INVALID,     /* the expression does not compile for this link type */
} PlBpfError;

GQuark       pl_bpf_error_quark          (void);

/* The DLT_ value libpcap uses for a LINKTYPE_ value stored in a file; the
 * two differ for a few historical types (LINKTYPE_RAW 101 is DLT_RAW). */
guint32      pl_linktype_to_dlt          (guint32       linktype);

/* libpcap's short name ("EN10MB") and description ("Ethernet") of a
 * LINKTYPE_ value; "LINKTYPE_123" and "Unknown link type 123" for values
 * libpcap does not know.  The strings live as long as the program. */
const char  *pl_linktype_name            (guint32       linktype);
const char  *pl_linktype_description     (guint32       linktype);

typedef struct _PlBpfFilter PlBpfFilter;

/* Compiles expression for frames of one link type (a capture with several
 * interfaces needs one filter per link type).  snaplen 0 means no limit.
 * Fails with PL_BPF_ERROR_INVALID and libpcap's message. */
PlBpfFilter *pl_bpf_filter_new           (guint32       linktype,
                                          guint32       snaplen,
                                          const char   *expression,
                                          GError      **error);
gboolean     pl_bpf_filter_matches       (PlBpfFilter  *filter,
                                          const guint8 *data,
                                          guint32       caplen,
                                          guint32       origlen);
guint32      pl_bpf_filter_get_linktype  (PlBpfFilter  *filter);
void         pl_bpf_filter_free          (PlBpfFilter  *filter);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (PlBpfFilter, pl_bpf_filter_free)

G_END_DECLS
