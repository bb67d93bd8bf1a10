/* fuzz-cloud-answer.c: an HTTP answer's body, read as each of JuiceCloud's
 * requests reads it (certification, device list, quota/all, set), errors
 * included
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "juice-cloud-private.h"

#include "fuzz-common.h"

#if defined(__SANITIZE_ADDRESS__)
# define HAVE_LSAN 1
#elif defined(__has_feature)
# if __has_feature(address_sanitizer)
#  define HAVE_LSAN 1
# endif
#endif
#ifdef HAVE_LSAN
# include <sanitizer/lsan_interface.h>
#endif

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  static JuiceCloud *cloud = NULL;

  fuzz_init_once ();
  if (cloud == NULL)
    {
      g_autoptr(GError) error = NULL;

      /* The first TLS database loads GIO's modules, and GLib 2.74 leaves
       * behind those it does not load (tests/lsan.supp): once, not an
       * input's leak, which libFuzzer would blame on a later input. */
#ifdef HAVE_LSAN
      __lsan_disable ();
#endif
      cloud = juice_cloud_new ("https://localhost:1", NULL, &error);
#ifdef HAVE_LSAN
      __lsan_enable ();
#endif
      g_assert_no_error (error);
    }

  for (JuiceCloudAnswer answer = 0; answer < JUICE_CLOUD_N_ANSWERS; answer++)
    {
      g_autoptr(GError) error = NULL;
      gpointer result;

      result = _juice_cloud_read_answer (cloud, answer, (const char *) data, size, &error);
      /* Either a result or an error with a message, never both or neither. */
      g_assert_true ((result == NULL) != (error == NULL));
      if (error != NULL)
        {
          g_assert_true (error->domain == JUICE_CLOUD_ERROR);
          g_assert_true (g_utf8_validate (error->message, -1, NULL));
        }

      if (answer == JUICE_CLOUD_ANSWER_CERTIFICATION && result != NULL)
        {
          JuiceCloudCertification *certification = result;

          g_assert_true (certification->port > 0);
          g_assert_true (certification->account[0] != '\0');
          g_assert_true (certification->host[0] != '\0');
        }
      else if (answer == JUICE_CLOUD_ANSWER_DEVICE_LIST && result != NULL)
        {
          GPtrArray *devices = result;

          for (guint i = 0; i < devices->len; i++)
            {
              JuiceCloudDeviceInfo *info = g_ptr_array_index (devices, i);

              g_assert_true (info->serial_number[0] != '\0');
              g_assert_nonnull (info->name);
            }
        }

      _juice_cloud_answer_free (answer, result);
    }

  return 0;
}
