# lianxi — one place for flags.  `make`, `make SANITIZE=1`, `make test`,
# `make demo`, `make bench`, `make install`.

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

PKGS     := libzmq libczmq libprotobuf-c sqlite3 libsodium libxml-2.0 inih libcjson
PKG_CFLAGS := $(shell pkg-config --cflags $(PKGS) 2>/dev/null)
PKG_LIBS   := $(shell pkg-config --libs $(PKGS) 2>/dev/null) -lcsv

WARN     := -Wall -Wextra -Wformat=2 -Wshadow -Wstrict-prototypes \
            -Wmissing-prototypes -Wpointer-arith -Wvla -Wno-format-truncation -Werror
CFLAGS   := -std=gnu11 $(OPT) $(WARN) $(SANFLAGS) -D_GNU_SOURCE \
            -Isrc -Iadapters/core -I$(B)/gen $(PKG_CFLAGS) -MMD -MP \
            -DLX_DATADIR='"$(PREFIX)/share/lianxi"' -DLX_SRC_DATADIR='"$(CURDIR)/deploy"' 
LDFLAGS  := $(SANFLAGS)
LDLIBS   := $(PKG_LIBS) -lpthread -lm

GEN_C    := $(B)/gen/lianxi.pb-c.c
GEN_H    := $(B)/gen/lianxi.pb-c.h

# Shared library code (hub, CLI and adapters all link it).
LIB_SRC  := src/log.c src/util.c src/idnum.c src/categories.c src/canon.c src/validate.c \
            src/keys.c src/wire.c src/calendar.c src/conf.c src/db.c
HUB_SRC  := src/store.c src/zap.c src/vpool.c src/judge.c src/oblig.c src/audit.c \
            src/control.c src/brief.c src/board.c
CORE_SRC := adapters/core/outbox.c adapters/core/sender.c \
            adapters/core/adapter.c adapters/core/textin.c adapters/core/csvfmt.c \
            adapters/core/record.c

LIB_OBJ  := $(LIB_SRC:%.c=$(B)/%.o) $(B)/gen/lianxi.pb-c.o
HUB_OBJ  := $(HUB_SRC:%.c=$(B)/%.o)
CORE_OBJ := $(CORE_SRC:%.c=$(B)/%.o)

ADAPTERS := discipline organization politics_law court procuratorate police \
            audit family_planning petitions
PROGS    := $(B)/lianxi-hub $(B)/lianxi \
            $(ADAPTERS:%=$(B)/lianxi-adapter-%) $(B)/lianxi-loadgen \
            $(B)/lianxi-verify-rate $(B)/lianxi-genexport $(B)/lianxi-briefbench

UNIT_TESTS := $(patsubst tests/unit/%.c,$(B)/tests/%,$(wildcard tests/unit/test_*.c))
IT_TESTS   := $(patsubst tests/it/%.c,$(B)/tests/%,$(wildcard tests/it/it_*.c))

.PHONY: all test unit-test it-test demo bench install deps clean
all: $(PROGS) $(UNIT_TESTS) $(IT_TESTS)

$(GEN_C) $(GEN_H): proto/lianxi.proto
	@mkdir -p $(B)/gen
	protoc-c --c_out=$(B)/gen -Iproto $<

# Generated code: our warnings are not its author's contract.
$(B)/gen/lianxi.pb-c.o: $(GEN_C)
	$(CC) -std=gnu11 $(OPT) $(SANFLAGS) $(PKG_CFLAGS) -I$(B)/gen -c -o $@ $<

$(B)/%.o: %.c $(GEN_H)
	@mkdir -p $(dir $@)
	@echo "  CC  $<"; $(CC) $(CFLAGS) -c -o $@ $<

$(B)/liblianxi.a: $(LIB_OBJ)
	$(AR) rcs $@ $^
$(B)/libhub.a: $(HUB_OBJ)
	$(AR) rcs $@ $^
$(B)/libcore.a: $(CORE_OBJ)
	$(AR) rcs $@ $^

$(B)/lianxi-hub: $(B)/src/hub.o $(B)/libhub.a $(B)/liblianxi.a
	$(CC) $(LDFLAGS) -o $@ $^ $(LDLIBS)
$(B)/lianxi: $(B)/src/lianxi.o $(B)/src/provision.o $(B)/src/calcmd.o \
            $(B)/src/opcli.o \
            $(B)/libhub.a $(B)/liblianxi.a
	$(CC) $(LDFLAGS) -o $@ $^ $(LDLIBS)
$(B)/lianxi-adapter-%: $(B)/adapters/%/main.o $(B)/libcore.a $(B)/liblianxi.a
	$(CC) $(LDFLAGS) -o $@ $^ $(LDLIBS)
$(B)/lianxi-loadgen: $(B)/tests/tools/loadgen.o $(B)/libcore.a $(B)/liblianxi.a
	$(CC) $(LDFLAGS) -o $@ $^ $(LDLIBS)

$(B)/lianxi-verify-rate: $(B)/tests/tools/verify_rate.o $(B)/liblianxi.a
	$(CC) $(LDFLAGS) -o $@ $^ $(LDLIBS)
$(B)/lianxi-briefbench: $(B)/tests/tools/briefbench.o $(B)/libhub.a $(B)/liblianxi.a
	$(CC) $(LDFLAGS) -o $@ $^ $(LDLIBS)
$(B)/lianxi-genexport: $(B)/tests/tools/genexport.o $(B)/liblianxi.a
	$(CC) $(LDFLAGS) -o $@ $^ $(LDLIBS)

$(B)/tests/test_%: $(B)/tests/unit/test_%.o $(B)/libcore.a $(B)/libhub.a $(B)/liblianxi.a
	$(CC) $(LDFLAGS) -o $@ $^ $(LDLIBS) -lcmocka
$(B)/tests/it_%: $(B)/tests/it/it_%.o $(B)/tests/it/harness.o $(B)/libcore.a $(B)/libhub.a $(B)/liblianxi.a
	$(CC) $(LDFLAGS) -o $@ $^ $(LDLIBS) -lcmocka

deps:
	@deploy/install-deps.sh --if-missing

test: deps
	@$(MAKE) --no-print-directory all
	@tests/run-tests.sh $(B) $(UNIT_TESTS) $(IT_TESTS)

demo: deps
	@$(MAKE) --no-print-directory all
	@deploy/demo.sh $(B)

bench: deps
	@$(MAKE) --no-print-directory all
	@tests/bench.sh $(B)

install: all
	install -d $(DESTDIR)$(PREFIX)/bin $(DESTDIR)$(PREFIX)/share/lianxi/calendar
	install -m 755 $(B)/lianxi-hub $(B)/lianxi $(ADAPTERS:%=$(B)/lianxi-adapter-%) $(DESTDIR)$(PREFIX)/bin/
	install -m 644 deploy/categories.tsv $(DESTDIR)$(PREFIX)/share/lianxi/
	install -m 644 deploy/calendar/cn-holidays.tsv $(DESTDIR)$(PREFIX)/share/lianxi/calendar/

clean:
	rm -rf build

-include $(shell find build -name '*.d' 2>/dev/null)
