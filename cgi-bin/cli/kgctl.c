/*
 * kgctl — the operators' command line: one more client of the same
 * library the screens use.
 *
 *   kgctl migrate              create or upgrade the database (sql/NNN_*.sql)
 *   kgctl demo PERSONS.tsv [--base]  demo DDOs, accounts, БМГ entries and (without
 *                              --base) applications, places, referrals (idempotent)
 *   kgctl demo-password        the demo accounts' password
 *   kgctl demo-accounts        list the demo accounts
 *   kgctl tick [--now T]       the timed jobs (cron or systemd timer, every minute)
 *   kgctl audit-verify         recompute the audit log's hash chain
 *   kgctl audit-verify --heads FILE [--cert PEM]   the log against saved heads (/audit/heads.csv)
 *   kgctl backup [--since PREV] DIR   a backup while the service writes: the
 *                              database, the files it names, a MANIFEST (backup.h);
 *                              in an existing DIR, a new DIR/kg-DATE-TIME
 *   kgctl backup FILE.db       the database only, a consistent copy (mode 0600)
 *   kgctl verify-backup DIR    check a backup: manifest, integrity, audit chain
 *   kgctl restore DIR          put a verified backup in place (the service stopped)
 *   kgctl passwd IIN           set an account's password (asked for with echo off on
 *                              a terminal, else one line of stdin)
 *   kgctl add-support IIN SURNAME NAME [PATRONYMIC]   bootstrap a support account
 *   kgctl bmg-import [--replace] FILE.csv   import БМГ pairs (IIN;phone), as /admin/bmg does
 *   kgctl gbd-import [--replace] FILE.csv   import ГБД ФЛ rows (children's legal
 *                              representatives, gbd.h), as /admin/gbd does
 *
 * Settings come from KG_CONF (see conf/app.hdf). Exit status 0 on success.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <termios.h>
#include <time.h>
#include <unistd.h>
#include <sys/stat.h>

#include <openssl/cms.h>
#include <openssl/evp.h>
#include <openssl/pem.h>

#include "domain/account.h"
#include "domain/audit.h"
#include "domain/backup.h"
#include "base/auth.h"
#include "domain/bmg.h"
#include "base/cal.h"
#include "base/conf.h"
#include "base/db.h"
#include "domain/decide.h"
#include "domain/doc.h"
#include "domain/gbd.h"
#include "domain/hist.h"
#include "base/lang.h"
#include "base/log.h"
#include "base/pdf.h"
#include "domain/offer.h"
#include "domain/voucher.h"
#include "domain/place.h"
#include "domain/queue.h"
#include "domain/referral.h"
#include "domain/refresh.h"
#include "domain/benefit.h"
#include "web/req.h"
#include "web/sess.h"
#include "base/sign.h"
#include "base/sms.h"
#include "base/util.h"
#include "web/val.h"
#include "web/view.h"
#include "base/workday.h"

#define DEMO_PASSWORD "demo-kg-2026"

static int need_db(void)
{
	const char *path = conf_get("Paths.Db", "var/kg.db");
	if (db_open(path) < 0)
		return -1;
	/* The rules that SQL calls (place.h, referral.h). */
	return place_sql_register(db_handle()) < 0 || ref_sql_register(db_handle()) < 0 ? -1 : 0;
}

static int cmd_migrate(int argc, char **argv)
{
	(void)argc, (void)argv;
	char err[512];
	int n = db_migrate(conf_get("Paths.Sql", "sql"), err, sizeof err);
	if (n < 0) {
		fprintf(stderr, "kgctl migrate: %s\n", err);
		return 1;
	}
	if (n)
		printf("kgctl: applied %d migration(s); the database is at version %d\n", n, db_user_version());
	return 0;
}

/* ---- demo data ---- */

struct person {
	char key[32], iin[13], surname[64], name[64], patronymic[64], role[16], bin[13], phone[16];
};

static int read_persons(const char *path, struct person *out, int max)
{
	FILE *f = fopen(path, "r");
	if (!f) {
		fprintf(stderr, "kgctl demo: cannot read %s\n", path);
		return -1;
	}
	char line[512];
	int n = 0;
	while (fgets(line, sizeof line, f) && n < max) {
		if (line[0] == '#' || line[0] == '\n')
			continue;
		line[strcspn(line, "\r\n")] = '\0';
		struct person *p = &out[n];
		char *fields[8];
		int nf = 0;
		for (char *tok = strtok(line, "\t"); tok && nf < 8; tok = strtok(NULL, "\t"))
			fields[nf++] = tok;
		if (nf != 8)
			continue;
		snprintf(p->key, sizeof p->key, "%s", fields[0]);
		snprintf(p->iin, sizeof p->iin, "%s", fields[1]);
		snprintf(p->surname, sizeof p->surname, "%s", fields[2]);
		snprintf(p->name, sizeof p->name, "%s", fields[3]);
		snprintf(p->patronymic, sizeof p->patronymic, "%s", fields[4]);
		snprintf(p->role, sizeof p->role, "%s", fields[5]);
		snprintf(p->bin, sizeof p->bin, "%s", strcmp(fields[6], "-") ? fields[6] : "");
		snprintf(p->phone, sizeof p->phone, "%s", fields[7]);
		n++;
	}
	fclose(f);
	return n;
}

/* The account of iin (made with these data, the role and the password
 * hash when there is none; an existing one stays as it is), in the open
 * transaction: its id, or 0. */
static long long add_account(const char *iin, const char *surname, const char *name, const char *patr,
			     enum acct_role role, const char *phone, const char *pw_hash, long long now)
{
	struct acct_person p = {iin, surname, name, patr, phone, NULL};
	long long id;
	int created;
	if (acct_ensure(&p, role, now, &id, &created) != ACCT_OK ||
	    (created && pw_hash && acct_password_set(id, pw_hash, 0, now) != ACCT_OK))
		return 0;
	return id;
}

/* A valid IIN for generated demo persons: birth date yymmdd, century and
 * sex digit c (3/4: 1900s, 5/6: 2000s; even: female). */
static void make_iin(int yymmdd, int c, int serial, char out[13])
{
	int y = (c <= 4 ? 1900 : 2000) + yymmdd / 10000 % 100;
	iin_make(y, yymmdd / 100 % 100, yymmdd % 100, c % 2 == 0 ? 'F' : 'M', serial, out);
}

static const char *const ddo_names[][2] = {
	{"Балапан", "Балапан"}, {"Айгөлек", "Айгөлек"}, {"Қызғалдақ", "Қызғалдақ"}, {"Ертегі", "Ертегі"},
	{"Күншуақ", "Күншуақ"}, {"Арман", "Арман"}, {"Бөбек", "Бөбек"}, {"Жұлдыз", "Жұлдыз"},
	{"Болашақ", "Болашақ"}, {"Нұрсәт", "Нұрсәт"}, {"Ақбота", "Ақбота"}, {"Солнышко", "Күнекей"},
	{"Золотой ключик", "Алтын кілт"}, {"Радуга", "Кемпірқосақ"}, {"Теремок", "Шағын үй"},
};
#define NNAMES (sizeof ddo_names / sizeof ddo_names[0])

static const char *const streets[] = {"ул. Абая", "ул. Ауэзова", "пр. Назарбаева", "ул. Пушкина",
				      "ул. Сатпаева", "ул. Женис", "ул. Валиханова", "ул. Кенесары"};

/* The enroll screen's demo: parent2 (ТУЛЕУБАЕВА ФАТИМА МЕЙРАМОВНА of seed
 * 000, figure 23) has a child with a referral, 'issued' today, to the first
 * state kindergarten of Кокшетау (where staff1 works), so `make run` shows
 * /enroll with a referral to work on, and staff1 sees it once it is
 * submitted. The application, the free-place record (its one place taken
 * by the referral) and the history are what the queue and places screens
 * would have written. */
