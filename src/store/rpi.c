/* rpi: the yearly individual development plans (Rencana Pengembangan Individu) and their
 * activities. */
#include "internal.h"

const char kb_schema_rpi[] =
    "CREATE TABLE rpi_plans("
    "  id INTEGER PRIMARY KEY,"
    "  employee_id INTEGER NOT NULL REFERENCES employees(id),"
    "  year INTEGER NOT NULL,"
    "  status TEXT NOT NULL DEFAULT 'draf'"
    "    CHECK(status IN ('draf','diajukan','disetujui','revisi','ditetapkan')),"
    "  submitted_at INTEGER,"
    "  approved_at INTEGER,"
    "  set_at INTEGER,"
    "  UNIQUE(employee_id, year)) STRICT;"
    "CREATE TABLE rpi_activities("
    "  id INTEGER PRIMARY KEY,"
    "  plan_id INTEGER NOT NULL REFERENCES rpi_plans(id),"
    "  form TEXT NOT NULL," /* a development form id of the policy data */
    "  title TEXT NOT NULL,"
    "  competency TEXT,"           /* teknis, manajerial, sosial_kultural */
    "  target_date TEXT NOT NULL," /* YYYY-MM-DD */
    "  jp_planned INTEGER NOT NULL DEFAULT 0,"
    "  jp_recognised INTEGER NOT NULL DEFAULT 0,"
    "  status TEXT NOT NULL DEFAULT 'rencana'"
    "    CHECK(status IN ('rencana','berjalan','selesai','ditunda','batal')),"
    "  approval TEXT NOT NULL DEFAULT 'disetujui'" /* an activity added later waits */
    "    CHECK(approval IN ('menunggu','disetujui','ditolak')),"
    "  done_on TEXT,"
    "  evidence_file_id TEXT," /* Telegram's file id of the certificate */
    "  evidence_kind TEXT,"
    "  verified_at INTEGER,"
    "  verified_by INTEGER REFERENCES employees(id),"
    "  source TEXT NOT NULL DEFAULT 'plan' CHECK(source IN ('plan','training','mentoring')),"
    "  source_id INTEGER,"
    "  carried_from INTEGER,"
    "  created_at INTEGER NOT NULL,"
    "  updated_at INTEGER NOT NULL) STRICT;"
    "CREATE INDEX rpi_activities_plan ON rpi_activities(plan_id, target_date);"
    "CREATE INDEX rpi_activities_due ON rpi_activities(target_date) "
    "  WHERE status IN ('rencana','berjalan');";
