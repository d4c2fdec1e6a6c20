/* reminders: the rules of reminders and escalations (src/career/reminders.c) — when karirbot
 * nudges whom about what, read from dialogs/reminders.json (HR's copy in the override
 * directory replaces it whole), and the pure functions that say, for one record at one date in
 * one person's calendar, whether a reminder is due and which occurrence it is.
 *
 * Reminders are derived from the records each pass (a target date, a waiting request, a
 * stage), never scheduled by hand. Each due reminder has an occurrence: the date that names
 * the due event (the day a window opens), not the pass that found it. A reminder sent is
 * recorded under a key built from its kind, subject, recipient and occurrence, so it goes out
 * once however many passes see it, and a window missed while karirbot was down sends once,
 * not a burst.
 *
 * Nothing here reads the clock, the database or a time zone table: dates are "YYYY-MM-DD",
 * instants UTC seconds, and the caller passes the person's zone and calendar. */
#ifndef KARIRBOT_REMINDERS_H
#define KARIRBOT_REMINDERS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define KB_REMINDERS_FILE     "reminders.json" /* in dialogs/; the dialog loader skips it */
#define KB_REM_START_MAX      4                /* "days before a training starts" entries */
#define KB_REM_CHECKPOINT_MAX 6                /* JP pace checkpoints in a year */
#define KB_REM_KEY_MAX        128              /* bytes of a key, with the NUL */

struct kb_diag;

struct kb_rem_checkpoint {
    int month, day; /* every year on this date */
    double share;   /* of the yearly JP target recognised by then, 0 < share <= 1 */
};

/* The settings of dialogs/reminders.json. Times of day are minutes after local midnight. */
/* The flows a reminder's buttons open (dialogs/reminders.json, "buttons"). */
enum kb_rem_flow {
    KB_REM_FLOW_RPI,       /* an activity: done:<id>, postpone:<id>, or the plan */
    KB_REM_FLOW_SETTINGS,  /* the person's reminder choices: later:<id> */
    KB_REM_FLOW_APPROVALS, /* the requests waiting for the person's decision */
    KB_REM_FLOW_TRAININGS, /* the open trainings */
    KB_REM_FLOW_PROMOTION, /* the person's promotion file */
    KB_REM_FLOW_MENTORING, /* logging a mentoring session */
    KB_REM_FLOW__COUNT
};
#define KB_REM_FLOW_ID_MAX 33 /* a flow id of the dialogs, [a-z0-9_]{1,32} */

struct kb_reminder_rules {
    char flows[KB_REM_FLOW__COUNT][KB_REM_FLOW_ID_MAX];
    int pass_every_s;   /* a pass over everyone this often */
    int first_pass_s;   /* the first pass this long after the service starts */
    int slice_people;   /* people looked at in one slice (one short transaction) */
    int slice_messages; /* a slice ends early once it wrote this many messages */
    int slice_pause_ms; /* the loop's time between two slices */
    int work_from, work_to;
    int urgent_from, urgent_to;
    int daily_cap; /* reminders one person gets in one day at most */
    int rpi_days_before;
    int rpi_overdue_every; /* days between two reminders of a late activity */
    int rpi_overdue_times; /* reminders of one late activity after the day itself */
    int nudge_after;       /* working days a request waits before its approver is nudged */
    int escalate_after;    /* ... before the approver's own supervisor is told */
    int stage_news_days;   /* a stage reached this many days ago is still news */
    int start_days[KB_REM_START_MAX]; /* days before a registered training starts, descending */
    size_t nstart;
    int deadline_days; /* days before a matching training's registration deadline */
    struct kb_rem_checkpoint checkpoints[KB_REM_CHECKPOINT_MAX]; /* by date */
    size_t ncheckpoints;
    int suggestions;               /* open trainings suggested with a JP pace reminder */
    int mentor_idle_days;          /* an active pair without a session this long is nudged */
    int snooze_max_days;           /* "off for a while" at most this long */
    int approvals_snooze_max_days; /* approval nudges can only be snoozed, this long at most */
    int keep_days;                 /* sent keys kept this long (longer than any window) */
};

