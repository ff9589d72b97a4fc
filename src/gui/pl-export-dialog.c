/* pl-export-dialog.c: the Export dialog.
 *
 * Rows for the format, the scope and the view options (starting from what
 * the window shows); Export asks for a file with GtkFileChooserNative and
 * writes it through render's export API, which replaces the file only once
 * the new one is complete.  The format and scope chosen are remembered.
 */
#include "config.h"

#include <glib/gi18n.h>

#include "pl-export-dialog.h"
#include "pl-ladder-view.h"
#include "pl-stream-list.h"
#include "pl-window.h"
#include "pl-export.h"

typedef struct
{
  const char *id;
  const char *name;       /* translatable, marked with N_() */
  const char *extension;
  const char *mime_type;
} PlExportFormatInfo;

static const PlExportFormatInfo formats[] = {
  { "png",      N_("PNG Image"),            "png",  "image/png" },
  { "svg",      N_("SVG Image"),            "svg",  "image/svg+xml" },
  { "pdf",      N_("PDF Document"),         "pdf",  "application/pdf" },
  { "mermaid",  N_("Mermaid Diagram"),      "mmd",  "text/plain" },
  { "plantuml", N_("PlantUML Diagram"),     "puml", "text/plain" },
  { "text",     N_("Plain Text"),           "txt",  "text/plain" },
};

static const char *scopes[] = { "selected", "visible", "all" };
/* As PlLadderPaper and the export-paper setting. */
static const char *papers[] = { "none", "a4", "letter" };

struct _PlExportDialog
{
  AdwWindow     parent_instance;

  PlWindow     *window;          /* weak */
  AdwComboRow  *format_row;
  AdwComboRow  *scope_row;
  AdwComboRow  *paper_row;       /* shown for PDF only */
  AdwComboRow  *spacing_row;
  AdwComboRow  *numbers_row;
  AdwComboRow  *lifelines_row;
  GtkSwitch    *states_switch;
  GtkSwitch    *acks_switch;
  GtkSwitch    *fold_switch;
  GtkSwitch    *explain_switch;
};

G_DEFINE_FINAL_TYPE (PlExportDialog, pl_export_dialog, ADW_TYPE_WINDOW)

static GSettings *
get_settings (PlWindow *window)
{
  GtkApplication *app = window != NULL ? gtk_window_get_application (GTK_WINDOW (window)) : NULL;

  return PL_IS_APPLICATION (app) ? pl_application_get_settings (PL_APPLICATION (app)) : NULL;
}

static gboolean
parse_format (const char     *id,
              PlExportFormat *format)
{
  static const struct { const char *id; PlExportFormat format; } map[] = {
    { "png", PL_EXPORT_PNG },
    { "svg", PL_EXPORT_SVG },
    { "pdf", PL_EXPORT_PDF },
    { "mermaid", PL_EXPORT_MERMAID },
    { "plantuml", PL_EXPORT_PLANTUML },
    { "text", PL_EXPORT_TEXT },
  };

  for (guint i = 0; i < G_N_ELEMENTS (map); i++)
    if (g_strcmp0 (map[i].id, id) == 0)
      {
        *format = map[i].format;
        return TRUE;
      }
  return FALSE;
}

