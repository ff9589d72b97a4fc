/* pl-tcp.c: TCP header and option decoding (RFC 9293 section 3.1; options:
 * MSS RFC 9293, window scale and timestamps RFC 7323, SACK RFC 2018).
 *
 * Option parsing stops at EOL, at the end of the header, or at the first
 * option whose length is impossible (options_bad).  The payload length comes
 * from the IP header, so a segment cut by the snap length keeps its length.
 */
#include "config.h"

#include <glib/gi18n.h>

#include "pl-byte-reader.h"
#include "pl-packet.h"

enum
{
  TCPOPT_EOL = 0,
  TCPOPT_NOP = 1,
  TCPOPT_MSS = 2,
  TCPOPT_WSCALE = 3,
  TCPOPT_SACK_PERM = 4,
  TCPOPT_SACK = 5,
  TCPOPT_TIMESTAMP = 8,
};

static void
decode_options (PlByteReader *r,
                guint32       start,
                guint32       end,
                PlTcpInfo    *tcp)
{
  guint32 pos = start;

  while (pos < end)
    {
      guint8 kind = pl_byte_reader_peek_u8 (r, pos);
      guint8 len;

      if (r->overrun)
        {
          tcp->options_bad = TRUE;
          return;
        }
      if (kind == TCPOPT_EOL)
        return;
      if (kind == TCPOPT_NOP)
        {
          pos++;
          continue;
        }

      len = pl_byte_reader_peek_u8 (r, pos + 1);
      if (r->overrun || len < 2 || pos + len > end)
        {
          tcp->options_bad = TRUE;
          return;
        }

      switch (kind)
        {
        case TCPOPT_MSS:
          if (len == 4)
            {
              tcp->has_mss = TRUE;
              tcp->mss = pl_byte_reader_peek_u16_be (r, pos + 2);
            }
          else
            tcp->options_bad = TRUE;
          break;
        case TCPOPT_WSCALE:
          if (len == 3)
            tcp->wscale = (gint8) MIN (pl_byte_reader_peek_u8 (r, pos + 2), 127);
          else
            tcp->options_bad = TRUE;
          break;
        case TCPOPT_SACK_PERM:
          if (len == 2)
            tcp->sack_perm = TRUE;
          else
            tcp->options_bad = TRUE;
          break;
        case TCPOPT_SACK:
          if ((len - 2) % 8 == 0)
            {
              guint32 p;

              for (p = pos + 2; p + 8 <= (guint32) pos + len && tcp->n_sack < PL_TCP_MAX_SACK; p += 8)
                {
                  tcp->sack_left[tcp->n_sack] = pl_byte_reader_peek_u32_be (r, p);
                  tcp->sack_right[tcp->n_sack] = pl_byte_reader_peek_u32_be (r, p + 4);
                  tcp->n_sack++;
                }
            }
          else
            tcp->options_bad = TRUE;
          break;
        case TCPOPT_TIMESTAMP:
          if (len == 10)
            {
              tcp->has_ts = TRUE;
              tcp->tsval = pl_byte_reader_peek_u32_be (r, pos + 2);
              tcp->tsecr = pl_byte_reader_peek_u32_be (r, pos + 6);
            }
          else
            tcp->options_bad = TRUE;
          break;
        default:
          break;
        }
      pos += len;
    }
}

gboolean
pl_tcp_decode (const guint8   *data,
               guint32         caplen,
               const PlIpInfo *ip,
               PlTcpInfo      *tcp,
               const char    **problem)
{
  PlByteReader r;
  guint32 off = ip->payload_off;
  guint16 word;
  guint32 captured_hdr;

  memset (tcp, 0, sizeof *tcp);
  tcp->wscale = -1;
  pl_byte_reader_init (&r, data, caplen);

  tcp->sport = pl_byte_reader_peek_u16_be (&r, off);
  tcp->dport = pl_byte_reader_peek_u16_be (&r, off + 2);
  tcp->seq = pl_byte_reader_peek_u32_be (&r, off + 4);
  tcp->ack = pl_byte_reader_peek_u32_be (&r, off + 8);
  word = pl_byte_reader_peek_u16_be (&r, off + 12);
  tcp->window = pl_byte_reader_peek_u16_be (&r, off + 14);
  tcp->checksum = pl_byte_reader_peek_u16_be (&r, off + 16);
  tcp->urgent = pl_byte_reader_peek_u16_be (&r, off + 18);

  if (r.overrun)
    {
      *problem = N_("TCP header cut short");
      return FALSE;
    }

  tcp->hdr_len = (guint8) ((word >> 12) * 4);
  tcp->flags = word & 0x0fff;

  if (tcp->hdr_len < 20)
    {
      *problem = N_("TCP header length below 20 bytes");
      return FALSE;
    }
  if (tcp->hdr_len > ip->payload_len)
    {
      /* A short segment: the header says it is longer than the IP payload
       * (a damaged or forged header).  Wireshark still counts it in its
       * stream, without a length and without analysing it. */
      tcp->length_unknown = TRUE;
      tcp->payload_off = off + tcp->hdr_len;
      tcp->payload_len = 0;
    }
  else
    {
      tcp->payload_off = off + tcp->hdr_len;
      tcp->payload_len = ip->payload_len - tcp->hdr_len;
    }

  /* Options as far as they were captured; a snap length that cuts them is
   * not the sender's fault, so it is not "bad". */
  captured_hdr = caplen > off ? MIN (caplen - off, tcp->hdr_len) : 0;
  decode_options (&r, off + 20, off + MAX (captured_hdr, 20), tcp);
  if (captured_hdr < tcp->hdr_len)
    tcp->options_bad = FALSE;

  return TRUE;
}

char *
pl_tcp_flags_to_string (guint16 flags)
{
  /* Wireshark's order, lowest bit first: [SYN, ACK], [FIN, PSH, ACK]. */
  static const char * const names[] = {
    "FIN", "SYN", "RST", "PSH", "ACK", "URG", "ECE", "CWR", "AE", "Reserved", "Reserved", "Reserved",
  };
  GString *s = g_string_new (NULL);
  guint i;

  for (i = 0; i < G_N_ELEMENTS (names); i++)
    {
      if (flags & (1u << i))
        {
          if (s->len > 0)
            g_string_append (s, ", ");
          g_string_append (s, names[i]);
        }
    }
  return g_string_free (s, FALSE);
}
