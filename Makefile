# lianxi — one place for flags.  `make`, `make SANITIZE=1`, `make test`,
# `make demo`, `make bench`, `make install`, `make deb`, `make test-deb`,
# `make fuzz`, `make fuzz-smoke` (clang; see the fuzz section at the end).
#
# One folder per program role, and each folder compiles with only the
# include paths it may depend on, so a wrong-way include does not compile:
#   src/lib/        what every program links          -I src/lib
#   src/hub/        lianxi-hub                         -I src/lib -I src/hub
#   src/cli/        lianxi (provisioning, operators)   -I src/lib
#   src/console/    lianxi-console (HTTPS gateway)     -I src/lib -I src/console
#   adapters/       the nine adapters on their core    -I src/lib -I adapters/core
#   tests/          everything

CC       ?= cc
PREFIX   ?= /usr/local
SANITIZE ?=

ifeq ($(SANITIZE),1)
B        := build/san
SANFLAGS := -fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer
OPT      := -O1 -g
else
B        := build/rel
SANFLAGS :=
OPT      := -O2 -g
endif
# `make fuzz` builds in a tree of its own, every object instrumented for
# libFuzzer (see the fuzz section at the end).
ifeq ($(FUZZ),1)
B        := build/fuzz
SANFLAGS := -fsanitize=fuzzer-no-link,address,undefined -fno-sanitize-recover=all \
            -fno-omit-frame-pointer
OPT      := -O1 -g
endif
# `make BUILD=build/clang CC=clang` builds elsewhere, beside the usual trees.
ifneq ($(BUILD),)
B        := $(BUILD)
endif

PKGS     := libzmq libczmq libprotobuf-c sqlite3 libsodium libxml-2.0 inih libcjson libzip freexl
PKG_CFLAGS := $(shell pkg-config --cflags $(PKGS) 2>/dev/null)
PKG_LIBS   := $(shell pkg-config --libs $(PKGS) 2>/dev/null) -lcsv
# The .xlsx export: only the operators' command links libxlsxwriter.
XLSX_LIBS  := $(shell pkg-config --libs xlsxwriter 2>/dev/null || echo -lxlsxwriter)
# TLS: the console serves HTTPS (libmicrohttpd on GnuTLS); the lianxi
# command makes the console's certificates with GnuTLS; the console's tests
# speak TLS to it.
PKG_CFLAGS += $(shell pkg-config --cflags gnutls libmicrohttpd 2>/dev/null)
TLS_LIBS   := $(shell pkg-config --libs gnutls 2>/dev/null || echo -lgnutls)
HTTP_LIBS  := $(shell pkg-config --libs libmicrohttpd 2>/dev/null || echo -lmicrohttpd) $(TLS_LIBS)
# The official document's charts as PNG in the .docx (src/hub/doc_docx.c):
# cairo draws, pango sets the Chinese labels.  Only what links the hub's
# library links them.
PKG_CFLAGS += $(shell pkg-config --cflags pangocairo fontconfig 2>/dev/null)
DOC_LIBS   := $(shell pkg-config --libs pangocairo fontconfig 2>/dev/null || echo -lpangocairo-1.0 -lpango-1.0 -lgobject-2.0 -lglib-2.0 -lcairo -lfontconfig)

WARN     := -Wall -Wextra -Wformat=2 -Wshadow -Wstrict-prototypes \
            -Wmissing-prototypes -Wpointer-arith -Wvla -Werror
# gcc's -Wformat-truncation flags every snprintf that may cut; clang has no
# such flag and refuses unknown ones under -Werror.
ifeq ($(shell $(CC) --version 2>/dev/null | grep -ci clang),0)
WARN     += -Wno-format-truncation
endif
# EXTRA_CFLAGS, EXTRA_LDFLAGS: added by a packager (debian/rules passes
# dpkg-buildflags' hardening flags through them).
CFLAGS   := -std=gnu11 $(OPT) $(WARN) $(SANFLAGS) -D_GNU_SOURCE \
            -I$(B)/gen $(PKG_CFLAGS) -MMD -MP \
            -DLX_DATADIR='"$(PREFIX)/share/lianxi"' -DLX_SRC_DATADIR='"$(CURDIR)/deploy"' \
            -DLX_LOCALEDIR='"$(PREFIX)/share/locale"' -DLX_BUILD_LOCALEDIR='"$(CURDIR)/$(B)/locale"' \
            $(EXTRA_CFLAGS)
