/* pl-ip.c: IPv4 (RFC 791) and IPv6 (RFC 8200) header decoding.
 *
 * Finds the transport header: IPv4 options are skipped by IHL, IPv6
 * extension headers are walked.  Fragments are flagged, not reassembled.
 * Lengths come from the headers, as Wireshark's tcp.len does; a zero IPv4
 * total length (TSO on the capturing host) falls back to the frame length.
 */
#include "config.h"

#include <arpa/inet.h>
#include <glib/gi18n.h>
#include <sys/socket.h>

#include "pl-byte-reader.h"
#include "pl-packet.h"

enum
{
  IP6_HOPOPTS  = 0,
  IP6_ROUTING  = 43,
  IP6_FRAGMENT = 44,
  IP6_ESP      = 50,
  IP6_AH       = 51,
  IP6_NONE     = 59,
  IP6_DSTOPTS  = 60,
  IP6_MOBILITY = 135,
  IP6_HIP      = 139,
  IP6_SHIM6    = 140,
};

static gboolean
decode_ipv4 (PlByteReader  *r,
             guint32        off,
             PlIpInfo      *ip,
             const char   **problem)
{
  guint8 vihl = pl_byte_reader_peek_u8 (r, off);
  guint32 ihl;
  guint16 frag;

  ip->version = vihl >> 4;
  ihl = (guint32) (vihl & 0x0f) * 4;
  ip->tos = pl_byte_reader_peek_u8 (r, off + 1);
  ip->length = pl_byte_reader_peek_u16_be (r, off + 2);
  ip->id = pl_byte_reader_peek_u16_be (r, off + 4);
  ip->frag_field = frag = pl_byte_reader_peek_u16_be (r, off + 6);
  ip->ttl = pl_byte_reader_peek_u8 (r, off + 8);
  ip->proto = pl_byte_reader_peek_u8 (r, off + 9);
  ip->checksum = pl_byte_reader_peek_u16_be (r, off + 10);
  pl_byte_reader_peek_bytes (r, off + 12, 4, ip->src);
  pl_byte_reader_peek_bytes (r, off + 16, 4, ip->dst);

  if (r->overrun)
    {
      *problem = N_("IPv4 header cut short");
      return FALSE;
    }
  if (ip->version != 4)
    {
      *problem = N_("IP version is not 4");
      return FALSE;
    }
  if (ihl < 20)
    {
      *problem = N_("IPv4 header length below 20 bytes");
      return FALSE;
    }
  ip->hdr_len = (guint16) ihl;
  ip->payload_off = off + ihl;

  if (ip->length == 0)
    {
      /* Segmentation offload: the header was captured before the length
       * was filled in.  Use what the frame holds, as Wireshark does. */
      ip->length_zero = TRUE;
      ip->length = r->len > off ? (guint32) (r->len - off) : 0;
    }
  if (ip->length < ihl)
    {
      *problem = N_("IPv4 total length below its header length");
      return FALSE;
    }
  ip->payload_len = ip->length - ihl;

  /* More fragments, or a non-zero offset. */
  ip->fragment = (frag & 0x2000) != 0 || (frag & 0x1fff) != 0;

  if (!pl_byte_reader_has (r, off, ihl))
    {
      *problem = N_("IPv4 options cut short");
      return FALSE;
    }
  return TRUE;
}

