/* approvals: requests that wait for a supervisor's (or a mentor's) decision. One row per
 * request, whatever it asks for; the subject is the row of the area that asked. */
#include "internal.h"

const char kb_schema_approvals[] =
    "CREATE TABLE approvals("
    "  id INTEGER PRIMARY KEY,"
    "  kind TEXT NOT NULL CHECK(kind IN ('rpi_activity','rpi_plan','training','mentor',"
    "                                    'evidence')),"
    "  subject_id INTEGER NOT NULL,"
    "  requester_id INTEGER NOT NULL REFERENCES employees(id),"
    "  approver_id INTEGER NOT NULL REFERENCES employees(id),"
    "  status TEXT NOT NULL DEFAULT 'menunggu'"
    "    CHECK(status IN ('menunggu','disetujui','ditolak','ditarik')),"
    "  reason TEXT," /* of a rejection */
    "  created_at INTEGER NOT NULL,"
    "  decided_at INTEGER,"
    "  decided_by INTEGER REFERENCES employees(id),"
    "  escalated_at INTEGER,"
    "  card_outbox_id INTEGER) STRICT;" /* the card sent to the approver, to edit it */
    "CREATE INDEX approvals_waiting ON approvals(approver_id, status, created_at);"
    "CREATE INDEX approvals_subject ON approvals(kind, subject_id);"
    "CREATE INDEX approvals_requester ON approvals(requester_id, created_at);";