LDFLAGS  := $(SANFLAGS) $(EXTRA_LDFLAGS)
LDLIBS   := $(PKG_LIBS) -lpthread -lm

# Include paths per folder (the direction of the dependencies).
INC_LIB     := -Isrc/lib
INC_HUB     := -Isrc/lib -Isrc/hub
INC_CLI     := -Isrc/lib
INC_CONSOLE := -Isrc/lib -Isrc/console
INC_ADAPTER := -Isrc/lib -Iadapters/core
INC_TEST    := -Isrc/lib -Isrc/hub -Iadapters/core -Itests/it -Itests/unit

$(B)/src/lib/%.o:   INC := $(INC_LIB)
$(B)/src/hub/%.o:   INC := $(INC_HUB)
$(B)/src/cli/%.o:   INC := $(INC_CLI)
$(B)/src/console/%.o: INC := $(INC_CONSOLE)
$(B)/gen/console_assets.o: INC := $(INC_CONSOLE)
$(B)/adapters/%.o:  INC := $(INC_ADAPTER)
$(B)/tests/%.o:     INC := $(INC_TEST)

GEN_C    := $(B)/gen/lianxi.pb-c.c
GEN_H    := $(B)/gen/lianxi.pb-c.h

LIB_SRC  := $(wildcard src/lib/*.c)
HUB_SRC  := $(filter-out src/hub/main.c,$(wildcard src/hub/*.c))
CLI_SRC  := $(wildcard src/cli/*.c)
CORE_SRC := $(wildcard adapters/core/*.c)
CONSOLE_SRC := $(wildcard src/console/*.c)
# The console's page: every file under src/console/www, compiled in.
WWW      := $(sort $(shell find src/console/www -type f 2>/dev/null))

LIB_OBJ  := $(LIB_SRC:%.c=$(B)/%.o) $(B)/gen/lianxi.pb-c.o
HUB_OBJ  := $(HUB_SRC:%.c=$(B)/%.o)
CLI_OBJ  := $(CLI_SRC:%.c=$(B)/%.o)
CORE_OBJ := $(CORE_SRC:%.c=$(B)/%.o)
CONSOLE_OBJ := $(CONSOLE_SRC:%.c=$(B)/%.o) $(B)/gen/console_assets.o

ADAPTERS := discipline organization politics_law court procuratorate police \
            audit family_planning petitions
PROGS    := $(B)/lianxi-hub $(B)/lianxi $(B)/lianxi-console \
            $(ADAPTERS:%=$(B)/lianxi-adapter-%) $(B)/lianxi-loadgen \
            $(B)/lianxi-verify-rate $(B)/lianxi-genexport $(B)/lianxi-briefbench \
            $(B)/lianxi-demoyear

UNIT_TESTS := $(patsubst tests/unit/%.c,$(B)/tests/%,$(wildcard tests/unit/test_*.c))
IT_TESTS   := $(patsubst tests/it/%.c,$(B)/tests/%,$(wildcard tests/it/it_*.c))

# Messages: English in the source, marked _() and N_(); translations in
# po/LANG.po; the catalogue built into the build tree (programs run from it
# find it there) and installed under share/locale.
LINGUAS  := zh_CN
I18N_SRC := $(sort $(wildcard src/*/*.c adapters/core/*.c adapters/*/main.c))
MO       := $(LINGUAS:%=$(B)/locale/%/LC_MESSAGES/lianxi.mo)

.PHONY: all programs test unit-test it-test demo pages bench install deps clean pot po-update \
        deb test-deb
all: $(PROGS) $(UNIT_TESTS) $(IT_TESTS) $(MO)
# What `make install` installs (the packages build only this).
INSTALL_PROGS := $(B)/lianxi-hub $(B)/lianxi $(B)/lianxi-console $(ADAPTERS:%=$(B)/lianxi-adapter-%)
programs: $(INSTALL_PROGS) $(MO)

$(B)/locale/%/LC_MESSAGES/lianxi.mo: po/%.po
	@mkdir -p $(dir $@)
	msgfmt --check -o $@ $<

