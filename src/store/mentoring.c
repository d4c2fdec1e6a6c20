/* mentoring: senior ASN who offer mentoring, requests for a mentor or a coach, and the
 * sessions an accepted pair logs. */
#include "internal.h"

const char kb_schema_mentoring[] =
    "CREATE TABLE mentors("
    "  employee_id INTEGER PRIMARY KEY REFERENCES employees(id),"
    "  areas TEXT NOT NULL," /* '|'-separated competency areas */
    "  capacity INTEGER NOT NULL DEFAULT 3 CHECK(capacity BETWEEN 0 AND 50)) STRICT;"
    "CREATE TABLE mentor_requests("
    "  id INTEGER PRIMARY KEY,"
    "  mentee_id INTEGER NOT NULL REFERENCES employees(id),"
    "  mentor_id INTEGER NOT NULL REFERENCES employees(id),"
    "  kind TEXT NOT NULL CHECK(kind IN ('coaching','mentoring')),"
    "  area TEXT NOT NULL,"
    "  topic TEXT,"
    "  status TEXT NOT NULL DEFAULT 'diajukan'"
    "    CHECK(status IN ('diajukan','diterima','ditolak','selesai','dibatalkan')),"
    "  reason TEXT," /* of a decline */
    "  created_at INTEGER NOT NULL,"
    "  decided_at INTEGER) STRICT;"
    "CREATE INDEX mentor_requests_mentor ON mentor_requests(mentor_id, status);"
    "CREATE INDEX mentor_requests_mentee ON mentor_requests(mentee_id, status);"
    "CREATE TABLE mentor_sessions("
    "  id INTEGER PRIMARY KEY,"
    "  request_id INTEGER NOT NULL REFERENCES mentor_requests(id),"
    "  held_on TEXT NOT NULL,"
    "  topic TEXT NOT NULL,"
    "  minutes INTEGER NOT NULL CHECK(minutes BETWEEN 1 AND 1440),"
    "  logged_by INTEGER NOT NULL REFERENCES employees(id),"
    "  created_at INTEGER NOT NULL) STRICT;"
    "CREATE INDEX mentor_sessions_request ON mentor_sessions(request_id, held_on);";
