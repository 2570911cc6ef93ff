/*
 * gen_bench — fills a migrated, empty database with national-scale data:
 * the districts of 20 regions (Akmola's 20 from sql/002 plus 19 other
 * regions' worth), DDOs with one staff member each, parents, children,
 * applications across group years, languages, benefit categories and
 * every status, free-place records, and the referrals, enrollments,
 * departures and refusals that go with those statuses. Used by
 * `make bench-data` (tests/bench/data.sh) and by anyone who wants to see
 * the system full.
 *
 *   KG_CONF=var/app.hdf gen_bench [--apps N] [--ddos N] [--places N] [--seed N]
 *
 * Defaults: 1,000,000 applications, 10,000 DDOs, 100,000 free-place
 * records. The database must be migrated and hold no DDOs yet. Everything
 * goes through the schema's own constraints and triggers (free counts,
 * exhausted records, the queue counters, the data versions): referrals are
 * inserted, annulled ones are inserted and then annulled, so the free
 * counts come out as the triggers make them. Deterministic for a seed.
 * Prints what it wrote and how long it took.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "domain/audit.h"
#include "base/cal.h"
#include "base/conf.h"
#include "base/db.h"
#include "base/log.h"
#include "domain/queue.h"
#include "base/util.h"
#include "base/iin.h"

/* ---- random numbers (xorshift64*) ---- */
static unsigned long long rng_state = 0x9E3779B97F4A7C15ULL;
static unsigned long long rnd(void)
{
	rng_state ^= rng_state >> 12;
	rng_state ^= rng_state << 25;
	rng_state ^= rng_state >> 27;
	return rng_state * 0x2545F4914F6CDD1DULL;
}
static long long rnd_below(long long n) { return n > 0 ? (long long)(rnd() % (unsigned long long)n) : 0; }
static double rnd_unit(void) { return (double)(rnd() >> 11) / 9007199254740992.0; }

static void die(const char *what)
{
	fprintf(stderr, "gen_bench: %s: %s\n", what, sqlite3_errmsg(db_handle()));
	exit(1);
}

static sqlite3_stmt *prep(const char *sql)
{
	sqlite3_stmt *st;
	if (sqlite3_prepare_v2(db_handle(), sql, -1, &st, NULL) != SQLITE_OK)
		die(sql);
	return st;
}

static void step(sqlite3_stmt *st, const char *what)
{
	if (sqlite3_step(st) != SQLITE_DONE)
		die(what);
	sqlite3_reset(st);
}

static void exec(const char *sql)
{
	char *msg = NULL;
	if (sqlite3_exec(db_handle(), sql, NULL, NULL, &msg) != SQLITE_OK) {
		fprintf(stderr, "gen_bench: %s: %s\n", sql, msg ? msg : "?");
		exit(1);
	}
}

/* ---- IINs ---- */

/* A valid IIN for a birth day and sex, unique per (day, serial counter). */
static void make_iin(int day, char sex, int *serial, char out[13])
{
	int y, m, d;
	cal_ymd_from_days(day, &y, &m, &d);
	*serial = iin_make(y, m, d, sex, *serial, out) + 1;
}

/* ---- names ---- */
static const char *const surnames_m[] = {"АХМЕТОВ", "ЖУМАБЕКОВ", "НУРЛАНОВ", "КАСЫМОВ", "ОМАРОВ", "СЕРИКБАЕВ",
	"ИВАНОВ", "ПЕТРОВ", "СМАГУЛОВ", "ТУЛЕУБАЕВ", "АБДРАХМАНОВ", "БАЙМУХАНОВ", "ЕСЕНОВ", "КУАНЫШЕВ", "МУКАНОВ",
	"САПАРОВ", "ТОКАЕВ", "УТЕПОВ", "ЖАКСЫБЕКОВ", "КОВАЛЕНКО"};
static const char *const names_m[] = {"АЛИХАН", "АРСЕН", "НУРСУЛТАН", "ДАНИЯР", "ЕРНУР", "ИЛЬЯС", "АЛЕКСАНДР",
	"МАКСИМ", "АЙБЕК", "ТЕМИРЛАН", "САНЖАР", "ДИНМУХАМЕД", "РАМАЗАН", "АЛИ", "ИВАН"};
static const char *const names_f[] = {"АЙША", "АМИНА", "МАДИНА", "АЙЛИН", "САФИЯ", "ДАРИНА", "АНАСТАСИЯ",
	"АЯЛА", "ЖАСМИН", "МЕДИНА", "КАМИЛА", "АРУЖАН", "ТОМИРИС", "ЕВА", "СОФИЯ"};
#define N(a) (sizeof(a) / sizeof((a)[0]))

/* Feminine surname: АХМЕТОВ -> АХМЕТОВА; КОВАЛЕНКО stays. */
static void surname_for(const char *base, char sex, char out[64])
{
	size_t n = strlen(base);
	int ov = n >= 2 && (strcmp(base + n - 2, "В") == 0 || strcmp(base + n - 2, "Н") == 0);
	snprintf(out, 64, "%s%s", base, sex == 'F' && ov ? "А" : "");
}

/* ---- regions and districts ---- */
struct region {
	int code;
	const char *ru, *kk;
	int ndistricts;
	int weight;   /* relative number of applications per district */
};
/* KATO codes of the other 19 regions (17 oblasts and the 3 cities of
 * republican significance, Akmola being the 20th). */