static int demo_enroll(long long now)
{
	long long parent = db_int("SELECT id FROM account WHERE iin = '950808477153'", 0, NULL);
	long long ddo = db_int("SELECT min(id) FROM ddo WHERE district_id = 1110 AND kind = 'state'", 0, NULL);
	long long staff = db_int("SELECT min(account_id) FROM ddo_staff WHERE ddo_id = ?", 0, "I", ddo);
	if (!parent || !ddo || !staff)
		return 0; /* persons.tsv without parent2 or staff1: nothing to show */
	char iin[13];
	make_iin(220922, 5, 7311, iin);
	if (db_exec("INSERT INTO child(iin, surname, name, patronymic, birth_date, sex, created_at) "
		    "VALUES (?, 'ОТАР', 'ДІЛМҰРАТ', 'ӨТЕГЕНҰЛЫ', '2022-09-22', 'M', ?)",
		    "tI", iin, now) != SQLITE_DONE)
		return -1;
	long long child = db_last_id();
	char today[11];
	u_fmt_date(now, today);
	long long year;
	if (u_strtoll(today + 6, 2000, 2100, &year) < 0)
		return -1;
	long long seq = db_int("INSERT INTO app_seq(year, last) VALUES (?, 1) "
			       "ON CONFLICT(year) DO UPDATE SET last = last + 1 RETURNING last",
			       0, "I", year);
	if (seq <= 0)
		return -1;
	char number[40];
	snprintf(number, sizeof number, "UO.%lld.%06lld.1", year, seq);
	long long queued = now - 200 * 86400LL;
	if (db_exec("INSERT INTO application(number, child_id, applicant_id, district_id, group_year, language, benefit, "
		    "ddo1, phone, status, queued_at, created_at, updated_at) "
		    "VALUES (?, ?, ?, 1110, 2022, 'ru', 'none', ?, '+77015550008', 'referred', ?, ?, ?)",
		    "tIIIIII", number, child, parent, ddo, queued, queued, now) != SQLITE_DONE)
		return -1;
	long long app = db_last_id();
	if (db_exec("INSERT INTO free_place(ddo_id, district_id, group_year, language, total, free, created_by, "
		    "created_at, window_until, status) VALUES (?, 1110, 2022, 'ru', 2, 2, ?, ?, ?, 'free_choice')",
		    "IIII", ddo, staff, now - 3 * 86400LL, now - 86400LL) != SQLITE_DONE)
		return -1;
	long long place = db_last_id();
	long long refno = db_int("SELECT coalesce(max(CAST(number AS INTEGER)), 1000000000) + 101 FROM referral", 0, NULL);
	char ref[16];
	snprintf(ref, sizeof ref, "%010lld", refno);
	long long deadline = ref_deadline(now);
	if (deadline < 0 ||
	    db_exec("INSERT INTO referral(number, application_id, free_place_id, ddo_id, status, issued_at, deadline_at) "
		    "VALUES (?, ?, ?, ?, 'issued', ?, ?)",
		    "tIIIII", ref, app, place, ddo, now, deadline) != SQLITE_DONE)
		return -1;
	/* The registration happened back then (hist_add writes the time of now). */
	if (db_exec("INSERT INTO history(application_id, at, actor_id, actor_role, event, p1) "
		    "VALUES (?, ?, ?, 'citizen', 'registered', ?)",
		    "IIIt", app, queued, parent, number) != SQLITE_DONE ||
	    hist_add(app, 0, "system", "referral_issued", ref, NULL, NULL) < 0)
		return -1;
	return 0;
}

/* Free places for the demonstration: records of staff1's two kindergartens
 * in Кокшетау (the one person who works for two), for the group years of
 * preschool children in Russian and Kazakh, most of them past their
 * priority window and one still in it, whose places are offered in queue
 * order as place_add does (offer_fill, with its SMS texts). No referral is
 * made for anyone, so parent1 keeps a queued child to show the choice of a
 * place. */
/* The interface strings, for the texts of the SMS the demo's offers send. */
static int demo_lang(void)
{
	char dir[1100];
	snprintf(dir, sizeof dir, "%s/lang", conf_get("Paths.Templates", "templates"));
	return lang_init(dir);
}

static int demo_places(long long now)
{
	long long staff = db_int("SELECT s.account_id FROM ddo_staff s JOIN ddo d ON d.id = s.ddo_id "
				 "WHERE d.district_id = 1110 GROUP BY s.account_id HAVING count(*) = 2 "
				 "ORDER BY s.account_id LIMIT 1", 0, NULL);
	if (!staff)
		return 0;
	long long ddos[2] = {0, 0};
	sqlite3_stmt *st = db_query("SELECT ddo_id FROM ddo_staff WHERE account_id = ? ORDER BY ddo_id LIMIT 2", "I", staff);
	for (int i = 0; db_row(st) && i < 2; i++)
		ddos[i] = sqlite3_column_int64(st, 0);
	db_done(st);
	int ymin, ymax;
	place_year_range(now, &ymin, &ymax);
	static const struct { int ddo, age; const char *lang; int total, days_ago; } recs[] = {
		{0, 5, "ru", 10, 24}, {0, 4, "ru", 8, 21}, {0, 3, "ru", 6, 18}, {0, 2, "ru", 5, 15},
		{0, 4, "kk", 7, 14}, {1, 3, "kk", 5, 12}, {1, 5, "kk", 4, 10}, {1, 2, "kk", 3, 9},
		{1, 3, "ru", 4, 8}, {1, 4, "en", 2, 7}, {1, 3, "ru", 3, 0},
	};
	for (size_t i = 0; i < sizeof recs / sizeof recs[0]; i++) {
		long long ddo = ddos[recs[i].ddo];
		int year = ymax - recs[i].age;
		if (!ddo || year < ymin)
			continue;
		long long at = now - recs[i].days_ago * 86400LL - 3600;
		long long until = place_window_end(at);
		if (until < 0)
			return -1;
		const char *status = place_status_names[place_status_at(now, until, recs[i].total)];
		if (db_exec("INSERT INTO free_place(ddo_id, district_id, group_year, language, total, free, created_by, "
			    "created_at, window_until, status) SELECT id, district_id, ?, ?, ?, ?, ?, ?, ?, ? "
			    "FROM ddo WHERE id = ?",
			    "itiiIIItI", year, recs[i].lang, recs[i].total, recs[i].total, staff, at, until, status,
			    ddo) != SQLITE_DONE)
			return -1;
		if (until >= now && (demo_lang() < 0 || offer_fill_place(db_last_id(), now) < 0))
			return -1;
	}
	return 0;
}

/* Demo queue for `make run`: a few dozen queued applications in Кокшетау
 * (1110) and Целиноградский район (1166) across group years, languages and
 * benefit categories, so the search and the statistics show something;
 * parent1 gets exactly one queued child (Кокшетау, group year 2021,
 * Russian). The other applicants are five demo families, in БМГ with their
 * phones, so they can log in by one-time code too. Child IINs use serials
 * 8100 and up, clear of other demos. Numbers come from the same sequence
 * as real registrations. */
static int demo_queue(long long now)
{
	static const struct {
		const char *surname, *name, *patronymic, *iin_date;
		int sex;   /* IIN century-and-sex digit */
	} fam[] = {
		{"ЕСЕНОВА", "ГУЛЬНАР", "САБИТОВНА", "880305", 4},
		{"КОВАЛЕНКО", "ИГОРЬ", "ВИКТОРОВИЧ", "850917", 3},
		{"БАЙМУХАНОВ", "ЕРЛАН", "ТАЛГАТОВИЧ", "910122", 3},
		{"САПАРОВА", "АЛИЯ", "МУРАТОВНА", "930611", 4},
		{"МУКАНОВ", "ДАУРЕН", "КАЙРАТОВИЧ", "870430", 3},
	};
	static const char *const kids_m[] = {"АЛИХАН", "ТЕМИРЛАН", "АРСЕН", "ДАНИЯР", "МАКСИМ", "САНЖАР"};
	static const char *const kids_f[] = {"АЙША", "АМИНА", "МАДИНА", "СОФИЯ", "ТОМИРИС", "АРУЖАН"};
	long long fam_id[5];
	for (int i = 0; i < 5; i++) {
		char iin[13];
		long long yymmdd;
		if (u_strtoll(fam[i].iin_date, 0, 999999, &yymmdd) < 0)
			return -1;
		make_iin((int)yymmdd, fam[i].sex, 8000 + i * 7, iin);
		char phone[16];
		snprintf(phone, sizeof phone, "+7701777%04d", i + 1);
		fam_id[i] = add_account(iin, fam[i].surname, fam[i].name, fam[i].patronymic, ACCT_CITIZEN, phone, NULL, now);
		if (!fam_id[i] || db_exec("INSERT OR IGNORE INTO bmg(phone, iin, imported_at) VALUES (?, ?, ?)", "ttI", phone,
					  iin, now) != SQLITE_DONE)
			return -1;
	}
	long long parent1 = db_int("SELECT id FROM account WHERE iin = '900517322416'", 0, NULL);
	/* The plan: district, group year, language, ground ("" = none), days ago. */
	struct plan {
		int district, year;
		const char *lang, *ground;
		int days_ago;
		long long applicant;
		const char *surname;
	} p[40];
	int n = 0;
	if (parent1)
		p[n++] = (struct plan){1110, 2021, "ru", "", 400, parent1, "НУРЛАНОВ"};
	static const char *const grounds[] = {"", "", "", "large_family", "", "orphan", "", "single_parent", "",
					      "child_disabled", "", "military", "", "", "parent_disabled", ""};
	static const char *const langs[] = {"kk", "ru", "kk", "ru", "kk", "en"};
	for (int i = 0; n < 36; i++) {
		int district = i % 3 == 2 ? 1166 : 1110;
		p[n++] = (struct plan){district, 2020 + i % 6, langs[i % 6], grounds[i % 16], 20 + (i * 37) % 700,
				       fam_id[i % 5], fam[i % 5].surname};
	}
	/* Registered in time order, as real registrations would be numbered. */
	for (int i = 1; i < n; i++)
		for (int j = i; j > 0 && p[j].days_ago > p[j - 1].days_ago; j--) {
			struct plan t = p[j];
			p[j] = p[j - 1];
			p[j - 1] = t;
		}
	for (int i = 0; i < n; i++) {
		long long t = now - (long long)p[i].days_ago * 86400 - (i * 3917) % 86400;
		char iin[13], birth[11], number[32];
		int female = i % 2;
		int mm = 1 + (i * 5) % 12, dd = 1 + (i * 7) % 28;
		make_iin((p[i].year % 100) * 10000 + mm * 100 + dd, female ? 6 : 5, 8100 + i * 11, iin);
		snprintf(birth, sizeof birth, "%04d-%02d-%02d", p[i].year, mm, dd);
		const char *kid = female ? kids_f[i % 6] : kids_m[i % 6];
		/* The family's surname in the child's gender: ЕСЕНОВА -> ЕСЕНОВ for a
		 * boy, БАЙМУХАНОВ -> БАЙМУХАНОВА for a girl; КОВАЛЕНКО stays. */
		char surname[64];
		const char *fs = p[i].surname;
		size_t sl = strlen(fs);
		int fem_form = sl > 6 && (strcmp(fs + sl - 6, "ОВА") == 0 || strcmp(fs + sl - 6, "ЕВА") == 0);
		int masc_form = sl > 4 && (strcmp(fs + sl - 4, "ОВ") == 0 || strcmp(fs + sl - 4, "ЕВ") == 0);
		if (female && masc_form)
			snprintf(surname, sizeof surname, "%sА", fs);
		else if (!female && fem_form)
			snprintf(surname, sizeof surname, "%.*s", (int)(sl - 2), fs);
		else
			snprintf(surname, sizeof surname, "%s", fs);
		if (db_exec("INSERT INTO child(iin, surname, name, patronymic, birth_date, sex, created_at) "
			    "VALUES (?, ?, ?, '', ?, ?, ?)", "tttttI", iin, surname, kid, birth, female ? "F" : "M",
			    t) != SQLITE_DONE)
			return -1;
		long long child = db_last_id();
		if (queue_next_number(child, t, number) < 0)
			return -1;
		const struct queue_ground *g = queue_ground(p[i].ground);
		char phone[20] = "";
		db_text(phone, sizeof phone, "SELECT phone FROM account WHERE id = ?", "I", p[i].applicant);
		if (db_exec("INSERT INTO application(number, child_id, applicant_id, district_id, group_year, language, "
			    "benefit, benefit_ground, phone, status, queued_at, created_at, updated_at) "
			    "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, 'queued', ?, ?, ?)", "tIIiittttIII", number, child,
			    p[i].applicant, p[i].district, p[i].year, p[i].lang, queue_benefit_names[g ? g->category : QB_NONE],
			    g ? g->code : "", phone, t, t, t) != SQLITE_DONE)
			return -1;
		if (hist_add(db_last_id(), p[i].applicant, "citizen", "registered", number,
			     queue_benefit_names[g ? g->category : QB_NONE], g ? g->code : NULL) < 0)
			return -1;
	}
	return 0;
}

