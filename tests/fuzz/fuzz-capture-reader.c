/* fuzz-capture-reader.c: the pcap/pcapng record walker fed whole files.
 *
 * Input: the bytes of a capture file.  Every record is read to the end;
 * each must lie inside the input and name a known interface, and the walk
 * must end cleanly or with a PL_CAPTURE_ERROR that names the file and is
 * repeated by later calls.
 */
#include "config.h"

#include <string.h>

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

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  g_autoptr(PlCaptureReader) reader = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GError) again = NULL;
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

      sum += pl_fuzz_touch (data + record.offset, record.caplen);
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

  (void) sum;
  return 0;
}