/* Reads <override_dir>/dialogs/reminders.json when that file exists, else the shipped
 * <defaults_dir>/dialogs/reminders.json; override_dir may be NULL. Checks all of it and adds
 * one line to diag for each problem. Returns the rules (free with kb_reminder_rules_free), or
 * NULL when any error was found. */
struct kb_reminder_rules *kb_reminder_rules_load(const char *defaults_dir, const char *override_dir,
                                                 struct kb_diag *diag);
void kb_reminder_rules_free(struct kb_reminder_rules *r);
/* The name of a flow under "buttons" ("rpi", "settings", ...), for messages about the file. */
const char *kb_rem_flow_name(enum kb_rem_flow f);

/* The rules the dialogs use (/pengingat's limits, "Nanti"): the ones published last by the
 * process that loaded them (the service's scheduler, `karirbot remind`, the terminal chat),
 * else the shipped file under the override of KARIRBOT_DATA_DIR (or /etc/karirbot), loaded
 * once on first use. NULL only when that file does not load. publish(NULL) forgets; the
 * caller keeps what it published alive until it publishes another. */
void kb_reminder_rules_publish(const struct kb_reminder_rules *r);
const struct kb_reminder_rules *kb_reminder_rules_shared(void);

/* ---- kinds -------------------------------------------------------------------------------- */

/* In the order they go first when a day's cap leaves room for only some. */
enum kb_rem_kind {
    KB_REM_APPR_ESCALATE,  /* to the approver's supervisor: a request waits too long */
    KB_REM_APPR_NUDGE,     /* to the approver */
    KB_REM_HR_DIGEST,      /* to a unit's HR officer: stalled files, unlinked approvers */
    KB_REM_KP_STAGE,       /* to the employee: the promotion file moved (urgent) */
    KB_REM_APPR_ESCALATED, /* to the requester: told whom it went to */
    KB_REM_RPI_DUE,        /* an activity due today, or late (weekly) */
    KB_REM_TR_START,       /* a registered training starts in a few days */
    KB_REM_TR_DEADLINE,    /* registration closes for a training that fits an RPI activity */
    KB_REM_KP_STALLED,     /* to the employee: the file waits longer than usual */
    KB_REM_RPI_SOON,       /* an activity due in a few days */
    KB_REM_JP_PACE,        /* a PNS below the JP pace at a checkpoint */
    KB_REM_JP_OVER,        /* a PPPK whose plan is over the JP ceiling */
    KB_REM_MENTOR_IDLE,    /* an active pair without a session for a while */
    KB_REM__COUNT
};

/* Duty: the recipient must act for someone else; can be snoozed for a few days, never turned
 * off. Urgent: news, any day from urgent_from to urgent_to. Normal: working days and hours. */
enum kb_rem_class { KB_REM_DUTY, KB_REM_URGENT, KB_REM_NORMAL };

enum kb_rem_class kb_rem_class_of(enum kb_rem_kind kind);
/* The kind's name in keys and logs ("rpi_soon"); NULL outside the enum. */
const char *kb_rem_kind_name(enum kb_rem_kind kind);
/* The key of a reminder: "<kind>:<subject>:emp<recipient>:<occurrence>". Returns 0, or -1
 * when it does not fit KB_REM_KEY_MAX. */
int kb_rem_key(char out[KB_REM_KEY_MAX], enum kb_rem_kind kind, const char *subject,
               int64_t recipient_id, const char *occurrence);

/* ---- calendars and hours ------------------------------------------------------------------ */

/* One person's working calendar: the unit's week (5 or 6 days) and the holidays HR imported,
 * ascending "YYYY-MM-DD" (a date may repeat). */
struct kb_calendar {
    int workdays;
    const char (*holidays)[11];
    size_t nholidays;
};

bool kb_cal_is_holiday(const struct kb_calendar *c, const char *ymd);
/* A working day of the unit's week that is not a holiday. */
bool kb_cal_is_workday(const struct kb_calendar *c, const char *ymd);
/* Working days d with from < d <= to (0 when to is not after from). Returns 0, or -1 on an
 * invalid date. */