/* The register of persons (ГБД ФЛ, gbd.h) for the demo: every demo
 * applicant is the mother or father of the children they registered, and
 * parent1 and two demo families have children not yet in the queue, so
 * that a registration can be tried at once (`kgctl demo-accounts` lists
 * them). Child IINs of the latter use serials 8700 and up. */
static int demo_gbd(long long now)
{
	if (db_exec("INSERT OR IGNORE INTO gbd_person(child_iin, surname, name, patronymic, birth_date, representative_iin, "
		    "relation, imported_at) SELECT c.iin, c.surname, c.name, c.patronymic, c.birth_date, p.iin, "
		    "CASE WHEN substr(p.iin, 7, 1) IN ('2','4','6') THEN 'mother' ELSE 'father' END, ? "
		    "FROM application a JOIN child c ON c.id = a.child_id JOIN account p ON p.id = a.applicant_id",
		    "I", now) != SQLITE_DONE)
		return -1;
	static const struct {
		const char *parent, *surname, *name, *patronymic, *relation;
		int yymmdd, sex;
	} kids[] = {
		{"900517322416", "НУРЛАНОВА", "АЙША", "АСХАТОВНА", "father", 220314, 6},
		{"900517322416", "НУРЛАНОВ", "ТЕМИРЛАН", "АСХАТОВИЧ", "father", 240905, 5},
		{"950808477153", "ТУЛЕУБАЕВ", "АЛИХАН", "", "mother", 230127, 5},
	};
	for (size_t i = 0; i < sizeof kids / sizeof *kids; i++) {
		char iin[13], birth[24];
		make_iin(kids[i].yymmdd, kids[i].sex, 8700 + (int)i * 7, iin);
		snprintf(birth, sizeof birth, "20%02d-%02d-%02d", kids[i].yymmdd / 10000, kids[i].yymmdd / 100 % 100,
			 kids[i].yymmdd % 100);
		if (db_exec("INSERT OR IGNORE INTO gbd_person(child_iin, surname, name, patronymic, birth_date, "
			    "representative_iin, relation, imported_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)", "tttttttI", iin,
			    kids[i].surname, kids[i].name, kids[i].patronymic, birth, kids[i].parent, kids[i].relation,
			    now) != SQLITE_DONE)
			return -1;
	}
	return 0;
}

/* ---- demo data: the staff cabinet and the review of refusals ----
 * In staff1's first DDO two enrolled children and one referral whose
 * documents wait for a decision; in staff1's second DDO (Кокшетау) one
 * refusal waiting for reviewer1. The enrollments and the refusal are
 * signed for real with staff1's SIGN key of the demo PKI (the directory of
 * Eds.CaFile), over the texts the cabinet would show. */

/* A CMS over text by the demo PKI's key <key>, verified and stored as
 * esig_accept stores a signature. Returns the signature id or 0. */
static long long demo_cabinet_sign(const char *key, long long account, const char *action, const char *otype,
				   long long oid, const char *text, long long at)
{
	const char *ca = conf_get("Eds.CaFile", "");
	const char *slash = strrchr(ca, '/');
	char pem[1024], keyfile[1024];
	snprintf(pem, sizeof pem, "%.*s/%s.pem", slash ? (int)(slash - ca) : 1, slash ? ca : ".", key);
	snprintf(keyfile, sizeof keyfile, "%.*s/%s.key", slash ? (int)(slash - ca) : 1, slash ? ca : ".", key);
	FILE *fc = fopen(pem, "r"), *fk = fopen(keyfile, "r");
	X509 *cert = fc ? PEM_read_X509(fc, NULL, NULL, NULL) : NULL;
	EVP_PKEY *pk = fk ? PEM_read_PrivateKey(fk, NULL, NULL, NULL) : NULL;
	if (fc)
		fclose(fc);
	if (fk)
		fclose(fk);
	long long id = 0;
	BIO *in = BIO_new_mem_buf(text, (int)strlen(text));
	CMS_ContentInfo *cms = cert && pk && in ? CMS_sign(cert, pk, NULL, in, CMS_BINARY) : NULL;
	unsigned char *der = NULL;
	int dlen = cms ? i2d_CMS_ContentInfo(cms, &der) : -1;
	char *b64 = dlen > 0 ? malloc(4 * ((size_t)dlen + 2) / 3 + 4) : NULL;
	struct sign_signer who = {0};
	char err[256] = "";
	struct sign_trust *t = b64 ? sign_trust_load(ca, conf_get("Eds.CrlFile", ""), err, sizeof err) : NULL;
	if (t) {
		int n = EVP_EncodeBlock((unsigned char *)b64, der, dlen);
		/* Checked now: the demo PKI is made at setup, after the demo's past. */
		if (sign_verify(t, (const unsigned char *)b64, (size_t)n, (const unsigned char *)text, strlen(text),
				SIGN_PURPOSE_ACTION, 0, &who) == SIGN_OK &&
		    db_exec("INSERT INTO signature(account_id, method, purpose, action, object_type, object_id, content, cms, "
			    "cert, signer_iin, signer_bin, cert_serial, cert_issuer, signed_at) "
			    "VALUES (?, 'eds', 'action', ?, ?, ?, ?, ?, ?, ?, NULLIF(?, ''), ?, ?, ?)",
			    "IttIbbbttttI", account, action, otype, oid, text, (int)strlen(text), b64, n, who.cert_der,
			    (int)who.cert_len, who.iin, who.bin, who.serial_hex, who.issuer, at) == SQLITE_DONE)
			id = db_last_id();
	} else {
		fprintf(stderr, "kgctl demo: cannot sign with %s (%s) %s\n", pem, keyfile, err);
	}
	sign_signer_clear(&who);
	sign_trust_free(t);
	free(b64);
	OPENSSL_free(der);
	CMS_ContentInfo_free(cms);
	BIO_free(in);
	EVP_PKEY_free(pk);
	X509_free(cert);
	return id;
}

/* The signed content as a challenge has it: the text, the code, the time. */
static const char *demo_cabinet_content(struct req *r, const char *text, long long at)
{
	char code[44], when[17];
	if (u_token(code) < 0)
		return NULL;
	u_fmt_datetime(at, when);
	return arena_printf(r->a, "%s\n\n%s: %s\n%s: %s", text, view_t(r, "Eds.code"), code, view_t(r, "Eds.time"), when);
}

