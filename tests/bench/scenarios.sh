# scenarios.sh — sourced by run.sh and profile.sh after bench_start: the
# scenarios of `make bench`, what wrk sends for each, and how each is
# prepared.
#
# One line per scenario:  name | pool | what
#   pool  the program whose workers are measured
#   what  a path for a plain GET, or @script.lua (in this folder); the
#         environment a script reads is made by prepare_<name>, which may
#         also set BENCH_HEADERS (extra request headers, one per line).
# The burst of place choices is not a wrk scenario: run.sh runs
# choice-burst.js against the same instance (its own line in the table).

SCENARIOS=(
	"hello                 | hello  | /bench/hello"
	"home                  | district | /"
	"search                | queue  | @search.lua"
	"search_history        | queue  | @search.lua"
	"stats                 | stats  | /stats"
	"places                | places | /places"
	"places_filtered       | places | /places?f_year=2023&f_lang=kk&f_status=free_choice"
	"places_random         | places | @places.lua"
	"places_staff          | places | /places"
	"places_staff_filtered | places | @places.lua"
	"register              | queue  | @register.lua"
)

scenario_of() { # name -> "pool|what"
	local line n p w
	for line in "${SCENARIOS[@]}"; do
		IFS='|' read -r n p w <<< "$line"
		n=$(echo $n); p=$(echo $p); w=$(echo $w)
		if [ "$n" = "$1" ]; then echo "$p|$w"; return 0; fi
	done
	say "unknown scenario $1"
	return 1
}

BENCH_HEADERS=""

wrk_run() { # connections, seconds, target, [script] -> wrk output on stdout
	local c=$1 s=$2 target=$3 script=${4:-} h args=() t=2
	[ "$c" -ge 2 ] || t=1
	while IFS= read -r h; do
		[ -n "$h" ] && args+=(-H "$h")
	done <<< "$BENCH_HEADERS"
	if [ -n "$script" ]; then
		wrk -t$t -c"$c" -d"${s}s" --latency -H "Accept-Encoding: gzip" "${args[@]}" -s "$here/$script" "$base"
	else
		wrk -t$t -c"$c" -d"${s}s" --latency -H "Accept-Encoding: gzip" "${args[@]}" "$base$target"
	fi
}

# The district the places scenarios show: the one with the most records
# (national-scale data: ~2,300 records in a big city's district).
places_district() {
	sqlite3 "$var/kg.db" "SELECT district_id FROM free_place GROUP BY district_id ORDER BY count(*) DESC LIMIT 1"
}

prepare_hello() { BENCH_HEADERS=""; }
prepare_home() { BENCH_HEADERS=""; }
prepare_stats() { BENCH_HEADERS=""; }

prepare_search() {
	# Queued applications: half by number, half by the child's IIN.
	BENCH_HEADERS=""
	export BENCH_QUERIES=$var/queries.txt
	sqlite3 "$var/kg.db" "SELECT number FROM application WHERE status = 'queued' ORDER BY random() LIMIT 5000;
		SELECT c.iin FROM application a JOIN child c ON c.id = a.child_id WHERE a.status = 'queued' ORDER BY random() LIMIT 5000;" \
		> "$BENCH_QUERIES"
}

prepare_search_history() {
	# The search's position history (hist=1, domain/qhist.h) of queued
	# applications, by number: the reasons of three months, the days of
	# twelve and the likely wait.
	BENCH_HEADERS=""
	export BENCH_QUERIES=$var/queries-history.txt
	sqlite3 "$var/kg.db" "SELECT number || '&hist=1' FROM application WHERE status = 'queued' ORDER BY random() LIMIT 5000" \
		> "$BENCH_QUERIES"
}

# Filters combined at random (places.lua): a year, a language, a status, a
# piece of a DDO's name, a day, a sort column and a page, so that most
# requests are not a page kept in the cache.
places_filters() {
	export BENCH_PLACES_NAMES=$var/place-names.txt
	sqlite3 "$var/kg.db" "SELECT DISTINCT substr(d.name_ru, 1 + abs(random()) % 6, 4) FROM free_place f JOIN ddo d ON d.id = f.ddo_id
		WHERE f.district_id = $(places_district) LIMIT 200" > "$BENCH_PLACES_NAMES"
	export BENCH_PLACES_DAYS=$var/place-days.txt
	sqlite3 "$var/kg.db" "SELECT DISTINCT date(created_at + 5 * 3600, 'unixepoch') FROM free_place
		WHERE district_id = $(places_district) LIMIT 200" > "$BENCH_PLACES_DAYS"
}

prepare_places() {
	BENCH_HEADERS="Cookie: district=$(places_district)"
}

# One filter many visitors use (year, language, status): a page kept in
# the cache after its second request.
prepare_places_filtered() {
	BENCH_HEADERS="Cookie: district=$(places_district)"
}

# Filters at random (places.lua): the worst case, most requests not cached.
prepare_places_random() {
	places_filters
	BENCH_HEADERS="Cookie: district=$(places_district)"
}

staff_cookie() {
	# A staff member of a DDO of that district (not the chosen district:
	# staff see their first DDO's district).
	local account s
	account=$(sqlite3 "$var/kg.db" "SELECT s.account_id FROM ddo_staff s JOIN ddo d ON d.id = s.ddo_id
		WHERE d.district_id = $(places_district) ORDER BY s.account_id LIMIT 1")
	s=$(bench_session "$account")
	echo "Cookie: kg_sid=${s%% *}"
}

prepare_places_staff() {
	BENCH_HEADERS=$(staff_cookie)
}

prepare_places_staff_filtered() {
	places_filters
	BENCH_HEADERS=$(staff_cookie)
}

prepare_register() {
	# A logged-in citizen.
	local account s
	BENCH_HEADERS=""
	account=$(sqlite3 "$var/kg.db" "SELECT id FROM account WHERE roles = 1 AND surname <> '' ORDER BY id LIMIT 1")
	s=$(bench_session "$account")
	export BENCH_TOKEN=${s%% *} BENCH_CSRF=${s#* }
}
