/* fuzz-capture-reader.c: the pcap/pcapng record walker fed whole files.
 *
 * Input: the bytes of a capture file.  Every record is read to the end;
 * each must lie inside the input and name a known interface, and the walk
 * must end cleanly or with a PL_CAPTURE_ERROR that names the file and is
 * repeated by later calls.  The walk is made again through a read-ahead
 * (the file in a memfd, windows of a size taken from the input): the same
 * records with the same bytes, the same end.
 */
#define _GNU_SOURCE  /* memfd_create() */
#include "config.h"

#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "pl-capture-reader.h"
#include "pl-fuzz.h"

#define DISPLAY_NAME "fuzz-input.pcap"

int
LLVMFuzzerInitialize (int    *argc,
                      char ***argv)
{
  pl_fuzz_make_warnings_fatal ();
  return 0;
}

static void
check_error (const GError *error)
{
  PL_FUZZ_CHECK (error != NULL);
  PL_FUZZ_CHECK (error->domain == PL_CAPTURE_ERROR);
  PL_FUZZ_CHECK (strstr (error->message, DISPLAY_NAME) != NULL);
  PL_FUZZ_CHECK (g_utf8_validate (error->message, -1, NULL));
}

/* The walk again, parsed from read-ahead windows over a memfd holding the
 * input: every record and the final error equal the first walk's. */
static void
walk_through_read_ahead (const uint8_t *data,
                         size_t         size,
                         GArray        *records,
                         const GError  *first_error)
{
  g_autoptr(PlCaptureReader) reader = NULL;
  g_autoptr(GError) error = NULL;
  PlReadAhead *ahead;
  PlRecord record;
  gsize chunk = 16 + (size > 0 ? data[size - 1] : 0) * 4;
  guint n = 0;
  int fd = memfd_create ("fuzz-capture", MFD_CLOEXEC);

  if (fd < 0)
    return;
  if (size > 0 && write (fd, data, size) != (ssize_t) size)
    {
      close (fd);
      return;
    }
  reader = pl_capture_reader_new (data, size, DISPLAY_NAME, NULL);
  PL_FUZZ_CHECK (reader != NULL);
  ahead = pl_read_ahead_new (fd, size, chunk, chunk / 2);
  PL_FUZZ_CHECK (ahead != NULL);
  pl_capture_reader_set_read_ahead (reader, ahead);
  while (pl_capture_reader_next (reader, &record, &error))
    {
      const PlRecord *r;

      PL_FUZZ_CHECK (n < records->len);
      r = &g_array_index (records, PlRecord, n);
      PL_FUZZ_CHECK (record.offset == r->offset && record.caplen == r->caplen &&
                     record.origlen == r->origlen && record.ts_ns == r->ts_ns && record.iface == r->iface);
      PL_FUZZ_CHECK (memcmp (record.data, data + record.offset, record.caplen) == 0);
      n++;
    }
  PL_FUZZ_CHECK (n == records->len);
  PL_FUZZ_CHECK ((error == NULL) == (first_error == NULL));
  if (error != NULL)
    PL_FUZZ_CHECK (error->code == first_error->code && strcmp (error->message, first_error->message) == 0);
  pl_capture_reader_set_read_ahead (reader, NULL);
  pl_read_ahead_free (ahead);
  close (fd);
}

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  g_autoptr(PlCaptureReader) reader = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GError) again = NULL;
  g_autoptr(GArray) records = g_array_new (FALSE, FALSE, sizeof (PlRecord));
  PlRecord record;
  guint64 n_records = 0;
  guint64 last_pos = 0;
  guint sum = 0;
  guint i;

  reader = pl_capture_reader_new (data, size, DISPLAY_NAME, &error);
  if (reader == NULL)
    {
      check_error (error);
      return 0;
    }
  PL_FUZZ_CHECK (error == NULL);
  (void) pl_capture_format_to_string (pl_capture_reader_get_format (reader));

  while (pl_capture_reader_next (reader, &record, &error))
    {
      const PlInterface *iface;
      guint64 pos = pl_capture_reader_get_position (reader);

      /* The frame lies inside the input, the reader moves forward. */
      PL_FUZZ_CHECK (record.offset <= size);
      PL_FUZZ_CHECK (record.caplen <= size - record.offset);
      PL_FUZZ_CHECK (pos > last_pos && pos <= size);
      last_pos = pos;

      PL_FUZZ_CHECK (record.iface < pl_capture_reader_get_n_interfaces (reader));
      iface = pl_capture_reader_get_interface (reader, record.iface);
      PL_FUZZ_CHECK (iface != NULL);
      PL_FUZZ_CHECK (iface->ts_units > 0);

      PL_FUZZ_CHECK (record.data == data + record.offset);
      sum += pl_fuzz_touch (data + record.offset, record.caplen);
      g_array_append_val (records, record);
      n_records++;
      /* Every record takes at least 12 bytes of the file. */
      PL_FUZZ_CHECK (n_records <= size / 12);
    }

  if (error != NULL)
    {
      check_error (error);
      PL_FUZZ_CHECK (error->code == PL_CAPTURE_ERROR_TRUNCATED ||
                     error->code == PL_CAPTURE_ERROR_CORRUPT ||
                     error->code == PL_CAPTURE_ERROR_UNSUPPORTED);
    }

  /* After the end, the same answer again. */
  PL_FUZZ_CHECK (!pl_capture_reader_next (reader, &record, &again));
  PL_FUZZ_CHECK ((error == NULL) == (again == NULL));
  if (error != NULL)
    PL_FUZZ_CHECK (g_error_matches (again, error->domain, error->code) &&
                   strcmp (again->message, error->message) == 0);

  for (i = 0; i < pl_capture_reader_get_n_interfaces (reader); i++)
    {
      const PlInterface *iface = pl_capture_reader_get_interface (reader, i);

      PL_FUZZ_CHECK (iface->name == NULL || g_utf8_validate (iface->name, -1, NULL));
    }

  walk_through_read_ahead (data, size, records, error);
  (void) sum;
  return 0;
}