/* A child with a queued application; returns the application id. */
static long long demo_cabinet_child(const char *surname, const char *name, const char *patr, int yymmdd, char sex,
				    int serial, long long parent, long long queued_at, const char *benefit)
{
	char iin[13], birth[16];
	make_iin(yymmdd, sex == 'F' ? 6 : 5, serial, iin);
	snprintf(birth, sizeof birth, "20%02u-%02u-%02u", (unsigned)yymmdd / 10000u % 100u, (unsigned)yymmdd / 100u % 100u,
		 (unsigned)yymmdd % 100u);
	if (db_exec("INSERT INTO child(iin, surname, name, patronymic, birth_date, sex, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
		    "ttttttI", iin, surname, name, patr, birth, sex == 'F' ? "F" : "M", queued_at) != SQLITE_DONE)
		return 0;
	long long child = db_last_id();
	int year = 2000 + yymmdd / 10000, ry, rm, rd; /* the group's year; the number's is the registration's */
	cal_ymd_from_days(cal_day_from_unix(queued_at), &ry, &rm, &rd);
	long long seq = db_int("INSERT INTO app_seq(year, last) VALUES (?, 1) ON CONFLICT(year) DO UPDATE SET last = last + 1 "
			       "RETURNING last",
			       0, "i", ry);
	char number[32], phone[20] = "";
	snprintf(number, sizeof number, "UO.%d.%06lld.1", ry, seq);
	db_text(phone, sizeof phone, "SELECT phone FROM account WHERE id = ?", "I", parent);
	if (!seq || db_exec("INSERT INTO application(number, child_id, applicant_id, district_id, group_year, language, benefit, "
			    "phone, status, queued_at, created_at, updated_at) VALUES (?, ?, ?, 1110, ?, 'ru', ?, ?, 'queued', ?, ?, ?)",
			    "tIIittIII", number, child, parent, year, benefit, phone, queued_at, queued_at, queued_at) !=
				SQLITE_DONE)
		return 0;
	long long app = db_last_id();
	return hist_add(app, parent, "citizen", "registered", NULL, NULL, NULL) < 0 ? 0 : app;
}

/* A referral of the application to the record, documents submitted (forms
 * 065, 027, 052-2 as generated demo PDFs). Returns the referral id. */
static long long demo_cabinet_referral(long long app, long long place, long long parent, long long issued_at)
{
	char number[16], appnum[32] = "";
	db_text(appnum, sizeof appnum, "SELECT number FROM application WHERE id = ?", "I", app);
	/* Ten digits, as in the seed (1000001101): the application's id and the
	 * referral's order within it. */
	snprintf(number, sizeof number, "1%07lld01", app % 10000000);
	if (db_exec("INSERT INTO referral(number, application_id, free_place_id, ddo_id, status, issued_at, deadline_at, "
		    "docs_submitted_at) SELECT ?, ?, id, ddo_id, 'issued', ?, ?, ? FROM free_place WHERE id = ?",
		    "tIIIII", number, app, issued_at, issued_at + 7 * 86400, issued_at + 2 * 86400, place) != SQLITE_DONE)
		return 0;
	long long ref = db_last_id();
	if (db_exec("UPDATE referral SET status = 'docs_submitted' WHERE id = ?", "I", ref) != SQLITE_DONE ||
	    db_exec("UPDATE application SET status = 'docs_submitted' WHERE id = ?", "I", app) != SQLITE_DONE ||
	    hist_add(app, 0, "system", "referral_issued", number, NULL, NULL) < 0)
		return 0;
	static const char *const kinds[][2] = {{"form065", "Форма №065"}, {"form027", "Форма №027"}, {"form052_2", "Форма №052-2"}};
	for (int i = 0; i < 3; i++) {
		struct pdf *p = pdf_new(kinds[i][1]);
		pdf_title(p, kinds[i][1]);
		pdf_text(p, "Демонстрационный документ: копия медицинской формы, загруженная родителем.");
		pdf_field(p, "Заявление", appnum);
		pdf_field(p, "Направление", number);
		struct buf b = {0};
		char sha[65], file[32];
		snprintf(file, sizeof file, "%s.pdf", kinds[i][0]);
		int ok = pdf_finish(p, &b) == 0 && doc_store(b.s, b.len, sha) == 0 &&
			 doc_add(app, ref, kinds[i][0], "applicant", sha, b.len, "application/pdf", file, NULL, parent) > 0;
		buf_free(&b);
		if (!ok)
			return 0;
	}
	return ref;
}

static int demo_cabinet(long long now)
{
	long long staff = db_int("SELECT id FROM account WHERE iin = '850312412032'", 0, NULL);
	long long ddo = db_int("SELECT min(ddo_id) FROM ddo_staff WHERE account_id = ?", 0, "I", staff);
	long long ddo2 = db_int("SELECT min(ddo_id) FROM ddo_staff WHERE account_id = ? AND ddo_id > ?", 0, "II", staff, ddo);
	long long p1 = db_int("SELECT id FROM account WHERE iin = '900517322416'", 0, NULL);
	long long p2 = db_int("SELECT id FROM account WHERE iin = '950808477153'", 0, NULL);
	long long p3 = db_int("SELECT id FROM account WHERE iin = '930101499197'", 0, NULL);
	if (!staff || !ddo || !ddo2 || !p1 || !p2 || !p3)
		return 0; /* not the demo persons: nothing to show */
	if (view_init() < 0)
		return -1;
	struct req rq = {0};
	struct sess ss = {0};
	rq.a = arena_new();
	rq.lang = "ru";
	rq.s = &ss;
	ss.account_id = staff;
	const struct actor who = {staff, "staff", ""};
	int rc = -1;
	long long day = 86400, t0 = now - 120 * day;
	struct {
		const char *surname, *name, *patr;
		int birth;
		char sex;
		long long parent;
		const char *benefit;
	} kids[] = {
		{"НҰРЛАН", "КӨРКЕМ", "ДӘУЛЕТҚЫЗЫ", 210514, 'F', p1, "none"},
		{"МАНСҰРҰЛЫ", "САНЖАР", "", 210822, 'M', p2, "first_priority"},
		{"ОТАР", "ДІЛМҰРАТ", "ӨТЕГЕНҰЛЫ", 210203, 'M', p3, "none"},
		{"СЕРІКОВА", "АЙША", "НҰРЛАНҚЫЗЫ", 211109, 'F', p1, "none"},
	};
	long long apps[4], refs[4];
	long long place = 0, place2 = 0;
	if (db_exec("INSERT INTO free_place(ddo_id, district_id, group_year, language, total, free, created_by, created_at, "
		    "window_until, status) SELECT id, district_id, 2021, 'ru', 4, 4, ?, ?, ?, 'free_choice' FROM ddo WHERE id = ?",
		    "IIII", staff, t0, t0 + 3 * day, ddo) != SQLITE_DONE)
		goto out;
	place = db_last_id();
	if (db_exec("INSERT INTO free_place(ddo_id, district_id, group_year, language, total, free, created_by, created_at, "
		    "window_until, status) SELECT id, district_id, 2021, 'ru', 2, 2, ?, ?, ?, 'free_choice' FROM ddo WHERE id = ?",
		    "IIII", staff, t0, t0 + 3 * day, ddo2) != SQLITE_DONE)
		goto out;
	place2 = db_last_id();
	for (int i = 0; i < 4; i++) {
		apps[i] = demo_cabinet_child(kids[i].surname, kids[i].name, kids[i].patr, kids[i].birth, kids[i].sex, 8100 + i * 7,
					     kids[i].parent, now - (400 - i * 30) * day, kids[i].benefit);
		long long issued = i < 2 ? now - (90 - i * 20) * day : now - 3 * day;
		refs[i] = apps[i] ? demo_cabinet_referral(apps[i], i == 3 ? place2 : place, kids[i].parent, issued) : 0;
		if (!refs[i])
			goto out;
	}
	/* Two children accepted into the first DDO. */
	for (int i = 0; i < 2; i++) {
		struct dec_referral x;
		if (dec_staff_referral(rq.a, who, 0, refs[i], &x) <= 0)
			goto out;
		long long at = now - (80 - i * 20) * day;
		const char *content = demo_cabinet_content(&rq, dec_text_accept(rq.a, rq.lang, &x), at);
		long long sig = content ? demo_cabinet_sign("staff1-sign", staff, "accept", "referral", x.id, content, at) : 0;
		if (!sig ||
		    db_exec("INSERT INTO enrollment(referral_id, application_id, ddo_id, child_id, enrolled_at, enrolled_by, "
			    "signature_id) VALUES (?, ?, ?, ?, ?, ?, ?)",
			    "IIIIIII", x.id, x.application_id, x.ddo_id, x.child_id, at, staff, sig) != SQLITE_DONE ||
		    db_exec("UPDATE referral SET status = 'enrolled', voucher = 'bound', closed_at = ? WHERE id = ?", "II", at,
			    x.id) != SQLITE_DONE ||
		    db_exec("UPDATE application SET status = 'enrolled', updated_at = ? WHERE id = ?", "II", at,
			    x.application_id) != SQLITE_DONE ||
		    hist_add(x.application_id, staff, "staff", "enrolled", x.ddo_name_ru, x.number, NULL) < 0)
			goto out;
	}
	/* refs[2] waits for the first DDO's decision. refs[3] was refused by
	 * the second DDO; reviewer1 has it to review. */
	struct dec_referral x;
	if (dec_staff_referral(rq.a, who, 0, refs[3], &x) <= 0)
		goto out;
	const char *reason = "Форма №052-2 (медицинская карта) нечитаема: страницы обрезаны.";
	long long at = now - day;
	const char *content =
		demo_cabinet_content(&rq, dec_text_refuse(rq.a, rq.lang, &x, RFS_INCOMPLETE_DOCUMENTS, reason), at);
	long long sig = content ? demo_cabinet_sign("staff1-sign", staff, "refuse", "referral", x.id, content, at) : 0;
	if (!sig ||
	    db_exec("INSERT INTO refusal(referral_id, ddo_id, district_id, reason_code, reason, refused_by, refused_at, "
		    "signature_id) VALUES (?, ?, ?, 'incomplete_documents', ?, ?, ?, ?)",
		    "IIItIII", x.id, x.ddo_id, x.district_id, reason, staff, at, sig) != SQLITE_DONE ||
	    db_exec("UPDATE referral SET status = 'refused' WHERE id = ?", "I", x.id) != SQLITE_DONE ||
	    db_exec("UPDATE application SET status = 'refusal_review', updated_at = ? WHERE id = ?", "II", at,
		    x.application_id) != SQLITE_DONE ||
	    hist_add(x.application_id, staff, "staff", "ddo_refused", x.ddo_name_ru, "refusal_incomplete_documents",
		     reason) < 0)
		goto out;
	/* The free counts follow the referrals (the schema's trigger). */
	rc = 0;
out:
	arena_free(rq.a);
	view_free();
	if (rc < 0)
		fprintf(stderr, "kgctl demo: the cabinet's demo data could not be made: %s\n", db_errmsg());
	return rc;
}

