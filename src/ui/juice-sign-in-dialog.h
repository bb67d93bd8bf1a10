/* juice-sign-in-dialog.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "juice-cloud.h"

G_BEGIN_DECLS

#define JUICE_TYPE_SIGN_IN_DIALOG (juice_sign_in_dialog_get_type ())

G_DECLARE_FINAL_TYPE (JuiceSignInDialog, juice_sign_in_dialog, JUICE, SIGN_IN_DIALOG, AdwWindow)

/* Asks for the region and the developer keys, checks them by loading the
 * device list, stores them in the keyring, then emits "signed-in" with a
 * JuiceCloud that holds them. Wrong keys or region get a plain-words error
 * and nothing is stored. */
GtkWidget  *juice_sign_in_dialog_new          (GtkWindow         *parent,
                                               const char        *api_host,
                                               const char        *ca_file);
void        juice_sign_in_dialog_fill         (JuiceSignInDialog *self,
                                               const char        *base_url,
                                               const char        *access_key,
                                               const char        *secret_key);
gboolean    juice_sign_in_dialog_get_busy     (JuiceSignInDialog *self);
const char *juice_sign_in_dialog_get_error    (JuiceSignInDialog *self);

G_END_DECLS
