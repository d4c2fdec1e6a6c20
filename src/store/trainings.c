/* trainings: the trainings HR opens, and the registrations for them. */
#include "internal.h"

const char kb_schema_trainings[] =
    "CREATE TABLE trainings("
    "  id INTEGER PRIMARY KEY,"
    "  code TEXT NOT NULL UNIQUE,"
    "  title TEXT NOT NULL,"
    "  provider TEXT,"
    "  form TEXT," /* klasikal, e-learning, ... */
    "  start_date TEXT NOT NULL,"
    "  end_date TEXT NOT NULL,"
    "  jp INTEGER NOT NULL DEFAULT 0,"
    "  quota INTEGER NOT NULL,"
    "  deadline TEXT NOT NULL,"          /* last day to register */
    "  min_grade TEXT,"                  /* lowest golongan/ruang admitted, e.g. 'III/a' */
    "  cost INTEGER NOT NULL DEFAULT 0," /* rupiah per seat */
    "  competency TEXT,"
    "  status TEXT NOT NULL DEFAULT 'buka' CHECK(status IN ('buka','tutup','batal'))) STRICT;"
    "CREATE INDEX trainings_open ON trainings(status, deadline);"
    "CREATE TABLE registrations("
    "  id INTEGER PRIMARY KEY,"
    "  training_id INTEGER NOT NULL REFERENCES trainings(id),"
    "  employee_id INTEGER NOT NULL REFERENCES employees(id),"
    "  reason TEXT,"
    "  activity_id INTEGER REFERENCES rpi_activities(id),"
    "  status TEXT NOT NULL DEFAULT 'diajukan' CHECK(status IN ('diajukan','disetujui',"
    "    'ditolak','diusulkan','diterima','daftar_tunggu','dibatalkan','selesai')),"
    "  seat INTEGER NOT NULL DEFAULT 0," /* 1 while it holds one of the quota's seats */
    "  created_at INTEGER NOT NULL,"
    "  updated_at INTEGER NOT NULL) STRICT;"
    /* One live registration per person and training; a cancelled or rejected one may be
     * followed by a new one. */
    "CREATE UNIQUE INDEX registrations_live ON registrations(training_id, employee_id) "
    "  WHERE status NOT IN ('dibatalkan','ditolak');"
    "CREATE INDEX registrations_employee ON registrations(employee_id, created_at);"
    "CREATE INDEX registrations_queue ON registrations(training_id, status, created_at);";
