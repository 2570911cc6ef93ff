/*
 * kgctl — the operators' command line: one more client of the same
 * library the screens use.
 *
 *   kgctl migrate              create or upgrade the database (sql/NNN_*.sql)
 *   kgctl demo PERSONS.tsv     demo DDOs, accounts, БМГ entries (idempotent)
 *   kgctl demo-password        the demo accounts' password
 *   kgctl demo-accounts        list the demo accounts
 *   kgctl tick [--now T]       the timed jobs (cron or systemd timer, every minute)
 *   kgctl audit-verify         recompute the audit log's hash chain
 *   kgctl passwd IIN           set a password (read from stdin) for an account
 *   kgctl add-support IIN SURNAME NAME [PATRONYMIC]   bootstrap a support account
 *
 * Settings come from KG_CONF (see conf/app.hdf). Exit status 0 on success.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "audit.h"
#include "auth.h"
#include "conf.h"
#include "db.h"
#include "hist.h"
#include "log.h"
#include "queue.h"
#include "req.h"
#include "sess.h"
#include "sms.h"
#include "util.h"
#include "val.h"

#define DEMO_PASSWORD "demo-kg-2026"

static int need_db(void)
{
	const char *path = conf_get("Paths.Db", "var/kg.db");
	return db_open(path);
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

static long long add_account(const char *iin, const char *surname, const char *name, const char *patr,
			     int roles, const char *phone, const char *pw_hash, long long now)
{
	long long id = db_int("SELECT id FROM account WHERE iin = ?", 0, "t", iin);
	if (id)
		return id;
	if (db_exec("INSERT INTO account(iin, surname, name, patronymic, roles, phone, pw_hash, created_at, updated_at) "
		    "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)", "ttttittII", iin, surname, name, patr, roles, phone,
		    pw_hash, now, now) != SQLITE_DONE)
		return 0;
	return db_last_id();
}

/* A valid IIN for generated demo persons (reviewers of the other districts). */
static void make_iin(int yymmdd, int c, int serial, char out[13])
{
	for (int s = serial;; s++) {
		snprintf(out, 13, "%06u%u%04u0", (unsigned)yymmdd % 1000000u, (unsigned)c % 10u, (unsigned)s % 10000u);
		for (int k = 0; k <= 9; k++) {
			out[11] = (char)('0' + k);
			if (val_iin_checksum(out))
				return;
		}
	}
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
		fam_id[i] = add_account(iin, fam[i].surname, fam[i].name, fam[i].patronymic, ROLE_CITIZEN, phone, NULL, now);
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

static int cmd_demo(int argc, char **argv)
{
	if (argc < 2) {
		fprintf(stderr, "usage: kgctl demo PERSONS.tsv\n");
		return 2;
	}
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
		int roles = strcmp(p->role, "support") == 0 ? ROLE_SUPPORT
			: strcmp(p->role, "staff") == 0 ? ROLE_STAFF
			: strcmp(p->role, "reviewer") == 0 ? ROLE_REVIEWER : ROLE_CITIZEN;
		long long id = add_account(p->iin, p->surname, p->name, p->patronymic, roles, p->phone,
					   roles == ROLE_CITIZEN ? NULL : hash, now);
		if (!id)
			goto fail;
		if (roles == ROLE_CITIZEN &&
		    db_exec("INSERT OR IGNORE INTO bmg(phone, iin, imported_at) VALUES (?, ?, ?)", "ttI", p->phone,
			    p->iin, now) != SQLITE_DONE)
			goto fail;
		if (strcmp(p->key, "staff1") == 0) {
			/* One person working for two kindergartens. */
			db_exec("INSERT INTO ddo_staff(account_id, ddo_id, since) VALUES (?, ?, ?)", "III", id, kok[0], now);
			db_exec("INSERT INTO ddo_staff(account_id, ddo_id, since) VALUES (?, ?, ?)", "III", id, kok[1], now);
		} else if (strcmp(p->key, "staff2") == 0) {
			db_exec("UPDATE ddo SET bin = ? WHERE id = ?", "tI", p->bin, kok[2]);
			db_exec("INSERT INTO ddo_staff(account_id, ddo_id, since) VALUES (?, ?, ?)", "III", id, kok[2], now);
		} else if (strcmp(p->key, "staff3") == 0) {
			db_exec("INSERT INTO ddo_staff(account_id, ddo_id, since) VALUES (?, ?, ?)", "III", id, celin, now);
		} else if (strcmp(p->key, "reviewer1") == 0) {
			db_exec("INSERT INTO reviewer_district(account_id, district_id, since) VALUES (?, 1110, ?)", "II", id, now);
		} else if (strcmp(p->key, "reviewer2") == 0) {
			db_exec("INSERT INTO reviewer_district(account_id, district_id, since) VALUES (?, 1166, ?)", "II", id, now);
		}
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
		long long id = add_account(iin, "ИНСПЕКТОР", "ОТДЕЛА", rest[i].name, ROLE_REVIEWER, "", hash, now);
		if (!id || db_exec("INSERT INTO reviewer_district(account_id, district_id, since) VALUES (?, ?, ?)",
				   "IiI", id, rest[i].id, now) != SQLITE_DONE)
			goto fail;
	}
	if (demo_queue(now) < 0)
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
	return 0;
}