int kb_cal_between(const struct kb_calendar *c, const char *from, const char *to, int64_t *out);
/* The latest working day on or before ymd (at most 60 days back; else ymd itself). */
int kb_cal_on_or_before(const struct kb_calendar *c, const char *ymd, char out[11]);

/* ymd plus days (may be negative) into out (which may be ymd itself). Returns 0, or -1 (out
 * "") on a bad date. */
int kb_rem_date_add(const char *ymd, int64_t days, char out[11]);
/* to - from in days; -1 on a bad date (then *out untouched). */
int kb_rem_days(const char *from, const char *to, int64_t *out);

enum { KB_REM_OPEN_NORMAL = 1, KB_REM_OPEN_URGENT = 2 };
/* Which reminders may reach a person at the instant now in zone (WIB, WITA, WIT): normal ones
 * on a working day of their calendar within working hours, urgent ones within the urgent
 * hours of any day. 0 for an unknown zone. */
int kb_rem_open(const struct kb_reminder_rules *r, const struct kb_calendar *c, int64_t now,
                const char *zone);

/* ---- when each kind is due ---------------------------------------------------------------- */

/* A due reminder: its kind, its occurrence (the key's last part) and a count for the text
 * (days left, days late, working days waited). */
struct kb_rem_due {
    enum kb_rem_kind kind;
    char occurrence[24];
    int64_t n;
};

/* An unfinished RPI activity with target date target on the date today: RPI_SOON from
 * days_before days ahead (n = days left), RPI_DUE on the day (n = 0) and every
 * rpi_overdue_every days after it, rpi_overdue_times times (n = days late). The occurrence is
 * the day each window opens, so a window seen late still sends once. Returns 1 when due. */
int kb_rem_rpi(const struct kb_reminder_rules *r, const char *target, const char *today,
               struct kb_rem_due *d);

/* A request asked on asked_on (the approver's local date), waiting on the approver's today in
 * the approver's calendar: 0 not yet, 1 nudge the approver, 2 also escalate. *waited gets the
 * working days it waited. */
int kb_rem_approval(const struct kb_reminder_rules *r, const struct kb_calendar *c,
                    const char *asked_on, const char *today, int64_t *waited);

/* A promotion file at a stage since reached_on, expected to take expected working days:
 * 1 when it waited longer (*waited gets the working days). */
int kb_rem_stage_stalled(const struct kb_calendar *c, const char *reached_on, const char *today,
                         int expected, int64_t *waited);
/* 1 while a stage reached on reached_on is news (at most stage_news_days old). */
int kb_rem_stage_news(const struct kb_reminder_rules *r, const char *reached_on, const char *today);

/* A registered training starting on start: due from the working day on or before each
 * start_days day before it until it starts (the nearest window wins; n = days until the
 * start; occurrence "h<days>/<start>"). */
int kb_rem_training_start(const struct kb_reminder_rules *r, const struct kb_calendar *c,
                          const char *start, const char *today, struct kb_rem_due *d);
/* A matching training whose registration closes on deadline: due within deadline_days of it
 * (n = days left; occurrence the deadline). */
int kb_rem_deadline(const struct kb_reminder_rules *r, const char *deadline, const char *today,
                    struct kb_rem_due *d);

/* The yearly JP pace of someone with a JP target: due when, at the latest checkpoint of the
 * year on or before today, fewer JP than its share of target are recognised (n = the JP
 * expected by then; occurrence the checkpoint's date). Never for a ceiling (PPPK): the pass
 * warns only of a plan over it (KB_REM_JP_OVER), once a year. */
int kb_rem_jp_pace(const struct kb_reminder_rules *r, const char *today, int recognised, int target,
                   struct kb_rem_due *d);

/* An active mentoring pair whose last session (or start) was on last: due every
 * mentor_idle_days without one (n = days since; occurrence the day the window opened). */
int kb_rem_mentor_idle(const struct kb_reminder_rules *r, const char *last, const char *today,
                       struct kb_rem_due *d);

#endif
