/* pl-read-ahead.c: see pl-read-ahead.h.
 *
 * Three buffers go round between two queues: the thread takes a free one,
 * fills it with the next window and queues it as full; the caller takes
 * full ones in order and gives each back when it moves past it.  The
 * caller works in one window while the thread fills the next two.  A
 * window's first overlap bytes are the end of the one before: they are
 * copied from it rather than read again (only the thread writes buffers,
 * and a buffer the caller still reads is only read here).
 *
 * Between windows the thread also makes memory the caller is about to
 * write resident (pl_read_ahead_prepare()): a request is a marker in the
 * free queue, so a thread waiting for a buffer wakes for it too.
 */
#include "config.h"

#include <errno.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "pl-read-ahead.h"

#define N_BUFFERS 3

typedef struct
{
  guint8  *buf;
  guint64  index;  /* window number: starts at index * chunk */
  guint64  start;
  gsize    len;    /* bytes read into buf */
} Window;

struct _PlReadAhead
{
  int          fd;
  guint64      first;       /* where window 0 starts */
  guint64      file_len;
  gsize        chunk;
  gsize        overlap;
  guint64      n_windows;
  GAsyncQueue *free_q;
  GAsyncQueue *full_q;
  GThread     *thread;
  gint         stop;        /* atomic */
  guint64      bytes_read;  /* by pread(); the caller reads it after the
                             * queues' locks ordered the writes */
  Window       windows[N_BUFFERS];
  Window      *cur;         /* the caller's window, or NULL */
  gboolean     ended;       /* the thread sent its last window */

  /* pl_read_ahead_prepare(): the thread touches pages of [prep, prep +
   * prep_len) only with prep_lock held and prep_abort unset. */
  GMutex       prep_lock;
  guint8      *prep;
  gsize        prep_len;
  gsize        prep_done;   /* bytes from the first whole page made resident */
  gboolean     prep_abort;
};

/* Queue markers, never dereferenced. */
static Window end_marker;   /* full_q: no window after this */
static Window stop_marker;  /* free_q: the caller is gone */
static Window prep_marker;  /* free_q: a pl_read_ahead_prepare() request */

#ifndef MADV_POPULATE_WRITE
#define MADV_POPULATE_WRITE 23
#endif
#define PREP_STEP_PAGES 64

/* Maps the requested pages and reads a byte of each, so that neither the
 * kernel's fault nor a hypervisor's shadow page table fill is left for the
 * caller's first write.  A step at a time (PREP_STEP_PAGES, one system
 * call and a read per page): the marker goes back behind the windows to
 * read, so a preparation never keeps the caller waiting for its next
 * window.  Reading races with nothing: the caller claims the memory
 * (prep_abort under the lock) before it writes, and the values read are
 * not used. */
static void
prepare_pages (PlReadAhead *self)
{
  gsize page = (gsize) sysconf (_SC_PAGESIZE);
  gboolean more = FALSE;

  g_mutex_lock (&self->prep_lock);
  if (self->prep != NULL && !self->prep_abort)
    {
      /* Whole pages inside the range only. */
      guint8 *first = (guint8 *) (((guintptr) self->prep + page - 1) & ~(guintptr) (page - 1));
      guint8 *end = (guint8 *) (((guintptr) self->prep + self->prep_len) & ~(guintptr) (page - 1));
      guint8 *from = first + self->prep_done;
      guint8 *to = from + MIN ((gsize) (end > from ? end - from : 0), PREP_STEP_PAGES * page);

      if (to > from)
        {
          (void) madvise (from, (gsize) (to - from), MADV_POPULATE_WRITE);
          for (guint8 *p = from; p < to; p += page)
            (void) *(volatile guint8 *) p;
          self->prep_done += (gsize) (to - from);
        }
      more = to < end;
      if (!more)
        self->prep = NULL;
    }
  g_mutex_unlock (&self->prep_lock);
  if (more)
    g_async_queue_push (self->free_q, &prep_marker);
}

/* The next free buffer, doing prepare requests while waiting; NULL when
 * the caller is gone. */
static Window *
pop_free (PlReadAhead *self)
{
  for (;;)
    {
      Window *w = g_async_queue_pop (self->free_q);

      if (w == &stop_marker || g_atomic_int_get (&self->stop))
        return NULL;
      if (w != &prep_marker)
        return w;
      prepare_pages (self);
    }
}

static gpointer
read_thread (gpointer data)
{
  PlReadAhead *self = data;
  Window *prev = NULL;

  for (guint64 k = 0; k < self->n_windows; k++)
    {
      Window *w = pop_free (self);
      gsize want;
      gsize got = 0;

      if (w == NULL)
        break;
      w->index = k;
      w->start = self->first + k * self->chunk;
      want = (gsize) MIN ((guint64) (self->chunk + self->overlap), self->file_len - w->start);
      /* What the window before holds of this one (its overlap), copied
       * from there (w may be that very buffer: memmove). */
      if (prev != NULL && prev->start + prev->len > w->start)
        {
          got = (gsize) MIN ((guint64) want, prev->start + prev->len - w->start);
          memmove (w->buf, prev->buf + (w->start - prev->start), got);
        }
      while (got < want)
        {
          ssize_t r = pread (self->fd, w->buf + got, want - got, (off_t) (w->start + got));

          if (r < 0 && errno == EINTR)
            continue;
          if (r <= 0)
            break;
          got += (gsize) r;
          self->bytes_read += (guint64) r;
        }
      w->len = got;
      prev = w;
      g_async_queue_push (self->full_q, w);
      /* A file that shrank (or a read error): the caller reads the rest
       * from the mapping, whose guard tells it what happened. */
      if (got < want)
        break;
    }
  g_async_queue_push (self->full_q, &end_marker);
  return NULL;
}