static int cmd_audit_verify(int argc, char **argv)
{
	(void)argc, (void)argv;
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
	return failed;
}

static int cmd_passwd(int argc, char **argv)
{
	if (argc < 2) {
		fprintf(stderr, "usage: kgctl passwd IIN  (password on stdin)\n");
		return 2;
	}
	char pw[AUTH_PASSWORD_MAX + 2];
	if (!fgets(pw, sizeof pw, stdin)) {
		fprintf(stderr, "kgctl passwd: no password on stdin\n");
		return 2;
	}
	pw[strcspn(pw, "\r\n")] = '\0';
	if (strlen(pw) < AUTH_PASSWORD_MIN) {
		fprintf(stderr, "kgctl passwd: at least %d characters\n", AUTH_PASSWORD_MIN);
		return 2;
	}
	char hash[AUTH_HASH_MAX];
	if (auth_hash_password(pw, hash) < 0)
		return 1;
	if (db_begin() < 0)
		return 1;
	if (db_exec("UPDATE account SET pw_hash = ?, pw_must_change = 0, updated_at = ? WHERE iin = ?", "tIt", hash,
		    u_now(), argv[1]) != SQLITE_DONE || db_changes() != 1) {
		db_rollback();
		fprintf(stderr, "kgctl passwd: no account with that IIN\n");
		return 1;
	}
	audit_log(0, "system", "", "password_set_cli", "account", db_int("SELECT id FROM account WHERE iin = ?", 0, "t", argv[1]), "ok", "");
	return db_commit() < 0;
}

static int cmd_add_support(int argc, char **argv)
{
	if (argc < 4) {
		fprintf(stderr, "usage: kgctl add-support IIN SURNAME NAME [PATRONYMIC]\n");
		return 2;
	}
	if (val_iin(argv[1], conf_int("App.IinChecksum", 1) != 0, NULL)) {
		fprintf(stderr, "kgctl add-support: not a valid IIN\n");
		return 2;
	}
	if (db_begin() < 0)
		return 1;
	long long id = add_account(argv[1], argv[2], argv[3], argc > 4 ? argv[4] : "", ROLE_SUPPORT, "", NULL, u_now());
	if (!id || db_exec("UPDATE account SET roles = roles | 8 WHERE id = ?", "I", id) != SQLITE_DONE ||
	    audit_log(0, "system", "", "support_created_cli", "account", id, "ok", "") < 0) {
		db_rollback();
		return 1;
	}
	if (db_commit() < 0)
		return 1;
	printf("support account %lld; set its password with: kgctl passwd %s\n", id, argv[1]);
	return 0;
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
	{"passwd", cmd_passwd},
	{"add-support", cmd_add_support},
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
	u_clock_refresh();
	for (size_t i = 0; i < sizeof cmds / sizeof cmds[0]; i++) {
		if (strcmp(argv[1], cmds[i].name) != 0)
			continue;
		if (strcmp(argv[1], "demo-password") != 0 && need_db() < 0)
			return 1;
		int rc = cmds[i].fn(argc - 1, argv + 1);
		db_close();
		conf_free();
		return rc;
	}
	fprintf(stderr, "kgctl: unknown command %s\n", argv[1]);
	return 2;
}
