/* pl-pcap-live.c: live capture through libpcap.
 *
 * A device is opened as tcpdump opens it (pcap_create(), options, then
 * pcap_activate(), whose status says why it failed: no permission, no such
 * device, down), with immediate delivery, so a frame reaches the window
 * when it happens rather than when a kernel buffer block fills, and with
 * nanosecond time stamps where the system has them.  The filter is
 * compiled by libpcap for the device's link type and run in the kernel.
 *
 * dumpcap's output on a pipe is read with pcap_fopen_offline(): libpcap
 * reads pcap and single-link pcapng streams from any FILE, blocking as the
 * pipe delivers.
 */
#include "config.h"

#include <errno.h>
#include <glib/gi18n.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <pcap/pcap.h>

#include "pl-pcap-live.h"
#include "pl-pcap-source.h"

G_DEFINE_QUARK (pl-live-error-quark, pl_live_error)

/* How long one dispatch may wait for a packet before it returns 0: the
 * bound on how late a stop is seen if pcap_breakloop() could not wake the
 * poll. */
#define DISPATCH_TIMEOUT_MS 100

/* Packets one dispatch delivers at most from a stream. */
#define STREAM_BATCH 64

struct _PlPcapLive
{
  pcap_t  *pcap;
  gboolean stream;
  gboolean nano;
  guint32  linktype;
};

void
pl_live_interface_free (PlLiveInterface *iface)
{
  if (iface == NULL)
    return;
  g_free (iface->name);
  g_free (iface->description);
  g_free (iface);
}

static int
interface_rank (const PlLiveInterface *iface)
{
  if (iface->loopback)
    return 0;
  return iface->up ? 1 : 2;
}

GPtrArray *
pl_live_list_interfaces (GError **error)
{
  char errbuf[PCAP_ERRBUF_SIZE] = "";
  g_autoptr(GPtrArray) list = g_ptr_array_new_with_free_func ((GDestroyNotify) pl_live_interface_free);
  pcap_if_t *all = NULL, *dev;
  int rank;

  if (pcap_findalldevs (&all, errbuf) != 0)
    {
      g_set_error (error, PL_LIVE_ERROR, PL_LIVE_ERROR_FAILED,
                   _("Cannot list the network interfaces: %s"), errbuf);
      return NULL;
    }
  /* A stable order: loopback, interfaces that are up, the others. */
  for (rank = 0; rank < 3; rank++)
    for (dev = all; dev != NULL; dev = dev->next)
      {
        PlLiveInterface iface = {
          .name = dev->name,
          .description = dev->description,
          .loopback = (dev->flags & PCAP_IF_LOOPBACK) != 0,
          .up = (dev->flags & PCAP_IF_UP) != 0,
        };
        PlLiveInterface *copy;

        if (interface_rank (&iface) != rank)
          continue;
        copy = g_new0 (PlLiveInterface, 1);
        *copy = iface;
        copy->name = g_strdup (dev->name);
        copy->description = g_strdup (dev->description);
        g_ptr_array_add (list, copy);
      }
  pcap_freealldevs (all);
  return g_steal_pointer (&list);
}

gboolean
pl_live_check_filter (const char  *expression,
                      GError     **error)
{
  g_autoptr(GError) local_error = NULL;
  PlBpfFilter *filter;

  if (expression == NULL || expression[0] == '\0')
    return TRUE;
  /* LINKTYPE_ETHERNET: what loopback and most devices are on Linux; the
   * device's own type is checked again when the capture starts. */
  filter = pl_bpf_filter_new (1, 0, expression, &local_error);
  if (filter == NULL)
    {
      /* Translators: %s is libpcap's reason ("syntax error"). */
      g_set_error (error, PL_LIVE_ERROR, PL_LIVE_ERROR_FILTER,
                   _("Bad capture filter: %s"), local_error->message);
      return FALSE;
    }
  pl_bpf_filter_free (filter);
  return TRUE;
}

/* The LINKTYPE_ value of a DLT_ value: the inverse of pl_linktype_to_dlt()
 * for the few values that differ. */
static guint32
dlt_to_linktype (int dlt)
{
  static const guint32 renumbered[] = { 32, 50, 51, 99, 100, 101, 102, 103, 106, 246, 258 };
  guint i;

  for (i = 0; i < G_N_ELEMENTS (renumbered); i++)
    if ((int) pl_linktype_to_dlt (renumbered[i]) == dlt && (int) renumbered[i] != dlt)
      return renumbered[i];
  return (guint32) dlt;
}

static PlLiveError
activate_error_code (int status)
{
  switch (status)
    {
    case PCAP_ERROR_PERM_DENIED:
    case PCAP_ERROR_PROMISC_PERM_DENIED:
      return PL_LIVE_ERROR_PERMISSION;
    case PCAP_ERROR_NO_SUCH_DEVICE:
    case PCAP_ERROR_IFACE_NOT_UP:
      return PL_LIVE_ERROR_NO_DEVICE;
    default:
      return PL_LIVE_ERROR_FAILED;
    }
}

