/* pl-capture-dialog.c: the Capture dialog.
 *
 * The interfaces come from libpcap (pcap_findalldevs) in a worker thread,
 * loopback first: the lab's web server listens there.  The filter is
 * compiled by libpcap as it is typed (core's pl_live_check_filter(), a
 * compile into memory, no device opened), so a typo is shown before Start
 * rather than after.  Start hands both to win.capture-start: the window
 * owns the capture, the dialog only asks.
 */
#include "config.h"

#include <glib/gi18n.h>

#include "pl-capture-dialog.h"
#include "pl-pcap-live.h"

struct _PlCaptureDialog
{
  AdwWindow       parent_instance;

  AdwComboRow    *interface_row;
  AdwEntryRow    *filter_row;
  GtkLabel       *message_label;
  GtkButton      *start_button;
  GtkButton      *cancel_button;

  GtkWindow      *parent;       /* weak: the dialog dies with it */
  GtkStringList  *names;
  char           *filter_error;
  GCancellable   *cancellable;
};

G_DEFINE_FINAL_TYPE (PlCaptureDialog, pl_capture_dialog, ADW_TYPE_WINDOW)

static void
update_start (PlCaptureDialog *self)
{
  gtk_widget_set_sensitive (GTK_WIDGET (self->start_button), pl_capture_dialog_can_start (self));
}

static void
on_filter_changed (PlCaptureDialog *self)
{
  g_autoptr(GError) error = NULL;
  const char *text = gtk_editable_get_text (GTK_EDITABLE (self->filter_row));

  g_clear_pointer (&self->filter_error, g_free);
  if (!pl_live_check_filter (text, &error))
    {
      self->filter_error = g_strdup (error->message);
      gtk_widget_add_css_class (GTK_WIDGET (self->filter_row), "error");
      gtk_widget_add_css_class (GTK_WIDGET (self->message_label), "error");
      gtk_label_set_text (self->message_label, error->message);
      gtk_accessible_update_state (GTK_ACCESSIBLE (self->filter_row), GTK_ACCESSIBLE_STATE_INVALID,
                                   GTK_ACCESSIBLE_INVALID_TRUE, -1);
    }
  else
    {
      gtk_widget_remove_css_class (GTK_WIDGET (self->filter_row), "error");
      gtk_widget_remove_css_class (GTK_WIDGET (self->message_label), "error");
      gtk_label_set_text (self->message_label,
                          _("The filter is a tcpdump expression (pcap-filter): “tcp port 8080” keeps the lab's web traffic; empty keeps everything."));
      gtk_accessible_reset_state (GTK_ACCESSIBLE (self->filter_row), GTK_ACCESSIBLE_STATE_INVALID);
    }
  update_start (self);
}

static void
list_thread (GTask        *task,
             gpointer      source,
             gpointer      task_data,
             GCancellable *cancellable)
{
  GError *error = NULL;
  GPtrArray *list = pl_live_list_interfaces (&error);

  if (list == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, list, (GDestroyNotify) g_ptr_array_unref);
}

static void
list_done (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) list = g_task_propagate_pointer (G_TASK (result), &error);
  PlCaptureDialog *self;
  guint i;

  if (list == NULL && g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  self = PL_CAPTURE_DIALOG (user_data);
  if (list == NULL)
    {
      gtk_label_set_text (self->message_label, error->message);
      return;
    }
  for (i = 0; i < list->len; i++)
    gtk_string_list_append (self->names, ((PlLiveInterface *) g_ptr_array_index (list, i))->name);
  adw_combo_row_set_model (self->interface_row, G_LIST_MODEL (self->names));
  adw_combo_row_set_selected (self->interface_row, 0);
  gtk_widget_set_sensitive (GTK_WIDGET (self->interface_row), list->len > 0);
  if (list->len == 0)
    gtk_label_set_text (self->message_label, _("libpcap found no interface to capture on."));
  update_start (self);
}

static void
on_start (PlCaptureDialog *self)
{
  pl_capture_dialog_start (self);
}

static void
on_cancel (PlCaptureDialog *self)
{
  gtk_window_destroy (GTK_WINDOW (self));
}

static void
pl_capture_dialog_dispose (GObject *object)
{
  PlCaptureDialog *self = PL_CAPTURE_DIALOG (object);

  if (self->cancellable != NULL)
    g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  G_OBJECT_CLASS (pl_capture_dialog_parent_class)->dispose (object);
}