gboolean
pl_export_write (PlWindow              *window,
                 GFile                 *file,
                 const char            *format_id,
                 PlExportScope          scope,
                 const PlLadderOptions *options,
                 GError               **error)
{
  PlLadderView *view;
  PlLadderSelection *shown;
  g_autoptr(PlLadderSelection) selection = NULL;
  PlCapture *capture;
  PlExportFormat format;
  PlLadderOptions opts;

  g_return_val_if_fail (PL_IS_WINDOW (window), FALSE);
  g_return_val_if_fail (G_IS_FILE (file), FALSE);

  capture = pl_window_get_capture (window);
  view = pl_window_get_ladder_view (window);
  shown = pl_ladder_view_get_selection (view);

  if (capture == NULL || !parse_format (format_id, &format))
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                   _("Nothing to export"));
      return FALSE;
    }

  opts = options != NULL ? *options : *pl_ladder_view_get_options (view);
  /* Files are for paper and slides: always the light palette. */
  opts.theme = PL_LADDER_THEME_LIGHT;
  opts.scale = 1.0;

  switch (scope)
    {
    case PL_EXPORT_SCOPE_ALL:
      selection = pl_ladder_selection_new (capture);
      pl_ladder_selection_add_http_brackets (selection);
      break;

    case PL_EXPORT_SCOPE_VISIBLE:
      if (shown == NULL)
        goto no_stream;
      selection = pl_ladder_view_dup_visible_selection (view);
      break;

    case PL_EXPORT_SCOPE_SELECTED:
    default:
      if (shown == NULL)
        goto no_stream;
      selection = pl_ladder_selection_ref (shown);
      break;
    }

  {
    g_autofree char *path = g_file_get_path (file);
    g_autoptr(GBytes) bytes = NULL;

    if (path != NULL)
      return pl_export_to_file (selection, &opts, format, path, NULL, NULL, NULL, error);

    /* Not a local file (a remote folder): in memory, then replaced whole. */
    bytes = pl_export_to_bytes (selection, &opts, format, error);
    return bytes != NULL
           && g_file_replace_contents (file, g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes),
                                       NULL, FALSE, G_FILE_CREATE_REPLACE_DESTINATION, NULL, NULL, error);
  }

no_stream:
  g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
               _("Select a stream to export"));
  return FALSE;
}

static gboolean
format_is_pdf (PlExportDialog *self)
{
  guint format = adw_combo_row_get_selected (self->format_row);

  return format < G_N_ELEMENTS (formats) && g_str_equal (formats[format].id, "pdf");
}

static void
pl_export_dialog_read_options (PlExportDialog  *self,
                               PlLadderOptions *options)
{
  static const PlLadderSpacing spacings[] = {
    PL_LADDER_SPACING_UNIFORM, PL_LADDER_SPACING_TIME, PL_LADDER_SPACING_COMPRESSED,
  };

  *options = *pl_ladder_view_get_options (pl_window_get_ladder_view (self->window));
  options->spacing = spacings[MIN (adw_combo_row_get_selected (self->spacing_row), 2)];
  options->numbers = MIN (adw_combo_row_get_selected (self->numbers_row), PL_LADDER_NUMBERS_BOTH);
  options->merge_hosts = adw_combo_row_get_selected (self->lifelines_row) == 1;
  options->show_states = gtk_switch_get_active (self->states_switch);
  options->hide_pure_acks = gtk_switch_get_active (self->acks_switch);
  options->fold_http = gtk_switch_get_active (self->fold_switch);
  options->explain = gtk_switch_get_active (self->explain_switch);
  /* Paper is for PDF only: other formats ignore it, and a hidden row must
   * not change what they write. */
  options->paper = PL_LADDER_PAPER_NONE;
  if (format_is_pdf (self))
    options->paper = MIN (adw_combo_row_get_selected (self->paper_row), PL_LADDER_PAPER_LETTER);
}

void
pl_export_dialog_get_options (PlExportDialog  *self,
                              PlLadderOptions *options)
{
  g_return_if_fail (PL_IS_EXPORT_DIALOG (self));

  pl_export_dialog_read_options (self, options);
}

static char *
suggest_name (PlExportDialog           *self,
              const PlExportFormatInfo *info,
              PlExportScope             scope)
{
  PlCapture *capture = pl_window_get_capture (self->window);
  GFile *file = capture != NULL ? pl_capture_get_file (capture) : NULL;
  g_autofree char *base = file != NULL ? g_file_get_basename (file) : g_strdup ("capture");
  PlStreamItem *item = pl_stream_list_get_selected_item (pl_window_get_stream_list (self->window));
  char *dot = strrchr (base, '.');

  if (dot != NULL && dot != base)
    *dot = '\0';

  if (scope != PL_EXPORT_SCOPE_ALL && item != NULL)
    return g_strdup_printf ("%s-stream-%u.%s", base, pl_stream_item_get_index (item), info->extension);
  return g_strdup_printf ("%s.%s", base, info->extension);
}