static int cmd_demo(int argc, char **argv)
{
	if (argc < 2) {
		fprintf(stderr, "usage: kgctl demo PERSONS.tsv [--base]\n");
		return 2;
	}
	/* --base: DDOs, accounts and БМГ only, without the applications,
	 * places, referrals and decisions that bring the screens to life (the
	 * tests make the state each of them needs). */
	int base_only = argc >= 3 && strcmp(argv[2], "--base") == 0;
	if (db_int("SELECT count(*) FROM ddo", 0, NULL) > 0)
		return 0; /* already there: keep the data */
	struct person ps[64];
	int np = read_persons(argv[1], ps, 64);
	if (np < 0)
		return 1;
	char hash[AUTH_HASH_MAX];
	if (auth_hash_password(DEMO_PASSWORD, hash) < 0) {
		fprintf(stderr, "kgctl demo: cannot hash the password\n");
		return 1;
	}
	long long now = u_now();
	if (db_begin() < 0)
		return 1;
	/* DDOs: in every district two state kindergartens, one private one with
	 * state funding and one mini-centre; Кокшетау gets a third state one. */
	sqlite3_stmt *st = db_query("SELECT id, name_ru, name_kk, kind FROM district ORDER BY sort", NULL);
	struct { int id; char ru[64], kk[64]; int city; } ds[64];
	int nd = 0;
	while (db_row(st) && nd < 64) {
		ds[nd].id = sqlite3_column_int(st, 0);
		snprintf(ds[nd].ru, sizeof ds[nd].ru, "%s", db_col(st, 1));
		snprintf(ds[nd].kk, sizeof ds[nd].kk, "%s", db_col(st, 2));
		ds[nd].city = strcmp(db_col(st, 3), "city") == 0;
		nd++;
	}
	db_done(st);
	int serial = 1;
	for (int i = 0; i < nd; i++) {
		int nstate = ds[i].id == 1110 ? 3 : 2;
		for (int k = 0; k < nstate + 2; k++, serial++) {
			const char *kind = k < nstate ? "state" : k == nstate ? "private_subsidised" : "mini_centre";
			const char *const *nm = ddo_names[(size_t)serial % NNAMES];
			char ru[300], kk[300], addr[200], phone[20], email[80], owner[13];
			if (k < nstate) {
				snprintf(ru, sizeof ru, "Ясли-сад №%d «%s»", serial, nm[0]);
				snprintf(kk, sizeof kk, "№%d «%s» бөбекжай-бақшасы", serial, nm[1]);
			} else if (k == nstate) {
				snprintf(ru, sizeof ru, "Частный детский сад «%s»", nm[0]);
				snprintf(kk, sizeof kk, "«%s» жекеменшік балабақшасы", nm[1]);
			} else {
				snprintf(ru, sizeof ru, "Мини-центр «%s» при школе №%d", nm[0], serial % 30 + 1);
				snprintf(kk, sizeof kk, "№%d мектеп жанындағы «%s» шағын орталығы", serial % 30 + 1, nm[1]);
			}
			snprintf(addr, sizeof addr, "%s, %s, %d", ds[i].ru, streets[serial % 8], serial * 3 % 97 + 1);
			snprintf(phone, sizeof phone, "+771625%05d", serial);
			snprintf(email, sizeof email, "ddo%d@example.kz", serial);
			make_iin(800101 + serial % 28, 3 + serial % 2, 5000 + serial, owner);
			int cap = k < nstate ? 140 + serial % 5 * 20 : k == nstate ? 90 : 25;
			if (db_exec("INSERT INTO ddo(district_id, kind, name_ru, name_kk, address, phone, website, owner_iin, "
				    "owner_phone, owner_email, capacity, created_at, updated_at) "
				    "VALUES (?, ?, ?, ?, ?, ?, '', ?, ?, ?, ?, ?, ?)",
				    "ittttttttiII", ds[i].id, kind, ru, kk, addr, phone, owner, phone, email, cap, now,
				    now) != SQLITE_DONE)
				goto fail;
		}
	}
	/* People. */
	long long kok[3];
	int nk = 0;
	st = db_query("SELECT id FROM ddo WHERE district_id = 1110 ORDER BY id", NULL);
	while (db_row(st) && nk < 3)
		kok[nk++] = sqlite3_column_int64(st, 0);
	db_done(st);
	long long celin = db_int("SELECT min(id) FROM ddo WHERE district_id = 1166", 0, NULL);
	for (int i = 0; i < np; i++) {
		struct person *p = &ps[i];
		enum acct_role role = acct_role_parse(p->role);
		if (role == ACCT_ROLE__MAX)
			role = ACCT_CITIZEN;
		long long id = add_account(p->iin, p->surname, p->name, p->patronymic, role, p->phone,
					   role == ACCT_CITIZEN ? NULL : hash, now);
		if (!id)
			goto fail;
		if (role == ACCT_CITIZEN &&
		    db_exec("INSERT OR IGNORE INTO bmg(phone, iin, imported_at) VALUES (?, ?, ?)", "ttI", p->phone,
			    p->iin, now) != SQLITE_DONE)
			goto fail;
		enum acct_err e = ACCT_OK;
		if (strcmp(p->key, "staff1") == 0) {
			/* One person working for two kindergartens. */
			e = acct_ddo_attach(id, kok[0], now);
			if (e == ACCT_OK)
				e = acct_ddo_attach(id, kok[1], now);
		} else if (strcmp(p->key, "staff2") == 0) {
			db_exec("UPDATE ddo SET bin = ? WHERE id = ?", "tI", p->bin, kok[2]);
			e = acct_ddo_attach(id, kok[2], now);
		} else if (strcmp(p->key, "staff3") == 0) {
			e = acct_ddo_attach(id, celin, now);
		} else if (strcmp(p->key, "reviewer1") == 0) {
			e = acct_district_add(id, 1110, now);
		} else if (strcmp(p->key, "reviewer2") == 0) {
			e = acct_district_add(id, 1166, now);
		}
		if (e != ACCT_OK)
			goto fail;
	}
	/* A reviewer for every other district. */
	st = db_query("SELECT d.id, d.name_ru FROM district d WHERE NOT EXISTS "
		      "(SELECT 1 FROM reviewer_district r WHERE r.district_id = d.id) ORDER BY d.sort", NULL);
	struct { int id; char name[64]; } rest[64];
	int nr = 0;
	while (db_row(st) && nr < 64) {
		rest[nr].id = sqlite3_column_int(st, 0);
		snprintf(rest[nr].name, sizeof rest[nr].name, "%s", db_col(st, 1));
		nr++;
	}
	db_done(st);
	for (int i = 0; i < nr; i++) {
		char iin[13];
		make_iin(760101 + i, 3 + i % 2, 7000 + i * 7, iin);
		long long id = add_account(iin, "ИНСПЕКТОР", "ОТДЕЛА", rest[i].name, ACCT_REVIEWER, "", hash, now);
		if (!id || acct_district_add(id, rest[i].id, now) != ACCT_OK)
			goto fail;
	}
	if (!base_only && (demo_queue(now) < 0 || demo_enroll(now) < 0 || demo_places(now) < 0 ||
			   demo_cabinet(now) < 0))
		goto fail;
	if (!base_only && demo_gbd(now) < 0)
		goto fail;
	/* Both financings (voucher.h): Кокшетау stays state, Косшы (1116)
	 * is financed by vouchers, as the region does it. */
	if (!base_only && db_exec("UPDATE district SET financing = 'voucher' WHERE id = 1116", NULL) != SQLITE_DONE)
		goto fail;
	if (audit_log(0, "system", "", "demo_data", "", 0, "ok", "demo DDOs and accounts created") < 0)
		goto fail;
	if (db_commit() < 0)
		goto fail;
	return 0;
fail:
	fprintf(stderr, "kgctl demo: %s\n", db_errmsg());
	db_rollback();
	return 1;
}

