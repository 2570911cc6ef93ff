# Electronic kindergarten queue (Akmola region) — the only entry point.
#
#   make run     install what is missing, build, create the database with
#                demo data under var/, serve http://127.0.0.1:8080 (PORT=)
#   make stop    stop what `make run` started
#   make check   the whole test suite (unit, HTTP through nginx, browser)
#   make bench   load figures with wrk on national-scale generated data
#   make fuzz    clang's libFuzzer on the parsers of untrusted input
#                (FUZZ_SECONDS per target, FUZZ_TARGETS to choose)
#   make install PREFIX=/usr/local DESTDIR=   for production
#
# Every program in cgi-bin/*.c is one screen; cgi-bin/lib/ is the shared
# library in three floors, each using only those below it: base/ (database,
# settings, log, strings, calendar, signatures, PDF, SMS), web/ (request,
# session, view, validation, rate limits, EDS and one-time-code protocols)
# and domain/ (the rules: queue, places, referrals, enrollment, decisions,
# journal, accounts, DDOs, holidays, audit); cgi-bin/cli/kgctl.c the operators' command line. Adding a file
# there is enough: the lists below are wildcards.

SHELL := /bin/bash
PREFIX ?= /usr/local
DESTDIR ?=
PORT ?= 8080
WORKERS ?= 2
VAR ?= $(CURDIR)/var
BUILD ?= build

CC ?= gcc
OPT ?= -O2 -g
WARN := -Wall -Wextra -Wshadow -Wformat=2 -Wmissing-prototypes -Wstrict-prototypes -Wno-unused-parameter
HARDEN := -fstack-protector-strong -D_FORTIFY_SOURCE=2 -fPIE
CPPFLAGS += -Icgi-bin/lib -I/usr/include/ClearSilver -DKG_DEFAULT_CONF='"$(PREFIX)/share/kg/conf/app.hdf"'
# Recursive (=): $@ is the target being built.
KG_CFLAGS = -std=c11 -D_GNU_SOURCE $(OPT) $(WARN) $(HARDEN) -MMD -MP -MF $(BUILD)/dep/$(subst /,_,$@).d $(CFLAGS)
# --as-needed: a program maps only the shared libraries it calls (the
# home page needs no PDF, QR or libmagic pages in its memory).
KG_LDFLAGS := -pie -Wl,-z,relro,-z,now -Wl,--as-needed $(LDFLAGS)
# ClearSilver ships static libraries only, in this order.
LDLIBS := -lfcgi -lneo_cgi -lneo_cs -lneo_utl -lz -lsqlite3 -lnettle -lcrypto -largon2 -lhpdf -lqrencode -lmagic -lm

LIB_SRC := $(wildcard cgi-bin/lib/*/*.c)
LIB_OBJ := $(LIB_SRC:cgi-bin/lib/%.c=$(BUILD)/lib/%.o)
LIB := $(BUILD)/libkg.a
PROGS := $(patsubst cgi-bin/%.c,$(BUILD)/cgi-bin/%,$(wildcard cgi-bin/*.c))
KGCTL := $(BUILD)/kgctl
UNIT := $(patsubst tests/unit/%.c,$(BUILD)/tests/%,$(wildcard tests/unit/test_*.c))
TOOLS := $(patsubst tests/tools/%.c,$(BUILD)/tools/%,$(wildcard tests/tools/*.c))

# The PDFs' fonts: DejaVu Sans cut down to the letters documents use (Latin,
# Cyrillic with the Kazakh letters, punctuation, №, ₸, €, arrows, shapes).
# libharu embeds the whole TrueType font in every PDF and maps all of
# Unicode through it, so the full DejaVu (760 KB) costs ~30 ms of CPU and
# 180 KB per referral, the subset ~6 ms and 40 KB. Paths.Fonts names the
# directory.
FONT_SRC ?= /usr/share/fonts/truetype/dejavu
FONT_RANGES := U+0020-007E,U+00A0-017F,U+0400-052F,U+2010-2027,U+2030-203A,U+20AC,U+20B8,U+2116,U+2122,U+2190-2193,U+2212,U+25A0-25CF,U+FFFD
FONTS := $(BUILD)/fonts/DejaVuSans.ttf $(BUILD)/fonts/DejaVuSans-Bold.ttf

$(BUILD)/fonts/%.ttf: $(FONT_SRC)/%.ttf
	@mkdir -p $(@D)
	pyftsubset $< --unicodes=$(FONT_RANGES) --name-IDs='*' --name-languages='*' --notdef-outline --output-file=$@ 2>/dev/null

.PHONY: all programs deps run stop check unit bench bench-data install deb clean lint demo-db fuzz fuzz-build

all: programs $(TOOLS)
# What is installed: the screens but the benchmark's hello, kgctl, fonts.
SERVICE := $(filter-out %/hello,$(PROGS))
programs: $(SERVICE) $(KGCTL) $(FONTS)

deps:
	@conf/deps.sh

# The installation prefix is compiled into conf.o (the default settings
# file): a stamp named after it rebuilds conf.o when PREFIX changes.
PREFIX_STAMP := $(BUILD)/prefix$(subst /,_,$(PREFIX))
$(PREFIX_STAMP): | $(BUILD)
	rm -f $(BUILD)/prefix_* && touch $@
$(BUILD)/lib/base/conf.o: $(PREFIX_STAMP)

$(BUILD)/lib/%.o: cgi-bin/lib/%.c
	@mkdir -p $(@D) $(BUILD)/dep
	$(CC) $(CPPFLAGS) $(KG_CFLAGS) -c $< -o $@

$(LIB): $(LIB_OBJ)
	rm -f $@ && ar rcs $@ $^

$(BUILD)/cgi-bin/%: cgi-bin/%.c $(LIB) | $(BUILD)/cgi-bin
	$(CC) $(CPPFLAGS) $(KG_CFLAGS) $< -o $@ $(KG_LDFLAGS) $(LIB) $(LDLIBS)

# The version (a backup's manifest names it): the newest entry of debian/changelog.
KG_VERSION := $(shell sed -n '1{s/^kg [(]//;s/[)].*//;p}' debian/changelog)
$(KGCTL): cgi-bin/cli/kgctl.c $(LIB) debian/changelog | $(BUILD)
	$(CC) $(CPPFLAGS) -DKG_VERSION='"$(KG_VERSION)"' $(KG_CFLAGS) $< -o $@ $(KG_LDFLAGS) $(LIB) $(LDLIBS)

