/* pl-live-capture.c: a capture that happens now (see the header).
 *
 * Three parties:
 *
 * - The capture thread opens the device (libpcap, or dumpcap on a pipe
 *   when libpcap says the process lacks permission) and copies each packet
 *   into the ring: one fixed buffer, records laid end to end, no
 *   allocation per packet.  A packet that finds the ring full is counted
 *   as dropped, as the kernel counts its own.
 * - The writer thread wakes every WRITE_INTERVAL_MS, appends what the ring
 *   holds to the pcapng file as Enhanced Packet Blocks and flushes it, so
 *   the file always ends with whole blocks but for the one being written.
 *   It owns the file; when the capture thread is done it drains the ring,
 *   writes the Interface Statistics Block, syncs, renames the temporary
 *   file and reports ::finished.
 * - The main context gets ::progress (coalesced) and ::finished.
 *
 * The ring's producer writes only into free space and its consumer reads
 * only records already published, so the copies happen outside the lock;
 * the lock guards the positions and the counters.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <gio/gunixinputstream.h>
#include <glib/gi18n.h>
#include <glib/gstdio.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/file.h>
#include <unistd.h>

#include "pl-live-capture.h"
#include "pl-pcap-source.h"

#define RING_SIZE          (8u << 20)
#define RECORD_ALIGN       16u
#define WRAP_MARK          G_MAXUINT32
#define WRITE_INTERVAL_MS  50
#define DEFAULT_SNAPLEN    262144u
/* A replayed file: the longest pause kept between two frames. */
#define REPLAY_MAX_GAP_US  (20 * 1000)

typedef struct
{
  gint64  ts_ns;
  guint32 caplen;   /* WRAP_MARK: the rest of the ring is padding */
  guint32 origlen;
} RingHeader;

G_STATIC_ASSERT (sizeof (RingHeader) == 16);

struct _PlLiveCapture
{
  GObject       parent_instance;

  char         *device;
  char         *filter;
  guint64       max_frames;
  char         *final_path;
  char         *temp_path;
  GMainContext *context;

  GMutex        lock;            /* guards everything below this line */
  guint8       *ring;
  guint64       head;            /* bytes ever written into the ring */
  guint64       tail;            /* bytes ever consumed */
  gboolean      capture_done;    /* the capture thread will add nothing more */
  gboolean      stop_requested;
  gboolean      notify_scheduled;
  guint64       ring_dropped;
  guint64       kernel_dropped;
  guint64       n_written;
  PlLiveMethod  method;
  PlPcapLive   *pcap;            /* while the capture thread runs */
  GSubprocess  *dumpcap;
  GError       *error;
  gboolean      running;
  gboolean      finished;
  guint32       linktype;
  guint32       snaplen;
  gboolean      opened;          /* the header blocks are written */

  GThread      *capture_thread;
  GThread      *writer_thread;
  FILE         *file;            /* writer thread */
  gint64        first_ts_ns;
  gint64        last_ts_ns;
};

G_DEFINE_FINAL_TYPE (PlLiveCapture, pl_live_capture, G_TYPE_OBJECT)

