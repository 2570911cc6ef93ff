#!/usr/bin/env bash
# data.sh — national-scale data for `make bench` (`make bench-data`).
#
# Makes a database with the schema (kgctl migrate, no demo data) and fills
# it with tests/tools/gen_bench: 20 regions' worth of districts, 10,000
# DDOs, 1,000,000 applications across group years, languages, categories
# and statuses, 100,000 free-place records with their referrals,
# enrollments, departures and refusals. The result is kept as a snapshot
# (bench.db) that every `make bench` copies, so each run starts from the
# same state. Made once; BENCH_FORCE=1 makes it again.
#
# Environment: KG_TOP, KG_BUILD; BENCH_DIR (default KG_BUILD/bench);
# BENCH_APPS, BENCH_DDOS, BENCH_PLACES (the generator's sizes).
set -euo pipefail
top=${KG_TOP:?KG_TOP}
build=${KG_BUILD:-$top/build}
dir=${BENCH_DIR:-$build/bench}
snap=$dir/bench.db
apps=${BENCH_APPS:-1000000}
ddos=${BENCH_DDOS:-10000}
places=${BENCH_PLACES:-100000}

sizes="$apps $ddos $places $(db_version=$(ls "$top"/sql/*.sql | wc -l); echo "$db_version")"
if [ -z "${BENCH_FORCE:-}" ] && [ -f "$snap" ] && [ "$(cat "$dir/bench.sizes" 2>/dev/null)" = "$sizes" ]; then
	echo "data.sh: $snap is there ($apps applications); BENCH_FORCE=1 makes it again"
	exit 0
fi
mkdir -p "$dir"
rm -f "$snap" "$snap-wal" "$snap-shm" "$dir/bench.sizes"
conf=$dir/gen.hdf
cat > "$conf" <<CONF
#include "$top/conf/app.hdf"
Paths.Db = $snap
Paths.Sql = $top/sql
Paths.Templates = $top/templates
CONF
export KG_CONF=$conf
"$build/kgctl" migrate
"$build/tools/gen_bench" --apps "$apps" --ddos "$ddos" --places "$places"
# One file, no WAL beside it: the snapshot is copied as it is.
sqlite3 "$snap" 'PRAGMA wal_checkpoint(TRUNCATE); PRAGMA journal_mode=DELETE;' > /dev/null
sqlite3 "$snap" 'PRAGMA journal_mode=WAL;' > /dev/null
echo "$sizes" > "$dir/bench.sizes"
echo "data.sh: $snap ($(du -h "$snap" | cut -f1))"
