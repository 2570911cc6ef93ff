-- 120_no_counters.sql — the named change counters of 001 (data_version and
-- its triggers) go: pages are kept by the web server for a second, and
-- what a process derives from the data (the places list's districts, the
-- holiday calendar) follows db_version() (cgi-bin/lib/base/db.h), which
-- moves with any change of any table, so no table can be forgotten.
DROP TRIGGER dv_application_ins;
DROP TRIGGER dv_application_upd;
DROP TRIGGER dv_free_place_ins;
DROP TRIGGER dv_free_place_upd;
DROP TRIGGER dv_referral_ins;
DROP TRIGGER dv_referral_upd;
DROP TRIGGER dv_ddo_ins;
DROP TRIGGER dv_ddo_upd;
DROP TRIGGER dv_enrollment_ins;
DROP TRIGGER dv_enrollment_upd;
DROP TRIGGER dv_holiday_ins;
DROP TRIGGER dv_holiday_upd;
DROP TRIGGER dv_holiday_del;
DROP TABLE data_version;
