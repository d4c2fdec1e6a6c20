/* promotions: promotion files (usulan kenaikan pangkat) and the stages each has reached. */
#include "internal.h"

const char kb_schema_promotions[] =
    "CREATE TABLE promotions("
    "  id INTEGER PRIMARY KEY,"
    "  employee_id INTEGER NOT NULL REFERENCES employees(id),"
    "  kind TEXT NOT NULL," /* reguler, pilihan, fungsional, ... */
    "  target_grade TEXT NOT NULL,"
    "  period TEXT NOT NULL," /* the promotion date aimed at, YYYY-MM-DD */
    "  UNIQUE(employee_id, period)) STRICT;"
    "CREATE TABLE promotion_stages("
    "  promotion_id INTEGER NOT NULL REFERENCES promotions(id),"
    "  stage TEXT NOT NULL," /* a stage id of the policy data, or BTL/BTS/TMS */
    "  reached_on TEXT NOT NULL,"
    "  note TEXT,"
    "  PRIMARY KEY(promotion_id, stage)) STRICT, WITHOUT ROWID;";