typedef struct
{
  PlWindow        *window;
  char            *format;
  PlExportScope    scope;
  PlLadderOptions  options;
} PlExportJob;

static void
pl_export_job_free (PlExportJob *job)
{
  g_clear_object (&job->window);
  g_free (job->format);
  g_free (job);
}

static void
on_save_response (GtkNativeDialog *chooser,
                  int              response,
                  gpointer         user_data)
{
  PlExportJob *job = user_data;

  if (response == GTK_RESPONSE_ACCEPT)
    {
      g_autoptr(GFile) file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (chooser));
      g_autoptr(GError) error = NULL;

      if (file != NULL && pl_export_write (job->window, file, job->format, job->scope, &job->options, &error))
        {
          g_autofree char *name = g_file_get_parse_name (file);
          /* Translators: a toast; %s is the path of the file written. */
          g_autofree char *message = g_strdup_printf (_("Exported to %s"), name);

          pl_window_notify (job->window, message);
        }
      else if (error != NULL)
        {
          pl_window_notify (job->window, error->message);
        }
    }

  gtk_native_dialog_destroy (chooser);
  g_object_unref (chooser);
  pl_export_job_free (job);
}

static void
export_clicked (PlExportDialog *self)
{
  const PlExportFormatInfo *info = &formats[MIN (adw_combo_row_get_selected (self->format_row), G_N_ELEMENTS (formats) - 1)];
  PlExportScope scope = MIN (adw_combo_row_get_selected (self->scope_row), PL_EXPORT_SCOPE_ALL);
  GSettings *settings = get_settings (self->window);
  GtkFileChooserNative *chooser;
  g_autoptr(GtkFileFilter) filter = gtk_file_filter_new ();
  g_autofree char *name = suggest_name (self, info, scope);
  PlExportJob *job;
  PlCapture *capture;

  if (settings != NULL)
    {
      g_settings_set_string (settings, "export-format", info->id);
      g_settings_set_string (settings, "export-scope", scopes[scope]);
      if (gtk_widget_get_visible (GTK_WIDGET (self->paper_row)))
        g_settings_set_string (settings, "export-paper",
                               papers[MIN (adw_combo_row_get_selected (self->paper_row), G_N_ELEMENTS (papers) - 1)]);
    }

  job = g_new0 (PlExportJob, 1);
  job->window = g_object_ref (self->window);
  job->format = g_strdup (info->id);
  job->scope = scope;
  pl_export_dialog_read_options (self, &job->options);

  chooser = gtk_file_chooser_native_new (_("Export Diagram"), GTK_WINDOW (self->window),
                                         GTK_FILE_CHOOSER_ACTION_SAVE,
                                         _("_Export"), _("_Cancel"));
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (chooser), TRUE);
  gtk_file_chooser_set_current_name (GTK_FILE_CHOOSER (chooser), name);
  gtk_file_filter_set_name (filter, gettext (info->name));
  gtk_file_filter_add_suffix (filter, info->extension);
  gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (chooser), filter);

  capture = pl_window_get_capture (self->window);
  if (capture != NULL && pl_capture_get_file (capture) != NULL)
    {
      g_autoptr(GFile) folder = g_file_get_parent (pl_capture_get_file (capture));

      if (folder != NULL)
        gtk_file_chooser_set_current_folder (GTK_FILE_CHOOSER (chooser), folder, NULL);
    }

  g_signal_connect (chooser, "response", G_CALLBACK (on_save_response), job);
  gtk_window_destroy (GTK_WINDOW (self));
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (chooser));
}

void
pl_export_dialog_set_scope (PlExportDialog *self,
                            PlExportScope   scope)
{
  g_return_if_fail (PL_IS_EXPORT_DIALOG (self));

  adw_combo_row_set_selected (self->scope_row, scope);
}

AdwComboRow *
pl_export_dialog_get_format_row (PlExportDialog *self)
{
  g_return_val_if_fail (PL_IS_EXPORT_DIALOG (self), NULL);

  return self->format_row;
}

