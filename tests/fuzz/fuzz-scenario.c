/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The scenario parser: every byte string is either a scenario or an error
 * that names the file; a scenario that loads can be described step by step,
 * and its assertions parse again from their own text. */
#define G_LOG_DOMAIN "fuzz-scenario"
#include "config.h"

#include <stdint.h>
#include <string.h>

#include "ms-scenario.h"

int LLVMFuzzerTestOneInput (const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(MsScenario) scenario = NULL;

  scenario = ms_scenario_load_from_data ((const char *) data, size, "fuzz.scenario", &error);
  if (scenario == NULL)
    {
      g_assert_nonnull (error);
      g_assert_true (g_str_has_prefix (error->message, "fuzz.scenario"));
      return 0;
    }
  g_assert_no_error (error);
  g_assert_cmpuint (ms_scenario_get_n_steps (scenario), >, 0);
  for (guint i = 0; i < ms_scenario_get_n_steps (scenario); i++)
    {
      const MsScenarioStep *step = ms_scenario_get_step (scenario, i);
      g_autofree char *title = ms_scenario_step_describe (step);

      g_assert_nonnull (title);
      for (guint j = 0; j < step->assertions->len; j++)
        {
          MsAssertion *a = g_ptr_array_index (step->assertions, j);
          g_autoptr(GError) again_error = NULL;
          g_autoptr(MsAssertion) again = ms_assertion_parse (ms_assertion_get_text (a), &again_error);

          g_assert_no_error (again_error);
          g_assert_nonnull (again);
        }
    }
  return 0;
}