static const struct region regions[] = {
	{10, "Абайская область", "Абай облысы", 16, 3},
	{15, "Актюбинская область", "Ақтөбе облысы", 13, 4},
	{19, "Алматинская область", "Алматы облысы", 20, 5},
	{23, "Атырауская область", "Атырау облысы", 8, 6},
	{27, "Западно-Казахстанская область", "Батыс Қазақстан облысы", 13, 3},
	{31, "Жамбылская область", "Жамбыл облысы", 11, 5},
	{33, "Область Жетісу", "Жетісу облысы", 12, 4},
	{35, "Карагандинская область", "Қарағанды облысы", 15, 4},
	{39, "Костанайская область", "Қостанай облысы", 19, 2},
	{43, "Кызылординская область", "Қызылорда облысы", 9, 6},
	{47, "Мангистауская область", "Маңғыстау облысы", 7, 9},
	{55, "Павлодарская область", "Павлодар облысы", 13, 3},
	{59, "Северо-Казахстанская область", "Солтүстік Қазақстан облысы", 14, 2},
	{61, "Туркестанская область", "Түркістан облысы", 17, 8},
	{62, "Область Ұлытау", "Ұлытау облысы", 5, 3},
	{63, "Восточно-Казахстанская область", "Шығыс Қазақстан облысы", 15, 3},
	{71, "г. Астана", "Астана қаласы", 5, 40},
	{75, "г. Алматы", "Алматы қаласы", 8, 30},
	{79, "г. Шымкент", "Шымкент қаласы", 5, 30},
};

struct district {
	int id;
	double cum;        /* cumulative weight, for the weighted choice */
	int ddo_first, nddo;
};
static struct district *ds;
static int nds;

struct ddo {
	long long id, staff;
};
static struct ddo *ddos;
static int nddos;