static void
pl_capture_dialog_finalize (GObject *object)
{
  PlCaptureDialog *self = PL_CAPTURE_DIALOG (object);

  g_clear_object (&self->names);
  g_free (self->filter_error);
  G_OBJECT_CLASS (pl_capture_dialog_parent_class)->finalize (object);
}

static void
pl_capture_dialog_class_init (PlCaptureDialogClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = pl_capture_dialog_dispose;
  object_class->finalize = pl_capture_dialog_finalize;

  gtk_widget_class_set_template_from_resource (widget_class, RESOURCE_PATH "/pl-capture-dialog.ui");
  gtk_widget_class_bind_template_child (widget_class, PlCaptureDialog, interface_row);
  gtk_widget_class_bind_template_child (widget_class, PlCaptureDialog, filter_row);
  gtk_widget_class_bind_template_child (widget_class, PlCaptureDialog, message_label);
  gtk_widget_class_bind_template_child (widget_class, PlCaptureDialog, start_button);
  gtk_widget_class_bind_template_child (widget_class, PlCaptureDialog, cancel_button);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "window.close", NULL);
}

static void
pl_capture_dialog_init (PlCaptureDialog *self)
{
  g_autoptr(GTask) task = NULL;

  gtk_widget_init_template (GTK_WIDGET (self));
  self->names = gtk_string_list_new (NULL);
  g_signal_connect_object (self->filter_row, "changed", G_CALLBACK (on_filter_changed), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->filter_row, "entry-activated", G_CALLBACK (on_start), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->start_button, "clicked", G_CALLBACK (on_start), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->cancel_button, "clicked", G_CALLBACK (on_cancel), self, G_CONNECT_SWAPPED);

  self->cancellable = g_cancellable_new ();
  task = g_task_new (NULL, self->cancellable, list_done, self);
  g_task_set_check_cancellable (task, TRUE);
  g_task_run_in_thread (task, list_thread);
}

PlCaptureDialog *
pl_capture_dialog_new (GtkWindow  *parent,
                       const char *filter)
{
  PlCaptureDialog *self = g_object_new (PL_TYPE_CAPTURE_DIALOG,
                                        "transient-for", parent,
                                        NULL);

  self->parent = parent;
  if (filter != NULL)
    gtk_editable_set_text (GTK_EDITABLE (self->filter_row), filter);
  on_filter_changed (self);
  return self;
}

GListModel *
pl_capture_dialog_get_interfaces (PlCaptureDialog *self)
{
  g_return_val_if_fail (PL_IS_CAPTURE_DIALOG (self), NULL);
  return adw_combo_row_get_model (self->interface_row);
}

const char *
pl_capture_dialog_get_interface (PlCaptureDialog *self)
{
  guint selected;

  g_return_val_if_fail (PL_IS_CAPTURE_DIALOG (self), NULL);
  selected = adw_combo_row_get_selected (self->interface_row);
  if (adw_combo_row_get_model (self->interface_row) == NULL || selected == GTK_INVALID_LIST_POSITION)
    return NULL;
  return gtk_string_list_get_string (self->names, selected);
}

void
pl_capture_dialog_set_filter (PlCaptureDialog *self,
                              const char      *filter)
{
  g_return_if_fail (PL_IS_CAPTURE_DIALOG (self));
  gtk_editable_set_text (GTK_EDITABLE (self->filter_row), filter);
}

const char *
pl_capture_dialog_get_filter_error (PlCaptureDialog *self)
{
  g_return_val_if_fail (PL_IS_CAPTURE_DIALOG (self), NULL);
  return self->filter_error;
}

gboolean
pl_capture_dialog_can_start (PlCaptureDialog *self)
{
  g_return_val_if_fail (PL_IS_CAPTURE_DIALOG (self), FALSE);
  return self->filter_error == NULL && pl_capture_dialog_get_interface (self) != NULL;
}

void
pl_capture_dialog_start (PlCaptureDialog *self)
{
  g_return_if_fail (PL_IS_CAPTURE_DIALOG (self));

  if (!pl_capture_dialog_can_start (self))
    return;
  gtk_widget_activate_action (GTK_WIDGET (self->parent), "win.capture-start", "(ss)",
                              pl_capture_dialog_get_interface (self),
                              gtk_editable_get_text (GTK_EDITABLE (self->filter_row)));
  gtk_window_destroy (GTK_WINDOW (self));
}
