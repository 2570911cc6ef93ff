#!/usr/bin/env bash
# roll.sh — replaces the workers of running FastCGI pools one at a time,
# so that they run the program files as they are now (after an upgrade)
# without a failed request.
#
#   roll.sh POOL...
#       POOL: the pid of a pool's multiwatch, or a file holding it (the
#       systemd unit passes $MAINPID: spawn-fcgi -n becomes multiwatch;
#       conf/serve.sh writes KG_VAR/run/PROGRAM.pid).
#
# For each worker the pool had when the roll began: SIGTERM, on which the
# worker finishes the request it serves and exits (at once when idle:
# web/req.c); multiwatch starts a replacement from the program file; the
# next worker is signalled only once the replacement is ready: seen
# waiting in accept on the pool's socket, or alive for ROLL_SETTLE
# seconds (2; a worker that cannot start exits within about one). So a
# pool of N workers keeps N-1 serving throughout. Pools roll in parallel.
#
# A replacement that is not ready within ROLL_TIMEOUT seconds (30), or a
# worker that has not finished its request by then, stops that pool's
# roll with an error and exit status 1: its remaining workers are still
# the previous version's and serve on.
set -uo pipefail
settle=${ROLL_SETTLE:-2}
timeout=${ROLL_TIMEOUT:-30}
sig=${ROLL_SIGNAL:-TERM}   # the tests' comparison: KILL fails requests in flight

say() { printf 'roll.sh: %s\n' "$*" >&2; }

now_ms() { local s=${EPOCHREALTIME//[.,]/}; echo "${s:0:-3}"; }   # (a locale may write 1.5 as 1,5)

children() { # multiwatch pid -> its live workers (not zombies)
	local c st list
	# (the kernel's list of a thread's children; pgrep where it has none)
	if [ -e "/proc/$1/task/$1/children" ]; then list=$(cat "/proc/$1/task/$1/children" 2> /dev/null)
	else list=$(pgrep -P "$1"); fi
	for c in $list; do
		st=$(cut -d' ' -f3 "/proc/$c/stat" 2> /dev/null) || continue
		[ "$st" = Z ] || echo "$c"
	done
}

ready() { # worker pid -> 0 once it waits in accept on descriptor 0
	local call
	# /proc/PID/syscall: "43 0x0 ..." (accept) or "288 0x0 ..." (accept4)
	# while blocked in it; unreadable without ptrace rights.
	read -r call < "/proc/$1/syscall" 2> /dev/null || return 1
	case $call in "43 0x0 "* | "288 0x0 "*) return 0 ;; esac
	return 1
}

roll_pool() { # multiwatch pid
	local mw=$1 old w deadline start new c
	old=" $(children "$mw" | tr '\n' ' ')"
	[ "$old" != " " ] || { say "pool $mw: no workers"; return 1; }
	for w in $old; do
		kill -"$sig" "$w" 2> /dev/null || continue   # gone already: its replacement counts
		deadline=$(($(now_ms) + timeout * 1000))
		new=""; start=0
		while :; do
			if [ -z "$new" ]; then
				for c in $(children "$mw"); do
					[[ $old == *" $c "* ]] || { new=$c; start=$(now_ms); }
				done
			elif [ ! -d "/proc/$new" ] || [ "$(cut -d' ' -f3 "/proc/$new/stat" 2> /dev/null)" = Z ]; then
				new=""   # the replacement died: multiwatch starts another
			elif [ ! -d "/proc/$w" ] && { ready "$new" || [ $(($(now_ms) - start)) -ge $((settle * 1000)) ]; }; then
				break
			fi
			if [ "$(now_ms)" -ge "$deadline" ]; then
				if [ -d "/proc/$w" ]; then
					say "pool $mw: worker $w still serving after ${timeout} s; roll stopped"
				else
					say "pool $mw: no ready replacement for worker $w after ${timeout} s; roll stopped"
				fi
				return 1
			fi
			sleep 0.02
		done
		old="$old$new "
	done
	return 0
}

[ $# -gt 0 ] || { echo "usage: roll.sh POOL... (a multiwatch pid or a file holding it)" >&2; exit 2; }
pids=()
for a in "$@"; do
	if [[ $a =~ ^[0-9]+$ ]]; then p=$a; else p=$(cat "$a" 2> /dev/null) || { say "cannot read $a"; exit 1; }; fi
	[ -d "/proc/$p" ] || { say "no process $p ($a)"; exit 1; }
	pids+=("$p")
done
jobs=()
for p in "${pids[@]}"; do roll_pool "$p" & jobs+=($!); done
rc=0
for j in "${jobs[@]}"; do wait "$j" || rc=1; done
exit $rc