static int cmd_demo_password(int argc, char **argv)
{
	(void)argc, (void)argv;
	puts(DEMO_PASSWORD);
	return 0;
}

static int cmd_demo_accounts(int argc, char **argv)
{
	(void)argc, (void)argv;
	sqlite3_stmt *st = db_query(
		"SELECT a.iin, a.surname || ' ' || a.name || ' ' || a.patronymic, a.roles, a.phone, "
		"  coalesce((SELECT group_concat(d.name_ru, '; ') FROM ddo_staff s JOIN ddo d ON d.id = s.ddo_id "
		"            WHERE s.account_id = a.id), ''), "
		"  coalesce((SELECT group_concat(x.name_ru, '; ') FROM reviewer_district r JOIN district x ON x.id = r.district_id "
		"            WHERE r.account_id = a.id), '') "
		"FROM account a WHERE a.surname <> 'ИНСПЕКТОР' ORDER BY a.roles DESC, a.id", NULL);
	while (db_row(st)) {
		int roles = sqlite3_column_int(st, 2);
		const char *role = roles & ROLE_SUPPORT ? "support " : roles & ROLE_STAFF ? "staff   "
			: roles & ROLE_REVIEWER ? "reviewer" : "citizen ";
		printf("%s  %s  %-40s %s%s%s\n", role, db_col(st, 0), db_col(st, 1),
		       roles == ROLE_CITIZEN ? "phone " : "", roles == ROLE_CITIZEN ? db_col(st, 3) : "",
		       *db_col(st, 4) ? db_col(st, 4) : db_col(st, 5));
	}
	db_done(st);
	printf("reviewers of the other districts: see /admin (same password)\n");
	/* Children the register of persons gives to a demo parent and who are
	 * not in the queue yet: what the parent can register. */
	st = db_query("SELECT g.child_iin, g.surname || ' ' || g.name, g.birth_date, p.iin, p.phone FROM gbd_person g "
		      "JOIN account p ON p.iin = g.representative_iin WHERE NOT EXISTS (SELECT 1 FROM child c "
		      "WHERE c.iin = g.child_iin) ORDER BY p.id, g.child_iin LIMIT 6", NULL);
	int first = 1;
	while (db_row(st)) {
		if (first)
			printf("children in the register of persons (ГБД ФЛ), not yet in the queue:\n");
		first = 0;
		printf("child   %s  %-30s born %s  parent IIN %s phone %s\n", db_col(st, 0), db_col(st, 1), db_col(st, 2),
		       db_col(st, 3), db_col(st, 4));
	}
	db_done(st);
	return 0;
}

/* ГБД ФЛ from a file, for a hosting team that receives the register by cron. */
static int cmd_gbd_import(int argc, char **argv)
{
	int replace = argc >= 2 && strcmp(argv[1], "--replace") == 0;
	const char *file = argc >= 2 + replace ? argv[1 + replace] : NULL;
	if (!file) {
		fprintf(stderr, "usage: kgctl gbd-import [--replace] FILE.csv\n");
		return 2;
	}
	size_t len;
	char *data = u_read_file(file, &len);
	if (!data) {
		fprintf(stderr, "kgctl gbd-import: cannot read %s\n", file);
		return 1;
	}
	struct gbd_import_result res;
	if (db_begin() < 0) {
		free(data);
		return 1;
	}
	const char *slash = strrchr(file, '/');
	int rc = gbd_import_csv(data, len, replace, 0, slash ? slash + 1 : file, &res);
	free(data);
	if (rc == -2) {
		db_rollback();
		fprintf(stderr, "kgctl gbd-import: %s has no data line\n", file);
		return 1;
	}
	char d[200];
	snprintf(d, sizeof d, "mode=%s lines=%lld added=%lld known=%lld removed=%lld rejected=%lld (kgctl)",
		 replace ? "replace" : "add", res.lines, res.added, res.known, res.removed, res.rejected);
	if (rc < 0 || audit_log(0, "system", "", "gbd_import", "gbd_import", res.import_id,
				res.refused ? "refused" : "ok", d) < 0 || db_commit() < 0) {
		db_rollback();
		fprintf(stderr, "kgctl gbd-import: %s\n", db_errmsg());
		return 1;
	}
	printf("%s%s\n", res.refused ? "REFUSED (nothing changed: a replacing file must have no rejected line): " : "", d);
	sqlite3_stmt *rs = db_query("SELECT report FROM gbd_import WHERE id = ?", "I", res.import_id);
	if (db_row(rs) && *db_col(rs, 0))
		printf("rejected lines (line, reason):\n%s", db_col(rs, 0));
	db_done(rs);
	return res.refused ? 1 : 0;
}

/* audit-verify --heads FILE [--cert PEM]: the log against heads someone
 * saved (the CSV of /audit/heads.csv): each head's signature by the
 * service's certificate (Audit.SigningCert unless --cert), and the
 * chain's hash recomputed at each head's count. */
static int verify_heads(const char *file, const char *cert)
{
	enum { MAXHEADS = 20000 };
	size_t n;
	char *text = u_read_file(file, &n);
	struct audit_head *h = calloc(MAXHEADS, sizeof *h);
	int bad_line = 0, k = text && h ? audit_heads_parse(text, h, MAXHEADS, &bad_line) : -1, read = text != NULL;
	free(text);
	if (k < 0) {
		if (read)
			fprintf(stderr, "kgctl audit-verify: %s, line %d: not a line of /audit/heads.csv\n", file, bad_line);
		else
			fprintf(stderr, "kgctl audit-verify: %s: cannot read it\n", file);
		free(h);
		return 2;
	}
	int failed = 0;
	for (int i = 0; i < k; i++) {
		char why[200];
		int ok = audit_head_signed(&h[i], cert, why, sizeof why);
		if (ok < 0) {
			fprintf(stderr, "kgctl audit-verify: %s\n", why);
			failed = 2;
			break;
		}
		if (!ok) {
			printf("head %s (%lld rows): signature INVALID: %s\n", h[i].day, h[i].count, why);
			failed = 1;
		}
	}
	long long broken = 0;
	int bad = failed == 2 ? 0 : audit_heads_match(h, k, &broken);
	if (bad < 0) {
		fprintf(stderr, "kgctl audit-verify: database error\n");
		failed = 2;
	} else if (bad > 0) {
		printf("head %s (%lld rows) does NOT match the log: rewritten at or before row %lld\n", h[bad - 1].day,
		       h[bad - 1].count, h[bad - 1].count);
		failed = failed ? failed : 1;
	}
	if (broken)
		printf("the stored chain breaks at row %lld\n", broken);
	if (!failed)
		printf("audit log matches %d saved heads\n", k);
	audit_heads_free(h, k);
	free(h);
	return failed;
}

static int cmd_audit_verify(int argc, char **argv)
{
	if (argc >= 3 && strcmp(argv[1], "--heads") == 0)
		return verify_heads(argv[2], argc >= 5 && strcmp(argv[3], "--cert") == 0 ? argv[4]
					     : conf_get("Audit.SigningCert", ""));
	long long bad = audit_verify();
	long long n = db_int("SELECT count(*) FROM audit", 0, NULL);
	if (bad < 0) {
		fprintf(stderr, "kgctl audit-verify: database error\n");
		return 1;
	}
	if (bad) {
		printf("audit log BROKEN at row %lld (of %lld rows)\n", bad, n);
		return 1;
	}
	printf("audit log intact: %lld rows\n", n);
	return 0;
}

/* ---- backup ----
 * The database only (kgctl backup FILE.db); with its files: backup.h.
 * VACUUM INTO writes the database as one read transaction sees it: the
 * copy is consistent and the copying is never restarted by a write (the
 * sqlite3 shell's ".backup" starts over whenever another connection
 * writes, and under steady registrations never finished). In WAL mode
 * the writers go on meanwhile. The copy is written under a temporary name
 * readable by the owner only and renamed when complete, so a file with
 * the final name is always a whole backup. */
static int backup_db_only(const char *path)
{
	char tmp[4200];
	if (access(path, F_OK) == 0) {
		fprintf(stderr, "kgctl backup: %s exists; give a new name or a directory\n", path);
		return 1;
	}
	snprintf(tmp, sizeof tmp, "%s.part-%d", path, (int)getpid());
	mode_t old = umask(077);
	int rc = db_exec("VACUUM INTO ?", "t", tmp);
	umask(old);
	if (rc != SQLITE_DONE || chmod(tmp, 0600) < 0 || rename(tmp, path) < 0) {
		fprintf(stderr, "kgctl backup: %s\n", rc != SQLITE_DONE ? db_errmsg() : strerror(errno));
		unlink(tmp);
		return 1;
	}
	printf("%s\n", path);
	return 0;
}

/* The service's version, for a backup's manifest: -DKG_VERSION='"1.0.0"'. */
#ifndef KG_VERSION
#define KG_VERSION ""
#endif

static void backup_say(const char *msg) { fprintf(stderr, "kgctl: %s\n", msg); }

static int ends_with(const char *s, const char *end)
{
	size_t n = strlen(s), m = strlen(end);
	return n >= m && strcmp(s + n - m, end) == 0;
}

