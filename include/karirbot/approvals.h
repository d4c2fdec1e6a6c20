/* approvals: requests that wait for someone's decision — a supervisor's (an RPI activity, a
 * training registration, a coaching request) or a mentor's (a mentoring request). One
 * mechanism for all: a row in `approvals`, a card with Setujui / Tolak / Detail sent to the
 * approver, the decision recorded with who and when, the requester told, the card edited to
 * show the outcome, and `/persetujuan` listing what waits. Each area supplies how its subject is
 * described and what a decision does to it (struct kb_approval_kind). */
#ifndef KARIRBOT_APPROVALS_H
#define KARIRBOT_APPROVALS_H

#include <stddef.h>
#include <stdint.h>

#include "karirbot/actions.h"

struct kb_approval_kind {
    const char *kind; /* approvals.kind: "rpi_activity", "training", "mentor", ... */
    /* Writes a one-line plain-text description of the subject ("Pelatihan Kepemimpinan
     * Pengawas, 3-7 Mei 2027") into what, in the language of ctx (the approver's turn). */
    int (*describe)(struct kb_action_ctx *ctx, int64_t subject_id, char *what, size_t cap);
    /* Applies the recorded decision to the subject (approved 1 or 0, reason for a rejection or
     * NULL) and tells the requester with ctx->notify. Runs in the approver's turn: ctx->actor is
     * the approver. Returns 0 or -1 (the whole turn rolls back). */
    int (*decided)(struct kb_action_ctx *ctx, int64_t subject_id, int64_t requester_id,
                   int approved, const char *reason);
    /* Optional: more lines for the approver (the requester's reason, the linked RPI activity),
     * plain text in ctx's language; shown as {detail} on the card and in its Detail view. */
    int (*detail)(struct kb_action_ctx *ctx, int64_t subject_id, char *buf, size_t cap);
};

/* The kinds, one per subject (each defined in its area's act_<area>.c). */
extern const struct kb_approval_kind kb_approval_rpi_activity; /* an activity added to a plan */
extern const struct kb_approval_kind kb_approval_rpi_plan;     /* a plan submitted */
extern const struct kb_approval_kind kb_approval_evidence;     /* a certificate to verify */
extern const struct kb_approval_kind kb_approval_training;     /* a training registration */
extern const struct kb_approval_kind kb_approval_mentor;       /* a mentoring/coaching request */

/* Records a request of kind for subject_id by ctx->actor, to be decided by approver_id, and
 * sends the approver the card: the message approval_card_<kind> (in the approver's language,
 * with {requester}, {unit} and {what}, what being the kind's describe()) and the buttons
 * Setujui / Tolak / Detail (keys btn_approve, btn_reject, btn_detail). The card says that a
 * "Setujui" is the approver's recorded recommendation, not a signed surat tugas. The kind's
 * locale keys approval_card_<kind> and approval_kind_<kind> (a short noun: "pendaftaran
 * pelatihan") belong to the area's locale file. *approval_id gets the new row's id;
 * *approver_linked says whether the approver has a linked Telegram account (when not, the
 * requester's confirmation says so, so HR can act). */
int kb_approval_request(struct kb_action_ctx *ctx, const struct kb_approval_kind *kind,
                        int64_t subject_id, int64_t approver_id, int64_t *approval_id,
                        int *approver_linked);
/* Withdraws the open request for (kind, subject_id), if any: its card then answers that it
 * was withdrawn. */
int kb_approval_withdraw(struct kb_action_ctx *ctx, const char *kind, int64_t subject_id);

#endif
