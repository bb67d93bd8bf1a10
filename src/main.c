/* main.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "juice-application.h"
#include "juice-i18n.h"

int
main (int   argc,
      char *argv[])
{
  g_autoptr(JuiceApplication) app = NULL;

  juice_i18n_init ();

  app = juice_application_new ();

  return g_application_run (G_APPLICATION (app), argc, argv);
}