# The template from the sources; `make po-update` merges it into each
# po/LANG.po (then translate what msgfmt --statistics says is missing).
pot: $(B)/po/lianxi.pot
$(B)/po/lianxi.pot: $(I18N_SRC)
	@mkdir -p $(dir $@)
	xgettext --from-code=UTF-8 --language=C --keyword=_ --keyword=N_ \
	    --add-comments=TRANSLATORS: --package-name=lianxi --sort-by-file -o $@ $(I18N_SRC)
po-update: $(B)/po/lianxi.pot
	for l in $(LINGUAS); do msgmerge --quiet --update --backup=none po/$$l.po $<; done

# Objects are kept between builds: a second `make` does nothing.
.SECONDARY:

# One run of protoc-c makes both files (a grouped target).
$(GEN_C) $(GEN_H) &: proto/lianxi.proto
	@mkdir -p $(B)/gen
	protoc-c --c_out=$(B)/gen -Iproto $<

# Generated code: our warnings are not its author's contract.
$(B)/gen/lianxi.pb-c.o: $(GEN_C)
	$(CC) -std=gnu11 $(OPT) $(SANFLAGS) $(PKG_CFLAGS) -I$(B)/gen -c -o $@ $<

$(B)/%.o: %.c $(GEN_H)
	@mkdir -p $(dir $@)
	@echo "  CC  $<"; $(CC) $(CFLAGS) $(INC) -c -o $@ $<

# The console's static files as C arrays (generated: never edited).
$(B)/gen/console_assets.c: $(WWW) src/console/mkassets.sh
	@mkdir -p $(dir $@)
	@echo "  GEN $@"; sh src/console/mkassets.sh $@ src/console/www $(WWW)
$(B)/gen/console_assets.o: $(B)/gen/console_assets.c src/console/assets.h
	$(CC) -std=gnu11 $(OPT) $(SANFLAGS) $(INC_CONSOLE) -c -o $@ $<

$(B)/liblianxi.a: $(LIB_OBJ)
	$(AR) rcs $@ $^
$(B)/libhub.a: $(HUB_OBJ)
	$(AR) rcs $@ $^
$(B)/libcore.a: $(CORE_OBJ)
	$(AR) rcs $@ $^

$(B)/lianxi-hub: $(B)/src/hub/main.o $(B)/libhub.a $(B)/liblianxi.a
	$(CC) $(LDFLAGS) -o $@ $^ $(LDLIBS) $(DOC_LIBS)
# The operators' command links the shared library only, never the hub's.
$(B)/lianxi: $(CLI_OBJ) $(B)/liblianxi.a
	$(CC) $(LDFLAGS) -o $@ $^ $(XLSX_LIBS) $(TLS_LIBS) $(LDLIBS)
# The console links the shared library only: never the hub's code.
$(B)/lianxi-console: $(CONSOLE_OBJ) $(B)/liblianxi.a
	$(CC) $(LDFLAGS) -o $@ $^ $(HTTP_LIBS) $(LDLIBS)
$(B)/lianxi-adapter-%: $(B)/adapters/%/main.o $(B)/libcore.a $(B)/liblianxi.a
	$(CC) $(LDFLAGS) -o $@ $^ $(LDLIBS)
$(B)/lianxi-loadgen: $(B)/tests/tools/loadgen.o $(B)/libcore.a $(B)/liblianxi.a
	$(CC) $(LDFLAGS) -o $@ $^ $(LDLIBS)

$(B)/lianxi-verify-rate: $(B)/tests/tools/verify_rate.o $(B)/liblianxi.a
	$(CC) $(LDFLAGS) -o $@ $^ $(LDLIBS)
$(B)/lianxi-briefbench: $(B)/tests/tools/briefbench.o $(B)/libhub.a $(B)/liblianxi.a
	$(CC) $(LDFLAGS) -o $@ $^ $(LDLIBS) $(DOC_LIBS)
$(B)/lianxi-genexport: $(B)/tests/tools/genexport.o $(B)/liblianxi.a
	$(CC) $(LDFLAGS) -o $@ $^ $(LDLIBS)
