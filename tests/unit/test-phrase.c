/* SPDX-License-Identifier: GPL-3.0-or-later */
/* MsPhrase: a transcript sentence kept as data, written in English and in
 * German (po/de.po) from the same parts. The German half sets LANGUAGE=de,
 * as the German UI test does. */
#include "config.h"

#include <glib/gi18n-lib.h>
#include <locale.h>

#include "ms-display-names.h"
#include "ms-i18n.h"
#include "ms-phrase.h"
#include "ms-transcript-entry.h"

/* A summary as a client builds it: fragments joined by "; ", some with a
 * plural, inside the notice that ends an action. */
static MsPhrase *
done_notice (const char *device)
{
  MsPhrase *summary = ms_phrase_list_new ("; ");

  ms_phrase_list_append (summary, ms_phrase_new_plural (MS_NP ("transcript", "downloaded %u message, %s",
                                                               "downloaded %u messages, %s"),
                                                        3, ms_phrase_uint (3),
                                                        ms_phrase_new (NC_ ("transcript", "%u bytes"),
                                                                       ms_phrase_uint (4100))));
  ms_phrase_list_append (summary, ms_phrase_new (NC_ ("transcript", "left %u on the server"), ms_phrase_uint (3)));
  return ms_phrase_new (NC_ ("transcript", "%s done: %s"), ms_phrase_device (device), summary);
}

static void
test_english (void)
{
  g_autoptr(MsPhrase) notice = done_notice ("laptop");
  g_autoptr(MsPhrase) one = ms_phrase_new_plural (MS_NP ("transcript", "downloaded %u message, %s",
                                                         "downloaded %u messages, %s"),
                                                  1, ms_phrase_uint (1), ms_phrase_text ("12 bytes"));
  g_autoptr(MsPhrase) word = ms_phrase_new (NC_ ("transcript", "server: %s -> %s"),
                                            ms_phrase_word ("greeting"), ms_phrase_word ("authenticated"));
  g_autofree char *english = ms_phrase_to_english (notice);
  g_autofree char *english_one = ms_phrase_to_english (one);
  g_autofree char *english_word = ms_phrase_to_english (word);

  g_assert_cmpstr (english, ==, "laptop done: downloaded 3 messages, 4100 bytes; left 3 on the server");
  g_assert_cmpstr (english_one, ==, "downloaded 1 message, 12 bytes");
  g_assert_cmpstr (english_word, ==, "server: greeting -> authenticated");
  g_assert_cmpstr (ms_phrase_get_msgid (notice), ==, "%s done: %s");
  g_assert_cmpuint (ms_phrase_get_n_args (notice), ==, 2);
  g_assert_null (ms_phrase_get_msgid (ms_phrase_get_arg (notice, 0)));
}

static void
test_german (void)
{
  g_autoptr(MsPhrase) notice = done_notice ("laptop");
  g_autoptr(MsPhrase) word = ms_phrase_new (NC_ ("transcript", "server: %s -> %s"),
                                            ms_phrase_word ("greeting"), ms_phrase_word ("no-such-word"));
  g_autoptr(MsPhrase) reordered = ms_phrase_new (NC_ ("transcript", "moved %s to %s on the server"),
                                                 ms_phrase_text ("“Lunch”"), ms_phrase_text ("Archive"));
  g_autofree char *german = ms_phrase_to_display (notice);
  g_autofree char *german_word = ms_phrase_to_display (word);
  g_autofree char *german_reordered = ms_phrase_to_display (reordered);

  g_assert_cmpstr (german, ==,
                   "Laptop fertig: 3 Nachrichten heruntergeladen, 4100 Bytes; 3 auf dem Server gelassen");
  /* A word the catalogue does not know stays as the protocol said it. */
  g_assert_true (g_str_has_suffix (german_word, " -> no-such-word"));
  g_assert_false (g_str_has_prefix (german_word, "server: greeting"));
  g_assert_cmpstr (german_reordered, ==, "“Lunch” auf dem Server nach Archive verschoben");
}

/* A device inside a notice: its id in English, whatever the language (the
 * goldens and assertions read it), and the name the Device column shows in
 * the display line. A teacher's own name is shown as written. */
