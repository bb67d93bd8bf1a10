/* juice-i18n.h: the locale and the translations, for juice and juice-ctl
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Sets the locale from the environment and binds Juice's text domain to
 * LOCALEDIR, or to $JUICE_LOCALEDIR when set (a build directory's po/, to
 * run Juice uninstalled in another language). Call first in main(). */
void juice_i18n_init (void);

G_END_DECLS
