/* check_cmd: `karirbot check` — loads the message catalogs and the dialog flows exactly as the
 * service does (shipped defaults, HR's override directory taking precedence), runs the
 * checker, and tells HR in plain lines what to fix. It never touches the database. */
#include "karirbot/check_cmd.h"

#include <stdio.h>

#include "karirbot/check.h"
#include "karirbot/config.h"
#include "karirbot/locale.h"
#include "karirbot/policy.h"
#include "karirbot/reminders.h"
#include "karirbot/script.h"

int kb_cmd_check(const struct kb_config *cfg)
{
    const char *defaults = kb_config_defaults_dir();
    const char *over = kb_config_override_dir(cfg);
    struct kb_diag d = {0};
    struct kb_locale *loc = kb_locale_load(defaults, over);
    struct kb_script *s = kb_script_load(defaults, over, &d);
    if (s)
        kb_script_check(s, loc, &d);
    /* The policy's problems land in the same diag, so the totals below include them. */
    kb_policy_free(kb_policy_load(defaults, over, &d));
    struct kb_reminder_rules *rules = kb_reminder_rules_load(defaults, over, &d);
    for (int i = 0; rules && s && i < KB_REM_FLOW__COUNT; i++) {
        char where[64];
        snprintf(where, sizeof where, "buttons.%s", kb_rem_flow_name((enum kb_rem_flow)i));
        if (!kb_script_flow(s, rules->flows[i]))
            kb_diag_add(&d, KB_DIAG_ERROR, "dialogs/reminders.json", where,
                        "no flow '%s' in dialogs/: a reminder's button would open nothing",
                        rules->flows[i]);
    }
    kb_reminder_rules_free(rules);
    for (size_t i = 0; i < d.nlines; i++)
        fprintf(stderr, "%s\n", d.lines[i]);
    size_t errors = d.errors, warnings = d.warnings, flows = 0, states = 0;
    if (!loc) {
        fprintf(stderr, "locales: the message catalogs could not be loaded (see the line "
                        "above); fix locales/id.json and locales/en.json first\n");
        errors++;
    }
    for (size_t i = 0; s && i < s->nflows; i++) {
        flows++;
        states += s->flows[i].nstates;
    }
    printf("karirbot check: shipped files in %s, your edits in %s\n", defaults, over);
    printf("karirbot check: %zu flows, %zu states, %zu errors, %zu warnings\n", flows, states,
           errors, warnings);
    kb_script_free(s);
    kb_locale_free(loc);
    kb_diag_free(&d);
    return errors ? 1 : 0;
}