/* kgctl backup [--since PREV] DIR | FILE.db (backup.h) */
static int cmd_backup(int argc, char **argv)
{
	const char *since = NULL;
	if (argc == 4 && strcmp(argv[1], "--since") == 0)
		since = argv[2], argv += 2, argc -= 2;
	if (argc != 2) {
		fprintf(stderr, "usage: kgctl backup [--since PREV] DIR | kgctl backup FILE.db\n");
		return 2;
	}
	struct stat sb;
	if (!since && ends_with(argv[1], ".db") && !(stat(argv[1], &sb) == 0 && S_ISDIR(sb.st_mode)))
		return backup_db_only(argv[1]);
	struct backup_result r;
	int bad = backup_make(argv[1], since, KG_VERSION, &r, backup_say);
	if (bad < 0)
		return 1;
	printf("%s\n", r.path);
	printf("database: %lld bytes, schema %d\n", r.db_bytes, r.schema);
	printf("files: %lld in the backup: %lld copied (%lld bytes), %lld linked from %s (%lld bytes)\n", r.files,
	       r.copied, r.copied_bytes, r.linked, r.since[0] ? r.since : "no earlier backup", r.linked_bytes);
	if (r.gone)
		printf("files: %lld replaced uploads already removed by the daily sweep, not kept\n", r.gone);
	if (bad)
		fprintf(stderr, "kgctl backup: %d problem(s) above: the backup lacks those files\n", bad);
	return bad ? 1 : 0;
}

static int cmd_verify_backup(int argc, char **argv)
{
	if (argc != 2) {
		fprintf(stderr, "usage: kgctl verify-backup DIR\n");
		return 2;
	}
	int bad = backup_verify(argv[1], backup_say);
	if (bad) {
		printf("%s: %d problem(s)\n", argv[1], bad);
		return 1;
	}
	printf("%s: ok\n", argv[1]);
	return 0;
}

static int cmd_restore(int argc, char **argv)
{
	if (argc != 2) {
		fprintf(stderr, "usage: kgctl restore DIR\n");
		return 2;
	}
	struct restore_result r;
	const char *db = conf_get("Paths.Db", "var/kg.db");
	if (backup_restore(argv[1], &r, backup_say) < 0) {
		fprintf(stderr, "kgctl restore: refused, nothing replaced\n");
		return 1;
	}
	printf("restored %s (%lld bytes, schema %d) from %s\n", db, r.db_bytes, r.schema, argv[1]);
	printf("files: %lld restored: %lld copied, %lld already there\n", r.files, r.copied, r.kept);
	if (r.before[0])
		printf("the replaced database is kept as %s\n", r.before);
	int latest = db_latest_migration(conf_get("Paths.Sql", "sql"));
	if (latest > r.schema)
		printf("the backup is at schema %d, these programs at %d: run kgctl migrate\n", r.schema, latest);
	return 0;
}

/* ---- timed jobs ---- */

struct job {
	const char *name;
	int (*run)(long long now);   /* returns rows affected, or -1 */
};

static int job_sessions(long long now) { return sess_purge(now); }

static int job_rate_events(long long now)
{
	int rc = db_exec("DELETE FROM rate_event WHERE at < ?", "I", now - 86400);
	return rc == SQLITE_DONE ? db_changes() : -1;
}

/* Half-done logins (login_pending) whose time is up or whose session is gone. */
static int job_login_pending(long long now)
{
	int rc = db_exec("DELETE FROM login_pending WHERE created_at < ? "
			 "OR NOT EXISTS (SELECT 1 FROM session s WHERE s.id = login_pending.session_id)",
			 "I", now - conf_int("Login.PendingSeconds", 600));
	return rc == SQLITE_DONE ? db_changes() : -1;
}

/* Signing challenges: one per signing form shown (EDS login tab, every
 * signed action), single-use and valid Eds.ChallengeTtlSeconds. A use is
 * accepted only before the expiry, so a row past its expiry is dead
 * whether it was used or not; it is kept a day (a form sent again the
 * same day still hears "already used" or "expired", not "unknown") and
 * then deleted. Nothing refers to a challenge: a signature stores the
 * bytes that were signed itself (signature.content). */
static int job_challenges(long long now)
{
	int rc = db_exec("DELETE FROM challenge WHERE expires_at < ?", "I", now - 86400);
	return rc == SQLITE_DONE ? db_changes() : -1;
}

/* One-time codes (login and signing): one per code asked for, valid
 * Otp.TtlSeconds, accepted only before the expiry; kept a day after it
 * for the same reason, then deleted. Nothing refers to a code: a
 * signature by code stores its text and phone (signature.otp_phone). */
static int job_otp(long long now)
{
	int rc = db_exec("DELETE FROM otp WHERE expires_at < ?", "I", now - 86400);
	return rc == SQLITE_DONE ? db_changes() : -1;
}

/* The places and referral jobs write SMS texts from the interface strings. */
static int need_view(void)
{
	static int ready;
	if (!ready && view_init() < 0)
		return -1;
	ready = 1;
	return 0;
}

/* Priority windows that ended, exhausted records whose places came back. */
static int job_places(long long now) { return place_refresh_status(now); }

/* Offers in queue order (offer.h): those past their window lapse, and the
 * records in their window with a place not reserved yet (new applicants,
 * an offer nobody passed on) are offered on. */
/* Vouchers (voucher.h) not answered in time lapse (the application
 * inactive), confirmed ones not used expire, inactive applications past
 * their restore period are archived. Before the offers, so a lapsed
 * voucher's place passes on in this tick. */
static int job_vouchers(long long now) { return need_view() < 0 ? -1 : vch_due(now, offer_fill_place); }

static int job_offers(long long now)
{
	if (need_view() < 0)
		return -1;
	int a = offer_lapse_due(now);
	int b = a < 0 ? -1 : offer_fill_due(now);
	return a < 0 || b < 0 ? -1 : a + b;
}

/* Referrals past their deadline: annulled, the place returns, SMS. */
static int job_referral_deadlines(long long now) { return need_view() < 0 ? -1 : ref_annul_due(now); }
/* Benefit confirmations nobody answered in time (benefit.h). */
static int job_benefits(long long now) { return need_view() < 0 ? -1 : benefit_lapse_due(now); }

/* The reminder one working day before a referral's deadline, once. */
static int job_referral_reminders(long long now) { return need_view() < 0 ? -1 : ref_remind_due(now); }

/* Referral PDFs a worker did not make right after the choice (it died in
 * between): any due for a minute. Needs the fonts and interface strings. */
static int job_referral_pdfs(long long now) { return need_view() < 0 ? -1 : ref_make_due_pdfs(now, 60); }

/* Once a day (Files.SweepHours): stored files a day old that no current
 * document (a replaced upload is not current), signature or guardian
 * request names (domain/doc.h). It reads every file's name, so it runs rarely; when it
 * last ran is kept in job_last. */
static int job_files(long long now)
{
	long long every = conf_int("Files.SweepHours", 24) * 3600;
	long long last = db_job_last("files");
	if (every <= 0 || (last > 0 && now - last < every && now >= last))
		return 0;
	int n = doc_sweep(now, 86400);
	if (n < 0)
		return -1;
	if (db_job_done("files", now) < 0)
		return -1;
	return n;
}

/* Once a year on Queue.RefreshDate: the refresh of the queue (refresh.h). */
static int job_refresh(long long now)
{
	if (need_view() < 0)
		return -1;
	long long n = rf_tick(now);
	return n < 0 ? -1 : (int)(n > 1000000000 ? 1000000000 : n);
}

/* Last: sends what the jobs above queued, and retries what failed. */
static int job_notifications(long long now)
{
	(void)now;
	return notify_flush(0);
}

/* In order: each job is idempotent and safe to run concurrently with the
 * screens and with another tick. */
static const struct job jobs[] = {
	{"sessions", job_sessions},
	{"rate_events", job_rate_events},
	{"login_pending", job_login_pending},
	{"challenges", job_challenges},
	{"otp", job_otp},
	{"places", job_places},
	{"vouchers", job_vouchers},
	{"offers", job_offers},
	{"referral_deadlines", job_referral_deadlines},
	{"benefits", job_benefits},
	{"referral_reminders", job_referral_reminders},
	{"referral_pdfs", job_referral_pdfs},
	{"files", job_files},
	{"refresh", job_refresh},
	{"audit_head", audit_publish_head},
	{"notifications", job_notifications},
};

static int cmd_tick(int argc, char **argv)
{
	long long now = u_now();
	if (argc >= 3 && strcmp(argv[1], "--now") == 0 && u_strtoll(argv[2], 0, 1LL << 40, &now) < 0) {
		fprintf(stderr, "kgctl tick: --now takes seconds since the epoch\n");
		return 2;
	}
	int failed = 0;
	for (size_t i = 0; i < sizeof jobs / sizeof jobs[0]; i++) {
		int n = jobs[i].run(now);
		if (n < 0) {
			log_err("job %s failed", jobs[i].name);
			failed = 1;
		} else if (n > 0) {
			log_info("job %s: %d", jobs[i].name, n);
		}
	}
	/* When the tick last completed, for /healthz (cgi-bin/health.c). */
	if (!failed && db_job_done("tick", now) < 0) {
		log_err("cannot record the tick's time");
		failed = 1;
	}
	return failed;
}

