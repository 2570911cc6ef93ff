-- 003_holidays.sql -- Kazakhstan's non-working days for 2026 and 2027.
--
-- Reference data for the working-day calendar (cgi-bin/lib/cal.h): the
-- referral deadline (5 working days) and the free-place priority window
-- (N working days) count only working days.  The table `holiday` is
-- created by migration 001; the support role edits it from /admin, so
-- what is below is the starting point, not the last word.
--
-- HOW TO READ A ROW
--   holiday   a public holiday (праздничный день) or religious non-working
--             day; stored on its own date even when that is a Saturday or
--             Sunday (it then moves a day off, see the next kind).
--   day_off   a weekday made non-working: the working day after a public
--             holiday that fell on a weekend, or a Government decree.
--   work_day  a weekend day made working by a Government decree.
-- Plain Saturdays and Sundays are not listed: the calendar treats them
-- as days off unless a work_day row says otherwise.
--
-- THE RULES APPLIED (five-day week)
--   * Holidays: Law of the Republic of Kazakhstan of 13.12.2001
--     No. 267-II "On holidays in the Republic of Kazakhstan" (as amended
--     29.09.2022: 25 October Republic Day restored as a national holiday,
--     Independence Day reduced to 16 December, 1 December First President
--     Day removed) and the Labour Code of 23.11.2015, art. 84.
--   * Holiday on a Saturday or Sunday: the next working day after the
--     holiday is a day off (Law on holidays, art. 5; Labour Code).
--   * Religious holidays -- Orthodox Christmas (7 January) and the first
--     day of Kurban Ait -- are non-working days WITHOUT that transfer
--     (Labour Code art. 84): on a weekend they move nothing.
--   * The Government may move days off to other days by decree (Labour
--     Code art. 85 p. 3); it did so in most years (2022: 22.10 -> 24.10;
--     2023: 01.07 -> 07.07; 2024: 04.05 -> 08.05), so check each year.
--   * The date of Kurban Ait is set every year with the Spiritual
--     Administration of Muslims of Kazakhstan (DUMK) and can move by one
--     day when the new moon is observed (it did in 2024: 17.06 -> 16.06).
--   * Constitution Day: a new Constitution was adopted at the referendum
--     of 15.03.2026 (CEC: 87.15 % in favour; in force 01.07.2026).  Its
--     art. 94 p. 2 makes the day of its adoption, 15 March, the state
--     holiday "Constitution Day"; 30 August loses that status.
--
-- WHAT IS CONFIRMED AND WHAT IS DERIVED
--   2026, confirmed: the official calendar for 2026 on the e-government
--     portal (egov.kz), reported by Kazinform 02.01.2026
--     (inform.kz/ru/kak-budut-otdihat-kazahstantsi-v-2026-godu-947dd6)
--     and alau.kz 02.01.2026: every holiday below and the days off 9.03,
--     24.03, 25.03, 11.05, 26.10.  Kurban Ait 27.05.2026: DUMK calendar
--     for 2026 (zakon.kz 06.11.2025, kazpravda.kz 14.01.2026).  No
--     Government decree moving a day off in 2026 was found; the egov
--     calendar shows only the Labour Code transfers.
--   2026, changed after that calendar: 30.08.2026 (a Sunday) and its
--     transfer to Monday 31.08.2026 are NOT listed: the Ministry of Labour
--     (MTSZN) said 30 August is no longer Constitution Day nor a day off
--     from 2026 (Taspanews 18.03.2026), in line with the Minister of
--     Justice on 04.03.2026.  If a later act keeps 30.08.2026, add
--     ('2026-08-30','holiday') and ('2026-08-31','day_off') from /admin.
--   2027, derived: no official 2027 calendar or decree was found.  The
--     holidays are the Law's list with Constitution Day on 15 March
--     (MTSZN: "celebrated from 2027"); the day_off rows are the Labour
--     Code's weekend rule only.  Kurban Ait 2027 is an ESTIMATE: 16 May
--     (10 Dhu al-Hijjah 1448 by the Umm al-Qura calendar; DUMK publishes
--     its 2027 calendar in November 2026).  16.05.2027 is a Sunday, so
--     the estimate changes no working day; if DUMK fixes Monday 17.05
--     instead, replace the row.  Add the Government's 2027 decree
--     (перенос выходных дней) when it is published.
--
-- Names: Russian as in the Law on holidays; Kazakh as in its Kazakh text
-- («Қазақстан халқының бірлігі мерекесі», «Отан қорғаушы күні»; press
-- reports also write «...бірлігі күні», «Отан қорғаушылар күні»).

