/* pl-pcap-live.h: live capture through libpcap (pcap(3PCAP)): the list of
 * interfaces, a device opened with pcap_create() + pcap_activate() and a
 * BPF filter compiled by libpcap, or the pcap/pcapng stream another
 * program (dumpcap) writes on a pipe.  With pl-pcap-source.c, the only
 * place that includes <pcap/pcap.h>; pl-live-capture.c drives it.
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define PL_LIVE_ERROR (pl_live_error_quark ())

typedef enum
{
  PL_LIVE_ERROR_PERMISSION,  /* the process may not capture on the device */
  PL_LIVE_ERROR_NO_DEVICE,   /* no such interface, or it is down */
  PL_LIVE_ERROR_FILTER,      /* the BPF expression does not compile */
  PL_LIVE_ERROR_FAILED,      /* anything else libpcap or dumpcap said */
  PL_LIVE_ERROR_WRITE,       /* the capture file could not be written */
} PlLiveError;

GQuark pl_live_error_quark (void);

typedef struct
{
  char    *name;         /* "lo", "eth0", "any" */
  char    *description;  /* libpcap's description, or NULL */
  gboolean loopback;
  gboolean up;
} PlLiveInterface;

void       pl_live_interface_free      (PlLiveInterface *iface);
/* Every interface libpcap can capture on (pcap_findalldevs, which needs no
 * privilege on Linux), loopback first, then the ones that are up, then the
 * rest, each group in libpcap's order.  PlLiveInterface elements. */
GPtrArray *pl_live_list_interfaces     (GError         **error);

/* Checks a filter expression as libpcap compiles it for an Ethernet-like
 * device (loopback on Linux is one); NULL or "" is fine. */
gboolean   pl_live_check_filter        (const char      *expression,
                                        GError         **error);

typedef struct _PlPcapLive PlPcapLive;

/* Called for each packet; ts_ns is nanoseconds since the epoch.  bytes are
 * valid during the call only. */
typedef void (*PlPcapPacketFunc) (gpointer      user_data,
                                  gint64        ts_ns,
                                  guint32       caplen,
                                  guint32       origlen,
                                  const guint8 *bytes);

/* Opens a device for capture (promiscuous off, immediate delivery,
 * nanosecond time stamps where the system has them) and sets the filter.
 * PL_LIVE_ERROR_PERMISSION when the process lacks CAP_NET_RAW. */
PlPcapLive *pl_pcap_live_open          (const char      *device,
                                        guint32          snaplen,
                                        const char      *filter,
                                        GError         **error);
/* Reads a pcap or pcapng stream from fd (dumpcap -w -), which it takes
 * over.  Blocks until the stream's header arrived; name is for messages. */
PlPcapLive *pl_pcap_live_open_stream   (int              fd,
                                        const char      *name,
                                        GError         **error);
/* Delivers what arrived (blocking until something does, or until
 * pl_pcap_live_break()).  Returns the packets delivered, 0 on a timeout,
 * -2 at the end (a break, or the end of the stream) and -1 with error. */
int         pl_pcap_live_dispatch      (PlPcapLive      *live,
                                        PlPcapPacketFunc func,
                                        gpointer         user_data,
                                        GError         **error);
/* Any thread: makes the running or next dispatch return -2. */
void        pl_pcap_live_break         (PlPcapLive      *live);
/* libpcap's counters (pcap_stats): packets the filter passed and packets
 * the kernel dropped for lack of buffer space.  FALSE for a stream. */
gboolean    pl_pcap_live_get_stats     (PlPcapLive      *live,
                                        guint64         *received,
                                        guint64         *dropped);
/* The LINKTYPE_ value to write in a file. */
guint32     pl_pcap_live_get_linktype  (PlPcapLive      *live);
guint32     pl_pcap_live_get_snaplen   (PlPcapLive      *live);
void        pl_pcap_live_close         (PlPcapLive      *live);

G_END_DECLS