/* One line of standard input: on a terminal asked for, with echo off
 * (restored however the read ends); otherwise as it comes, so that
 * `echo pw | kgctl passwd IIN` works. 0, or -1 when there is no line. */
static int read_password(char *pw, size_t n)
{
	struct termios old, quiet;
	int tty = isatty(STDIN_FILENO) && tcgetattr(STDIN_FILENO, &old) == 0;
	if (tty) {
		fprintf(stderr, "Password: ");
		fflush(stderr);
		quiet = old;
		quiet.c_lflag &= ~(tcflag_t)ECHO;
		quiet.c_lflag |= ECHONL;
		tcsetattr(STDIN_FILENO, TCSAFLUSH, &quiet);
	}
	int got = fgets(pw, (int)n, stdin) != NULL;
	if (tty)
		tcsetattr(STDIN_FILENO, TCSAFLUSH, &old);
	if (!got)
		return -1;
	pw[strcspn(pw, "\r\n")] = '\0';
	return 0;
}

static int cmd_passwd(int argc, char **argv)
{
	if (argc < 2) {
		fprintf(stderr, "usage: kgctl passwd IIN  (password on stdin)\n");
		return 2;
	}
	char pw[AUTH_PASSWORD_MAX + 2];
	if (read_password(pw, sizeof pw) < 0) {
		fprintf(stderr, "kgctl passwd: no password on stdin\n");
		return 2;
	}
	if (strlen(pw) < AUTH_PASSWORD_MIN) {
		fprintf(stderr, "kgctl passwd: at least %d characters\n", AUTH_PASSWORD_MIN);
		return 2;
	}
	char hash[AUTH_HASH_MAX];
	if (auth_hash_password(pw, hash) < 0)
		return 1;
	if (db_begin() < 0)
		return 1;
	struct acct a;
	int found = acct_find(argv[1], &a);
	if (found <= 0 || acct_password_set(a.id, hash, 0, u_now()) != ACCT_OK) {
		db_rollback();
		fprintf(stderr, "kgctl passwd: %s\n", found < 0 ? db_errmsg() : "no account with that IIN");
		return 1;
	}
	audit_log(0, "system", "", "password_set_cli", "account", a.id, "ok", "");
	return db_commit() < 0;
}

static int cmd_add_support(int argc, char **argv)
{
	if (argc < 4) {
		fprintf(stderr, "usage: kgctl add-support IIN SURNAME NAME [PATRONYMIC]\n");
		return 2;
	}
	if (iin_check(argv[1], conf_int("App.IinChecksum", 1) != 0, NULL)) {
		fprintf(stderr, "kgctl add-support: not a valid IIN\n");
		return 2;
	}
	if (db_begin() < 0)
		return 1;
	/* A person who already has an account gets the role. */
	long long now = u_now();
	long long id = add_account(argv[1], argv[2], argv[3], argc > 4 ? argv[4] : "", ACCT_SUPPORT, "", NULL, now);
	if (!id || acct_role_set(id, ACCT_SUPPORT, 1, now) != ACCT_OK ||
	    audit_log(0, "system", "", "support_created_cli", "account", id, "ok", "") < 0) {
		db_rollback();
		return 1;
	}
	if (db_commit() < 0)
		return 1;
	printf("support account %lld; set its password with: kgctl passwd %s\n", id, argv[1]);
	return 0;
}

/* БМГ from a file, for a hosting team that receives the registry by cron. */
static int cmd_bmg_import(int argc, char **argv)
{
	int replace = argc >= 2 && strcmp(argv[1], "--replace") == 0;
	const char *file = argc >= 2 + replace ? argv[1 + replace] : NULL;
	if (!file) {
		fprintf(stderr, "usage: kgctl bmg-import [--replace] FILE.csv\n");
		return 2;
	}
	size_t len;
	char *data = u_read_file(file, &len);
	if (!data) {
		fprintf(stderr, "kgctl bmg-import: cannot read %s\n", file);
		return 1;
	}
	struct bmg_result res;
	if (db_begin() < 0) {
		free(data);
		return 1;
	}
	const char *slash = strrchr(file, '/');
	int rc = bmg_import_csv(data, len, replace, 0, slash ? slash + 1 : file, &res);
	free(data);
	if (rc == -2) {
		db_rollback();
		fprintf(stderr, "kgctl bmg-import: %s has no data line\n", file);
		return 1;
	}
	char d[200];
	snprintf(d, sizeof d, "mode=%s lines=%lld added=%lld known=%lld removed=%lld rejected=%lld (kgctl)",
		 replace ? "replace" : "add", res.lines, res.added, res.known, res.removed, res.rejected);
	if (rc < 0 || audit_log(0, "system", "", "bmg_import", "bmg_import", res.import_id,
				res.refused ? "refused" : "ok", d) < 0 || db_commit() < 0) {
		db_rollback();
		fprintf(stderr, "kgctl bmg-import: %s\n", db_errmsg());
		return 1;
	}
	printf("%s%s\n", res.refused ? "REFUSED (nothing changed: a replacing file must have no rejected line): " : "", d);
	sqlite3_stmt *st = db_query("SELECT report FROM bmg_import WHERE id = ?", "I", res.import_id);
	if (db_row(st) && *db_col(st, 0))
		printf("rejected lines (line, reason):\n%s", db_col(st, 0));
	db_done(st);
	return res.refused ? 1 : 0;
}

/* One line of the preview: the change and the application. */
static int print_change(void *arg, const struct rf_change *c)
{
	long long *n = arg;
	if (++*n > 200)
		return 0;   /* the counts go on; the list stops */
	printf("  %d %s %s born %s", c->district, c->number, rf_kind_names[c->kind], c->birth_date);
	if (c->kind == RF_GROUP_YEAR)
		printf(" year %d -> %d", c->year_from, c->year_to);
	else if (c->kind == RF_BENEFIT)
		printf(" %s (%s) -> none", c->benefit_from, c->ground_from);
	putchar('\n');
	return 0;
}

/* kgctl refresh --year YYYY [--dry-run] (refresh.h). */
static int cmd_refresh(int argc, char **argv)
{
	long long year = 0, now = u_now();
	int dry = 0;
	for (int i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--dry-run") == 0)
			dry = 1;
		else if (strcmp(argv[i], "--year") == 0 && i + 1 < argc && u_strtoll(argv[i + 1], 2000, 2100, &year) == 0)
			i++;
		else
			year = -1;
	}
	if (year <= 0) {
		fprintf(stderr, "usage: kgctl refresh --year YYYY [--dry-run]\n");
		return 2;
	}
	if (dry) {
		long long listed = 0;
		long long n = rf_each_change(0, (int)year, now, print_change, &listed);
		if (n < 0)
			return 1;
		printf("%lld changes%s\n", n, n > 200 ? " (the first 200 listed)" : "");
		return 0;
	}
	if (need_view() < 0)
		return 1;
	struct rf_tally t = {{0}};
	struct actor sys = {0, "system", ""};
	if (rf_run(sys, (int)year, now, &t) < 0)
		return 1;
	printf("school_age %lld, benefit %lld, group_year %lld\n", t.n[RF_SCHOOL_AGE], t.n[RF_BENEFIT], t.n[RF_GROUP_YEAR]);
	return 0;   /* the SMS go out with the next tick */
}

static const struct {
	const char *name;
	int (*fn)(int, char **);
} cmds[] = {
	{"migrate", cmd_migrate},
	{"demo", cmd_demo},
	{"demo-password", cmd_demo_password},
	{"demo-accounts", cmd_demo_accounts},
	{"tick", cmd_tick},
	{"audit-verify", cmd_audit_verify},
	{"backup", cmd_backup},
	{"verify-backup", cmd_verify_backup},
	{"restore", cmd_restore},
	{"passwd", cmd_passwd},
	{"add-support", cmd_add_support},
	{"bmg-import", cmd_bmg_import},
	{"gbd-import", cmd_gbd_import},
	{"refresh", cmd_refresh},
};

int main(int argc, char **argv)
{
	log_init("kgctl");
	if (argc < 2) {
		fprintf(stderr, "usage: kgctl COMMAND [ARGS]; commands:");
		for (size_t i = 0; i < sizeof cmds / sizeof cmds[0]; i++)
			fprintf(stderr, " %s", cmds[i].name);
		fputc('\n', stderr);
		return 2;
	}
	char err[512];
	if (conf_load(NULL, err, sizeof err) < 0) {
		fprintf(stderr, "kgctl: %s\n", err);
		return 1;
	}
	log_setup(conf_get("Log.Journal", "auto"), conf_get("Log.JournalSocket", ""));
	u_clock_refresh(conf_get("Clock.OffsetFile", ""));
	for (size_t i = 0; i < sizeof cmds / sizeof cmds[0]; i++) {
		if (strcmp(argv[1], cmds[i].name) != 0)
			continue;
		/* These read no database, or another one than Paths.Db (backup.h). */
		int own_db = !strcmp(argv[1], "demo-password") || !strcmp(argv[1], "verify-backup")
			|| !strcmp(argv[1], "restore");
		if (!own_db && need_db() < 0)
			return 1;
		int rc = cmds[i].fn(argc - 1, argv + 1);
		db_close();
		conf_free();
		return rc;
	}
	fprintf(stderr, "kgctl: unknown command %s\n", argv[1]);
	return 2;
}
