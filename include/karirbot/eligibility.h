/* eligibility: the kenaikan pangkat pre-check — which kind of KP applies to an employee, each
 * of its conditions (met, not met, or not judgeable from the data held), and from which
 * promotion period the employee qualifies. Pure functions of a profile, the policy and a date:
 * no database, no clock, no words. Results are codes, numbers and dates; the caller renders
 * them from the locales. It explains; BKN and the PPK decide. */
#ifndef KARIRBOT_ELIGIBILITY_H
#define KARIRBOT_ELIGIBILITY_H

#include <stdbool.h>
#include <stddef.h>

#include "karirbot/policy.h"

enum kb_position_kind {
    KB_POS_UNKNOWN = 0,
    KB_POS_PELAKSANA,  /* KP reguler */
    KB_POS_STRUKTURAL, /* managerial: KP pilihan */
    KB_POS_FUNGSIONAL  /* KP by angka kredit */
};

enum kb_known { KB_KNOWN_UNKNOWN = 0, KB_KNOWN_NO, KB_KNOWN_YES };

/* What karirbot knows of an employee. NULL strings and zero enums mean "unknown"; a zeroed
 * struct is a profile about which nothing is known. */
struct kb_employee_profile {
    enum kb_asn_kind asn;
    const char *grade;       /* PNS rank code, "III/a" */
    const char *tmt_pangkat; /* "YYYY-MM-DD", effective date of the current rank */
    const char *education;   /* education id of the policy ("s1"); the highest ijazah recognised */
    enum kb_position_kind position;
    const char *perf_last;   /* predikat kinerja id ("baik") of last year */
    const char *perf_before; /* ... and of the year before */
    bool ak_known;
    double ak;           /* angka kredit kumulatif, when ak_known */
    enum kb_known stlud; /* passed the ujian dinas for the next move */
};

enum kb_cond_status { KB_COND_MET, KB_COND_NOT_MET, KB_COND_UNKNOWN };

/* The conditions, in the order they are listed in a result. */
enum kb_cond_id {
    KB_COND_EDUCATION_CEILING,
    KB_COND_YEARS_IN_RANK,
    KB_COND_PERFORMANCE,
    KB_COND_STLUD,
    KB_COND_ANGKA_KREDIT,
    KB_COND_POSITION_CEILING
};

/* Why: of a condition, or of the whole verdict. Stable codes; kb_elig_reason_key() names them
 * for locale keys. */
enum kb_elig_reason {
    KB_R_OK = 0,
    KB_R_ASN_UNKNOWN,        /* the kind of ASN is not known */
    KB_R_PPPK,               /* PPPK have no pangkat and no kenaikan pangkat */
    KB_R_CPNS,               /* a CPNS first becomes PNS */
    KB_R_GRADE_UNKNOWN,      /* no or an unknown rank code */
    KB_R_TOP_RANK,           /* already at the top of the ladder */
    KB_R_POSITION_UNKNOWN,   /* pelaksana, struktural or fungsional is not known */
    KB_R_TMT_UNKNOWN,        /* no valid TMT pangkat */
    KB_R_YEARS_NOT_YET,      /* the years are complete on met_on, after the next period */
    KB_R_PERF_UNKNOWN,       /* a needed year's predikat is not known */
    KB_R_PERF_LABEL_UNKNOWN, /* a predikat id the policy does not list */
    KB_R_PERF_BELOW,         /* a needed year's predikat is below the accepted ones */
    KB_R_EDUCATION_UNKNOWN,  /* no education, or one without a ceiling in the policy */
    KB_R_CEILING_REACHED,    /* the current rank is the highest the ijazah allows */
    KB_R_STLUD_UNKNOWN,      /* the move needs the ujian dinas; passing it is not known */
    KB_R_STLUD_NOT_PASSED,
    KB_R_STLUD_EXEMPT,    /* the move needs it, but the ijazah exempts the employee */
    KB_R_AK_UNKNOWN,      /* the angka kredit is not known */
    KB_R_AK_RULE_UNKNOWN, /* the policy holds no AK figure for the next rank: HR checks */
    KB_R_AK_BELOW,
    KB_R_POSITION_CEILING_HR, /* the post's highest rank is checked by HR */
    KB_R_NO_PERIOD,           /* the calendar gives no period for the dates involved */
    KB_R_COUNT
};
/* "ok", "pppk", "years_not_yet", ...; NULL outside the enum. */
const char *kb_elig_reason_key(enum kb_elig_reason r);

struct kb_condition {
    enum kb_cond_id id;
    enum kb_cond_status status;
    enum kb_elig_reason reason;
    char met_on[11]; /* years in rank: the date they are (were) complete; "" otherwise */
    double need;     /* years or angka kredit required; 0 when not a number */
    double have;     /* full years at next_period, or the employee's angka kredit */
};

enum kb_verdict {
    KB_VERDICT_ELIGIBLE_NOW,  /* every condition met for the next period (next_period) */
    KB_VERDICT_ELIGIBLE_FROM, /* every condition met, the years only from a later period */
    KB_VERDICT_NOT_ELIGIBLE,  /* a condition is not met (reason says which) */
    KB_VERDICT_CANNOT_JUDGE,  /* nothing fails, but something cannot be judged (reason) */
    KB_VERDICT_NOT_APPLICABLE /* PPPK, CPNS */
};

#define KB_ELIG_CONDS_MAX 8

struct kb_eligibility {
    enum kb_kp_type type; /* KB_KP_NONE when no kind applies or it is not known */
    enum kb_verdict verdict;
    enum kb_elig_reason reason; /* KB_R_OK when eligible now; KB_R_YEARS_NOT_YET from a date */
    char grade_next[KB_POLICY_CODE_MAX + 1]; /* the rank above; "" at the top or unknown */
    bool top_of_ladder;
    bool ceiling_reached; /* the education ceiling of the kind of KP */
    char time_met_on[11]; /* when all time conditions are complete; "" when unknown */
    char next_period[11]; /* the first period at which they hold, on or after today */
    /* The predikat judged are those of the two years before today; for a period in a later
     * year BKN will look at later years, so the caller should add "if it stays at least Baik". */
    bool perf_assumed;
    size_t nconds;
    struct kb_condition conds[KB_ELIG_CONDS_MAX];
};

/* Judges profile e against policy p on the date today ("YYYY-MM-DD"). Years in rank are
 * counted from the TMT pangkat to the period date: N years are complete on the Nth
 * anniversary (29 February: on 1 March of a common year). Returns 0 and fills *out; -1 when
 * an argument is NULL or today is not a date. */
int kb_eligibility_check(const struct kb_policy *p, const struct kb_employee_profile *e,
                         const char *today, struct kb_eligibility *out);

/* The first promotion period on or after a date is kb_policy_next_period() (policy.h): the
 * calendar is policy data. */

#endif