$(B)/lianxi-demoyear: $(B)/tests/tools/demoyear.o $(B)/liblianxi.a
	$(CC) $(LDFLAGS) -o $@ $^ $(LDLIBS)

$(B)/tests/test_%: $(B)/tests/unit/test_%.o $(B)/libcore.a $(B)/libhub.a $(B)/liblianxi.a
	$(CC) $(LDFLAGS) -o $@ $^ $(LDLIBS) -lcmocka $(DOC_LIBS)
# test_tlscert tests the lianxi command's certificates and provisioning.
$(B)/tests/unit/test_tlscert.o: INC := $(INC_TEST) -Isrc/cli
$(B)/tests/test_tlscert: $(B)/tests/unit/test_tlscert.o $(B)/src/cli/tlscert.o \
    $(B)/src/cli/provision.o $(B)/libcore.a $(B)/libhub.a $(B)/liblianxi.a
	$(CC) $(LDFLAGS) -o $@ $^ $(TLS_LIBS) $(LDLIBS) -lcmocka $(DOC_LIBS)
$(B)/tests/it_%: $(B)/tests/it/it_%.o $(B)/tests/it/harness.o $(B)/libcore.a $(B)/libhub.a $(B)/liblianxi.a
	$(CC) $(LDFLAGS) -o $@ $^ $(TLS_LIBS) $(LDLIBS) -lcmocka $(DOC_LIBS)

deps:
	@deploy/install-deps.sh --if-missing

test: deps
	@$(MAKE) --no-print-directory all
	@tests/run-tests.sh $(B) $(UNIT_TESTS) $(IT_TESTS) tests/layout.sh tests/i18n.sh tests/demo-zh.sh \
	    tests/browser/run.sh tests/systemd-security.sh

demo: deps
	@$(MAKE) --no-print-directory all
	@deploy/demo.sh $(B)

# The briefing's pages as images to look at (B/pages/*.png).
pages: deps
	@$(MAKE) --no-print-directory all
	@tests/pages.sh $(B)

bench: deps
	@$(MAKE) --no-print-directory all
	@tests/bench.sh $(B)