static int pick_district(void)
{
	double x = rnd_unit() * ds[nds - 1].cum;
	int lo = 0, hi = nds - 1;
	while (lo < hi) {
		int mid = (lo + hi) / 2;
		if (ds[mid].cum < x)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

/* ---- referrals to make once every application exists ---- */
enum rkind { RK_ISSUED, RK_DOCS, RK_REFUSED, RK_ENROLLED, RK_DEPARTED, RK_ANNULLED };
struct rjob {
	long long app, child, issued_at;
	int district, year, lang;
	enum rkind kind;
};
static int cmp_rjob(const void *a, const void *b)
{
	const struct rjob *x = a, *y = b;
	return x->issued_at < y->issued_at ? -1 : x->issued_at > y->issued_at;
}

/* An open free-place record per (district, group year, language). */
struct open_place {
	long long id;
	int left;
	int ddo;
};

/* The register of persons (ГБД ФЛ) for the bench's registrations: the
 * citizen tests/bench/scenarios.sh logs in as (the first citizen with
 * names) is a parent of every child tests/bench/register.lua registers.
 * This walks the same (birth day, serial) pairs: blocks 0..GBD_BLOCKS-1
 * (BENCH_RUN * 2 + wrk thread) of GBD_PER_BLOCK requests each. */
#define GBD_BLOCKS 10
#define GBD_PER_BLOCK 60000
static long long bench_gbd(long long now)
{
	char parent[13] = "";
	if (!db_text(parent, sizeof parent, "SELECT iin FROM account WHERE roles = 1 AND surname <> '' ORDER BY id LIMIT 1",
		     NULL))
		return 0;
	sqlite3_stmt *ins = prep("INSERT OR IGNORE INTO gbd_person(child_iin, surname, name, patronymic, birth_date, "
				 "representative_iin, relation, imported_at) VALUES (?, 'ТЕСТОВ', 'АЛИХАН', '', ?, ?, 'mother', ?)");
	long long n = 0;
	for (long long block = 0; block < GBD_BLOCKS; block++)
		for (long long counter = 1; counter <= GBD_PER_BLOCK; counter++) {
			long long seq = block * 1000000 + counter;
			int y, m, d;
			cal_ymd_from_days((int)(18993 + seq % 1461), &y, &m, &d);   /* from 2022-01-01 */
			char iin[13], birth[11];
			snprintf(iin, sizeof iin, "%02d%02d%02d%lld%04lld", y % 100, m, d, 5 + counter % 2,
				 2000 + (seq / 1461) % 8000);
			iin[12] = '\0';
			int k = 0;
			for (; k < 10; k++) {
				iin[11] = (char)('0' + k);
				if (iin_checksum(iin))
					break;
			}
			if (k == 10)
				continue;   /* register.lua skips it too */
			snprintf(birth, sizeof birth, "%04d-%02d-%02d", y, m, d);
			sqlite3_bind_text(ins, 1, iin, -1, SQLITE_TRANSIENT);
			sqlite3_bind_text(ins, 2, birth, -1, SQLITE_TRANSIENT);
			sqlite3_bind_text(ins, 3, parent, -1, SQLITE_TRANSIENT);
			sqlite3_bind_int64(ins, 4, now);
			step(ins, "gbd_person");
			n++;
		}
	sqlite3_finalize(ins);
	return n;
}

/* The position events (sql/210, domain/qhist.h) of the applications that
 * left the queue. The triggers wrote the entry of every application
 * inserted as queued; the others were inserted in their final state, so
 * their entry (at the queue date) and their leaving are written here: at
 * their first referral, or a day after the queue date when withdrawn or
 * archived without one. Recording "began" two years before now, so that a
 * history reads a full year. Returns the number of events. */
static long long bench_position_events(long long now)
{
	exec("INSERT INTO position_event(district_id, group_year, at, app_id, cause, language, new_rank, new_at) "
	     "SELECT district_id, group_year, queued_at, id, 'registered', language, benefit_rank, queued_at "
	     "FROM application WHERE status <> 'queued' ORDER BY queued_at");
	exec("INSERT INTO position_event(district_id, group_year, at, app_id, cause, language, old_rank, old_at) "
	     "SELECT a.district_id, a.group_year, coalesce(r.issued_at, a.queued_at + 86400), a.id, "
	     "CASE WHEN r.issued_at IS NOT NULL THEN 'referred' WHEN a.archive_reason = 'withdrawn' THEN 'withdrawn' "
	     "ELSE 'archived' END, a.language, a.benefit_rank, a.queued_at FROM application a "
	     "LEFT JOIN (SELECT application_id, min(issued_at) AS issued_at FROM referral GROUP BY application_id) r "
	     "ON r.application_id = a.id WHERE a.status <> 'queued' ORDER BY 3");
	sqlite3_stmt *st = prep("UPDATE qh_start SET at = ?");
	sqlite3_bind_int64(st, 1, now - 2 * 365 * 86400LL);
	step(st, "qh_start");
	sqlite3_finalize(st);
	return db_int("SELECT count(*) FROM position_event", 0, NULL);
}

static void usage(void)
{
	fprintf(stderr, "usage: gen_bench [--apps N] [--ddos N] [--places N] [--seed N]\n");
	exit(2);
}

int main(int argc, char **argv)
{
	long long napps = 1000000, nddo_target = 10000, nplaces = 100000, seed = 1;
	for (int i = 1; i < argc; i++) {
		long long *dst = strcmp(argv[i], "--apps") == 0 ? &napps : strcmp(argv[i], "--ddos") == 0 ? &nddo_target
			: strcmp(argv[i], "--places") == 0 ? &nplaces : strcmp(argv[i], "--seed") == 0 ? &seed : NULL;
		if (!dst || i + 1 >= argc || u_strtoll(argv[i + 1], 1, 100000000, dst) < 0)
			usage();
		i++;
	}
	rng_state ^= (unsigned long long)seed * 0xD1B54A32D192ED03ULL;
	log_init("gen_bench");
	char err[512];
	if (conf_load(NULL, err, sizeof err) < 0) {
		fprintf(stderr, "gen_bench: %s\n", err);
		return 1;
	}
	if (db_open(conf_get("Paths.Db", "var/kg.db")) < 0)
		return 1;
	if (db_int("SELECT count(*) FROM ddo", 0, NULL) > 0) {
		fprintf(stderr, "gen_bench: the database already has DDOs; start from a fresh one\n");
		return 1;
	}
	struct timespec t0;
	clock_gettime(CLOCK_MONOTONIC, &t0);
	/* Bulk load: no journal, no sync; WAL again at the end. */
	exec("PRAGMA journal_mode=OFF");
	exec("PRAGMA synchronous=OFF");
	exec("PRAGMA cache_size=-1000000");
	exec("BEGIN");
	long long now = u_now();
	int today = cal_day_from_unix(now);

	/* Regions and districts. */
	sqlite3_stmt *ins_region = prep("INSERT INTO region(id, name_ru, name_kk) VALUES (?, ?, ?)");
	sqlite3_stmt *ins_district = prep("INSERT INTO district(id, region_id, kind, name_ru, name_kk, sort) VALUES (?, ?, ?, ?, ?, ?)");
	int cap = 512;
	ds = calloc((size_t)cap, sizeof *ds);
	double cum = 0;
	sqlite3_stmt *st = prep("SELECT id, kind FROM district ORDER BY sort");
	while (sqlite3_step(st) == SQLITE_ROW) {
		int city = strcmp((const char *)sqlite3_column_text(st, 1), "city") == 0;
		cum += city ? 4 : 1;
		ds[nds++] = (struct district){sqlite3_column_int(st, 0), cum, 0, 0};
	}
	sqlite3_finalize(st);
	for (size_t r = 0; r < N(regions); r++) {
		const struct region *g = &regions[r];
		sqlite3_bind_int(ins_region, 1, g->code);
		sqlite3_bind_text(ins_region, 2, g->ru, -1, SQLITE_STATIC);
		sqlite3_bind_text(ins_region, 3, g->kk, -1, SQLITE_STATIC);
		step(ins_region, "region");
		int republic = g->code >= 71;
		for (int k = 0; k < g->ndistricts; k++) {
			char ru[160], kk[160];
			int city = republic || k == 0;
			if (republic) {
				snprintf(ru, sizeof ru, "%s, район №%d", g->ru, k + 1);
				snprintf(kk, sizeof kk, "%s, №%d аудан", g->kk, k + 1);
			} else if (k == 0) {
				snprintf(ru, sizeof ru, "%s: областной центр", g->ru);
				snprintf(kk, sizeof kk, "%s: облыс орталығы", g->kk);
			} else {
				snprintf(ru, sizeof ru, "%s: район №%d", g->ru, k);
				snprintf(kk, sizeof kk, "%s: №%d аудан", g->kk, k);
			}
			int id = g->code * 100 + 10 + k;
			sqlite3_bind_int(ins_district, 1, id);
			sqlite3_bind_int(ins_district, 2, g->code);
			sqlite3_bind_text(ins_district, 3, city ? "city" : "district", -1, SQLITE_STATIC);
			sqlite3_bind_text(ins_district, 4, ru, -1, SQLITE_TRANSIENT);
			sqlite3_bind_text(ins_district, 5, kk, -1, SQLITE_TRANSIENT);
			sqlite3_bind_int(ins_district, 6, 1000 + (int)r * 100 + k);
			step(ins_district, "district");
			cum += (double)g->weight * (city && !republic ? 4 : 1);
			ds[nds++] = (struct district){id, cum, 0, 0};
		}
	}

	/* DDOs, each with a staff account. */
	sqlite3_stmt *ins_account = prep("INSERT INTO account(iin, surname, name, patronymic, roles, phone, email, "
					 "created_at, updated_at) VALUES (?, ?, ?, '', ?, ?, '', ?, ?)");
	sqlite3_stmt *ins_ddo = prep("INSERT INTO ddo(district_id, kind, name_ru, name_kk, address, phone, owner_iin, "
				     "owner_phone, owner_email, capacity, created_at, updated_at) "
				     "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
	sqlite3_stmt *ins_staff = prep("INSERT INTO ddo_staff(account_id, ddo_id, since) VALUES (?, ?, ?)");
	ddos = calloc((size_t)nddo_target + (size_t)nds * 3, sizeof *ddos);
	int adult_day = cal_days_from_ymd(1975, 1, 1), *adult_serial = calloc(9000, sizeof(int));
	for (int i = 0; i < nds; i++) {
		double w = ds[i].cum - (i ? ds[i - 1].cum : 0);
		int n = (int)((double)nddo_target * w / ds[nds - 1].cum + 0.5);
		if (n < 3)
			n = 3;
		ds[i].ddo_first = nddos;
		ds[i].nddo = n;
		for (int k = 0; k < n; k++) {
			char iin[13], phone[16], ru[200], kk[200], addr[120], email[64];
			int ad = (int)rnd_below(9000);
			make_iin(adult_day + ad, rnd() & 1 ? 'M' : 'F', &adult_serial[ad], iin);
			snprintf(phone, sizeof phone, "+7701%07d", nddos);
			sqlite3_bind_text(ins_account, 1, iin, -1, SQLITE_TRANSIENT);
			sqlite3_bind_text(ins_account, 2, surnames_m[rnd_below(N(surnames_m))], -1, SQLITE_STATIC);
			sqlite3_bind_text(ins_account, 3, names_m[rnd_below(N(names_m))], -1, SQLITE_STATIC);
			sqlite3_bind_int(ins_account, 4, 2);
			sqlite3_bind_text(ins_account, 5, phone, -1, SQLITE_TRANSIENT);
			sqlite3_bind_int64(ins_account, 6, now);
			sqlite3_bind_int64(ins_account, 7, now);
			step(ins_account, "staff account");
			long long staff = sqlite3_last_insert_rowid(db_handle());
			int kind = k % 10 < 6 ? 0 : k % 10 < 9 ? 1 : 2;
			static const char *const kinds[] = {"state", "private_subsidised", "mini_centre"};
			if (kind == 0) {
				snprintf(ru, sizeof ru, "Ясли-сад №%d", k + 1);
				snprintf(kk, sizeof kk, "№%d бөбекжай-бақшасы", k + 1);
			} else if (kind == 1) {
				snprintf(ru, sizeof ru, "Частный детский сад «Балапан-%d»", k + 1);
				snprintf(kk, sizeof kk, "«Балапан-%d» жекеменшік балабақшасы", k + 1);
			} else {
				snprintf(ru, sizeof ru, "Мини-центр при школе №%d", k + 1);
				snprintf(kk, sizeof kk, "№%d мектеп жанындағы шағын орталық", k + 1);
			}
			snprintf(addr, sizeof addr, "ул. Абая, %d", k + 1);
			snprintf(email, sizeof email, "ddo%d@example.kz", nddos);
			sqlite3_bind_int(ins_ddo, 1, ds[i].id);
			sqlite3_bind_text(ins_ddo, 2, kinds[kind], -1, SQLITE_STATIC);
			sqlite3_bind_text(ins_ddo, 3, ru, -1, SQLITE_TRANSIENT);
			sqlite3_bind_text(ins_ddo, 4, kk, -1, SQLITE_TRANSIENT);
			sqlite3_bind_text(ins_ddo, 5, addr, -1, SQLITE_TRANSIENT);
			sqlite3_bind_text(ins_ddo, 6, phone, -1, SQLITE_TRANSIENT);
			sqlite3_bind_text(ins_ddo, 7, iin, -1, SQLITE_TRANSIENT);
			sqlite3_bind_text(ins_ddo, 8, phone, -1, SQLITE_TRANSIENT);
			sqlite3_bind_text(ins_ddo, 9, email, -1, SQLITE_TRANSIENT);
			sqlite3_bind_int(ins_ddo, 10, kind == 0 ? 120 + (int)rnd_below(200) : kind == 1 ? 60 + (int)rnd_below(90) : 15 + (int)rnd_below(30));
			sqlite3_bind_int64(ins_ddo, 11, now);
			sqlite3_bind_int64(ins_ddo, 12, now);
			step(ins_ddo, "ddo");
			long long id = sqlite3_last_insert_rowid(db_handle());
			sqlite3_bind_int64(ins_staff, 1, staff);
			sqlite3_bind_int64(ins_staff, 2, id);
			sqlite3_bind_int64(ins_staff, 3, now);
			step(ins_staff, "ddo_staff");
			ddos[nddos++] = (struct ddo){id, staff};
		}
	}

	/* Parents, children and applications. */
	sqlite3_stmt *ins_child = prep("INSERT INTO child(iin, surname, name, patronymic, birth_date, sex, created_at) "
				       "VALUES (?, ?, ?, ?, ?, ?, ?)");
	sqlite3_stmt *ins_app = prep(
		"INSERT INTO application(number, child_id, applicant_id, district_id, group_year, language, benefit, "
		"benefit_ground, ddo1, ddo2, ddo3, phone, email, status, archive_reason, queued_at, created_at, updated_at) "
		"VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, '', ?, ?, ?, ?, ?)");
	sqlite3_stmt *ins_hist = prep("INSERT INTO history(application_id, at, actor_id, actor_role, event, p1) "
				      "VALUES (?, ?, ?, ?, ?, ?)");
	static const char *const langs[] = {"kk", "ru", "en"};
	/* The grounds of each category, for a plausible spread. */
	const char *grounds[QB__MAX][16];
	int ngrounds[QB__MAX] = {0};
	for (const struct queue_ground *g = queue_grounds; g->code; g++)
		grounds[g->category][ngrounds[g->category]++] = g->code;

	int first_birth = today - 6 * 365 - 300, *day_serial = calloc(7 * 366, sizeof(int));
	int seq[3000] = {0};
	struct rjob *jobs = calloc((size_t)napps / 4 + 16, sizeof *jobs);
	size_t njobs = 0;
	long long parents[1024] = {0};
	char parent_phone[1024][16];
	long long apps = 0, children = 0, accounts = 0, nstatus[7] = {0};
	static const char *const statuses[] = {"queued", "referred", "docs_submitted", "refusal_review", "enrolled",
					       "departed", "archived"};
	while (apps < napps) {
		/* The parent: a new one, or one of the recent ones (siblings). */
		long long parent;
		const char *pphone;
		int slot = (int)rnd_below(1024);
		if (!parents[slot] || rnd_below(10) < 7) {
			char iin[13], phone[16];
			int ad = (int)rnd_below(9000);
			make_iin(adult_day + ad, rnd() & 1 ? 'M' : 'F', &adult_serial[ad], iin);
			snprintf(phone, sizeof phone, "+7702%07lld", accounts % 10000000);
			char sn[64];
			char psex = rnd() & 1 ? 'M' : 'F';
			surname_for(surnames_m[rnd_below(N(surnames_m))], psex, sn);
			sqlite3_bind_text(ins_account, 1, iin, -1, SQLITE_TRANSIENT);
			sqlite3_bind_text(ins_account, 2, sn, -1, SQLITE_TRANSIENT);
			sqlite3_bind_text(ins_account, 3, psex == 'M' ? names_m[rnd_below(N(names_m))] : names_f[rnd_below(N(names_f))], -1, SQLITE_STATIC);
			sqlite3_bind_int(ins_account, 4, 1);
			sqlite3_bind_text(ins_account, 5, phone, -1, SQLITE_TRANSIENT);
			sqlite3_bind_int64(ins_account, 6, now);
			sqlite3_bind_int64(ins_account, 7, now);
			step(ins_account, "parent account");
			parents[slot] = sqlite3_last_insert_rowid(db_handle());
			snprintf(parent_phone[slot], sizeof parent_phone[slot], "%s", phone);
			accounts++;
		}
		parent = parents[slot];
		pphone = parent_phone[slot];

		/* The child. */
		int birth = first_birth + (int)rnd_below(today - 30 - first_birth);
		char sex = rnd() & 1 ? 'M' : 'F', iin[13], bdate[11], sn[64];
		make_iin(birth, sex, &day_serial[birth - first_birth], iin);
		cal_format_iso(birth, bdate);
		surname_for(surnames_m[rnd_below(N(surnames_m))], sex, sn);
		sqlite3_bind_text(ins_child, 1, iin, -1, SQLITE_TRANSIENT);
		sqlite3_bind_text(ins_child, 2, sn, -1, SQLITE_TRANSIENT);
		sqlite3_bind_text(ins_child, 3, sex == 'M' ? names_m[rnd_below(N(names_m))] : names_f[rnd_below(N(names_f))], -1, SQLITE_STATIC);
		sqlite3_bind_text(ins_child, 4, sex == 'M' ? "АСХАТОВИЧ" : "АСХАТОВНА", -1, SQLITE_STATIC);
		sqlite3_bind_text(ins_child, 5, bdate, -1, SQLITE_TRANSIENT);
		sqlite3_bind_text(ins_child, 6, sex == 'M' ? "M" : "F", -1, SQLITE_STATIC);
		sqlite3_bind_int64(ins_child, 7, now);
		step(ins_child, "child");
		long long child = sqlite3_last_insert_rowid(db_handle());
		children++;
		int by, bm, bd;
		cal_ymd_from_days(birth, &by, &bm, &bd);
		int di = pick_district();

		/* One application, or (one child in twenty) a withdrawn one first. */
		int napp_child = rnd_below(20) == 0 ? 2 : 1;
		long long birth_t = cal_unix_from_day(birth) + 6 * 3600;
		long long span = now - 3600 - birth_t;
		long long t = birth_t + (long long)(rnd_unit() * rnd_unit() * (double)span);
		for (int a = 0; a < napp_child && apps < napps; a++) {
			int last = a == napp_child - 1;
			/* Status: the first of two is always withdrawn. */
			int s;
			long long x = rnd_below(1000);
			if (!last)
				s = 6;
			else
				s = x < 720 ? 0 : x < 730 ? 1 : x < 735 ? 2 : x < 737 ? 3 : x < 837 ? 4 : x < 860 ? 5 : 6;
			enum rkind rk = RK_ISSUED;
			const char *reason = NULL;
			if (s == 6) {
				if (last && rnd_below(3) == 0) {
					reason = "deadline";
					rk = RK_ANNULLED;
				} else {
					reason = "withdrawn";
				}
			} else if (s == 5) {
				reason = "departed";
			}
			long long r = rnd_below(1000);
			int cat = r < 30 ? QB_OUT_OF_TURN : r < 150 ? QB_FIRST_PRIORITY : QB_NONE;
			const char *ground = cat == QB_NONE ? "" : grounds[cat][rnd_below(ngrounds[cat])];
			long long lr = rnd_below(100);
			int lang = lr < 62 ? 0 : lr < 98 ? 1 : 2;
			int year = queue_year_of(t);
			if (year < 2000 || year >= 2000 + (int)N(seq))
				year = 2000;
			char number[32];
			snprintf(number, sizeof number, "UO.%d.%06d.%d", year, ++seq[year - 2000], a + 1);
			const struct district *d = &ds[di];
			sqlite3_bind_text(ins_app, 1, number, -1, SQLITE_TRANSIENT);
			sqlite3_bind_int64(ins_app, 2, child);
			sqlite3_bind_int64(ins_app, 3, parent);
			sqlite3_bind_int(ins_app, 4, d->id);
			sqlite3_bind_int(ins_app, 5, by);
			sqlite3_bind_text(ins_app, 6, langs[lang], -1, SQLITE_STATIC);
			sqlite3_bind_text(ins_app, 7, queue_benefit_names[cat], -1, SQLITE_STATIC);
			sqlite3_bind_text(ins_app, 8, ground, -1, SQLITE_STATIC);
			for (int k = 0; k < 3; k++) {
				if (rnd_below(10) < 7 - 2 * k)
					sqlite3_bind_int64(ins_app, 9 + k, ddos[d->ddo_first + rnd_below(d->nddo)].id);
				else
					sqlite3_bind_null(ins_app, 9 + k);
			}
			sqlite3_bind_text(ins_app, 12, pphone, -1, SQLITE_STATIC);
			sqlite3_bind_text(ins_app, 13, statuses[s], -1, SQLITE_STATIC);
			if (reason)
				sqlite3_bind_text(ins_app, 14, reason, -1, SQLITE_STATIC);
			else
				sqlite3_bind_null(ins_app, 14);
			sqlite3_bind_int64(ins_app, 15, t);
			sqlite3_bind_int64(ins_app, 16, t);
			sqlite3_bind_int64(ins_app, 17, t);
			step(ins_app, "application");
			long long app = sqlite3_last_insert_rowid(db_handle());
			apps++;
			nstatus[s]++;
			sqlite3_bind_int64(ins_hist, 1, app);
			sqlite3_bind_int64(ins_hist, 2, t);
			sqlite3_bind_int64(ins_hist, 3, parent);
			sqlite3_bind_text(ins_hist, 4, "citizen", -1, SQLITE_STATIC);
			sqlite3_bind_text(ins_hist, 5, "registered", -1, SQLITE_STATIC);
			sqlite3_bind_text(ins_hist, 6, number, -1, SQLITE_TRANSIENT);
			step(ins_hist, "history");
			if (s == 6 && rk != RK_ANNULLED) {
				sqlite3_bind_int64(ins_hist, 1, app);
				sqlite3_bind_int64(ins_hist, 2, t + 86400);
				sqlite3_bind_int64(ins_hist, 3, parent);
				sqlite3_bind_text(ins_hist, 4, "citizen", -1, SQLITE_STATIC);
				sqlite3_bind_text(ins_hist, 5, "withdrawn", -1, SQLITE_STATIC);
				sqlite3_bind_text(ins_hist, 6, number, -1, SQLITE_TRANSIENT);
				step(ins_hist, "history");
			}
			if (s >= 1 && s <= 5)
				rk = s == 1 ? RK_ISSUED : s == 2 ? RK_DOCS : s == 3 ? RK_REFUSED : s == 4 ? RK_ENROLLED : RK_DEPARTED;
			if ((s >= 1 && s <= 5) || rk == RK_ANNULLED) {
				/* Issued some time after the queue date; the live ones recently. */
				long long issued = rk <= RK_REFUSED ? now - rnd_below(4 * 86400) - 3600
					: t + (long long)(rnd_unit() * (double)(now - 20 * 86400 - t));
				if (issued <= t)
					issued = t + 3600;
				jobs[njobs++] = (struct rjob){app, child, issued, di, by, lang, rk};
			}
			/* A second application starts after the first was withdrawn. */
			t += 2 * 86400 + rnd_below(200 * 86400);
			if (t > now - 3600)
				t = now - 3600;
		}
	}
	for (int y = 0; y < (int)N(seq); y++) {
		if (!seq[y])
			continue;
		char sql_year[24];
		snprintf(sql_year, sizeof sql_year, "%d", 2000 + y);
		sqlite3_stmt *s = prep("INSERT INTO app_seq(year, last) VALUES (?, ?)");
		sqlite3_bind_int(s, 1, 2000 + y);
		sqlite3_bind_int(s, 2, seq[y]);
		step(s, sql_year);
		sqlite3_finalize(s);
	}

	/* Free places, referrals and what follows them, in time order. */
	qsort(jobs, njobs, sizeof *jobs, cmp_rjob);
	sqlite3_stmt *ins_place = prep(
		"INSERT INTO free_place(ddo_id, district_id, group_year, language, total, free, created_by, created_at, "
		"window_until, status) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
	sqlite3_stmt *ins_ref = prep(
		"INSERT INTO referral(number, application_id, free_place_id, ddo_id, status, voucher, issued_at, "
		"deadline_at, docs_submitted_at, closed_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, NULL)");
	sqlite3_stmt *annul = prep("UPDATE referral SET status = 'annulled', voucher = 'annulled', closed_at = ? WHERE id = ?");
	sqlite3_stmt *ins_sig = prep(
		"INSERT INTO signature(account_id, method, purpose, action, object_type, object_id, content, otp_phone, "
		"signed_at) VALUES (?, 'otp', 'action', ?, 'referral', ?, ?, '', ?)");
	sqlite3_stmt *ins_enr = prep(
		"INSERT INTO enrollment(referral_id, application_id, ddo_id, child_id, enrolled_at, enrolled_by, signature_id, "
		"departed_on, departure_reason, departed_by, departure_signature_id, departed_at) "
		"VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
	sqlite3_stmt *ins_refusal = prep(
		"INSERT INTO refusal(referral_id, ddo_id, district_id, reason, refused_by, refused_at, signature_id) "
		"VALUES (?, ?, ?, ?, ?, ?, ?)");
	struct open_place *open = calloc((size_t)nds * 30 + 16, sizeof *open);
	/* key: district index, year offset (0..9), language */
	#define OKEY(d, y, l) (((size_t)(d) * 10 + (size_t)((y) % 10)) * 3 + (size_t)(l))
	long long places = 0, referrals = 0, enrolled = 0, departed = 0, refused = 0, annulled = 0;
	long long refno = 1000000000LL;
	for (size_t j = 0; j < njobs; j++) {
		struct rjob *jb = &jobs[j];
		struct open_place *op = &open[OKEY(jb->district, jb->year, jb->lang)];
		const struct district *d = &ds[jb->district];
		if (!op->id || op->left == 0) {
			int total = 1 + (int)rnd_below(12);
			int di = d->ddo_first + (int)rnd_below(d->nddo);
			long long created = jb->issued_at - 86400 - rnd_below(3 * 86400);
			sqlite3_bind_int64(ins_place, 1, ddos[di].id);
			sqlite3_bind_int(ins_place, 2, d->id);
			sqlite3_bind_int(ins_place, 3, jb->year);
			sqlite3_bind_text(ins_place, 4, langs[jb->lang], -1, SQLITE_STATIC);
			sqlite3_bind_int(ins_place, 5, total);
			sqlite3_bind_int(ins_place, 6, total);
			sqlite3_bind_int64(ins_place, 7, ddos[di].staff);
			sqlite3_bind_int64(ins_place, 8, created);
			sqlite3_bind_int64(ins_place, 9, created + 3 * 86400);
			sqlite3_bind_text(ins_place, 10, created + 3 * 86400 > now ? "waiting" : "free_choice", -1, SQLITE_STATIC);
			step(ins_place, "free_place");
			op->id = sqlite3_last_insert_rowid(db_handle());
			op->left = total;
			op->ddo = di;
			places++;
		}
		op->left--;
		const struct ddo *dd = &ddos[op->ddo];
		char num[32];
		snprintf(num, sizeof num, "%lld", refno++);
		static const char *const rstatus[] = {"issued", "docs_submitted", "refused", "enrolled", "enrolled", "issued"};
		long long deadline = jb->issued_at + 7 * 86400;
		sqlite3_bind_text(ins_ref, 1, num, -1, SQLITE_TRANSIENT);
		sqlite3_bind_int64(ins_ref, 2, jb->app);
		sqlite3_bind_int64(ins_ref, 3, op->id);
		sqlite3_bind_int64(ins_ref, 4, dd->id);
		sqlite3_bind_text(ins_ref, 5, rstatus[jb->kind], -1, SQLITE_STATIC);
		sqlite3_bind_text(ins_ref, 6, jb->kind == RK_ENROLLED || jb->kind == RK_DEPARTED ? "bound" : "active", -1, SQLITE_STATIC);
		sqlite3_bind_int64(ins_ref, 7, jb->issued_at);
		sqlite3_bind_int64(ins_ref, 8, deadline);
		if (jb->kind == RK_ISSUED || jb->kind == RK_ANNULLED)
			sqlite3_bind_null(ins_ref, 9);
		else
			sqlite3_bind_int64(ins_ref, 9, jb->issued_at + 2 * 86400);
		step(ins_ref, "referral");
		long long ref = sqlite3_last_insert_rowid(db_handle());
		referrals++;
		sqlite3_bind_int64(ins_hist, 1, jb->app);
		sqlite3_bind_int64(ins_hist, 2, jb->issued_at);
		sqlite3_bind_null(ins_hist, 3);
		sqlite3_bind_text(ins_hist, 4, "system", -1, SQLITE_STATIC);
		sqlite3_bind_text(ins_hist, 5, "referral_issued", -1, SQLITE_STATIC);
		sqlite3_bind_text(ins_hist, 6, num, -1, SQLITE_TRANSIENT);
		step(ins_hist, "history");
		if (jb->kind == RK_ANNULLED) {
			sqlite3_bind_int64(annul, 1, deadline);
			sqlite3_bind_int64(annul, 2, ref);
			step(annul, "annul");
			annulled++;
			op->left++;   /* the trigger gave the place back */
			continue;
		}
		if (jb->kind == RK_ENROLLED || jb->kind == RK_DEPARTED || jb->kind == RK_REFUSED) {
			long long at = jb->issued_at + 3 * 86400;
			sqlite3_bind_int64(ins_sig, 1, dd->staff);
			sqlite3_bind_text(ins_sig, 2, jb->kind == RK_REFUSED ? "refuse" : "enroll", -1, SQLITE_STATIC);
			sqlite3_bind_int64(ins_sig, 3, ref);
			sqlite3_bind_blob(ins_sig, 4, num, (int)strlen(num), SQLITE_TRANSIENT);
			sqlite3_bind_int64(ins_sig, 5, at);
			step(ins_sig, "signature");
			long long sig = sqlite3_last_insert_rowid(db_handle());
			if (jb->kind == RK_REFUSED) {
				sqlite3_bind_int64(ins_refusal, 1, ref);
				sqlite3_bind_int64(ins_refusal, 2, dd->id);
				sqlite3_bind_int(ins_refusal, 3, d->id);
				sqlite3_bind_text(ins_refusal, 4, "Документы нечитаемы", -1, SQLITE_STATIC);
				sqlite3_bind_int64(ins_refusal, 5, dd->staff);
				sqlite3_bind_int64(ins_refusal, 6, at);
				sqlite3_bind_int64(ins_refusal, 7, sig);
				step(ins_refusal, "refusal");
				refused++;
				continue;
			}
			long long dsig = 0, dat = 0;
			char don[11] = "";
			if (jb->kind == RK_DEPARTED) {
				dat = at + (long long)(rnd_unit() * (double)(now - at - 3600));
				if (dat <= at)
					dat = at + 3600;
				cal_format_iso(cal_day_from_unix(dat), don);
				sqlite3_bind_int64(ins_sig, 1, dd->staff);
				sqlite3_bind_text(ins_sig, 2, "departure", -1, SQLITE_STATIC);
				sqlite3_bind_int64(ins_sig, 3, ref);
				sqlite3_bind_blob(ins_sig, 4, num, (int)strlen(num), SQLITE_TRANSIENT);
				sqlite3_bind_int64(ins_sig, 5, dat);
				step(ins_sig, "signature");
				dsig = sqlite3_last_insert_rowid(db_handle());
			}
			sqlite3_bind_int64(ins_enr, 1, ref);
			sqlite3_bind_int64(ins_enr, 2, jb->app);
			sqlite3_bind_int64(ins_enr, 3, dd->id);
			sqlite3_bind_int64(ins_enr, 4, jb->child);
			sqlite3_bind_int64(ins_enr, 5, at);
			sqlite3_bind_int64(ins_enr, 6, dd->staff);
			sqlite3_bind_int64(ins_enr, 7, sig);
			if (dsig) {
				sqlite3_bind_text(ins_enr, 8, don, -1, SQLITE_TRANSIENT);
				sqlite3_bind_text(ins_enr, 9, "Переезд", -1, SQLITE_STATIC);
				sqlite3_bind_int64(ins_enr, 10, dd->staff);
				sqlite3_bind_int64(ins_enr, 11, dsig);
				sqlite3_bind_int64(ins_enr, 12, dat);
				departed++;
			} else {
				for (int k = 8; k <= 12; k++)
					sqlite3_bind_null(ins_enr, k);
				enrolled++;
			}
			step(ins_enr, "enrollment");
		}
	}
	/* More records up to the target: recent ones, some in their window. */
	while (places < nplaces) {
		int di = (int)rnd_below(nddos);
		int dist = 0;
		for (int lo = 0, hi = nds - 1; lo <= hi;) {
			int mid = (lo + hi) / 2;
			if (ds[mid].ddo_first + ds[mid].nddo <= di)
				lo = mid + 1;
			else if (ds[mid].ddo_first > di)
				hi = mid - 1;
			else {
				dist = mid;
				break;
			}
		}
		int total = 1 + (int)rnd_below(15);
		long long created = now - rnd_below(400 * 86400);
		long long lr = rnd_below(100);
		sqlite3_bind_int64(ins_place, 1, ddos[di].id);
		sqlite3_bind_int(ins_place, 2, ds[dist].id);
		sqlite3_bind_int(ins_place, 3, queue_year_of(now) - 1 - (int)rnd_below(5));
		sqlite3_bind_text(ins_place, 4, langs[lr < 62 ? 0 : lr < 98 ? 1 : 2], -1, SQLITE_STATIC);
		sqlite3_bind_int(ins_place, 5, total);
		sqlite3_bind_int(ins_place, 6, total);
		sqlite3_bind_int64(ins_place, 7, ddos[di].staff);
		sqlite3_bind_int64(ins_place, 8, created);
		sqlite3_bind_int64(ins_place, 9, created + 3 * 86400);
		sqlite3_bind_text(ins_place, 10, created + 3 * 86400 > now ? "waiting" : "free_choice", -1, SQLITE_STATIC);
		step(ins_place, "free_place");
		places++;
	}
	sqlite3_finalize(ins_region);
	sqlite3_finalize(ins_district);
	sqlite3_finalize(ins_account);
	sqlite3_finalize(ins_ddo);
	sqlite3_finalize(ins_staff);
	sqlite3_finalize(ins_child);
	sqlite3_finalize(ins_app);
	sqlite3_finalize(ins_hist);
	sqlite3_finalize(ins_place);
	sqlite3_finalize(ins_ref);
	sqlite3_finalize(annul);
	sqlite3_finalize(ins_sig);
	sqlite3_finalize(ins_enr);
	sqlite3_finalize(ins_refusal);
	long long gbd = bench_gbd(now);
	long long pevents = bench_position_events(now);
	char details[200];
	snprintf(details, sizeof details, "generated: %lld applications, %d DDOs, %lld free-place records", apps, nddos, places);
	exec("COMMIT");
	if (audit_log(0, "system", "", "bench_data", "", 0, "ok", details) < 0)
		die("audit");
	exec("PRAGMA journal_mode=WAL");
	exec("ANALYZE");
	struct timespec t1;
	clock_gettime(CLOCK_MONOTONIC, &t1);
	double secs = (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) / 1e9;
	printf("gen_bench: %d districts, %d DDOs, %lld accounts, %lld children, %lld applications\n", nds, nddos,
	       accounts + nddos, children, apps);
	printf("gen_bench: by status:");
	for (int s = 0; s < 7; s++)
		printf(" %s %lld", statuses[s], nstatus[s]);
	printf("\ngen_bench: %lld free-place records, %lld referrals (%lld enrolled, %lld departed, %lld refused, "
	       "%lld annulled)\n", places, referrals, enrolled, departed, refused, annulled);
	printf("gen_bench: %lld children in the register of persons for register.lua\n", gbd);
	printf("gen_bench: %lld position events\n", pevents);
	printf("gen_bench: done in %.1f s\n", secs);
	free(ds);
	free(ddos);
	free(day_serial);
	free(adult_serial);
	free(jobs);
	free(open);
	db_close();
	conf_free();
	return 0;
}