PlReadAhead *
pl_read_ahead_new (int     fd,
                   guint64 len,
                   gsize   chunk,
                   gsize   overlap)
{
  return pl_read_ahead_new_from (fd, 0, len, chunk, overlap);
}

PlReadAhead *
pl_read_ahead_new_from (int     fd,
                        guint64 start,
                        guint64 len,
                        gsize   chunk,
                        gsize   overlap)
{
  PlReadAhead *self;
  gsize size;

  g_return_val_if_fail (fd >= 0, NULL);
  g_return_val_if_fail (chunk > 0, NULL);
  g_return_val_if_fail (start <= len, NULL);

  self = g_new0 (PlReadAhead, 1);
  self->fd = fd;
  self->first = start;
  self->file_len = len;
  self->chunk = chunk;
  self->overlap = overlap;
  self->n_windows = (len - start + chunk - 1) / chunk;
  self->free_q = g_async_queue_new ();
  self->full_q = g_async_queue_new ();
  g_mutex_init (&self->prep_lock);
  /* A small file needs no more than its own size. */
  size = (gsize) MIN ((guint64) (chunk + overlap), len - start);
  for (guint i = 0; i < N_BUFFERS; i++)
    {
      self->windows[i].buf = g_malloc (MAX (size, 1));
      g_async_queue_push (self->free_q, &self->windows[i]);
    }
  self->thread = g_thread_try_new ("pl-read-ahead", read_thread, self, NULL);
  if (self->thread == NULL)
    {
      pl_read_ahead_free (self);
      return NULL;
    }
  return self;
}

void
pl_read_ahead_free (PlReadAhead *self)
{
  if (self == NULL)
    return;
  if (self->thread != NULL)
    {
      pl_read_ahead_claim (self);
      g_atomic_int_set (&self->stop, TRUE);
      g_async_queue_push (self->free_q, &stop_marker);
      g_thread_join (self->thread);
    }
  for (guint i = 0; i < N_BUFFERS; i++)
    g_free (self->windows[i].buf);
  g_mutex_clear (&self->prep_lock);
  g_async_queue_unref (self->free_q);
  g_async_queue_unref (self->full_q);
  g_free (self);
}

/* The next full window, or NULL after the last. */
static Window *
next_window (PlReadAhead *self)
{
  Window *w;

  if (self->ended)
    return NULL;
  w = g_async_queue_pop (self->full_q);
  if (w == &end_marker)
    {
      self->ended = TRUE;
      return NULL;
    }
  return w;
}

gboolean
pl_read_ahead_get (PlReadAhead   *self,
                   guint64        off,
                   gsize          n,
                   const guint8 **data,
                   guint64       *start,
                   gsize         *len)
{
  Window *w;

  g_return_val_if_fail (self != NULL, FALSE);

  if (self->cur == NULL && !self->ended)
    self->cur = next_window (self);
  /* Past this window's chunk: the next window starts no later than off. */
  while (self->cur != NULL && off >= self->cur->start + self->chunk)
    {
      g_async_queue_push (self->free_q, self->cur);
      self->cur = next_window (self);
    }

  w = self->cur;
  if (w == NULL || off < w->start || n > w->len || off - w->start > w->len - n)
    return FALSE;
  *data = w->buf;
  *start = w->start;
  *len = w->len;
  return TRUE;
}

void
pl_read_ahead_prepare (PlReadAhead *self,
                       gpointer     mem,
                       gsize        len)
{
  g_return_if_fail (self != NULL);

  pl_read_ahead_claim (self);
  if (mem == NULL || len == 0)
    return;
  g_mutex_lock (&self->prep_lock);
  self->prep = mem;
  self->prep_len = len;
  self->prep_done = 0;
  self->prep_abort = FALSE;
  g_mutex_unlock (&self->prep_lock);
  /* Ahead of the buffers already queued, so it is done soon. */
  g_async_queue_push_front (self->free_q, &prep_marker);
}

void
pl_read_ahead_claim (PlReadAhead *self)
{
  g_return_if_fail (self != NULL);

  g_mutex_lock (&self->prep_lock);
  self->prep_abort = TRUE;
  self->prep = NULL;
  g_mutex_unlock (&self->prep_lock);
}

guint64
pl_read_ahead_get_bytes_read (PlReadAhead *self)
{
  g_return_val_if_fail (self != NULL, 0);

  return self->bytes_read;
}
