/* pl-gzip.h: gzip-compressed captures (RFC 1952), as Wireshark opens
 * `.pcap.gz` and `.pcapng.gz`: the whole file is inflated once into memory
 * with GIO's GZlibDecompressor, and frames then point into that buffer
 * exactly as they point into a mapped file (never copied per packet).
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Inflated captures larger than this are refused with a message that says
 * to decompress the file first (a plain file is mapped, not copied). */
#define PL_GZIP_MAX_INFLATED ((guint64) 4 * 1024 * 1024 * 1024)

/* TRUE when data starts with a gzip member header (1f 8b, deflate). */
gboolean pl_gzip_is_gzip (const guint8 *data,
                          gsize         len);

/* Inflates every member of the gzip file in data (concatenated members are
 * one stream, as gunzip reads them).  display_name names the file in
 * messages.  Returns the inflated bytes, or NULL with a PL_CAPTURE_ERROR:
 * _CORRUPT when nothing could be inflated, _UNSUPPORTED beyond max bytes.
 *
 * Damage after some bytes were inflated (corrupt deflate data, a bad CRC,
 * a file cut short) keeps what came before: the bytes are returned and
 * *warning (may be NULL) gets a PL_CAPTURE_ERROR_CORRUPT or _TRUNCATED
 * saying what is missing, as a capture cut short keeps its complete
 * frames. */
GBytes  *pl_gzip_inflate (const guint8 *data,
                          gsize         len,
                          const char   *display_name,
                          guint64       max,
                          GError      **warning,
                          GError      **error);

G_END_DECLS