AdwComboRow *
pl_export_dialog_get_paper_row (PlExportDialog *self)
{
  g_return_val_if_fail (PL_IS_EXPORT_DIALOG (self), NULL);

  return self->paper_row;
}

static void
format_changed (PlExportDialog *self)
{
  gtk_widget_set_visible (GTK_WIDGET (self->paper_row), format_is_pdf (self));
}

static AdwComboRow *
add_combo (AdwPreferencesGroup *group,
           const char          *title,
           const char          *subtitle,
           const char * const  *items,
           guint                selected)
{
  GtkWidget *row = adw_combo_row_new ();
  g_autoptr(GtkStringList) model = gtk_string_list_new (NULL);

  for (guint i = 0; items[i] != NULL; i++)
    gtk_string_list_append (model, items[i]);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
  if (subtitle != NULL)
    adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);
  adw_combo_row_set_model (ADW_COMBO_ROW (row), G_LIST_MODEL (model));
  adw_combo_row_set_selected (ADW_COMBO_ROW (row), selected);
  adw_preferences_group_add (group, row);
  return ADW_COMBO_ROW (row);
}

static GtkSwitch *
add_switch (AdwPreferencesGroup *group,
            const char          *title,
            const char          *subtitle,
            gboolean             active)
{
  GtkWidget *row = adw_action_row_new ();
  GtkWidget *toggle = gtk_switch_new ();

  gtk_switch_set_active (GTK_SWITCH (toggle), active);
  gtk_widget_set_valign (toggle, GTK_ALIGN_CENTER);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
  if (subtitle != NULL)
    adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);
  adw_action_row_add_suffix (ADW_ACTION_ROW (row), toggle);
  adw_action_row_set_activatable_widget (ADW_ACTION_ROW (row), toggle);
  adw_preferences_group_add (group, row);
  return GTK_SWITCH (toggle);
}

static guint
index_of (const char * const *ids,
          guint               n,
          const char         *id)
{
  for (guint i = 0; i < n; i++)
    if (g_strcmp0 (ids[i], id) == 0)
      return i;
  return 0;
}