enum {
  STARTED,
  PROGRESS,
  FINISHED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static void
pl_live_capture_finalize (GObject *object)
{
  PlLiveCapture *self = (PlLiveCapture *) object;

  /* The writer holds a reference until its very end, after it joined the
   * capture thread; the last reference may be its own, and a thread
   * cannot join itself. */
  g_clear_pointer (&self->capture_thread, g_thread_join);
  if (self->writer_thread != NULL && self->writer_thread == g_thread_self ())
    g_clear_pointer (&self->writer_thread, g_thread_unref);
  else
    g_clear_pointer (&self->writer_thread, g_thread_join);
  g_free (self->ring);
  g_clear_error (&self->error);
  g_clear_object (&self->dumpcap);
  g_clear_pointer (&self->context, g_main_context_unref);
  g_free (self->device);
  g_free (self->filter);
  g_free (self->final_path);
  g_free (self->temp_path);
  g_mutex_clear (&self->lock);

  G_OBJECT_CLASS (pl_live_capture_parent_class)->finalize (object);
}

static void
pl_live_capture_class_init (PlLiveCaptureClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = pl_live_capture_finalize;

  /* The device is open and the file has its header: capturing now. */
  signals[STARTED] = g_signal_new ("started", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                   0, NULL, NULL, NULL, G_TYPE_NONE, 0);
  /* More frames were written, or the counts changed (coalesced). */
  signals[PROGRESS] = g_signal_new ("progress", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                    0, NULL, NULL, NULL, G_TYPE_NONE, 0);
  /* The capture ended (or never started: see get_error()); the file is
   * complete under its final name. */
  signals[FINISHED] = g_signal_new ("finished", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                    0, NULL, NULL, NULL, G_TYPE_NONE, 0);
}

static void
pl_live_capture_init (PlLiveCapture *self)
{
  g_mutex_init (&self->lock);
  self->snaplen = DEFAULT_SNAPLEN;
}

PlLiveCapture *
pl_live_capture_new (const char *device,
                     const char *filter)
{
  PlLiveCapture *self;

  g_return_val_if_fail (device != NULL, NULL);

  self = g_object_new (PL_TYPE_LIVE_CAPTURE, NULL);
  self->device = g_strdup (device);
  self->filter = g_strdup (filter != NULL && filter[0] != '\0' ? filter : NULL);
  return self;
}

void
pl_live_capture_set_max_frames (PlLiveCapture *self,
                                guint64        max_frames)
{
  g_return_if_fail (PL_IS_LIVE_CAPTURE (self));
  self->max_frames = max_frames;
}

char *
pl_live_permission_advice (void)
{
  g_autofree char *exe = g_file_read_link ("/proc/self/exe", NULL);

  /* Translators: how to get the right to capture without running the
   * application as root; %s is the path of the program. */
  return g_strdup_printf (_("Capturing needs the CAP_NET_RAW capability. Either install Wireshark's "
                            "dumpcap and let members of the wireshark group capture "
                            "(sudo dpkg-reconfigure wireshark-common, then "
                            "sudo usermod -aG wireshark $USER and log in again), or give this program "
                            "the capability: sudo setcap cap_net_raw,cap_net_admin+eip %s. "
                            "Do not run the window as root."),
                          exe != NULL ? exe : "packet-ladder");
}

/* ---- Main context notifications ---- */

/* Always through a source attached to the context: g_main_context_invoke()
 * would run the callback in the calling thread when the context happens
 * to be free, and signals belong to the main thread. */
static void
run_in_context (PlLiveCapture *self,
                GSourceFunc    func)
{
  GSource *source = g_idle_source_new ();

  g_source_set_priority (source, G_PRIORITY_DEFAULT);
  g_source_set_callback (source, func, g_object_ref (self), g_object_unref);
  g_source_set_static_name (source, "[packet-ladder] live capture");
  g_source_attach (source, self->context);
  g_source_unref (source);
}

static gboolean
emit_progress_cb (gpointer data)
{
  PlLiveCapture *self = data;

  g_mutex_lock (&self->lock);
  self->notify_scheduled = FALSE;
  g_mutex_unlock (&self->lock);
  g_signal_emit (self, signals[PROGRESS], 0);
  return G_SOURCE_REMOVE;
}

static void
schedule_progress (PlLiveCapture *self)
{
  gboolean schedule;

  g_mutex_lock (&self->lock);
  schedule = !self->notify_scheduled;
  self->notify_scheduled = TRUE;
  g_mutex_unlock (&self->lock);
  if (schedule)
    run_in_context (self, emit_progress_cb);
}

static gboolean
emit_started_cb (gpointer data)
{
  g_signal_emit (data, signals[STARTED], 0);
  return G_SOURCE_REMOVE;
}

static gboolean
emit_finished_cb (gpointer data)
{
  PlLiveCapture *self = data;

  g_mutex_lock (&self->lock);
  self->running = FALSE;
  self->finished = TRUE;
  g_mutex_unlock (&self->lock);
  g_clear_pointer (&self->capture_thread, g_thread_join);
  g_clear_pointer (&self->writer_thread, g_thread_join);
  g_signal_emit (self, signals[FINISHED], 0);
  return G_SOURCE_REMOVE;
}

/* ---- The ring ---- */

static inline guint32
record_size (guint32 caplen)
{
  return (guint32) ((sizeof (RingHeader) + caplen + RECORD_ALIGN - 1) & ~(RECORD_ALIGN - 1));
}

/* Capture thread: one packet into the ring, or counted as dropped. */
static void
ring_push (gpointer      user_data,
           gint64        ts_ns,
           guint32       caplen,
           guint32       origlen,
           const guint8 *bytes)
{
  PlLiveCapture *self = user_data;
  RingHeader header = { ts_ns, MIN (caplen, self->snaplen), origlen };
  guint32 size = record_size (header.caplen);
  guint64 head, free_bytes;
  guint32 phys, pad;

  g_mutex_lock (&self->lock);
  head = self->head;
  free_bytes = RING_SIZE - (head - self->tail);
  g_mutex_unlock (&self->lock);

  phys = (guint32) (head % RING_SIZE);
  pad = phys + size > RING_SIZE ? RING_SIZE - phys : 0;
  if ((guint64) pad + size > free_bytes)
    {
      g_mutex_lock (&self->lock);
      self->ring_dropped++;
      g_mutex_unlock (&self->lock);
      return;
    }
  if (pad > 0)
    {
      RingHeader mark = { 0, WRAP_MARK, 0 };

      memcpy (self->ring + phys, &mark, sizeof mark);
      phys = 0;
    }
  memcpy (self->ring + phys, &header, sizeof header);
  memcpy (self->ring + phys + sizeof header, bytes, header.caplen);

  g_mutex_lock (&self->lock);
  self->head = head + pad + size;
  g_mutex_unlock (&self->lock);
}

/* ---- pcapng (draft-ietf-opsawg-pcapng) ---- */

static void
put_u16 (GByteArray *b, guint16 v)
{
  g_byte_array_append (b, (const guint8 *) &v, 2);
}

static void
put_u32 (GByteArray *b, guint32 v)
{
  g_byte_array_append (b, (const guint8 *) &v, 4);
}

static void
put_option (GByteArray   *b,
            guint16       code,
            const void   *value,
            guint16       len)
{
  static const guint8 zeros[4] = { 0 };

  put_u16 (b, code);
  put_u16 (b, len);
  g_byte_array_append (b, value, len);
  g_byte_array_append (b, zeros, (4 - len % 4) % 4);
}

/* Patches the block's total length at both ends (host byte order, as the
 * Section Header's byte-order magic says). */
static void
end_block (GByteArray *b,
           guint       start)
{
  guint32 len;

  put_u32 (b, 0);
  len = b->len - start;
  memcpy (b->data + start + 4, &len, 4);
  memcpy (b->data + b->len - 4, &len, 4);
}

static gboolean
write_bytes (PlLiveCapture *self,
             const void    *data,
             gsize          len)
{
  if (len == 0 || fwrite (data, 1, len, self->file) == len)
    return TRUE;
  return FALSE;
}

static gboolean
write_header_blocks (PlLiveCapture *self)
{
  g_autoptr(GByteArray) b = g_byte_array_new ();
  g_autofree char *app = g_strdup_printf ("Packet Ladder %s", PACKAGE_VERSION);
  guint8 tsresol = 9;
  guint start;

  /* Section Header Block. */
  put_u32 (b, 0x0A0D0D0A);
  put_u32 (b, 0);
  put_u32 (b, 0x1A2B3C4D);
  put_u16 (b, 1);
  put_u16 (b, 0);
  put_u32 (b, 0xFFFFFFFF);  /* section length unknown */
  put_u32 (b, 0xFFFFFFFF);
  put_option (b, 4, app, (guint16) strlen (app));  /* shb_userappl */
  put_u32 (b, 0);  /* opt_endofopt */
  end_block (b, 0);

  /* Interface Description Block. */
  start = b->len;
  put_u32 (b, 1);
  put_u32 (b, 0);
  put_u16 (b, (guint16) self->linktype);
  put_u16 (b, 0);
  put_u32 (b, self->snaplen);
  put_option (b, 2, self->device, (guint16) MIN (strlen (self->device), 256));  /* if_name */
  put_option (b, 9, &tsresol, 1);  /* if_tsresol: nanoseconds */
  if (self->filter != NULL)
    {
      /* if_filter: type 0, a libpcap filter string. */
      g_autoptr(GByteArray) f = g_byte_array_new ();

      g_byte_array_append (f, (const guint8 *) "\0", 1);
      g_byte_array_append (f, (const guint8 *) self->filter, (guint) MIN (strlen (self->filter), 1024));
      put_option (b, 11, f->data, (guint16) f->len);
    }
  put_u32 (b, 0);
  end_block (b, start);
  return write_bytes (self, b->data, b->len);
}

static gboolean
write_packet (PlLiveCapture    *self,
              const RingHeader *header,
              const guint8     *data)
{
  static const guint8 zeros[4] = { 0 };
  guint32 pad = (4 - header->caplen % 4) % 4;
  guint32 total = 32 + header->caplen + pad;
  guint64 ts = (guint64) header->ts_ns;
  guint32 head[7] = { 6, total, 0, (guint32) (ts >> 32), (guint32) ts, header->caplen, header->origlen };

  return write_bytes (self, head, sizeof head) &&
         write_bytes (self, data, header->caplen) &&
         write_bytes (self, zeros, pad) &&
         write_bytes (self, &total, 4);
}

static gboolean
write_statistics (PlLiveCapture *self)
{
  g_autoptr(GByteArray) b = g_byte_array_new ();
  guint64 ts = (guint64) self->last_ts_ns;
  guint64 value;
  guint32 start_ts[2] = { (guint32) ((guint64) self->first_ts_ns >> 32), (guint32) self->first_ts_ns };
  guint32 end_ts[2] = { (guint32) (ts >> 32), (guint32) ts };

  /* Interface Statistics Block: start and end time, frames received and
   * dropped (as Wireshark's Capture File Properties shows them). */
  put_u32 (b, 5);
  put_u32 (b, 0);
  put_u32 (b, 0);
  put_u32 (b, (guint32) (ts >> 32));
  put_u32 (b, (guint32) ts);
  if (self->n_written > 0)
    {
      put_option (b, 2, start_ts, 8);  /* isb_starttime */
      put_option (b, 3, end_ts, 8);    /* isb_endtime */
    }
  value = self->n_written + self->ring_dropped;
  put_option (b, 4, &value, 8);       /* isb_ifrecv */
  value = self->kernel_dropped + self->ring_dropped;
  put_option (b, 5, &value, 8);       /* isb_ifdrop */
  put_u32 (b, 0);
  end_block (b, 0);
  return write_bytes (self, b->data, b->len);
}

/* ---- Threads ---- */

static void
set_error_locked (PlLiveCapture *self,
                  GError        *error)
{
  if (self->error == NULL)
    self->error = error;
  else
    g_error_free (error);
}

static void
request_stop (PlLiveCapture *self)
{
  g_mutex_lock (&self->lock);
  self->stop_requested = TRUE;
  if (self->pcap != NULL)
    pl_pcap_live_break (self->pcap);
  if (self->dumpcap != NULL)
    g_subprocess_send_signal (self->dumpcap, SIGTERM);
  g_mutex_unlock (&self->lock);
}

/* dumpcap -i DEVICE -f FILTER -w -: pcapng on its standard output.  Its
 * standard error says why it failed. */
static PlPcapLive *
open_dumpcap (PlLiveCapture  *self,
              const char     *program,
              GError        **error)
{
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  g_autoptr(GSubprocess) process = NULL;
  g_autoptr(GError) local_error = NULL;
  g_autofree char *snaplen = g_strdup_printf ("%u", DEFAULT_SNAPLEN);
  g_autofree char *name = g_strdup_printf ("dumpcap -i %s", self->device);
  GInputStream *out;
  PlPcapLive *live;
  int fd;

  g_ptr_array_add (argv, (char *) program);
  g_ptr_array_add (argv, "-q");
  g_ptr_array_add (argv, "-i");
  g_ptr_array_add (argv, self->device);
  g_ptr_array_add (argv, "-s");
  g_ptr_array_add (argv, snaplen);
  if (self->filter != NULL)
    {
      g_ptr_array_add (argv, "-f");
      g_ptr_array_add (argv, self->filter);
    }
  g_ptr_array_add (argv, "-w");
  g_ptr_array_add (argv, "-");
  g_ptr_array_add (argv, NULL);

  process = g_subprocess_newv ((const char * const *) argv->pdata,
                               G_SUBPROCESS_FLAGS_STDOUT_PIPE | G_SUBPROCESS_FLAGS_STDERR_PIPE,
                               &local_error);
  if (process == NULL)
    {
      g_set_error (error, PL_LIVE_ERROR, PL_LIVE_ERROR_FAILED, "%s: %s", program, local_error->message);
      return NULL;
    }
  g_mutex_lock (&self->lock);
  self->dumpcap = g_object_ref (process);
  g_mutex_unlock (&self->lock);

  out = g_subprocess_get_stdout_pipe (process);
  fd = dup (g_unix_input_stream_get_fd (G_UNIX_INPUT_STREAM (out)));
  live = fd >= 0 ? pl_pcap_live_open_stream (fd, name, &local_error) : NULL;
  if (live == NULL)
    {
      /* dumpcap ended before its first block: its last line says why. */
      GInputStream *err = g_subprocess_get_stderr_pipe (process);
      char buf[4096];
      gsize got = 0;
      g_autofree char *text = NULL;
      g_auto(GStrv) lines = NULL;
      const char *why = NULL;
      guint i;

      g_input_stream_read_all (err, buf, sizeof buf - 1, &got, NULL, NULL);
      buf[got] = '\0';
      g_subprocess_wait (process, NULL, NULL);
      text = g_strstrip (g_strdup (buf));
      lines = g_strsplit (text, "\n", -1);
      for (i = 0; lines[i] != NULL; i++)
        if (g_strstrip (lines[i])[0] != '\0' && !g_str_has_prefix (lines[i], "Capturing on"))
          {
            why = lines[i];
            break;
          }
      if (why == NULL)
        why = local_error != NULL ? local_error->message : "";
      if (g_str_has_prefix (why, "dumpcap: "))
        why += strlen ("dumpcap: ");
      if (strstr (text, "ermission") != NULL || strstr (text, "not permitted") != NULL)
        {
          g_autofree char *advice = pl_live_permission_advice ();

          /* Translators: %s is an interface, then dumpcap's message, then the advice. */
          g_set_error (error, PL_LIVE_ERROR, PL_LIVE_ERROR_PERMISSION,
                       _("You may not capture on %s (dumpcap: %s). %s"), self->device, why, advice);
        }
      else
        g_set_error (error, PL_LIVE_ERROR, PL_LIVE_ERROR_FAILED,
                     _("dumpcap could not capture on %s: %s"), self->device, why);
      return NULL;
    }
  return live;
}

/* A capture file replayed as if it happened now (PL_LIVE_REPLAY: tests of
 * the window without privileges), through libpcap and the same filter,
 * paced by its own time stamps (pauses capped at 20 ms) or one frame
 * every PL_LIVE_REPLAY_INTERVAL_US. */
static PlPcapLive *
open_replay (PlLiveCapture  *self,
             const char     *path,
             GError        **error)
{
  int fd = g_open (path, O_RDONLY | O_CLOEXEC, 0);

  if (fd < 0)
    {
      g_set_error (error, PL_LIVE_ERROR, PL_LIVE_ERROR_NO_DEVICE, "%s: %s", path, g_strerror (errno));
      return NULL;
    }
  return pl_pcap_live_open_stream (fd, path, error);
}

typedef struct
{
  PlLiveCapture *self;
  gint64         last_ts;
  PlBpfFilter   *filter;
  gulong         interval_us;  /* PL_LIVE_REPLAY_INTERVAL_US: a fixed pace */
} Replay;

static void
replay_push (gpointer      user_data,
             gint64        ts_ns,
             guint32       caplen,
             guint32       origlen,
             const guint8 *bytes)
{
  Replay *r = user_data;

  if (r->filter != NULL && !pl_bpf_filter_matches (r->filter, bytes, caplen, origlen))
    return;
  if (r->interval_us > 0)
    g_usleep (r->interval_us);
  else if (r->last_ts != 0 && ts_ns > r->last_ts)
    g_usleep (MIN ((ts_ns - r->last_ts) / 1000, REPLAY_MAX_GAP_US));
  r->last_ts = ts_ns;
  ring_push (r->self, ts_ns, caplen, origlen, bytes);
}

static PlPcapLive *
open_source (PlLiveCapture  *self,
             PlLiveMethod   *method,
             GError        **error)
{
  g_autoptr(GError) direct_error = NULL;
  const char *replay = g_getenv ("PL_LIVE_REPLAY");
  const char *program_env = g_getenv ("PL_DUMPCAP");
  g_autofree char *program = NULL;
  PlPcapLive *live;

  if (replay != NULL && replay[0] != '\0')
    {
      *method = PL_LIVE_METHOD_REPLAY;
      return open_replay (self, replay, error);
    }

  *method = PL_LIVE_METHOD_LIBPCAP;
  live = pl_pcap_live_open (self->device, DEFAULT_SNAPLEN, self->filter, &direct_error);
  if (live != NULL || !g_error_matches (direct_error, PL_LIVE_ERROR, PL_LIVE_ERROR_PERMISSION))
    {
      if (live == NULL)
        g_propagate_error (error, g_steal_pointer (&direct_error));
      return live;
    }

  /* No permission here: Wireshark's helper may have it. */
  if (program_env != NULL)
    program = program_env[0] != '\0' ? g_strdup (program_env) : NULL;
  else
    program = g_find_program_in_path ("dumpcap");
  if (program == NULL || !g_file_test (program, G_FILE_TEST_IS_EXECUTABLE))
    {
      g_autofree char *advice = pl_live_permission_advice ();

      /* Translators: %s is libpcap's message, then the advice. */
      g_set_error (error, PL_LIVE_ERROR, PL_LIVE_ERROR_PERMISSION,
                   _("%s. %s"), direct_error->message, advice);
      return NULL;
    }
  *method = PL_LIVE_METHOD_DUMPCAP;
  return open_dumpcap (self, program, error);
}

static gpointer
capture_thread (gpointer data)
{
  PlLiveCapture *self = data;
  GError *error = NULL;
  PlLiveMethod method = PL_LIVE_METHOD_NONE;
  PlPcapLive *live = open_source (self, &method, &error);
  Replay replay = { self, 0, NULL, 0 };

  if (g_getenv ("PL_LIVE_REPLAY_INTERVAL_US") != NULL)
    replay.interval_us = (gulong) g_ascii_strtoull (g_getenv ("PL_LIVE_REPLAY_INTERVAL_US"), NULL, 10);

  g_mutex_lock (&self->lock);
  self->method = method;
  /* A stop that came while dumpcap started: tell it now. */
  if (self->stop_requested && self->dumpcap != NULL)
    g_subprocess_send_signal (self->dumpcap, SIGTERM);
  if (live != NULL)
    {
      self->pcap = live;
      self->linktype = pl_pcap_live_get_linktype (live);
      self->snaplen = MIN (pl_pcap_live_get_snaplen (live), DEFAULT_SNAPLEN);
    }
  else
    set_error_locked (self, error);
  g_mutex_unlock (&self->lock);

  if (live != NULL && method == PL_LIVE_METHOD_REPLAY && self->filter != NULL)
    {
      /* A replay applies the filter itself, as the kernel would. */
      replay.filter = pl_bpf_filter_new (self->linktype, 0, self->filter, &error);

      if (replay.filter == NULL)
        {
          g_mutex_lock (&self->lock);
          set_error_locked (self, g_error_new (PL_LIVE_ERROR, PL_LIVE_ERROR_FILTER,
                                               _("Bad capture filter: %s"), error->message));
          g_mutex_unlock (&self->lock);
          g_clear_error (&error);
          live = NULL;
          g_mutex_lock (&self->lock);
          g_clear_pointer (&self->pcap, pl_pcap_live_close);
          g_mutex_unlock (&self->lock);
        }
    }

  while (live != NULL)
    {
      gboolean stop;
      int n;
      guint64 received, dropped;

      g_mutex_lock (&self->lock);
      stop = self->stop_requested;
      g_mutex_unlock (&self->lock);
      if (stop && method != PL_LIVE_METHOD_DUMPCAP)
        break;
      if (method == PL_LIVE_METHOD_REPLAY)
        n = pl_pcap_live_dispatch (live, replay_push, &replay, &error);
      else
        n = pl_pcap_live_dispatch (live, ring_push, self, &error);
      if (pl_pcap_live_get_stats (live, &received, &dropped))
        {
          g_mutex_lock (&self->lock);
          self->kernel_dropped = dropped;
          g_mutex_unlock (&self->lock);
        }
      if (n == -2 && method == PL_LIVE_METHOD_REPLAY)
        {
          /* The file is over: the capture goes on, empty, until stopped. */
          g_mutex_lock (&self->lock);
          while (!self->stop_requested)
            {
              g_mutex_unlock (&self->lock);
              g_usleep (20 * 1000);
              g_mutex_lock (&self->lock);
            }
          g_mutex_unlock (&self->lock);
          break;
        }
      if (n == -2)
        break;
      if (n == -1)
        {
          g_mutex_lock (&self->lock);
          set_error_locked (self, g_steal_pointer (&error));
          g_mutex_unlock (&self->lock);
          break;
        }
    }

  if (self->dumpcap != NULL)
    {
      g_subprocess_send_signal (self->dumpcap, SIGTERM);
      g_subprocess_wait (self->dumpcap, NULL, NULL);
    }

  g_clear_pointer (&replay.filter, pl_bpf_filter_free);
  g_mutex_lock (&self->lock);
  g_clear_pointer (&self->pcap, pl_pcap_live_close);
  self->capture_done = TRUE;
  g_mutex_unlock (&self->lock);
  return NULL;
}

/* Writes the records published in the ring; FALSE when the file failed. */
static gboolean
drain_ring (PlLiveCapture *self,
            gboolean      *limit_reached)
{
  guint64 head, tail, written;
  gboolean ok = TRUE;

  g_mutex_lock (&self->lock);
  head = self->head;
  tail = self->tail;
  written = self->n_written;
  g_mutex_unlock (&self->lock);

  while (tail < head)
    {
      guint32 phys = (guint32) (tail % RING_SIZE);
      RingHeader header;

      memcpy (&header, self->ring + phys, sizeof header);
      if (header.caplen == WRAP_MARK)
        {
          tail += RING_SIZE - phys;
          continue;
        }
      if (self->max_frames == 0 || written < self->max_frames)
        {
          if (ok && !write_packet (self, &header, self->ring + phys + sizeof header))
            ok = FALSE;
          if (ok)
            {
              if (written == 0)
                self->first_ts_ns = header.ts_ns;
              self->last_ts_ns = header.ts_ns;
              written++;
            }
        }
      tail += record_size (header.caplen);
    }
  if (ok && fflush (self->file) != 0)
    ok = FALSE;

  g_mutex_lock (&self->lock);
  self->tail = tail;
  self->n_written = written;
  g_mutex_unlock (&self->lock);
  *limit_reached = self->max_frames > 0 && written >= self->max_frames;
  return ok;
}

static gpointer
writer_thread (gpointer data)
{
  PlLiveCapture *self = data;
  gboolean ok = TRUE, done = FALSE, limit = FALSE;
  guint64 last_written = 0, last_dropped = 0;
  int saved_errno = 0;

  /* The header blocks need the link type: wait for the device. */
  for (;;)
    {
      gboolean ready;

      g_mutex_lock (&self->lock);
      ready = self->pcap != NULL || self->capture_done;
      done = self->capture_done && self->pcap == NULL && self->linktype == 0 && self->error != NULL;
      g_mutex_unlock (&self->lock);
      if (ready)
        break;
      g_usleep (5 * 1000);
    }
  if (!done)
    {
      ok = write_header_blocks (self) && fflush (self->file) == 0;
      g_mutex_lock (&self->lock);
      self->opened = TRUE;
      g_mutex_unlock (&self->lock);
      run_in_context (self, emit_started_cb);
    }

  while (ok && !done)
    {
      guint64 written, dropped;

      g_usleep (WRITE_INTERVAL_MS * 1000);
      g_mutex_lock (&self->lock);
      done = self->capture_done;
      g_mutex_unlock (&self->lock);
      /* After capture_done, the ring holds everything there will be. */
      ok = drain_ring (self, &limit);
      if (!ok)
        saved_errno = errno;
      if (limit)
        request_stop (self);
      g_mutex_lock (&self->lock);
      written = self->n_written;
      dropped = self->kernel_dropped + self->ring_dropped;
      g_mutex_unlock (&self->lock);
      if (written != last_written || dropped != last_dropped)
        schedule_progress (self);
      last_written = written;
      last_dropped = dropped;
    }
  if (!ok)
    {
      request_stop (self);
      g_thread_join (self->capture_thread);
      self->capture_thread = NULL;
    }
  else
    {
      g_thread_join (self->capture_thread);
      self->capture_thread = NULL;
    }

  if (ok && self->opened)
    ok = write_statistics (self) && fflush (self->file) == 0 && fsync (fileno (self->file)) == 0;
  if (!ok && saved_errno == 0)
    saved_errno = errno;
  if (fclose (self->file) != 0 && ok)
    {
      ok = FALSE;
      saved_errno = errno;
    }
  self->file = NULL;

  g_mutex_lock (&self->lock);
  if (!ok)
    set_error_locked (self, g_error_new (PL_LIVE_ERROR, PL_LIVE_ERROR_WRITE,
                                         /* Translators: a file, then the system's reason. */
                                         _("Cannot write %s: %s"), self->temp_path,
                                         g_strerror (saved_errno != 0 ? saved_errno : EIO)));
  if (!self->opened)
    {
      /* Nothing was captured: no file to keep. */
      g_unlink (self->temp_path);
      g_clear_pointer (&self->temp_path, g_free);
    }
  else if (g_rename (self->temp_path, self->final_path) != 0)
    {
      int e = errno;

      set_error_locked (self, g_error_new (PL_LIVE_ERROR, PL_LIVE_ERROR_WRITE,
                                           _("Cannot write %s: %s"), self->final_path, g_strerror (e)));
    }
  else
    g_clear_pointer (&self->temp_path, g_free);
  g_mutex_unlock (&self->lock);

  run_in_context (self, emit_finished_cb);
  g_object_unref (self);
  return NULL;
}

gboolean
pl_live_capture_start (PlLiveCapture  *self,
                       const char     *path,
                       GError        **error)
{
  g_autofree char *dir = NULL;
  g_autofree char *base = NULL;
  g_autofree char *template = NULL;
  int fd;

  g_return_val_if_fail (PL_IS_LIVE_CAPTURE (self), FALSE);
  g_return_val_if_fail (path != NULL, FALSE);
  g_return_val_if_fail (!self->running && !self->finished, FALSE);

  if (!pl_live_check_filter (self->filter, error))
    return FALSE;

  /* The temporary file sits beside the final one, so the rename at the
   * end stays in one file system. */
  dir = g_path_get_dirname (path);
  base = g_path_get_basename (path);
  template = g_strdup_printf ("%s%s.%s.XXXXXX.part", dir, G_DIR_SEPARATOR_S, base);
  fd = g_mkstemp_full (template, O_RDWR | O_CLOEXEC, 0644);
  if (fd < 0)
    {
      int e = errno;

      g_set_error (error, PL_LIVE_ERROR, PL_LIVE_ERROR_WRITE,
                   _("Cannot write %s: %s"), path, g_strerror (e));
      return FALSE;
    }
  /* Held while the capture writes: the window's recovery leaves alone a
   * file someone is still writing (flock, so this process's other windows
   * see it too).  The lock goes with the descriptor when the file is
   * closed. */
  flock (fd, LOCK_EX | LOCK_NB);
  self->file = fdopen (fd, "wb");
  if (self->file == NULL)
    {
      int e = errno;

      close (fd);
      g_unlink (template);
      g_set_error (error, PL_LIVE_ERROR, PL_LIVE_ERROR_WRITE,
                   _("Cannot write %s: %s"), path, g_strerror (e));
      return FALSE;
    }
  self->temp_path = g_steal_pointer (&template);
  self->final_path = g_strdup (path);
  self->ring = g_malloc (RING_SIZE);
  self->context = g_main_context_ref_thread_default ();
  self->running = TRUE;

  /* Each thread holds a reference until it has finished. */
  self->capture_thread = g_thread_new ("pl-capture", capture_thread, self);
  self->writer_thread = g_thread_new ("pl-capture-writer", writer_thread, g_object_ref (self));
  return TRUE;
}

void
pl_live_capture_stop (PlLiveCapture *self)
{
  g_return_if_fail (PL_IS_LIVE_CAPTURE (self));
  if (self->running)
    request_stop (self);
}

gboolean
pl_live_capture_is_running (PlLiveCapture *self)
{
  return self->running;
}

gboolean
pl_live_capture_is_finished (PlLiveCapture *self)
{
  return self->finished;
}

PlLiveMethod
pl_live_capture_get_method (PlLiveCapture *self)
{
  PlLiveMethod method;

  g_mutex_lock (&self->lock);
  method = self->method;
  g_mutex_unlock (&self->lock);
  return method;
}

const char *
pl_live_capture_get_device (PlLiveCapture *self)
{
  return self->device;
}

const char *
pl_live_capture_get_filter (PlLiveCapture *self)
{
  return self->filter;
}

char *
pl_live_capture_dup_path (PlLiveCapture *self)
{
  char *path = NULL;

  g_mutex_lock (&self->lock);
  if (self->temp_path != NULL)
    path = self->opened ? g_strdup (self->temp_path) : NULL;
  else if (self->finished && self->error == NULL)
    path = g_strdup (self->final_path);
  else if (self->finished && self->opened)
    path = g_strdup (self->final_path);
  g_mutex_unlock (&self->lock);
  return path;
}

guint64
pl_live_capture_get_n_frames (PlLiveCapture *self)
{
  guint64 n;

  g_mutex_lock (&self->lock);
  n = self->n_written;
  g_mutex_unlock (&self->lock);
  return n;
}

guint64
pl_live_capture_get_n_dropped (PlLiveCapture *self)
{
  guint64 n;

  g_mutex_lock (&self->lock);
  n = self->kernel_dropped + self->ring_dropped;
  g_mutex_unlock (&self->lock);
  return n;
}

const GError *
pl_live_capture_get_error (PlLiveCapture *self)
{
  return self->error;
}