-- 2026 ---------------------------------------------------------------
INSERT INTO holiday (day, kind, name_ru, name_kk) VALUES
('2026-01-01', 'holiday', 'Новый год', 'Жаңа жыл'),
('2026-01-02', 'holiday', 'Новый год', 'Жаңа жыл'),
('2026-01-07', 'holiday', 'Православное Рождество', 'Православиелік Рождество'),
('2026-03-08', 'holiday', 'Международный женский день', 'Халықаралық әйелдер күні'),
('2026-03-09', 'day_off', 'Выходной день вместо 8 марта (воскресенье)', '8 наурыздың (жексенбі) орнына демалыс күні'),
('2026-03-21', 'holiday', 'Наурыз мейрамы', 'Наурыз мейрамы'),
('2026-03-22', 'holiday', 'Наурыз мейрамы', 'Наурыз мейрамы'),
('2026-03-23', 'holiday', 'Наурыз мейрамы', 'Наурыз мейрамы'),
('2026-03-24', 'day_off', 'Выходной день вместо 21 марта (суббота)', '21 наурыздың (сенбі) орнына демалыс күні'),
('2026-03-25', 'day_off', 'Выходной день вместо 22 марта (воскресенье)', '22 наурыздың (жексенбі) орнына демалыс күні'),
('2026-05-01', 'holiday', 'Праздник единства народа Казахстана', 'Қазақстан халқының бірлігі мерекесі'),
('2026-05-07', 'holiday', 'День защитника Отечества', 'Отан қорғаушы күні'),
('2026-05-09', 'holiday', 'День Победы', 'Жеңіс күні'),
('2026-05-11', 'day_off', 'Выходной день вместо 9 мая (суббота)', '9 мамырдың (сенбі) орнына демалыс күні'),
('2026-05-27', 'holiday', 'Курбан айт (первый день)', 'Құрбан айт (бірінші күні)'),
('2026-07-06', 'holiday', 'День Столицы', 'Астана күні'),
('2026-10-25', 'holiday', 'День Республики', 'Республика күні'),
('2026-10-26', 'day_off', 'Выходной день вместо 25 октября (воскресенье)', '25 қазанның (жексенбі) орнына демалыс күні'),
('2026-12-16', 'holiday', 'День Независимости', 'Тәуелсіздік күні');

-- 2027 (derived, see above) ------------------------------------------
INSERT INTO holiday (day, kind, name_ru, name_kk) VALUES
('2027-01-01', 'holiday', 'Новый год', 'Жаңа жыл'),
('2027-01-02', 'holiday', 'Новый год', 'Жаңа жыл'),
('2027-01-04', 'day_off', 'Выходной день вместо 2 января (суббота)', '2 қаңтардың (сенбі) орнына демалыс күні'),
('2027-01-07', 'holiday', 'Православное Рождество', 'Православиелік Рождество'),
('2027-03-08', 'holiday', 'Международный женский день', 'Халықаралық әйелдер күні'),
('2027-03-15', 'holiday', 'День Конституции Республики Казахстан', 'Қазақстан Республикасының Конституциясы күні'),
('2027-03-21', 'holiday', 'Наурыз мейрамы', 'Наурыз мейрамы'),
('2027-03-22', 'holiday', 'Наурыз мейрамы', 'Наурыз мейрамы'),
('2027-03-23', 'holiday', 'Наурыз мейрамы', 'Наурыз мейрамы'),
('2027-03-24', 'day_off', 'Выходной день вместо 21 марта (воскресенье)', '21 наурыздың (жексенбі) орнына демалыс күні'),
('2027-05-01', 'holiday', 'Праздник единства народа Казахстана', 'Қазақстан халқының бірлігі мерекесі'),
('2027-05-03', 'day_off', 'Выходной день вместо 1 мая (суббота)', '1 мамырдың (сенбі) орнына демалыс күні'),
('2027-05-07', 'holiday', 'День защитника Отечества', 'Отан қорғаушы күні'),
('2027-05-09', 'holiday', 'День Победы', 'Жеңіс күні'),
('2027-05-10', 'day_off', 'Выходной день вместо 9 мая (воскресенье)', '9 мамырдың (жексенбі) орнына демалыс күні'),
('2027-05-16', 'holiday', 'Курбан айт (первый день)', 'Құрбан айт (бірінші күні)'),
('2027-07-06', 'holiday', 'День Столицы', 'Астана күні'),
('2027-10-25', 'holiday', 'День Республики', 'Республика күні'),
('2027-12-16', 'holiday', 'День Независимости', 'Тәуелсіздік күні');