# The systemd units go where systemd looks for a system's units: with
# PREFIX=/usr (the Debian packages) the distribution's own directory, which
# systemd.pc names (/lib/systemd/system on Debian 12, where debhelper and
# lintian want a package's units; /usr/lib/systemd/system from Debian 13
# on); with any other PREFIX, PREFIX/lib/systemd/system (systemd also reads
# /usr/local/lib/systemd/system).  Their ExecStart names PREFIX/bin: the
# installed unit is deploy/systemd/*.service with /usr/local/ replaced by
# PREFIX/ (sed at install time; nothing generated is kept in the tree).
ifeq ($(PREFIX),/usr)
UNITDIR  ?= $(or $(shell pkg-config --variable=systemdsystemunitdir systemd 2>/dev/null),/lib/systemd/system)
else
UNITDIR  ?= $(PREFIX)/lib/systemd/system
endif
UNITS    := $(wildcard deploy/systemd/*.service deploy/systemd/*.timer)

install: programs
	install -d $(DESTDIR)$(PREFIX)/bin $(DESTDIR)$(PREFIX)/share/lianxi/calendar
	install -m 755 $(INSTALL_PROGS) $(DESTDIR)$(PREFIX)/bin/
	install -d $(DESTDIR)$(UNITDIR)
	for u in $(UNITS); do \
	    sed 's|/usr/local/|$(PREFIX)/|g' $$u > $(DESTDIR)$(UNITDIR)/$${u##*/} && \
	    chmod 644 $(DESTDIR)$(UNITDIR)/$${u##*/} || exit 1; done
	install -m 644 deploy/categories.tsv $(DESTDIR)$(PREFIX)/share/lianxi/
	install -m 644 deploy/calendar/cn-holidays.tsv $(DESTDIR)$(PREFIX)/share/lianxi/calendar/
	for l in $(LINGUAS); do \
	    install -d $(DESTDIR)$(PREFIX)/share/locale/$$l/LC_MESSAGES && \
	    install -m 644 $(B)/locale/$$l/LC_MESSAGES/lianxi.mo \
	        $(DESTDIR)$(PREFIX)/share/locale/$$l/LC_MESSAGES/; done

clean:
	rm -rf build

# Debian packages (debian/): the tree (without build/) is copied to
# build/deb/lianxi/ and built there with dpkg-buildpackage -b, so the .debs
# land in build/deb/ (never in the tree's parent).  DEB_BUILD_OPTIONS=nocheck
# is the default here: the tests run with `make test`.
DEB_BUILD_OPTIONS ?= nocheck
deb:
	@deploy/install-deps.sh --if-missing --deb
	rm -rf build/deb && mkdir -p build/deb/lianxi
	tar -c --exclude=./build --exclude=./.git --exclude=./demo-county \
	    --exclude=./tests/browser/node_modules . | tar -x -C build/deb/lianxi
	cd build/deb/lianxi && DEB_BUILD_OPTIONS="$(DEB_BUILD_OPTIONS)" \
	    dpkg-buildpackage -b -us -uc -j2
	@ls build/deb/*.deb

# The packages installed on this machine (root): lintian, dpkg -i, a county
# filing through the installed programs, purge.  Builds them when
# build/deb/ has none.
test-deb:
	@deploy/install-deps.sh --if-missing --deb
	@tests/run-tests.sh $(B) tests/deb.sh

# ---- fuzzing (tests/fuzz) ---------------------------------------------------
# `make fuzz` builds the libFuzzer targets tests/fuzz/fuzz_*.c with clang
# into build/fuzz/ (the library, hub and adapter core compiled again there
# with -fsanitize=fuzzer-no-link,address,undefined), and their seed corpora
# into build/fuzz/seeds/<target>/ (from the samples, deploy/, a county made
# by `lianxi init`, generated messages and tests/fuzz/seeds/).
# `make fuzz-smoke` runs the crash reproducers kept in tests/fuzz/regress/,
# then each target FUZZ_TIME seconds (20) on its seeds: one line per target,
# and it fails when any target crashes or a reproducer still does.  Corpora grow
# in build/fuzz/corpus/<target>/, crashes go to build/fuzz/crashes/<target>/,
# logs to build/fuzz/logs/.  Nothing of this runs in `make` or `make test`.
FUZZ_CC      ?= clang
FUZZ_TIME    ?= 20
FUZZ_TARGETS := $(patsubst tests/fuzz/%.c,%,$(wildcard tests/fuzz/fuzz_*.c))
FUZZ_LDFLAGS := -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=all
FUZZ_SEED_IN := $(wildcard adapters/*/samples/* tests/fuzz/seeds/*/*) \
                deploy/categories.tsv deploy/calendar/cn-holidays.tsv tests/fuzz/seeds.sh

.PHONY: fuzz fuzz-smoke fuzz-build
fuzz:
	@command -v $(FUZZ_CC) >/dev/null || { echo "make fuzz: needs $(FUZZ_CC) and its libFuzzer runtime: deploy/install-deps.sh --fuzz"; exit 1; }
	@$(MAKE) --no-print-directory FUZZ=1 BUILD=build/fuzz CC=$(FUZZ_CC) fuzz-build

fuzz-smoke: fuzz
	@tests/fuzz/smoke.sh build/fuzz $(FUZZ_TIME) $(FUZZ_TARGETS)

# The part run with FUZZ=1 (objects in $(B), instrumented).
fuzz-build: $(FUZZ_TARGETS:%=$(B)/%) $(B)/seeds/.made

$(B)/fuzz_%: $(B)/tests/fuzz/fuzz_%.o $(B)/libcore.a $(B)/libhub.a $(B)/liblianxi.a
	$(CC) $(FUZZ_LDFLAGS) -o $@ $^ $(LDLIBS) $(DOC_LIBS)
$(B)/fuzz-seedgen: $(B)/tests/fuzz/seedgen.o $(B)/liblianxi.a
	$(CC) $(LDFLAGS) -o $@ $^ $(LDLIBS)
$(B)/seeds/.made: $(FUZZ_SEED_IN) $(B)/fuzz-seedgen $(B)/lianxi
	@tests/fuzz/seeds.sh $(B) $(FUZZ_TARGETS)
	@touch $@
# ---- end of fuzzing ---------------------------------------------------------

-include $(shell find $(B) -name '*.d' 2>/dev/null)