# tests/unit/unit.c: the setup every unit test shares (unit.h).
UNIT_COMMON := $(BUILD)/tests/unit.o
$(UNIT_COMMON): tests/unit/unit.c | $(BUILD)/tests
	$(CC) $(CPPFLAGS) $(KG_CFLAGS) -c $< -o $@

$(BUILD)/tests/%: tests/unit/%.c $(UNIT_COMMON) $(LIB) | $(BUILD)/tests
	$(CC) $(CPPFLAGS) $(KG_CFLAGS) -Wno-missing-prototypes $< $(UNIT_COMMON) -o $@ $(KG_LDFLAGS) $(LIB) $(LDLIBS) -lcmocka

$(BUILD)/tools/%: tests/tools/%.c $(LIB) | $(BUILD)/tools
	$(CC) $(CPPFLAGS) $(KG_CFLAGS) -Wno-missing-prototypes $< -o $@ $(KG_LDFLAGS) $(LIB) $(LDLIBS)

$(BUILD) $(BUILD)/cgi-bin $(BUILD)/tests $(BUILD)/tools:
	mkdir -p $@ $(BUILD)/dep

# ---- fuzzing (tests/fuzz) ----
# Every tests/fuzz/fuzz_<name>.c is one target (LLVMFuzzerTestOneInput).
# `make check` replays its saved inputs (tests/fuzz/corpus/<name>, and the
# inputs that once crashed, tests/fuzz/regress/<name>) with gcc's
# AddressSanitizer and UBSan: no clang needed. `make fuzz` builds the same
# targets with clang's libFuzzer and runs each for FUZZ_SECONDS.
FUZZ_NAMES := $(patsubst tests/fuzz/fuzz_%.c,%,$(wildcard tests/fuzz/fuzz_*.c))
SAN := -fsanitize=address,undefined -fno-sanitize-recover=undefined -fno-omit-frame-pointer
ASAN_OBJ := $(LIB_SRC:cgi-bin/lib/%.c=$(BUILD)/asan/%.o)
REPLAY := $(FUZZ_NAMES:%=$(BUILD)/fuzz-replay/%)

$(BUILD)/asan/%.o: cgi-bin/lib/%.c
	@mkdir -p $(@D) $(BUILD)/dep
	$(CC) $(CPPFLAGS) $(KG_CFLAGS) $(SAN) -c $< -o $@

$(BUILD)/asan/libkg.a: $(ASAN_OBJ)
	rm -f $@ && ar rcs $@ $^

$(BUILD)/fuzz-replay/%: tests/fuzz/fuzz_%.c tests/fuzz/replay.c $(BUILD)/asan/libkg.a | $(BUILD)/fuzz-replay
	$(CC) $(CPPFLAGS) $(KG_CFLAGS) $(SAN) -Wno-missing-prototypes $< tests/fuzz/replay.c -o $@ $(KG_LDFLAGS) $(SAN) $(BUILD)/asan/libkg.a $(LDLIBS)

FUZZ_CC ?= clang
FUZZ_CFLAGS := -std=c11 -D_GNU_SOURCE -g -O1 -fno-omit-frame-pointer -fsanitize=address,undefined -fno-sanitize-recover=undefined
FUZZ_OBJ := $(LIB_SRC:cgi-bin/lib/%.c=$(BUILD)/fuzz/obj/%.o)
FUZZ_BIN := $(FUZZ_NAMES:%=$(BUILD)/fuzz/%)