static gboolean
decode_ipv6 (PlByteReader  *r,
             guint32        off,
             PlIpInfo      *ip,
             const char   **problem)
{
  guint32 word = pl_byte_reader_peek_u32_be (r, off);
  guint32 plen = pl_byte_reader_peek_u16_be (r, off + 4);
  guint8 next = pl_byte_reader_peek_u8 (r, off + 6);
  guint32 pos;
  guint hops = 0;

  ip->version = (guint8) (word >> 28);
  ip->tos = (guint8) ((word >> 20) & 0xff);
  ip->flow_label = word & 0xfffff;
  ip->ttl = pl_byte_reader_peek_u8 (r, off + 7);
  pl_byte_reader_peek_bytes (r, off + 8, 16, ip->src);
  pl_byte_reader_peek_bytes (r, off + 24, 16, ip->dst);

  if (r->overrun)
    {
      *problem = N_("IPv6 header cut short");
      return FALSE;
    }
  if (ip->version != 6)
    {
      *problem = N_("IP version is not 6");
      return FALSE;
    }

  ip->length = 40 + plen;
  pos = off + 40;

  /* Walk the extension headers (bounded: each is at least 8 bytes). */
  for (hops = 0; hops < 16; hops++)
    {
      guint8 nh;
      guint32 len;

      switch (next)
        {
        case IP6_HOPOPTS:
        case IP6_ROUTING:
        case IP6_DSTOPTS:
        case IP6_MOBILITY:
        case IP6_HIP:
        case IP6_SHIM6:
          nh = pl_byte_reader_peek_u8 (r, pos);
          len = ((guint32) pl_byte_reader_peek_u8 (r, pos + 1) + 1) * 8;
          break;
        case IP6_AH:
          nh = pl_byte_reader_peek_u8 (r, pos);
          len = ((guint32) pl_byte_reader_peek_u8 (r, pos + 1) + 2) * 4;
          break;
        case IP6_FRAGMENT:
          {
            guint16 fo;

            nh = pl_byte_reader_peek_u8 (r, pos);
            fo = pl_byte_reader_peek_u16_be (r, pos + 2);
            ip->frag_field = fo;
            ip->id = (guint16) pl_byte_reader_peek_u32_be (r, pos + 4);
            ip->fragment = (fo & 0xfff8) != 0 || (fo & 1) != 0;
            len = 8;
          }
          break;
        default:
          goto done;
        }

      if (r->overrun)
        {
          *problem = N_("IPv6 extension header cut short");
          return FALSE;
        }
      next = nh;
      pos += len;
      if (pos - off > ip->length)
        {
          *problem = N_("IPv6 extension headers longer than the payload length");
          return FALSE;
        }
    }

done:
  ip->proto = next;
  ip->hdr_len = (guint16) MIN (pos - off, G_MAXUINT16);
  ip->payload_off = pos;
  ip->payload_len = ip->length - (pos - off);
  return TRUE;
}

gboolean
pl_ip_decode (const guint8  *data,
              guint32        caplen,
              guint32        off,
              PlNetProto     net,
              PlIpInfo      *ip,
              const char   **problem)
{
  PlByteReader r;

  memset (ip, 0, sizeof *ip);
  pl_byte_reader_init (&r, data, caplen);

  switch (net)
    {
    case PL_NET_IPV4:
      return decode_ipv4 (&r, off, ip, problem);
    case PL_NET_IPV6:
      return decode_ipv6 (&r, off, ip, problem);
    case PL_NET_NONE:
    case PL_NET_OTHER:
    default:
      return FALSE;
    }
}

const char *
pl_ip_address_to_string (guint8        version,
                         const guint8 *addr,
                         char         *buf,
                         gsize         buf_len)
{
  if (buf_len == 0)
    return buf;
  buf[0] = '\0';
  if (version == 4 && buf_len >= 16)
    {
      /* As inet_ntop() writes it, without its sprintf(): the dumps write
       * two addresses for each of millions of frames. */
      char *p = buf;
      guint i;

      for (i = 0; i < 4; i++)
        {
          guint v = addr[i];

          if (i > 0)
            *p++ = '.';
          if (v >= 100)
            *p++ = (char) ('0' + v / 100);
          if (v >= 10)
            *p++ = (char) ('0' + v / 10 % 10);
          *p++ = (char) ('0' + v % 10);
        }
      *p = '\0';
    }
  else if (version == 4)
    inet_ntop (AF_INET, addr, buf, (socklen_t) buf_len);
  else if (version == 6)
    inet_ntop (AF_INET6, addr, buf, (socklen_t) buf_len);
  return buf;
}
