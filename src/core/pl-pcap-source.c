/* pl-pcap-source.c: link-type names and BPF filters from libpcap.
 *
 * We read capture files ourselves (pl-capture-reader.c) because libpcap
 * 1.10 refuses pcapng files whose interfaces differ, but libpcap stays the
 * authority for what it does best: the table of link-type names and the
 * pcap-filter(7) compiler.  A filter is compiled on a pcap_t reading an
 * empty capture file of the right link type (held in memory), so libpcap
 * compiles it as tcpdump -r would for a file (for DLT_NULL that means the
 * address family of every BSD, not only the running system's: a "dead"
 * pcap_t gets the latter), and then run with pcap_offline_filter().
 */
#include "pl-pcap-source.h"

#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <pcap/pcap.h>

G_DEFINE_QUARK (pl-bpf-error-quark, pl_bpf_error)

/* libpcap's own limit for ordinary link types; a filter's accept value is
 * the snap length, so it must not be 0. */
#define PL_BPF_DEFAULT_SNAPLEN 262144

/* pcap-common.c: LINKTYPE_ values 104 to DLT_MATCHING_MAX equal their DLT_
 * values except these; below 104 a few historical values were renumbered
 * by the BSDs, so files use fixed LINKTYPE_ numbers for them. */
guint32
pl_linktype_to_dlt (guint32 linktype)
{
  switch (linktype)
    {
    case 32:  return DLT_REDBACK_SMARTEDGE;
    case 50:  return DLT_PPP_SERIAL;
    case 51:  return DLT_PPP_ETHER;
    case 99:  return DLT_SYMANTEC_FIREWALL;
    case 100: return DLT_ATM_RFC1483;
    case 101: return DLT_RAW;
    case 102: return DLT_SLIP_BSDOS;
    case 103: return DLT_PPP_BSDOS;
    case 106: return DLT_ATM_CLIP;
    case 246: return DLT_PFSYNC;
    case 258: return DLT_PKTAP;
    default:  return linktype;
    }
}

/* libpcap takes an int; values beyond it are unknown anyway. */
static int
pl_linktype_to_dlt_int (guint32 linktype)
{
  guint32 dlt = pl_linktype_to_dlt (linktype);

  return dlt <= INT_MAX ? (int) dlt : -1;
}

/* Interned strings are shared, live forever and are safe to make from the
 * loader thread, unlike a static buffer. */
static const char *
pl_intern_printf (const char *format,
                  ...) G_GNUC_PRINTF (1, 2);

static const char *
pl_intern_printf (const char *format,
                  ...)
{
  char buf[64];
  va_list args;

  va_start (args, format);
  g_vsnprintf (buf, sizeof buf, format, args);
  va_end (args);
  return g_intern_string (buf);
}

const char *
pl_linktype_name (guint32 linktype)
{
  int dlt = pl_linktype_to_dlt_int (linktype);
  const char *name = dlt >= 0 ? pcap_datalink_val_to_name (dlt) : NULL;

  if (name != NULL)
    return name;
  return pl_intern_printf ("LINKTYPE_%u", linktype);
}

const char *
pl_linktype_description (guint32 linktype)
{
  int dlt = pl_linktype_to_dlt_int (linktype);
  const char *description = dlt >= 0 ? pcap_datalink_val_to_description (dlt) : NULL;

  if (description != NULL)
    return description;
  return pl_intern_printf ("Unknown link type %u", linktype);
}

struct _PlBpfFilter
{
  struct bpf_program program;
  guint32            linktype;
};

/* A pcap_t on a capture file with a header and no record: a pcap file
 * header in this machine's byte order, in memory.  NULL if libpcap
 * refuses it (then a dead pcap_t does). */
static pcap_t *
open_empty_file (guint32 linktype,
                 guint32 snaplen)
{
  guint32 header[6] = { 0xa1b2c3d4, 2 | (4u << 16), 0, 0, snaplen, linktype };
  char errbuf[PCAP_ERRBUF_SIZE] = "";
  pcap_t *pcap;
  FILE *file;

  /* version_major and version_minor are two 16-bit fields. */
  if (G_BYTE_ORDER == G_BIG_ENDIAN)
    header[1] = (2u << 16) | 4;
  file = fmemopen (header, sizeof header, "rb");
  if (file == NULL)
    return NULL;
  pcap = pcap_fopen_offline (file, errbuf);
  if (pcap == NULL)
    fclose (file);
  return pcap;
}

PlBpfFilter *
pl_bpf_filter_new (guint32      linktype,
                   guint32      snaplen,
                   const char  *expression,
                   GError     **error)
{
  PlBpfFilter *filter;
  pcap_t *dead;
  int dlt = pl_linktype_to_dlt_int (linktype);

  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (dlt < 0)
    {
      g_set_error (error, PL_BPF_ERROR, PL_BPF_ERROR_INVALID,
                   "unknown data link type %u", linktype);
      return NULL;
    }

  if (snaplen == 0 || snaplen > INT_MAX)
    snaplen = PL_BPF_DEFAULT_SNAPLEN;

  dead = open_empty_file (linktype, snaplen);
  if (dead == NULL)
    dead = pcap_open_dead (dlt, (int) snaplen);
  if (dead == NULL)
    {
      g_set_error_literal (error, PL_BPF_ERROR, PL_BPF_ERROR_INVALID,
                           "libpcap could not create a filter context");
      return NULL;
    }

  filter = g_new0 (PlBpfFilter, 1);
  filter->linktype = linktype;

  /* The program does not refer to the pcap_t once compiled, so the dead
   * handle can go at once. */
  if (pcap_compile (dead, &filter->program, expression != NULL ? expression : "",
                    1, PCAP_NETMASK_UNKNOWN) != 0)
    {
      g_set_error_literal (error, PL_BPF_ERROR, PL_BPF_ERROR_INVALID, pcap_geterr (dead));
      pcap_close (dead);
      g_free (filter);
      return NULL;
    }

  pcap_close (dead);
  return filter;
}

gboolean
pl_bpf_filter_matches (PlBpfFilter  *filter,
                       const guint8 *data,
                       guint32       caplen,
                       guint32       origlen)
{
  struct pcap_pkthdr header = { 0 };

  g_return_val_if_fail (filter != NULL, FALSE);
  g_return_val_if_fail (data != NULL || caplen == 0, FALSE);

  /* The BPF interpreter checks every load against caplen and origlen
   * (wirelen), so a short frame fails the match instead of being read
   * past its end. */
  header.caplen = caplen;
  header.len = origlen;
  return pcap_offline_filter (&filter->program, &header, data) != 0;
}

guint32
pl_bpf_filter_get_linktype (PlBpfFilter *filter)
{
  g_return_val_if_fail (filter != NULL, 0);

  return filter->linktype;
}

void
pl_bpf_filter_free (PlBpfFilter *filter)
{
  if (filter == NULL)
    return;

  pcap_freecode (&filter->program);
  g_free (filter);
}