PlPcapLive *
pl_pcap_live_open (const char  *device,
                   guint32      snaplen,
                   const char  *filter,
                   GError     **error)
{
  char errbuf[PCAP_ERRBUF_SIZE] = "";
  struct bpf_program program;
  PlPcapLive *live;
  pcap_t *pcap;
  int status;

  pcap = pcap_create (device, errbuf);
  if (pcap == NULL)
    {
      g_set_error (error, PL_LIVE_ERROR, PL_LIVE_ERROR_FAILED, "%s: %s", device, errbuf);
      return NULL;
    }
  pcap_set_snaplen (pcap, snaplen > 0 && snaplen <= 262144 ? (int) snaplen : 262144);
  pcap_set_promisc (pcap, 0);
  pcap_set_timeout (pcap, DISPATCH_TIMEOUT_MS);
  pcap_set_immediate_mode (pcap, 1);
  pcap_set_buffer_size (pcap, 8 << 20);
  live = g_new0 (PlPcapLive, 1);
  live->nano = pcap_set_tstamp_precision (pcap, PCAP_TSTAMP_PRECISION_NANO) == 0;

  status = pcap_activate (pcap);
  if (status < 0)
    {
      const char *reason = status == PCAP_ERROR ? pcap_geterr (pcap) : pcap_statustostr (status);

      if (status == PCAP_ERROR_NO_SUCH_DEVICE || status == PCAP_ERROR_IFACE_NOT_UP ||
          status == PCAP_ERROR_PERM_DENIED)
        {
          /* libpcap's text follows the status: "socket: Operation not permitted". */
          const char *detail = pcap_geterr (pcap);

          if (detail != NULL && detail[0] != '\0')
            reason = detail;
        }
      /* Translators: %s is an interface, then libpcap's reason. */
      g_set_error (error, PL_LIVE_ERROR, activate_error_code (status),
                   _("Cannot capture on %s: %s"), device, reason);
      pcap_close (pcap);
      g_free (live);
      return NULL;
    }
  live->pcap = pcap;
  live->linktype = dlt_to_linktype (pcap_datalink (pcap));

  if (filter != NULL && filter[0] != '\0')
    {
      if (pcap_compile (pcap, &program, filter, 1, PCAP_NETMASK_UNKNOWN) != 0)
        {
          g_set_error (error, PL_LIVE_ERROR, PL_LIVE_ERROR_FILTER,
                       _("Bad capture filter: %s"), pcap_geterr (pcap));
          pl_pcap_live_close (live);
          return NULL;
        }
      status = pcap_setfilter (pcap, &program);
      pcap_freecode (&program);
      if (status != 0)
        {
          g_set_error (error, PL_LIVE_ERROR, PL_LIVE_ERROR_FILTER,
                       _("Bad capture filter: %s"), pcap_geterr (pcap));
          pl_pcap_live_close (live);
          return NULL;
        }
    }
  return live;
}

PlPcapLive *
pl_pcap_live_open_stream (int          fd,
                          const char  *name,
                          GError     **error)
{
  char errbuf[PCAP_ERRBUF_SIZE] = "";
  PlPcapLive *live;
  FILE *file;
  pcap_t *pcap;

  file = fdopen (fd, "rb");
  if (file == NULL)
    {
      close (fd);
      g_set_error (error, PL_LIVE_ERROR, PL_LIVE_ERROR_FAILED, "%s: %s", name, g_strerror (errno));
      return NULL;
    }
  pcap = pcap_fopen_offline_with_tstamp_precision (file, PCAP_TSTAMP_PRECISION_NANO, errbuf);
  if (pcap == NULL)
    {
      fclose (file);
      g_set_error (error, PL_LIVE_ERROR, PL_LIVE_ERROR_FAILED, "%s: %s", name, errbuf);
      return NULL;
    }
  live = g_new0 (PlPcapLive, 1);
  live->pcap = pcap;
  live->stream = TRUE;
  live->nano = TRUE;
  live->linktype = dlt_to_linktype (pcap_datalink (pcap));
  return live;
}

typedef struct
{
  PlPcapLive      *live;
  PlPcapPacketFunc func;
  gpointer         user_data;
} Dispatch;

static void
dispatch_cb (u_char                   *user,
             const struct pcap_pkthdr *header,
             const u_char             *bytes)
{
  Dispatch *d = (Dispatch *) user;
  gint64 ts_ns = (gint64) header->ts.tv_sec * G_GINT64_CONSTANT (1000000000);

  ts_ns += d->live->nano ? header->ts.tv_usec : (gint64) header->ts.tv_usec * 1000;
  d->func (d->user_data, ts_ns, header->caplen, header->len, bytes);
}

int
pl_pcap_live_dispatch (PlPcapLive       *live,
                       PlPcapPacketFunc  func,
                       gpointer          user_data,
                       GError          **error)
{
  Dispatch d = { live, func, user_data };
  int n;

  n = pcap_dispatch (live->pcap, live->stream ? STREAM_BATCH : -1, dispatch_cb, (u_char *) &d);
  if (n == PCAP_ERROR_BREAK)
    return -2;
  if (n < 0)
    {
      g_set_error (error, PL_LIVE_ERROR, PL_LIVE_ERROR_FAILED, "%s", pcap_geterr (live->pcap));
      return -1;
    }
  /* A stream: 0 packets is its end. */
  if (n == 0 && live->stream)
    return -2;
  return n;
}

void
pl_pcap_live_break (PlPcapLive *live)
{
  pcap_breakloop (live->pcap);
}

gboolean
pl_pcap_live_get_stats (PlPcapLive *live,
                        guint64    *received,
                        guint64    *dropped)
{
  struct pcap_stat stats;

  if (live->stream || pcap_stats (live->pcap, &stats) != 0)
    return FALSE;
  *received = stats.ps_recv;
  *dropped = (guint64) stats.ps_drop + stats.ps_ifdrop;
  return TRUE;
}

guint32
pl_pcap_live_get_linktype (PlPcapLive *live)
{
  return live->linktype;
}

guint32
pl_pcap_live_get_snaplen (PlPcapLive *live)
{
  int snaplen = pcap_snapshot (live->pcap);

  return snaplen > 0 ? (guint32) snaplen : 262144;
}

void
pl_pcap_live_close (PlPcapLive *live)
{
  if (live == NULL)
    return;
  pcap_close (live->pcap);
  g_free (live);
}