PlExportDialog *
pl_export_dialog_new (PlWindow *window)
{
  PlExportDialog *self;
  const PlLadderOptions *options;
  GSettings *settings;
  GtkWidget *box, *header, *cancel, *export, *page, *title;
  AdwPreferencesGroup *group;
  const char *format_names[G_N_ELEMENTS (formats) + 1];
  const char *format_ids[G_N_ELEMENTS (formats)];
  const char *scope_names[] = { _("Selected Stream"), _("Visible Rows"), _("All Streams"), NULL };
  const char *spacing_names[] = { _("One Row per Arrow"), _("Time to Scale"), _("Time to Scale, Gaps Cut"), NULL };
  const char *number_names[] = { _("Relative"), _("Raw"), _("Both"), NULL };
  const char *lifeline_names[] = { _("One per Socket"), _("One per Host"), NULL };
  const char *paper_names[] = { _("One Page as Wide as the Ladder"), _("A4"), _("US Letter"), NULL };
  guint format = 1, scope = 0, paper = 0;

  g_return_val_if_fail (PL_IS_WINDOW (window), NULL);

  for (guint i = 0; i < G_N_ELEMENTS (formats); i++)
    {
      format_names[i] = gettext (formats[i].name);
      format_ids[i] = formats[i].id;
    }
  format_names[G_N_ELEMENTS (formats)] = NULL;

  settings = get_settings (window);
  if (settings != NULL)
    {
      g_autofree char *f = g_settings_get_string (settings, "export-format");
      g_autofree char *s = g_settings_get_string (settings, "export-scope");
      g_autofree char *p = g_settings_get_string (settings, "export-paper");

      format = index_of (format_ids, G_N_ELEMENTS (formats), f);
      scope = index_of (scopes, G_N_ELEMENTS (scopes), s);
      paper = index_of (papers, G_N_ELEMENTS (papers), p);
    }

  self = g_object_new (PL_TYPE_EXPORT_DIALOG,
                       "transient-for", window,
                       "modal", TRUE,
                       "title", _("Export Diagram"),
                       "default-width", 460,
                       "default-height", 640,
                       NULL);
  self->window = window;
  g_object_add_weak_pointer (G_OBJECT (window), (gpointer *) &self->window);
  options = pl_ladder_view_get_options (pl_window_get_ladder_view (window));

  box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 0);
  header = adw_header_bar_new ();
  adw_header_bar_set_show_end_title_buttons (ADW_HEADER_BAR (header), FALSE);
  adw_header_bar_set_show_start_title_buttons (ADW_HEADER_BAR (header), FALSE);
  title = adw_window_title_new (_("Export Diagram"), NULL);
  adw_header_bar_set_title_widget (ADW_HEADER_BAR (header), title);
  cancel = gtk_button_new_with_mnemonic (_("_Cancel"));
  g_signal_connect_swapped (cancel, "clicked", G_CALLBACK (gtk_window_destroy), self);
  adw_header_bar_pack_start (ADW_HEADER_BAR (header), cancel);
  export = gtk_button_new_with_mnemonic (_("_Export…"));
  gtk_widget_add_css_class (export, "suggested-action");
  g_signal_connect_swapped (export, "clicked", G_CALLBACK (export_clicked), self);
  adw_header_bar_pack_end (ADW_HEADER_BAR (header), export);
  gtk_box_append (GTK_BOX (box), header);

  page = adw_preferences_page_new ();
  gtk_widget_set_vexpand (page, TRUE);
  gtk_box_append (GTK_BOX (box), page);

  group = ADW_PREFERENCES_GROUP (adw_preferences_group_new ());
  adw_preferences_group_set_title (group, _("File"));
  self->format_row = add_combo (group, _("Format"), NULL, format_names, format);
  self->scope_row = add_combo (group, _("Content"), NULL, scope_names, scope);
  self->paper_row = add_combo (group, _("Paper"), _("Printable pages, the lifeline heads on each"), paper_names, paper);
  g_signal_connect_swapped (self->format_row, "notify::selected", G_CALLBACK (format_changed), self);
  format_changed (self);
  adw_preferences_page_add (ADW_PREFERENCES_PAGE (page), group);

  group = ADW_PREFERENCES_GROUP (adw_preferences_group_new ());
  adw_preferences_group_set_title (group, _("Diagram"));
  adw_preferences_group_set_description (group, _("Exports always use the light palette"));
  self->spacing_row = add_combo (group, _("Spacing"), NULL, spacing_names, options->spacing);
  self->numbers_row = add_combo (group, _("Sequence Numbers"), NULL, number_names, options->numbers);
  self->lifelines_row = add_combo (group, _("Lifelines"), NULL, lifeline_names, options->merge_hosts ? 1 : 0);
  self->states_switch = add_switch (group, _("TCP States"), _("The inferred state of each endpoint"), options->show_states);
  self->acks_switch = add_switch (group, _("Hide Pure ACKs"), _("Segments with no data and no SYN, FIN or RST"), options->hide_pure_acks);
  self->fold_switch = add_switch (group, _("Fold HTTP Messages"), _("A message sent in several segments as one arrow"), options->fold_http);
  self->explain_switch = add_switch (group, _("Explanations"), _("The arithmetic beside the arrows, the analysis and the close as notes"), options->explain);
  adw_preferences_page_add (ADW_PREFERENCES_PAGE (page), group);

  adw_window_set_content (ADW_WINDOW (self), box);
  gtk_window_set_default_widget (GTK_WINDOW (self), export);

  return self;
}

static void
pl_export_dialog_dispose (GObject *object)
{
  PlExportDialog *self = PL_EXPORT_DIALOG (object);

  if (self->window != NULL)
    {
      g_object_remove_weak_pointer (G_OBJECT (self->window), (gpointer *) &self->window);
      self->window = NULL;
    }

  G_OBJECT_CLASS (pl_export_dialog_parent_class)->dispose (object);
}

static void
pl_export_dialog_class_init (PlExportDialogClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = pl_export_dialog_dispose;

  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "window.close", NULL);
}

static void
pl_export_dialog_init (PlExportDialog *self)
{
}