static void
test_device_names (void)
{
  g_autoptr(MsPhrase) phone = ms_phrase_new (NC_ ("transcript", "%s is online"), ms_phrase_device ("phone"));
  g_autoptr(MsPhrase) old = ms_phrase_new (NC_ ("transcript", "%s is online"), ms_phrase_device ("oldpc"));
  g_autoptr(MsPhrase) own = ms_phrase_new (NC_ ("transcript", "%s is online"), ms_phrase_device ("kitchen"));
  g_autofree char *phone_en = ms_phrase_to_english (phone);
  g_autofree char *phone_de = ms_phrase_to_display (phone);
  g_autofree char *old_de = ms_phrase_to_display (old);
  g_autofree char *own_de = ms_phrase_to_display (own);

  g_assert_cmpstr (phone_en, ==, "phone is online");
  g_assert_cmpstr (phone_de, ==, "Handy ist online");
  g_assert_cmpstr (old_de, ==, "Alter PC ist online");
  g_assert_cmpstr (own_de, ==, "kitchen ist online");
  g_assert_true (ms_phrase_is_name (ms_phrase_get_arg (phone, 0)));
  g_assert_cmpstr (ms_phrase_get_text (ms_phrase_get_arg (phone, 0)), ==, "phone");
  g_assert_false (ms_phrase_is_name (ms_phrase_get_arg (own, 0)));
}

/* A real client (a mail program on this computer) keeps its id "real
 * client N" in the English line and the Device column's data, and reads
 * in German wherever a person sees it; a name that only starts the same
 * way is a teacher's own. */
static void
test_real_client_names (void)
{
  g_autoptr(MsPhrase) client = ms_phrase_new (NC_ ("transcript", "%s is online"), ms_phrase_device ("real client 12"));
  g_autofree char *client_en = ms_phrase_to_english (client);
  g_autofree char *client_de = ms_phrase_to_display (client);

  g_assert_cmpstr (client_en, ==, "real client 12 is online");
  g_assert_cmpstr (client_de, ==, "echtes Mailprogramm 12 ist online");
  g_assert_cmpstr (ms_device_display_name ("real client 3"), ==, "echtes Mailprogramm 3");
  g_assert_cmpstr (ms_device_display_name ("real client 0"), ==, "real client 0");
  g_assert_cmpstr (ms_device_display_name ("real client 3b"), ==, "real client 3b");
  g_assert_cmpstr (ms_device_display_name ("real client "), ==, "real client ");
}

/* A subject may say anything: "; " (which joins a summary's fragments) or
 * words that read like a phrase. Inside a phrase it is text and stays as
 * it is; the English line is the same either way. (The display used to
 * parse the English line back into phrases, and tore this one apart.) */
static void
test_text_stays_verbatim (void)
{
  static const char subject[] = "Minutes; left 3 on the server";
  g_autoptr(MsPhrase) detail = ms_phrase_new (NC_ ("transcript", "“%s” is there"), ms_phrase_text (subject));
  g_autoptr(MsTranscriptEntry) entry = NULL;

  entry = ms_transcript_entry_new_phrase (MS_TRANSCRIPT_NOTICE, "check", NULL, 0,
                                          ms_phrase_new (NC_ ("transcript", "check ok: %s (%s)"),
                                                         ms_phrase_text ("server-has \"Minutes; left 3 on the server\""),
                                                         ms_phrase_ref (detail)));
  g_assert_cmpstr (ms_transcript_entry_get_text (entry), ==,
                   "check ok: server-has \"Minutes; left 3 on the server\" "
                   "(“Minutes; left 3 on the server” is there)");
  g_assert_cmpstr (ms_transcript_entry_get_display_text (entry), ==,
                   "Prüfung bestanden: server-has \"Minutes; left 3 on the server\" "
                   "(„Minutes; left 3 on the server“ ist da)");
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/phrase/english", test_english);
  /* gettext reads LANGUAGE for every lookup: set it before the catalogue
   * is bound, as the German UI test does. */
  g_setenv ("LANGUAGE", "de", TRUE);
  ms_i18n_init ();
  g_test_add_func ("/phrase/german", test_german);
  g_test_add_func ("/phrase/device-names", test_device_names);
  g_test_add_func ("/phrase/real-client-names", test_real_client_names);
  g_test_add_func ("/phrase/text-stays-verbatim", test_text_stays_verbatim);
  return g_test_run ();
}
