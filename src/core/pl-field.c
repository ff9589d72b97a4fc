/* pl-field.c: builds the field tree of one frame from its bytes (see
 * pl-field.h).  Headers are read again through the bounds-checked reader;
 * stream-level values (relative numbers, the calculated window) come from
 * the capture's frame table.  Keys follow Wireshark's display filter names.
 */
#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "pl-byte-reader.h"
#include "pl-field.h"
#include "pl-pcap-source.h"
#include "pl-http-message.h"
#include "pl-tls-table.h"
#include "pl-tcp-analysis.h"

struct _PlField
{
  GObject     parent_instance;
  char       *name;
  char       *key;
  char       *value;
  guint       offset;
  guint       length;
  gboolean    generated;
  GListStore *children;
};

G_DEFINE_FINAL_TYPE (PlField, pl_field, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_NAME,
  PROP_KEY,
  PROP_VALUE,
  PROP_LABEL,
  PROP_OFFSET,
  PROP_LENGTH,
  PROP_GENERATED,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
pl_field_finalize (GObject *object)
{
  PlField *self = (PlField *) object;

  g_free (self->name);
  g_free (self->key);
  g_free (self->value);
  g_clear_object (&self->children);

  G_OBJECT_CLASS (pl_field_parent_class)->finalize (object);
}

static void
pl_field_get_property (GObject    *object,
                       guint       prop_id,
                       GValue     *value,
                       GParamSpec *pspec)
{
  PlField *self = PL_FIELD (object);

  switch (prop_id)
    {
    case PROP_NAME:
      g_value_set_string (value, self->name);
      break;
    case PROP_KEY:
      g_value_set_string (value, self->key);
      break;
    case PROP_VALUE:
      g_value_set_string (value, self->value);
      break;
    case PROP_LABEL:
      g_value_take_string (value, pl_field_dup_label (self));
      break;
    case PROP_OFFSET:
      g_value_set_uint (value, self->offset);
      break;
    case PROP_LENGTH:
      g_value_set_uint (value, self->length);
      break;
    case PROP_GENERATED:
      g_value_set_boolean (value, self->generated);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
pl_field_class_init (PlFieldClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = pl_field_finalize;
  object_class->get_property = pl_field_get_property;

  properties[PROP_NAME] = g_param_spec_string ("name", NULL, NULL, NULL,
                                               G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_KEY] = g_param_spec_string ("key", NULL, NULL, NULL,
                                              G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_VALUE] = g_param_spec_string ("value", NULL, NULL, NULL,
                                                G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_LABEL] = g_param_spec_string ("label", NULL, NULL, NULL,
                                                G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_OFFSET] = g_param_spec_uint ("offset", NULL, NULL, 0, G_MAXUINT, 0,
                                               G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_LENGTH] = g_param_spec_uint ("length", NULL, NULL, 0, G_MAXUINT, 0,
                                               G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_GENERATED] = g_param_spec_boolean ("generated", NULL, NULL, FALSE,
                                                     G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
pl_field_init (PlField *self)
{
}

const char *
pl_field_get_name (PlField *self)
{
  g_return_val_if_fail (PL_IS_FIELD (self), NULL);
  return self->name;
}

const char *
pl_field_get_key (PlField *self)
{
  g_return_val_if_fail (PL_IS_FIELD (self), NULL);
  return self->key;
}

const char *
pl_field_get_value (PlField *self)
{
  g_return_val_if_fail (PL_IS_FIELD (self), NULL);
  return self->value;
}

char *
pl_field_dup_label (PlField *self)
{
  g_return_val_if_fail (PL_IS_FIELD (self), NULL);
  if (self->value == NULL || self->value[0] == '\0')
    return g_strdup (self->name);
  /* Translators: a field of the details tree and its value, in brackets
   * when computed rather than sent ("Source Port: 8080"); use your
   * language's colon (Chinese: full width). */
  if (self->generated)
    return g_strdup_printf (C_("field label", "[%s: %s]"), self->name, self->value);
  /* Translators: see "[%s: %s]". */
  return g_strdup_printf (C_("field label", "%s: %s"), self->name, self->value);
}

guint
pl_field_get_offset (PlField *self)
{
  g_return_val_if_fail (PL_IS_FIELD (self), 0);
  return self->offset;
}

guint
pl_field_get_length (PlField *self)
{
  g_return_val_if_fail (PL_IS_FIELD (self), 0);
  return self->length;
}

gboolean
pl_field_get_generated (PlField *self)
{
  g_return_val_if_fail (PL_IS_FIELD (self), FALSE);
  return self->generated;
}

GListModel *
pl_field_get_children (PlField *self)
{
  g_return_val_if_fail (PL_IS_FIELD (self), NULL);
  return self->children != NULL ? G_LIST_MODEL (self->children) : NULL;
}

guint
pl_field_get_n_children (PlField *self)
{
  g_return_val_if_fail (PL_IS_FIELD (self), 0);
  return self->children != NULL ? g_list_model_get_n_items (G_LIST_MODEL (self->children)) : 0;
}

PlField *
pl_field_get_child (PlField *self,
                    guint    index)
{
  PlField *child;

  g_return_val_if_fail (PL_IS_FIELD (self), NULL);
  if (self->children == NULL || index >= g_list_model_get_n_items (G_LIST_MODEL (self->children)))
    return NULL;
  /* The store keeps its reference: hand out a borrowed pointer. */
  child = g_list_model_get_item (G_LIST_MODEL (self->children), index);
  g_object_unref (child);
  return child;
}

PlField *
pl_field_find (PlField    *self,
               const char *key)
{
  guint i, n;

  g_return_val_if_fail (PL_IS_FIELD (self), NULL);
  if (g_strcmp0 (self->key, key) == 0)
    return self;
  n = pl_field_get_n_children (self);
  for (i = 0; i < n; i++)
    {
      PlField *found = pl_field_find (pl_field_get_child (self, i), key);
      if (found != NULL)
        return found;
    }
  return NULL;
}

/* ------------------------------------------------------------------------
 * Building
 */

static PlField *
add (PlField    *parent,
     const char *key,
     const char *name,
     guint       offset,
     guint       length,
     const char *format,
     ...) G_GNUC_PRINTF (6, 7);

static PlField *
add (PlField    *parent,
     const char *key,
     const char *name,
     guint       offset,
     guint       length,
     const char *format,
     ...)
{
  PlField *field = g_object_new (PL_TYPE_FIELD, NULL);

  field->key = g_strdup (key);
  field->name = g_strdup (name);
  field->offset = offset;
  field->length = length;
  if (format != NULL)
    {
      va_list args;

      va_start (args, format);
      field->value = g_strdup_vprintf (format, args);
      va_end (args);
    }
  if (parent != NULL)
    {
      if (parent->children == NULL)
        parent->children = g_list_store_new (PL_TYPE_FIELD);
      g_list_store_append (parent->children, field);
      g_object_unref (field);
    }
  return field;
}

/* A computed field: shown in brackets, covers no bytes of its own. */
static PlField *
add_generated (PlField    *parent,
               const char *key,
               const char *name,
               const char *format,
               ...) G_GNUC_PRINTF (4, 5);

static PlField *
add_generated (PlField    *parent,
               const char *key,
               const char *name,
               const char *format,
               ...)
{
  PlField *field;
  va_list args;
  char *value;

  va_start (args, format);
  value = g_strdup_vprintf (format, args);
  va_end (args);
  field = add (parent, key, name, 0, 0, "%s", value);
  field->generated = TRUE;
  g_free (value);
  return field;
}

static const char *
yes_no (gboolean b)
{
  return b ? _("Set") : _("Not set");
}

static char *
format_bits (guint32 value,
             guint32 mask,
             guint   width)
{
  GString *s = g_string_new (NULL);
  int i;

  /* Wireshark's bit picture: "...0 .... = ...", dots for bits not in mask. */
  for (i = (int) width - 1; i >= 0; i--)
    {
      if (mask & (1u << i))
        g_string_append_c (s, (value & (1u << i)) ? '1' : '0');
      else
        g_string_append_c (s, '.');
      if (i > 0 && i % 4 == 0)
        g_string_append_c (s, ' ');
    }
  return g_string_free (s, FALSE);
}

static PlField *
add_bit (PlField    *parent,
         const char *key,
         const char *name,
         guint       offset,
         guint       length,
         guint32     value,
         guint32     mask,
         guint       width)
{
  g_autofree char *bits = format_bits (value, mask, width);
  PlField *field = add (parent, key, name, offset, length, "%s", yes_no ((value & mask) != 0));
  g_autofree char *label = g_strdup_printf ("%s = %s", bits, name);

  g_free (field->name);
  field->name = g_steal_pointer (&label);
  return field;
}

static const char *
mac_to_string (const guint8 *mac,
               char         *buf,
               gsize         len)
{
  g_snprintf (buf, len, "%02x:%02x:%02x:%02x:%02x:%02x",
              mac[0], mac[1], mac[2], mac[3], mac[4], mac[5]);
  return buf;
}

static char *
format_time (gint64 ts_ns)
{
  /* Floor division without negating: a damaged file can clamp a time to
   * G_MININT64, whose negation overflows. */
  gint64 secs = ts_ns / 1000000000 - (ts_ns % 1000000000 < 0 ? 1 : 0);
  gint64 ns = ts_ns % 1000000000 + (ts_ns % 1000000000 < 0 ? 1000000000 : 0);
  g_autoptr(GDateTime) dt = g_date_time_new_from_unix_utc (secs);
  g_autofree char *date = NULL;

  if (dt == NULL)
    return g_strdup_printf ("%" G_GINT64_FORMAT " ns", ts_ns);
  date = g_date_time_format (dt, "%b %e, %Y %H:%M:%S");
  return g_strdup_printf ("%s.%09" G_GINT64_FORMAT " UTC", date, ns);
}

static char *
format_seconds (gint64 ns)
{
  /* The magnitude as unsigned: ABS (G_MININT64) overflows. */
  guint64 mag = ns < 0 ? -(guint64) ns : (guint64) ns;

  g_autofree char *number = g_strdup_printf ("%s%" G_GUINT64_FORMAT ".%09" G_GUINT64_FORMAT,
                                             ns < 0 ? "-" : "", mag / 1000000000, mag % 1000000000);

  /* Translators: %s is a number of seconds ("0.000123000"). */
  return g_strdup_printf (_("%s seconds"), number);
}

/* a - b, saturated: times clamped to the ends of the range (damaged
 * files) must not overflow. */
static gint64
time_diff (gint64 a,
           gint64 b)
{
  if (b < 0 && a > G_MAXINT64 + b)
    return G_MAXINT64;
  if (b > 0 && a < G_MININT64 + b)
    return G_MININT64;
  return a - b;
}

static void
build_frame (PlField   *root,
             PlCapture *capture,
             guint      index)
{
  const PlFrame *frame = pl_capture_get_frame (capture, index);
  const PlFrame *first = pl_capture_get_frame (capture, 0);
  const PlInterface *iface = pl_capture_get_interface (capture, frame->iface);
  g_autofree char *abs_time = format_time (frame->ts_ns);
  g_autofree char *rel = format_seconds (time_diff (frame->ts_ns, first->ts_ns));
  g_autofree char *delta = format_seconds (index > 0 ? time_diff (frame->ts_ns, pl_capture_get_frame (capture, index - 1)->ts_ns) : 0);
  g_autofree char *title = g_strdup_printf (_("Frame %u: %u bytes on wire (%u bits), %u bytes captured (%u bits)"),
                                            index + 1, frame->origlen, frame->origlen * 8,
                                            frame->caplen, frame->caplen * 8);
  PlField *f = add (root, "frame", title, 0, frame->caplen, NULL);
  const PlNote *notes;
  guint n_notes, i;

  if (iface->name != NULL)
    add (f, "frame.interface_id", _("Interface id"), 0, 0, "%u (%s)", frame->iface, iface->name);
  else
    add (f, "frame.interface_id", _("Interface id"), 0, 0, "%u", frame->iface);
  add (f, "frame.encap_type", _("Encapsulation type"), 0, 0, "%s (%u)",
       pl_linktype_description (iface->linktype), iface->linktype);
  add (f, "frame.time", _("Arrival Time"), 0, 0, "%s", abs_time);
  {
    g_autofree char *epoch = g_strdup_printf ("%" G_GINT64_FORMAT ".%09" G_GINT64_FORMAT,
                                              frame->ts_ns / 1000000000, ABS (frame->ts_ns % 1000000000));

    /* Translators: %s is a number of seconds ("1700000000.123456789"). */
    add (f, "frame.time_epoch", _("Epoch Time"), 0, 0, _("%s seconds"), epoch);
  }
  add (f, "frame.time_delta", _("Time delta from previous captured frame"), 0, 0, "%s", delta);
  add (f, "frame.time_relative", _("Time since reference or first frame"), 0, 0, "%s", rel);
  add (f, "frame.number", _("Frame Number"), 0, 0, "%u", index + 1);
  add (f, "frame.len", _("Frame Length"), 0, 0, _("%u bytes (%u bits)"), frame->origlen, frame->origlen * 8);
  add (f, "frame.cap_len", _("Capture Length"), 0, 0, _("%u bytes (%u bits)"), frame->caplen, frame->caplen * 8);

  n_notes = pl_capture_get_frame_notes (capture, index, &notes);
  for (i = 0; i < n_notes; i++)
    add_generated (f, "frame.note", _("Note"), "%s", _(notes[i].text));
}

/* An MPLS label stack (RFC 3032): label, traffic class, bottom of stack, TTL. */
static void
build_mpls (PlField      *root,
            const guint8 *data,
            guint32       caplen,
            guint         off,
            guint         n)
{
  PlByteReader r;
  guint i;

  pl_byte_reader_init (&r, data, caplen);
  for (i = 0; i < n; i++)
    {
      guint o = off + 4 * i;
      guint32 lse = pl_byte_reader_peek_u32_be (&r, o);
      PlField *f;

      if (r.overrun)
        break;
      f = add (root, "mpls", NULL, o, 4, NULL);
      f->name = g_strdup_printf (_("MultiProtocol Label Switching Header, Label: %u, Exp: %u, S: %u, TTL: %u"),
                                 lse >> 12, (lse >> 9) & 7, (lse >> 8) & 1, lse & 0xff);
      /* Bit fields of one 32-bit word, as Wireshark places them. */
      add (f, "mpls.label", _("MPLS Label"), o, 4, "%u", lse >> 12);
      add (f, "mpls.exp", _("MPLS Experimental Bits"), o, 4, "%u", (lse >> 9) & 7);
      add (f, "mpls.bottom", _("MPLS Bottom Of Label Stack"), o, 4, "%u", (lse >> 8) & 1);
      add (f, "mpls.ttl", _("MPLS TTL"), o, 4, "%u", lse & 0xff);
    }
}

static void
build_link (PlField        *root,
            const PlPacket *pkt,
            const guint8   *data,
            guint32         caplen)
{
  const PlLinkInfo *link = &pkt->link;
  /* Where the link header ends: an MPLS label stack is a layer of its own. */
  guint link_end = link->n_mpls > 0 ? link->mpls_off : link->net_off;
  PlByteReader r;
  char a[32], b[32];
  PlField *f;
  guint i;

  pl_byte_reader_init (&r, data, caplen);

  switch (link->linktype)
    {
    case PL_LINKTYPE_ETHERNET:
      {
        guint8 dst[6], src[6];

        pl_byte_reader_peek_bytes (&r, 0, 6, dst);
        pl_byte_reader_peek_bytes (&r, 6, 6, src);
        f = add (root, "eth", NULL, 0, MIN (link_end, caplen), NULL);
        f->name = g_strdup_printf (_("Ethernet II, Src: %s, Dst: %s"),
                                   mac_to_string (src, a, sizeof a), mac_to_string (dst, b, sizeof b));
        add (f, "eth.dst", _("Destination"), 0, 6, "%s", b);
        add (f, "eth.src", _("Source"), 6, 6, "%s", a);
        for (i = 0; i < link->n_vlans; i++)
          {
            guint off = 12 + i * 4;
            PlField *v = add (f, "vlan", _("802.1Q Virtual LAN"), off, 4, _("PRI: %u, DEI: %u, ID: %u"),
                              link->vlan_tci[i] >> 13, (link->vlan_tci[i] >> 12) & 1, link->vlan_tci[i] & 0x0fff);
            add (v, "vlan.tpid", _("Tag protocol identifier"), off, 2, "0x%04x", link->vlan_tpid[i]);
            add (v, "vlan.priority", _("Priority"), off + 2, 2, "%u", link->vlan_tci[i] >> 13);
            add (v, "vlan.dei", _("Drop eligible indicator"), off + 2, 2, "%u", (link->vlan_tci[i] >> 12) & 1);
            add (v, "vlan.id", _("ID"), off + 2, 2, "%u", link->vlan_tci[i] & 0x0fff);
          }
        if (link->pppoe)
          {
            guint poff = link->net_off - 8;
            PlField *p = add (f, "pppoes", _("PPP-over-Ethernet Session"), poff, 8, NULL);

            add (f, "eth.type", _("Type"), poff - 2, 2, "PPPoE Session (0x%04x)", link->ethertype);
            add (p, "pppoes.session_id", _("Session ID"), poff + 2, 2, "0x%04x",
                 pl_byte_reader_peek_u16_be (&r, poff + 2));
            add (p, "pppoes.length", _("Payload Length"), poff + 4, 2, "%u",
                 pl_byte_reader_peek_u16_be (&r, poff + 4));
            add (p, "ppp.protocol", _("PPP Protocol"), poff + 6, 2, "0x%04x", link->ppp_protocol);
          }
        else if (link_end >= 2)
          add (f, "eth.type", _("Type"), link_end - 2, 2, "%s (0x%04x)",
               link->n_mpls > 0 ? "MPLS" :
               link->net == PL_NET_IPV4 ? "IPv4" : link->net == PL_NET_IPV6 ? "IPv6" : _("other"),
               link->ethertype);
      }
      break;

    case PL_LINKTYPE_NULL:
    case PL_LINKTYPE_LOOP:
      f = add (root, link->linktype == PL_LINKTYPE_NULL ? "null" : "loop",
               link->linktype == PL_LINKTYPE_NULL ? _("Null/Loopback") : _("OpenBSD Loopback"),
               0, MIN (4u, caplen), NULL);
      add (f, "null.family", _("Family"), 0, 4, "%s (%u)%s",
           link->net == PL_NET_IPV4 ? "IPv4" : link->net == PL_NET_IPV6 ? "IPv6" : _("unknown"),
           link->af, link->af_big_endian ? _(", big-endian") : "");
      break;

    case PL_LINKTYPE_LINUX_SLL:
      f = add (root, "sll", _("Linux cooked capture v1"), 0, MIN (16u, caplen), NULL);
      add (f, "sll.pkttype", _("Packet type"), 0, 2, "%u", link->sll_pkttype);
      add (f, "sll.hatype", _("Link-layer address type"), 2, 2, "%u", link->sll_hatype);
      add (f, "sll.halen", _("Link-layer address length"), 4, 2, "%u", link->sll_addr_len);
      if (link->sll_addr_len == 6)
        add (f, "sll.src.eth", _("Source"), 6, 6, "%s", mac_to_string (link->sll_addr, a, sizeof a));
      add (f, "sll.etype", _("Protocol"), 14, 2, "0x%04x", link->ethertype);
      break;

    case PL_LINKTYPE_LINUX_SLL2:
      f = add (root, "sll", _("Linux cooked capture v2"), 0, MIN (20u, caplen), NULL);
      add (f, "sll.etype", _("Protocol"), 0, 2, "0x%04x", link->ethertype);
      add (f, "sll.ifindex", _("Interface index"), 4, 4, "%u", link->sll_ifindex);
      add (f, "sll.hatype", _("Link-layer address type"), 8, 2, "%u", link->sll_hatype);
      add (f, "sll.pkttype", _("Packet type"), 10, 1, "%u", link->sll_pkttype);
      add (f, "sll.halen", _("Link-layer address length"), 11, 1, "%u", link->sll_addr_len);
      if (link->sll_addr_len == 6)
        add (f, "sll.src.eth", _("Source"), 12, 6, "%s", mac_to_string (link->sll_addr, a, sizeof a));
      break;

    case PL_LINKTYPE_NFLOG:
      f = add (root, "nflog", _("Linux Netfilter NFLOG"), 0,
               link->net_off >= 4 ? link->net_off : MIN (4u, caplen), NULL);
      add (f, "nflog.family", _("Family"), 0, 1, "%s (%u)",
           link->af == 2 ? "IPv4" : link->af == 10 ? "IPv6" : _("unknown"), link->af);
      add (f, "nflog.version", _("Version"), 1, 1, "%u", link->nflog_version);
      add (f, "nflog.res_id", _("Resource ID"), 2, 2, "%u", link->nflog_resource_id);
      if (link->net_off >= 8)
        add (f, "nflog.tlv_length", _("Payload TLV length"), link->net_off - 4, 2, "%u%s",
             link->nflog_payload_len + 4u, link->nflog_tlv_big_endian ? _(", big-endian") : "");
      break;

    default:
      if (!link->supported)
        add (root, "data", _("Data (link type not decoded)"), 0, caplen,
             g_dngettext (GETTEXT_PACKAGE, "%u byte", "%u bytes", caplen), caplen);
      else if (link_end > 0)
        /* PPP, Cisco HDLC, NFLOG, IPoIB, Juniper: the header as one field. */
        add (root, "link", pl_linktype_description (link->linktype), 0, MIN ((guint32) link_end, caplen),
             g_dngettext (GETTEXT_PACKAGE, "%u byte", "%u bytes", link_end), link_end);
      break;
    }
  if (link->n_mpls > 0)
    build_mpls (root, data, caplen, link->mpls_off, link->n_mpls);
}

static const char *
ip_proto_name (guint8 proto)
{
  switch (proto)
    {
    case 1: return "ICMP";
    case 4: return "IPIP";
    case 6: return "TCP";
    case 17: return "UDP";
    case 41: return "IPv6";
    case 47: return "GRE";
    case 58: return "ICMPv6";
    default: return _("other");
    }
}

static guint16
ones_complement_fold (guint32 sum)
{
  while (sum >> 16)
    sum = (sum & 0xffff) + (sum >> 16);
  return (guint16) sum;
}

static guint32
sum_bytes (const guint8 *p,
           gsize         n,
           guint32       sum)
{
  gsize i;

  for (i = 0; i + 1 < n; i += 2)
    {
      sum += (guint32) ((p[i] << 8) | p[i + 1]);
      if (sum & 0x80000000u)
        sum = (sum & 0xffff) + (sum >> 16);
    }
  if (n & 1)
    sum += (guint32) (p[n - 1] << 8);
  return sum;
}

static void
build_ipv4 (PlField        *root,
            const PlIpInfo *ip,
            guint           off,
            const guint8   *data,
            guint32         caplen)
{
  char src[64], dst[64];
  PlField *f, *flags;
  gboolean hdr_captured = off + ip->hdr_len <= caplen;

  pl_ip_address_to_string (4, ip->src, src, sizeof src);
  pl_ip_address_to_string (4, ip->dst, dst, sizeof dst);
  f = add (root, "ip", NULL, off, ip->hdr_len, NULL);
  f->name = g_strdup_printf (_("Internet Protocol Version 4, Src: %s, Dst: %s"), src, dst);

  add (f, "ip.version", _("Version"), off, 1, "%u", ip->version);
  add (f, "ip.hdr_len", _("Header Length"), off, 1, _("%u bytes (%u)"), ip->hdr_len, ip->hdr_len / 4);
  add (f, "ip.dsfield", _("Differentiated Services Field"), off + 1, 1, _("0x%02x (DSCP: %u, ECN: %u)"),
       ip->tos, ip->tos >> 2, ip->tos & 3);
  if (ip->length_zero)
    add (f, "ip.len", _("Total Length"), off + 2, 2, _("0 (reported as 0, presumed to be because of TCP segmentation offload)"));
  else
    add (f, "ip.len", _("Total Length"), off + 2, 2, "%u", ip->length);
  add (f, "ip.id", _("Identification"), off + 4, 2, "0x%04x (%u)", ip->id, ip->id);
  flags = add (f, "ip.flags", _("Flags"), off + 6, 1, "0x%x", ip->frag_field >> 13);
  add_bit (flags, "ip.flags.rb", _("Reserved bit"), off + 6, 1, ip->frag_field >> 8, 0x80, 8);
  add_bit (flags, "ip.flags.df", _("Don't fragment"), off + 6, 1, ip->frag_field >> 8, 0x40, 8);
  add_bit (flags, "ip.flags.mf", _("More fragments"), off + 6, 1, ip->frag_field >> 8, 0x20, 8);
  add (f, "ip.frag_offset", _("Fragment Offset"), off + 6, 2, "%u", (ip->frag_field & 0x1fff) * 8);
  add (f, "ip.ttl", _("Time to Live"), off + 8, 1, "%u", ip->ttl);
  add (f, "ip.proto", _("Protocol"), off + 9, 1, "%s (%u)", ip_proto_name (ip->proto), ip->proto);

  if (hdr_captured)
    {
      guint16 computed = ones_complement_fold (sum_bytes (data + off, ip->hdr_len, 0) + (ip->checksum ^ 0xffffu)) ^ 0xffff;
      gboolean good = ones_complement_fold (sum_bytes (data + off, ip->hdr_len, 0)) == 0xffff;
      PlField *c = add (f, "ip.checksum", _("Header Checksum"), off + 10, 2, "0x%04x", ip->checksum);

      if (good)
        add_generated (c, "ip.checksum.status", _("Header checksum status"), "%s", _("Good"));
      else
        add_generated (c, "ip.checksum.status", _("Header checksum status"),
                       _("Bad (should be 0x%04x)"), computed);
    }
  else
    add (f, "ip.checksum", _("Header Checksum"), off + 10, 2, _("0x%04x [unverified]"), ip->checksum);

  add (f, "ip.src", _("Source Address"), off + 12, 4, "%s", src);
  add (f, "ip.dst", _("Destination Address"), off + 16, 4, "%s", dst);
  if (ip->hdr_len > 20)
    add (f, "ip.options", _("Options"), off + 20, ip->hdr_len - 20,
         g_dngettext (GETTEXT_PACKAGE, "%u byte", "%u bytes", ip->hdr_len - 20u), ip->hdr_len - 20u);
  if (ip->fragment)
    add_generated (f, "ip.fragment", _("Fragment"), "%s", _("this datagram is a fragment; fragments are not reassembled"));
}

static void
build_ipv6 (PlField        *root,
            const PlIpInfo *ip,
            guint           off)
{
  char src[64], dst[64];
  PlField *f;

  pl_ip_address_to_string (6, ip->src, src, sizeof src);
  pl_ip_address_to_string (6, ip->dst, dst, sizeof dst);
  f = add (root, "ipv6", NULL, off, ip->hdr_len, NULL);
  f->name = g_strdup_printf (_("Internet Protocol Version 6, Src: %s, Dst: %s"), src, dst);

  add (f, "ipv6.version", _("Version"), off, 1, "%u", ip->version);
  add (f, "ipv6.tclass", _("Traffic Class"), off, 2, _("0x%02x (DSCP: %u, ECN: %u)"), ip->tos, ip->tos >> 2, ip->tos & 3);
  add (f, "ipv6.flow", _("Flow Label"), off + 1, 3, "0x%05x", ip->flow_label);
  add (f, "ipv6.plen", _("Payload Length"), off + 4, 2, "%u", ip->length - 40);
  add (f, "ipv6.nxt", _("Next Header"), off + 6, 1, "%s (%u)", ip_proto_name (ip->proto), ip->proto);
  add (f, "ipv6.hlim", _("Hop Limit"), off + 7, 1, "%u", ip->ttl);
  add (f, "ipv6.src", _("Source Address"), off + 8, 16, "%s", src);
  add (f, "ipv6.dst", _("Destination Address"), off + 24, 16, "%s", dst);
  if (ip->hdr_len > 40)
    add (f, "ipv6.ext", _("Extension headers"), off + 40, ip->hdr_len - 40,
         g_dngettext (GETTEXT_PACKAGE, "%u byte", "%u bytes", ip->hdr_len - 40u), ip->hdr_len - 40u);
  if (ip->fragment)
    add_generated (f, "ipv6.fragment", _("Fragment"), "%s", _("this datagram is a fragment; fragments are not reassembled"));
}

static void
build_tcp_options (PlField      *tcp_field,
                   const guint8 *data,
                   guint32       caplen,
                   guint         start,
                   guint         end)
{
  PlByteReader r;
  PlField *opts = add (tcp_field, "tcp.options", _("Options"), start, end - start,
                       _("(%u bytes)"), end - start);
  guint pos = start;

  pl_byte_reader_init (&r, data, caplen);
  while (pos < end)
    {
      guint8 kind = pl_byte_reader_peek_u8 (&r, pos);
      guint8 len;
      PlField *o;

      if (r.overrun)
        {
          add_generated (opts, "tcp.options.cut", _("Options"), "%s", _("cut short by the snapshot length"));
          return;
        }
      if (kind == 0)
        {
          o = add (opts, "tcp.options.eol", _("TCP Option - End of Option List (EOL)"), pos, 1, NULL);
          add (o, "tcp.option_kind", _("Kind"), pos, 1, _("End of Option List (0)"));
          return;
        }
      if (kind == 1)
        {
          o = add (opts, "tcp.options.nop", _("TCP Option - No-Operation (NOP)"), pos, 1, NULL);
          add (o, "tcp.option_kind", _("Kind"), pos, 1, _("No-Operation (1)"));
          pos++;
          continue;
        }
      len = pl_byte_reader_peek_u8 (&r, pos + 1);
      if (r.overrun || len < 2 || pos + len > end)
        {
          add_generated (opts, "tcp.options.bad", _("Malformed option"),
                         _("kind %u with length %u does not fit the header"), kind, len);
          return;
        }

      switch (kind)
        {
        case 2:
          o = add (opts, "tcp.options.mss", NULL, pos, len, NULL);
          o->name = g_strdup_printf (_("TCP Option - Maximum segment size: %u bytes"),
                                     pl_byte_reader_peek_u16_be (&r, pos + 2));
          add (o, "tcp.option_kind", _("Kind"), pos, 1, _("Maximum Segment Size (2)"));
          add (o, "tcp.option_len", _("Length"), pos + 1, 1, "%u", len);
          if (len == 4)
            add (o, "tcp.options.mss_val", _("MSS Value"), pos + 2, 2, "%u", pl_byte_reader_peek_u16_be (&r, pos + 2));
          break;
        case 3:
          {
            guint8 shift = pl_byte_reader_peek_u8 (&r, pos + 2);

            o = add (opts, "tcp.options.wscale", NULL, pos, len, NULL);
            o->name = g_strdup_printf (_("TCP Option - Window scale: %u (multiply by %u)"),
                                       shift, shift <= 14 ? 1u << shift : 1u << 14);
            add (o, "tcp.option_kind", _("Kind"), pos, 1, _("Window Scale (3)"));
            add (o, "tcp.option_len", _("Length"), pos + 1, 1, "%u", len);
            add (o, "tcp.options.wscale.shift", _("Shift count"), pos + 2, 1, "%u", shift);
            add (o, "tcp.options.wscale.multiplier", _("Multiplier"), pos + 2, 1, "%u",
                 shift <= 14 ? 1u << shift : 1u << 14);
          }
          break;
        case 4:
          o = add (opts, "tcp.options.sack_perm", _("TCP Option - SACK permitted"), pos, len, NULL);
          add (o, "tcp.option_kind", _("Kind"), pos, 1, _("SACK Permitted (4)"));
          add (o, "tcp.option_len", _("Length"), pos + 1, 1, "%u", len);
          break;
        case 5:
          {
            guint p;

            o = add (opts, "tcp.options.sack", _("TCP Option - SACK"), pos, len, NULL);
            add (o, "tcp.option_kind", _("Kind"), pos, 1, _("SACK (5)"));
            add (o, "tcp.option_len", _("Length"), pos + 1, 1, "%u", len);
            for (p = pos + 2; p + 8 <= (guint) pos + len; p += 8)
              {
                add (o, "tcp.options.sack_le", _("left edge"), p, 4, "%u", pl_byte_reader_peek_u32_be (&r, p));
                add (o, "tcp.options.sack_re", _("right edge"), p + 4, 4, "%u", pl_byte_reader_peek_u32_be (&r, p + 4));
              }
          }
          break;
        case 8:
          o = add (opts, "tcp.options.timestamp", NULL, pos, len, NULL);
          o->name = g_strdup_printf (_("TCP Option - Timestamps: TSval %u, TSecr %u"),
                                     pl_byte_reader_peek_u32_be (&r, pos + 2),
                                     pl_byte_reader_peek_u32_be (&r, pos + 6));
          add (o, "tcp.option_kind", _("Kind"), pos, 1, _("Time Stamp Option (8)"));
          add (o, "tcp.option_len", _("Length"), pos + 1, 1, "%u", len);
          if (len == 10)
            {
              add (o, "tcp.options.timestamp.tsval", _("Timestamp value"), pos + 2, 4, "%u",
                   pl_byte_reader_peek_u32_be (&r, pos + 2));
              add (o, "tcp.options.timestamp.tsecr", _("Timestamp echo reply"), pos + 6, 4, "%u",
                   pl_byte_reader_peek_u32_be (&r, pos + 6));
            }
          break;
        default:
          o = add (opts, "tcp.options.unknown", NULL, pos, len, NULL);
          o->name = g_strdup_printf (_("TCP Option - Unknown (kind %u)"), kind);
          add (o, "tcp.option_kind", _("Kind"), pos, 1, "%u", kind);
          add (o, "tcp.option_len", _("Length"), pos + 1, 1, "%u", len);
          break;
        }
      pos += len;
    }
}

static void
build_tcp_checksum (PlField        *f,
                    const PlPacket *pkt,
                    const guint8   *data,
                    guint32         caplen)
{
  const PlIpInfo *ip = &pkt->ip;
  const PlTcpInfo *tcp = &pkt->tcp;
  guint off = ip->payload_off;
  guint32 seglen = ip->payload_len;
  PlField *c = add (f, "tcp.checksum", _("Checksum"), off + 16, 2, "0x%04x", tcp->checksum);
  guint32 pseudo;
  guint8 lenbuf[4] = { seglen >> 24, seglen >> 16, seglen >> 8, seglen };
  guint8 proto[2] = { 0, 6 };
  guint16 folded, partial, partial_inverted;

  if (off + seglen > caplen || ip->length_zero)
    {
      add_generated (c, "tcp.checksum.status", _("Checksum Status"), "%s",
                     _("Unverified: the segment was cut by the snapshot length"));
      return;
    }

  if (ip->version == 4)
    {
      pseudo = sum_bytes (ip->src, 4, 0);
      pseudo = sum_bytes (ip->dst, 4, pseudo);
      pseudo = sum_bytes (proto, 2, pseudo);
      pseudo = sum_bytes (lenbuf + 2, 2, pseudo);
    }
  else
    {
      pseudo = sum_bytes (ip->src, 16, 0);
      pseudo = sum_bytes (ip->dst, 16, pseudo);
      pseudo = sum_bytes (lenbuf, 4, pseudo);
      pseudo = sum_bytes (proto, 2, pseudo);
    }

  folded = ones_complement_fold (sum_bytes (data + off, seglen, pseudo));
  if (folded == 0xffff)
    {
      add_generated (c, "tcp.checksum.status", _("Checksum Status"), "%s", _("Good"));
      return;
    }

  /* With checksum offload the sending host hands the NIC a segment whose
   * checksum field holds only the pseudo-header sum; captured on that host
   * (always the case on loopback) it looks wrong but is not. */
  partial = ones_complement_fold (pseudo);
  partial_inverted = (guint16) (partial ^ 0xffffu);
  if (tcp->checksum == partial || tcp->checksum == partial_inverted)
    {
      add_generated (c, "tcp.checksum.status", _("Checksum Status"), "%s",
                     _("Not checked: offloaded (the sending host leaves it to the network card)"));
      return;
    }

  {
    guint16 should = ones_complement_fold (sum_bytes (data + off, seglen, pseudo) +
                                           (tcp->checksum ^ 0xffffu)) ^ 0xffff;
    add_generated (c, "tcp.checksum.status", _("Checksum Status"), _("Bad (should be 0x%04x)"), should);
  }
}

/* Wireshark's "SEQ/ACK analysis" group: which segment this ACK completes
 * and its RTT, the stream's iRTT, bytes in flight, and the analysis flags,
 * each with the sentence that explains it.  Recomputed by replaying the
 * stream up to this frame (pl-tcp-analysis.c): nothing is stored per frame. */
static void
build_tcp_analysis (PlField   *tcp_field,
                    PlCapture *capture,
                    guint      index)
{
  const PlFrame *frame = pl_capture_get_frame (capture, index);
  PlTcpAnalysisReport report;
  g_auto(GStrv) sentences = NULL;
  g_autofree guint16 *bits = NULL;
  PlField *group, *flags;
  guint n, i;

  if (!pl_tcp_analysis_replay (capture, index, &report))
    return;
  if (report.acks_frame == PL_ANALYSIS_NO_FRAME && !report.have_bytes_in_flight &&
      !(report.have_push_bytes_sent && report.push_bytes_sent > 0) && frame->analysis == 0)
    return;

  group = add (tcp_field, "tcp.analysis", _("SEQ/ACK analysis"), 0, 0, NULL);
  group->generated = TRUE;
  if (report.acks_frame != PL_ANALYSIS_NO_FRAME)
    {
      g_autofree char *rtt = format_seconds (report.ack_rtt_ns);

      add_generated (group, "tcp.analysis.acks_frame", _("This is an ACK to the segment in frame"),
                     "%u", report.acks_frame + 1);
      add_generated (group, "tcp.analysis.ack_rtt", _("The RTT to ACK the segment was"), "%s", rtt);
    }
  /* As Wireshark, the iRTT shows only in a group that has something else. */
  if (report.have_irtt)
    {
      g_autofree char *irtt = format_seconds (report.irtt_ns);

      add_generated (group, "tcp.analysis.initial_rtt", _("iRTT"), "%s", irtt);
    }
  if (report.have_bytes_in_flight)
    add_generated (group, "tcp.analysis.bytes_in_flight", _("Bytes in flight"), "%u",
                   report.bytes_in_flight);
  if (report.have_push_bytes_sent && report.push_bytes_sent > 0)
    add_generated (group, "tcp.analysis.push_bytes_sent", _("Bytes sent since last PSH flag"), "%u",
                   report.push_bytes_sent);

  n = pl_tcp_analysis_explain (capture, index, &sentences, &bits);
  if (n == 0)
    return;
  flags = add (group, "tcp.analysis.flags", _("TCP Analysis Flags"), 0, 0, NULL);
  flags->generated = TRUE;
  for (i = 0; i < n; i++)
    {
      guint bit = (guint) g_bit_nth_lsf (bits[i], -1);
      g_autofree char *key = g_strconcat ("tcp.analysis.", pl_analysis_flag_name (bit), NULL);

      add_generated (flags, key, pl_analysis_flag_title (bit), "%s", sentences[i]);
    }
}

static void
build_tcp (PlField        *root,
           PlCapture      *capture,
           guint           index,
           const PlPacket *pkt,
           const guint8   *data,
           guint32         caplen)
{
  const PlFrame *frame = pl_capture_get_frame (capture, index);
  const PlTcpInfo *tcp = &pkt->tcp;
  guint off = pkt->ip.payload_off;
  const PlTcpStream *stream = frame->stream != PL_NO_STREAM ? pl_capture_get_stream (capture, frame->stream) : NULL;
  /* A segment of unknown length has no relative numbers (as in Wireshark). */
  gboolean relative = stream != NULL && !(frame->analysis & PL_ANALYSIS_LENGTH_UNKNOWN);
  guint32 rel_seq = relative ? pl_tcp_stream_relative_seq (stream, frame) : tcp->seq;
  guint32 rel_ack = relative ? pl_tcp_stream_relative_ack (stream, frame) : tcp->ack;
  guint32 nxt = rel_seq + tcp->payload_len + ((tcp->flags & PL_TCP_SYN) ? 1 : 0) + ((tcp->flags & PL_TCP_FIN) ? 1 : 0);
  g_autofree char *flags_str = pl_tcp_flags_to_string (tcp->flags);
  PlField *f, *flags;
  guint32 word = (guint32) ((tcp->hdr_len / 4) << 12) | tcp->flags;

  f = add (root, "tcp", NULL, off, tcp->hdr_len, NULL);
  f->name = g_strdup_printf (_("Transmission Control Protocol, Src Port: %u, Dst Port: %u, Seq: %u, Ack: %u, Len: %u"),
                             tcp->sport, tcp->dport, rel_seq, (tcp->flags & PL_TCP_ACK) ? rel_ack : 0,
                             tcp->payload_len);

  add (f, "tcp.srcport", _("Source Port"), off, 2, "%u", tcp->sport);
  add (f, "tcp.dstport", _("Destination Port"), off + 2, 2, "%u", tcp->dport);
  if (stream != NULL)
    add_generated (f, "tcp.stream", _("Stream index"), "%u", frame->stream);
  add_generated (f, "tcp.len", _("TCP Segment Len"), "%u", tcp->payload_len);
  add (f, "tcp.seq", _("Sequence Number"), off + 4, 4, _("%u (relative sequence number)"), rel_seq);
  add (f, "tcp.seq_raw", _("Sequence Number (raw)"), off + 4, 4, "%u", tcp->seq);
  add_generated (f, "tcp.nxtseq", _("Next Sequence Number"), _("%u (relative sequence number)"), nxt);
  if (tcp->flags & PL_TCP_ACK)
    {
      add (f, "tcp.ack", _("Acknowledgment Number"), off + 8, 4, _("%u (relative ack number)"), rel_ack);
      add (f, "tcp.ack_raw", _("Acknowledgment number (raw)"), off + 8, 4, "%u", tcp->ack);
    }
  else
    {
      add (f, "tcp.ack", _("Acknowledgment Number"), off + 8, 4, _("%u (the ACK flag is clear, so it means nothing)"), tcp->ack);
      add (f, "tcp.ack_raw", _("Acknowledgment number (raw)"), off + 8, 4, "%u", tcp->ack);
    }
  add (f, "tcp.hdr_len", _("Header Length"), off + 12, 1, _("%u bytes (%u)"), tcp->hdr_len, tcp->hdr_len / 4);

  flags = add (f, "tcp.flags", _("Flags"), off + 12, 2, "0x%03x (%s)", tcp->flags,
               flags_str[0] ? flags_str : _("none"));
  add_bit (flags, "tcp.flags.res", _("Reserved"), off + 12, 1, word, 0x0e00, 12);
  add_bit (flags, "tcp.flags.ae", _("Accurate ECN"), off + 12, 1, word, PL_TCP_AE, 12);
  add_bit (flags, "tcp.flags.cwr", _("Congestion Window Reduced"), off + 13, 1, word, PL_TCP_CWR, 12);
  add_bit (flags, "tcp.flags.ece", _("ECN-Echo"), off + 13, 1, word, PL_TCP_ECE, 12);
  add_bit (flags, "tcp.flags.urg", _("Urgent"), off + 13, 1, word, PL_TCP_URG, 12);
  add_bit (flags, "tcp.flags.ack", _("Acknowledgment"), off + 13, 1, word, PL_TCP_ACK, 12);
  add_bit (flags, "tcp.flags.push", _("Push"), off + 13, 1, word, PL_TCP_PSH, 12);
  add_bit (flags, "tcp.flags.reset", _("Reset"), off + 13, 1, word, PL_TCP_RST, 12);
  add_bit (flags, "tcp.flags.syn", _("Syn"), off + 13, 1, word, PL_TCP_SYN, 12);
  add_bit (flags, "tcp.flags.fin", _("Fin"), off + 13, 1, word, PL_TCP_FIN, 12);

  add (f, "tcp.window_size_value", _("Window"), off + 14, 2, "%u", tcp->window);
  if (stream != NULL)
    {
      gint8 scale = stream->peer[frame->dir].wscale;

      add_generated (f, "tcp.window_size", _("Calculated window size"), "%u", frame->win);
      if (tcp->flags & PL_TCP_SYN)
        add_generated (f, "tcp.window_size_scalefactor", _("Window size scaling factor"), "%s",
                       _("not applied to a SYN segment"));
      else if (scale >= 0)
        add_generated (f, "tcp.window_size_scalefactor", _("Window size scaling factor"), "%u", 1u << scale);
      else if (scale == PL_WSCALE_NONE)
        add_generated (f, "tcp.window_size_scalefactor", _("Window size scaling factor"), "%s",
                       _("-2 (no window scaling used)"));
      else
        add_generated (f, "tcp.window_size_scalefactor", _("Window size scaling factor"), "%s",
                       _("-1 (unknown: the handshake was not captured)"));
    }

  build_tcp_checksum (f, pkt, data, caplen);
  add (f, "tcp.urgent_pointer", _("Urgent Pointer"), off + 18, 2, "%u", tcp->urgent);
  if (tcp->hdr_len > 20)
    build_tcp_options (f, data, caplen, off + 20, off + tcp->hdr_len);

  if (tcp->payload_len > 0)
    {
      guint present = tcp->payload_off < caplen ? MIN (caplen - tcp->payload_off, tcp->payload_len) : 0;

      if (present < tcp->payload_len && present > 0)
        add (f, "tcp.payload", _("TCP payload"), tcp->payload_off, present,
             g_dngettext (GETTEXT_PACKAGE, "%u byte (%u captured)", "%u bytes (%u captured)", tcp->payload_len),
             tcp->payload_len, present);
      else if (present > 0)
        add (f, "tcp.payload", _("TCP payload"), tcp->payload_off, present,
             g_dngettext (GETTEXT_PACKAGE, "%u byte", "%u bytes", tcp->payload_len), tcp->payload_len);
    }

  if (stream != NULL)
    {
      g_autofree char *segment = pl_capture_describe_http_segment (capture, index, NULL, NULL);

      /* Where this segment sits in its HTTP message, as Wireshark's
       * "[Reassembled PDU in frame: N]" says it more briefly. */
      /* It quotes the request target, which need not be UTF-8. */
      if (segment != NULL)
        {
          g_autofree char *valid = g_utf8_make_valid (segment, -1);

          add_generated (f, "tcp.pdu.segment", _("HTTP message"), "%s", valid);
        }
      build_tcp_analysis (f, capture, index);
    }
}

/* Where the stream bytes of one direction sit in this frame: stream offset
 * base is the frame's first payload byte, at frame offset payload_off. */
typedef struct
{
  guint64 base;
  guint   payload_off;
  guint   payload_len;
} TlsPlace;

/* A field over stream bytes [off, off + len): at its place in the frame
 * when the frame carries all of it (the hex pane highlights it), else
 * generated (it came in an earlier frame and was reassembled). */
static PlField *
tls_add (PlField        *parent,
         const TlsPlace *place,
         const char     *key,
         const char     *name,
         guint64         off,
         guint64         len,
         const char     *format,
         ...) G_GNUC_PRINTF (7, 8);

static PlField *
tls_add (PlField        *parent,
         const TlsPlace *place,
         const char     *key,
         const char     *name,
         guint64         off,
         guint64         len,
         const char     *format,
         ...)
{
  g_autofree char *value = NULL;
  va_list args;

  va_start (args, format);
  value = g_strdup_vprintf (format, args);
  va_end (args);
  if (off >= place->base && off + len <= place->base + place->payload_len)
    return add (parent, key, name, place->payload_off + (guint) (off - place->base), (guint) len, "%s", value);
  return add_generated (parent, key, name, "%s", value);
}

static void
build_tls_handshake (PlField              *rf,
                     PlTlsTable           *tls,
                     const TlsPlace       *place,
                     const PlTlsHandshake *h)
{
  const char *type_name = pl_tls_handshake_type_name (h->type);
  /* Body fields have exact places only when no record header cuts the
   * message (it lies in one record). */
  gboolean contiguous = h->n_records == 1;
  guint64 body = h->start + 4;
  PlField *hf;

  hf = tls_add (rf, place, "tls.handshake", _("Handshake message"), h->start,
                contiguous ? 4 + (guint64) h->length : 4, "%s", type_name != NULL ? type_name : "?");
  tls_add (hf, place, "tls.handshake.type", _("Handshake type"), h->start, 1, "%s (%u)",
           type_name != NULL ? type_name : "?", h->type);
  tls_add (hf, place, "tls.handshake.length", _("Length"), h->start + 1, 3, "%u", h->length);
  if (h->n_records > 1)
    add_generated (hf, "tls.handshake.reassembled", _("Reassembled"),
                   g_dngettext (GETTEXT_PACKAGE, "from %u record", "from %u records", h->n_records), h->n_records);
  switch (h->type)
    {
    case PL_TLS_HS_CLIENT_HELLO:
    case PL_TLS_HS_SERVER_HELLO:
      {
        const char *v = pl_tls_version_name (h->legacy_version);

        if (contiguous)
          tls_add (hf, place, "tls.handshake.version", _("Version"), body, 2, "%s (0x%04x)",
                   v != NULL ? v : "?", h->legacy_version);
        if (h->server_name != 0)
          tls_add (hf, place, "tls.handshake.extensions_server_name", _("Server name"),
                   contiguous ? body + h->sni_off : 0, contiguous ? h->sni_len : G_MAXUINT32,
                   "%s", pl_tls_table_get_string (tls, h->server_name));
        if (h->alpn != 0)
          tls_add (hf, place, "tls.handshake.extensions_alpn_str", _("ALPN protocols"),
                   contiguous ? body + h->alpn_off : 0, contiguous ? h->alpn_len : G_MAXUINT32,
                   "%s", pl_tls_table_get_string (tls, h->alpn));
        if (h->versions_len > 0)
          {
            const char *chosen = pl_tls_version_name (h->version);

            tls_add (hf, place, "tls.handshake.extensions.supported_version",
                     h->type == PL_TLS_HS_CLIENT_HELLO ? _("Supported versions (highest)") : _("Selected version"),
                     contiguous ? body + h->versions_off : 0, contiguous ? h->versions_len : G_MAXUINT32,
                     "%s (0x%04x)", chosen != NULL ? chosen : "?", h->version);
          }
        if (h->type == PL_TLS_HS_CLIENT_HELLO)
          add_generated (hf, "tls.handshake.cipher_suites_length", _("Cipher suites offered"), "%u",
                         h->n_cipher_suites);
        else
          {
            const char *suite = pl_tls_cipher_suite_name (h->cipher_suite);

            tls_add (hf, place, "tls.handshake.ciphersuite", _("Cipher suite"),
                     contiguous ? body + h->cipher_off : 0, contiguous ? 2 : G_MAXUINT32,
                     "%s (0x%04x)", suite != NULL ? suite : "?", h->cipher_suite);
            if (h->hello_retry)
              add_generated (hf, "tls.handshake.hello_retry_request", _("HelloRetryRequest"), "%s", yes_no (TRUE));
          }
        break;
      }
    case PL_TLS_HS_CERTIFICATE:
      if (h->subject_cn != 0)
        tls_add (hf, place, "x509sat.commonName", _("Subject common name (first certificate)"),
                 contiguous ? body + h->cn_off : 0, contiguous ? h->cn_len : G_MAXUINT32,
                 "%s", pl_tls_table_get_string (tls, h->subject_cn));
      break;
    default:
      break;
    }
}

/* The TLS records this frame completes (pl-tls-table.h), each at its place
 * in the frame, or generated where it came in earlier frames. */
static void
build_tls (PlField       *root,
           PlCapture     *capture,
           guint          index,
           const PlPacket *pkt,
           guint32        caplen)
{
  PlTlsTable *tls = pl_capture_get_tls_table (capture);
  const PlFrame *frame = pl_capture_get_frame (capture, index);
  const PlTlsStreamInfo *info;
  guint first, n, i, k;
  PlField *top;
  TlsPlace place;
  guint32 data_seq, rel;
  const PlTlsRecord *r0;

  n = pl_tls_table_find_records (tls, index, &first);
  if (n == 0 || frame->stream == PL_NO_STREAM ||
      (info = pl_tls_table_get_stream_info (tls, frame->stream)) == NULL)
    return;
  r0 = pl_tls_table_get_record (tls, first);
  data_seq = (frame->tcp_flags & PL_TCP_SYN) ? frame->seq + 1 : frame->seq;
  rel = data_seq - info->origin[frame->dir & 1];
  /* Unwrap the 32-bit distance around the first record's offset. */
  place.base = (guint64) ((gint64) r0->start + (gint32) (rel - (guint32) r0->start));
  place.payload_off = pkt->tcp.payload_off;
  place.payload_len = pkt->tcp.payload_off < caplen ? MIN (caplen - pkt->tcp.payload_off, frame->payload_len) : 0;

  top = add (root, "tls", _("Transport Layer Security"), place.payload_off, place.payload_len,
             g_dngettext (GETTEXT_PACKAGE, "%u record", "%u records", n), n);
  for (i = 0; i < n; i++)
    {
      const PlTlsRecord *r = pl_tls_table_get_record (tls, first + i);
      g_autofree char *label = pl_tls_table_dup_record_label (tls, first + i);
      const char *type_name = pl_tls_content_type_name (r->type);
      const char *v = pl_tls_version_name (r->version);
      gboolean ssl2 = (r->flags & PL_TLS_RECORD_SSL2) != 0;
      guint64 start = MAX (r->start, place.base);
      guint64 end = MIN (r->start + (ssl2 ? 2 : PL_TLS_RECORD_HEADER) + r->length, place.base + place.payload_len);
      PlField *rf;

      rf = add (top, "tls.record", _("TLS record"),
                place.payload_off + (guint) (start - place.base), end > start ? (guint) (end - start) : 0,
                "%s", label);
      if (r->start < place.base)
        add_generated (rf, "tls.record.reassembled", _("Reassembled"),
                       g_dngettext (GETTEXT_PACKAGE, "%u byte from earlier frames", "%u bytes from earlier frames",
                                    (guint) (place.base - r->start)),
                       (guint) (place.base - r->start));
      if (ssl2)
        {
          /* As Wireshark shows an SSLv2-compatible ClientHello: a 2-byte
           * length, the message type, the version offered, three lengths. */
          const PlTlsHandshake *h = pl_tls_table_get_handshake (tls, r->first_hs);
          const char *hv = pl_tls_version_name (h->version);

          add_generated (rf, "tls.record.version", _("Version"), "SSL 2.0 (0x0002)");
          tls_add (rf, &place, "tls.record.length", _("Length"), r->start, 2, "%u", r->length);
          tls_add (rf, &place, "tls.handshake.type", _("Handshake type"), r->start + 2, 1, "%s (%u)",
                   pl_tls_handshake_type_name (PL_TLS_HS_CLIENT_HELLO), PL_TLS_HS_CLIENT_HELLO);
          tls_add (rf, &place, "tls.handshake.version", _("Version"), r->start + 3, 2, "%s (0x%04x)",
                   hv != NULL ? hv : "?", h->version);
          continue;
        }
      if (r->flags & PL_TLS_RECORD_OPAQUE)
        tls_add (rf, &place, "tls.record.opaque_type", _("Opaque type"),
                 r->start, 1, "%s (%u)", type_name != NULL ? type_name : "?", r->type);
      else
        tls_add (rf, &place, "tls.record.content_type", _("Content type"), r->start, 1, "%s (%u)",
                 type_name != NULL ? type_name : "?", r->type);
      tls_add (rf, &place, "tls.record.version", _("Version"), r->start + 1, 2, "%s (0x%04x)",
               v != NULL ? v : "?", r->version);
      tls_add (rf, &place, "tls.record.length", _("Length"), r->start + 3, 2, "%u", r->length);
      for (k = 0; k < r->n_handshakes; k++)
        build_tls_handshake (rf, tls, &place, pl_tls_table_get_handshake (tls, r->first_hs + k));
      if (r->type == PL_TLS_ALERT && r->length == 2 &&
          !(r->flags & (PL_TLS_RECORD_ENCRYPTED | PL_TLS_RECORD_OPAQUE)))
        {
          const char *desc = pl_tls_alert_description_name (r->alert_desc);

          tls_add (rf, &place, "tls.alert_message.level", _("Alert level"), r->start + 5, 1, "%s (%u)",
                   r->alert_level == 2 ? _("fatal") : r->alert_level == 1 ? _("warning") : "?", r->alert_level);
          tls_add (rf, &place, "tls.alert_message.desc", _("Alert description"), r->start + 6, 1, "%s (%u)",
                   desc != NULL ? desc : "?", r->alert_desc);
        }
      else if (r->type == PL_TLS_APPLICATION_DATA || (r->flags & PL_TLS_RECORD_ENCRYPTED))
        {
          guint64 ds = MAX (r->start + PL_TLS_RECORD_HEADER, place.base);

          if (end > ds)
            add (rf, "tls.app_data", _("Encrypted data"), place.payload_off + (guint) (ds - place.base),
                 (guint) (end - ds), g_dngettext (GETTEXT_PACKAGE, "%u byte", "%u bytes", r->length), r->length);
        }
    }
}

/* A header cut short by the snap length still gets its fields, but the
 * bytes a field claims must stay inside the frame: the hex pane highlights
 * them. */
static void
clamp_to_frame (PlField *field,
                guint    caplen)
{
  guint i, n;

  field->offset = MIN (field->offset, caplen);
  field->length = MIN (field->length, caplen - field->offset);
  n = pl_field_get_n_children (field);
  for (i = 0; i < n; i++)
    clamp_to_frame (pl_field_get_child (field, i), caplen);
}

static void build_ipv4 (PlField *root, const PlIpInfo *ip, guint off, const guint8 *data, guint32 caplen);
static void build_ipv6 (PlField *root, const PlIpInfo *ip, guint off);

/* The tunnel headers between the link layer and the IP header that carries
 * TCP (see pl_packet_decode()), each as its own layer, as Wireshark shows
 * them. */
static void
build_encaps (PlField        *root,
              const PlPacket *pkt,
              const guint8   *data,
              guint32         caplen)
{
  PlByteReader r;
  char a[32], b[32];
  guint i;

  pl_byte_reader_init (&r, data, caplen);
  for (i = 0; i < pkt->n_encaps; i++)
    {
      const PlEncap *e = &pkt->encaps[i];
      guint o = e->off;
      PlField *f;

      switch (e->kind)
        {
        case PL_ENCAP_IPV4:
        case PL_ENCAP_IPV6:
          {
            PlIpInfo ip;
            const char *problem = NULL;

            memset (&ip, 0, sizeof ip);
            if (!pl_ip_decode (data, caplen, o, e->kind == PL_ENCAP_IPV4 ? PL_NET_IPV4 : PL_NET_IPV6,
                               &ip, &problem))
              break;
            if (ip.version == 4)
              build_ipv4 (root, &ip, o, data, caplen);
            else
              build_ipv6 (root, &ip, o);
          }
          break;

        case PL_ENCAP_GRE:
          {
            guint16 flags = pl_byte_reader_peek_u16_be (&r, o);
            guint16 ptype = pl_byte_reader_peek_u16_be (&r, o + 2);
            guint x = o + 4;

            f = add (root, "gre", NULL, o, e->len, NULL);
            f->name = g_strdup_printf (_("Generic Routing Encapsulation (%s)"),
                                       ptype == 0x0800 ? "IP" : ptype == 0x86dd ? "IPv6" :
                                       ptype == 0x6558 ? "Transparent Ethernet bridging" :
                                       ptype == 0x8847 ? "MPLS label switched packet" : "?");
            add (f, "gre.flags_and_version", _("Flags and Version"), o, 2, "0x%04x", flags);
            add (f, "gre.proto", _("Protocol Type"), o + 2, 2, "0x%04x", ptype);
            if (flags & 0x8000)
              {
                add (f, "gre.checksum", _("Checksum"), x, 2, "0x%04x", pl_byte_reader_peek_u16_be (&r, x));
                x += 4;
              }
            if (flags & 0x2000)
              {
                add (f, "gre.key", _("Key"), x, 4, "0x%08x", pl_byte_reader_peek_u32_be (&r, x));
                x += 4;
              }
            if (flags & 0x1000)
              add (f, "gre.sequence_number", _("Sequence Number"), x, 4, "%u", pl_byte_reader_peek_u32_be (&r, x));
          }
          break;

        case PL_ENCAP_UDP:
          {
            guint16 sport = pl_byte_reader_peek_u16_be (&r, o);
            guint16 dport = pl_byte_reader_peek_u16_be (&r, o + 2);

            f = add (root, "udp", NULL, o, 8, NULL);
            f->name = g_strdup_printf (_("User Datagram Protocol, Src Port: %u, Dst Port: %u"), sport, dport);
            add (f, "udp.srcport", _("Source Port"), o, 2, "%u", sport);
            add (f, "udp.dstport", _("Destination Port"), o + 2, 2, "%u", dport);
            add (f, "udp.length", _("Length"), o + 4, 2, "%u", pl_byte_reader_peek_u16_be (&r, o + 4));
            add (f, "udp.checksum", _("Checksum"), o + 6, 2, "0x%04x", pl_byte_reader_peek_u16_be (&r, o + 6));
          }
          break;

        case PL_ENCAP_VXLAN:
          f = add (root, "vxlan", _("Virtual eXtensible Local Area Network"), o, 8, NULL);
          add (f, "vxlan.flags", _("Flags"), o, 2, "0x%04x", pl_byte_reader_peek_u16_be (&r, o));
          add (f, "vxlan.vni", _("VXLAN Network Identifier (VNI)"), o + 4, 3, "%u",
               pl_byte_reader_peek_u32_be (&r, o + 4) >> 8);
          break;

        case PL_ENCAP_GENEVE:
          {
            guint8 b0 = pl_byte_reader_peek_u8 (&r, o);

            f = add (root, "geneve", _("Generic Network Virtualization Encapsulation"), o, e->len, NULL);
            add (f, "geneve.version", _("Version"), o, 1, "%u", b0 >> 6);
            add (f, "geneve.option.length", _("Options Length"), o, 1,
                 g_dngettext (GETTEXT_PACKAGE, "%u byte", "%u bytes", (b0 & 0x3fu) * 4), (b0 & 0x3fu) * 4);
            add (f, "geneve.proto_type", _("Protocol Type"), o + 2, 2, "0x%04x", pl_byte_reader_peek_u16_be (&r, o + 2));
            add (f, "geneve.vni", _("Virtual Network Identifier (VNI)"), o + 4, 3, "%u",
                 pl_byte_reader_peek_u32_be (&r, o + 4) >> 8);
          }
          break;

        case PL_ENCAP_ETHERNET:
          {
            guint8 dst[6], src[6];
            guint16 type;

            pl_byte_reader_peek_bytes (&r, o, 6, dst);
            pl_byte_reader_peek_bytes (&r, o + 6, 6, src);
            type = pl_byte_reader_peek_u16_be (&r, o + e->len - 2);
            f = add (root, "eth", NULL, o, e->len, NULL);
            f->name = g_strdup_printf (_("Ethernet II, Src: %s, Dst: %s"),
                                       mac_to_string (src, a, sizeof a), mac_to_string (dst, b, sizeof b));
            add (f, "eth.dst", _("Destination"), o, 6, "%s", b);
            add (f, "eth.src", _("Source"), o + 6, 6, "%s", a);
            add (f, "eth.type", _("Type"), o + e->len - 2, 2, "0x%04x", type);
          }
          break;

        case PL_ENCAP_MPLS:
          build_mpls (root, data, caplen, o, e->len / 4);
          break;

        default:
          break;
        }
    }
}

PlField *
pl_field_tree_build (PlCapture *capture,
                     guint      frame_index)
{
  PlField *root;
  PlPacket pkt;
  const guint8 *data;
  guint32 caplen;

  g_return_val_if_fail (PL_IS_CAPTURE (capture), NULL);
  if (frame_index >= pl_capture_get_n_frames (capture))
    return NULL;

  data = pl_capture_get_frame_data (capture, frame_index, &caplen);
  pl_capture_decode_frame (capture, frame_index, &pkt);

  root = add (NULL, "", _("Frame"), 0, caplen, NULL);
  build_frame (root, capture, frame_index);
  build_link (root, &pkt, data, caplen);
  build_encaps (root, &pkt, data, caplen);
  if (pkt.ip.version == 4)
    build_ipv4 (root, &pkt.ip, pkt.ip_off, data, caplen);
  else if (pkt.ip.version == 6)
    build_ipv6 (root, &pkt.ip, pkt.ip_off);
  if (pkt.status & PL_FRAME_TCP)
    {
      build_tcp (root, capture, frame_index, &pkt, data, caplen);
      build_tls (root, capture, frame_index, &pkt, caplen);
    }
  if (pkt.status & PL_FRAME_MALFORMED)
    add_generated (root, "_ws.malformed", _("Malformed packet"), "%s", pkt.problem != NULL ? _(pkt.problem) : "");
  clamp_to_frame (root, caplen);
  return root;
}
