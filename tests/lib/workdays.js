// workdays.js — the working-day rules of cgi-bin/lib/base/cal.h over an
// instance's holiday table, for tests that check deadlines and windows
// independently of the C code: local days are UTC+5, Saturday and Sunday
// are off unless the table says work_day, holiday and day_off rows are off.
//
//   const wd = workdays(srv);
//   wd.endAfter(ts, 5)       // last second of the 5th working day after ts's day
//   wd.daysLeft(ts, deadline)
'use strict';

const OFFSET = 5 * 3600;

function workdays(srv) {
  const special = new Map();
  for (const r of srv.sql('SELECT day, kind FROM holiday')) {
    special.set(Math.round(Date.parse(`${r.day}T00:00:00Z`) / 86400000), r.kind);
  }
  const dayOf = (ts) => Math.floor((ts + OFFSET) / 86400);
  const startOf = (day) => day * 86400 - OFFSET;
  const isWorking = (day) => {
    const k = special.get(day);
    if (k) return k === 'work_day';
    const wd = (day + 4) % 7;         // 1970-01-01 was a Thursday: 0 = Sunday
    return wd !== 0 && wd !== 6;
  };
  const addWorking = (day, n) => {
    let d = day;
    for (let left = n; left > 0;) { d++; if (isWorking(d)) left--; }
    return d;
  };
  return {
    dayOf,
    startOf,
    isWorking,
    addWorking,
    endAfter: (ts, n) => startOf(addWorking(dayOf(ts), n) + 1) - 1,
    daysLeft: (ts, deadline) => {
      let n = 0;
      for (let d = dayOf(ts) + 1; d <= dayOf(deadline); d++) if (isWorking(d)) n++;
      return n;
    },
    // dd.mm.yyyy of a time, local.
    date: (ts) => {
      const d = new Date((ts + OFFSET) * 1000);
      return `${String(d.getUTCDate()).padStart(2, '0')}.${String(d.getUTCMonth() + 1).padStart(2, '0')}.${d.getUTCFullYear()}`;
    },
  };
}

module.exports = { workdays };
