-- 200_year_states.sql — the states the yearly cycle adds to an application
-- (issue 17): 'inactive' (a voucher not confirmed in time: it keeps its
-- date, gets no offers and may be restored once), and three archive
-- reasons: 'school_age' (the refresh archives a child who will be of school
-- age on 1 September), 'voucher_refused' and 'voucher_lapsed'.
--
-- SQLite cannot ALTER a CHECK. Widening one changes nothing stored (every
-- row that passed the old CHECK passes the new), so the table's text is
-- edited in place, as SQLite's documentation allows for such changes; the
-- migration runner then bumps the schema cookie so every connection
-- re-reads it, and integrity_check in the tests reads every row again.
PRAGMA writable_schema = ON;
UPDATE sqlite_schema SET sql = replace(replace(replace(sql,
    '''refusal_review'',''departed'',''archived'')',
    '''refusal_review'',''departed'',''archived'',''inactive'')'),
    'archive_reason IN (''withdrawn'',''deadline'',''departed'')',
    'archive_reason IN (''withdrawn'',''deadline'',''departed'',''school_age'',''voucher_refused'',''voucher_lapsed'')'),
    'WHEN ''archived'' THEN archive_reason IN (''withdrawn'',''deadline'')',
    'WHEN ''archived'' THEN archive_reason IN (''withdrawn'',''deadline'',''school_age'',''voucher_refused'',''voucher_lapsed'')')
  WHERE type = 'table' AND name = 'application';
PRAGMA writable_schema = OFF;