$(BUILD)/fuzz/obj/%.o: cgi-bin/lib/%.c
	@mkdir -p $(@D)
	$(FUZZ_CC) $(CPPFLAGS) $(FUZZ_CFLAGS) -fsanitize=fuzzer-no-link -c $< -o $@

$(BUILD)/fuzz/libkg.a: $(FUZZ_OBJ)
	rm -f $@ && ar rcs $@ $^

$(BUILD)/fuzz/%: tests/fuzz/fuzz_%.c $(BUILD)/fuzz/libkg.a
	$(FUZZ_CC) $(CPPFLAGS) $(FUZZ_CFLAGS) -fsanitize=fuzzer $< -o $@ $(BUILD)/fuzz/libkg.a $(LDLIBS)

fuzz-build: $(FUZZ_BIN)

fuzz:
	@KG_TOP=$(CURDIR) KG_BUILD=$(CURDIR)/$(BUILD) tests/fuzz/run.sh

$(BUILD)/asan $(BUILD)/fuzz-replay $(BUILD)/fuzz/obj:
	mkdir -p $@ $(BUILD)/dep

-include $(wildcard $(BUILD)/dep/*.d)

# The database with reference and demo data; kept between runs.
demo-db: all
	@KG_TOP=$(CURDIR) KG_VAR=$(VAR) KG_BUILD=$(CURDIR)/$(BUILD) PORT=$(PORT) conf/serve.sh setup

run: deps all
	@KG_TOP=$(CURDIR) KG_VAR=$(VAR) KG_BUILD=$(CURDIR)/$(BUILD) PORT=$(PORT) WORKERS=$(WORKERS) conf/serve.sh run

stop:
	@KG_TOP=$(CURDIR) KG_VAR=$(VAR) conf/serve.sh stop

unit: $(UNIT)

check: deps all $(UNIT) $(REPLAY)
	@KG_TOP=$(CURDIR) KG_BUILD=$(CURDIR)/$(BUILD) tests/run.sh

lint:
	@KG_TOP=$(CURDIR) KG_BUILD=$(CURDIR)/$(BUILD) TEST_SUITES=lint tests/run.sh

bench-data: all
	@KG_TOP=$(CURDIR) KG_BUILD=$(CURDIR)/$(BUILD) tests/bench/data.sh

bench: deps all
	@KG_TOP=$(CURDIR) KG_BUILD=$(CURDIR)/$(BUILD) tests/bench/run.sh

install: programs
	install -d $(DESTDIR)$(PREFIX)/lib/kg/cgi-bin $(DESTDIR)$(PREFIX)/bin $(DESTDIR)$(PREFIX)/share/kg
	install -m 0755 $(SERVICE) $(DESTDIR)$(PREFIX)/lib/kg/cgi-bin/
	install -m 0755 $(KGCTL) $(DESTDIR)$(PREFIX)/bin/kgctl
	cp -R templates htdocs sql $(DESTDIR)$(PREFIX)/share/kg/
	install -d $(DESTDIR)$(PREFIX)/share/kg/fonts
	install -m 0644 $(FONTS) $(DESTDIR)$(PREFIX)/share/kg/fonts/
	install -d $(DESTDIR)$(PREFIX)/share/kg/conf
	install -m 0644 conf/routes $(DESTDIR)$(PREFIX)/share/kg/conf/
	install -m 0755 conf/roll.sh conf/crl-refresh.sh $(DESTDIR)$(PREFIX)/share/kg/conf/
	sed 's|/usr/local/share/kg|$(PREFIX)/share/kg|g' conf/app.hdf > $(DESTDIR)$(PREFIX)/share/kg/conf/app.hdf
	KG_TOP=$(CURDIR) conf/gen-web.sh deploy $(PREFIX) $(DESTDIR)$(PREFIX)/share/kg/conf
	@echo "Installed under $(DESTDIR)$(PREFIX). The web server snippets and systemd units are in"
	@echo "$(DESTDIR)$(PREFIX)/share/kg/conf; see README.md, section Deployment."

# The Debian package (debian/), built with Debian's own tools, checked by
# lintian; kg_<version>_<arch>.deb lands in $(BUILD)/deb/.
deb:
	dpkg-buildpackage -b -us -uc -j2
	mkdir -p $(BUILD)/deb
	v=$$(dpkg-parsechangelog -S Version); a=$$(dpkg --print-architecture); \
	mv ../kg_$${v}_$$a.deb ../kg_$${v}_$$a.buildinfo ../kg_$${v}_$$a.changes $(BUILD)/deb/; \
	mv ../kg-dbgsym_$${v}_$$a.deb $(BUILD)/deb/ 2>/dev/null; \
	lintian --fail-on error $(BUILD)/deb/kg_$${v}_$$a.deb && echo "$(BUILD)/deb/kg_$${v}_$$a.deb"

clean:
	rm -rf $(BUILD)
