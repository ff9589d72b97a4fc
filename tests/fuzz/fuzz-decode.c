/* fuzz-decode.c: link, IP and TCP decoding, the conversation table and the
 * field tree of every frame.
 *
 * Input, two shapes:
 *  - a whole capture file (it starts with a pcap or pcapng magic): loaded
 *    as the application loads a file;
 *  - anything else: frames for a synthetic pcap.  Byte 0 picks the link
 *    type; then each frame is a 16-bit big-endian length and that many
 *    bytes (the last one takes what is left).  This lets the fuzzer work on
 *    headers without having to get file framing right first.
 *
 * Then pl_fuzz_check_capture() reads it all back as the application
 * would: field trees, dumps, stream summaries, HTTP messages.
 */
#include "config.h"

#include <string.h>

#include "pl-capture.h"
#include "pl-fuzz.h"
#include "pl-fuzz-capture.h"

#define DISPLAY_NAME "fuzz-input.pcap"

int
LLVMFuzzerInitialize (int    *argc,
                      char ***argv)
{
  pl_fuzz_make_warnings_fatal ();
  return 0;
}

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(PlCapture) capture = NULL;
  g_autoptr(GError) error = NULL;

  bytes = pl_fuzz_capture_bytes (data, size);
  if (bytes == NULL)
    return 0;

  capture = pl_capture_new_for_bytes (bytes, DISPLAY_NAME);
  if (!pl_capture_load (capture, NULL, NULL, NULL, &error))
    {
      PL_FUZZ_CHECK (error != NULL && error->domain == PL_CAPTURE_ERROR);
      PL_FUZZ_CHECK (strstr (error->message, DISPLAY_NAME) != NULL);
      PL_FUZZ_CHECK (pl_capture_get_n_frames (capture) == 0);
      return 0;
    }
  PL_FUZZ_CHECK (error == NULL);
  if (pl_capture_get_warning (capture) != NULL)
    PL_FUZZ_CHECK (strstr (pl_capture_get_warning (capture)->message, DISPLAY_NAME) != NULL);

  pl_fuzz_check_capture (capture);
  return 0;
}
