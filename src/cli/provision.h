/* provision.h — lianxi init (a whole county on one machine) and keygen. */
#ifndef LX_PROVISION_H
#define LX_PROVISION_H

#include <stddef.h>

/* Creates a county in dir: hub, nine units, operators, configs.  port 0
 * means ephemeral ports (the hub publishes them in hub/run/).  county, when
 * not NULL, is the county's name for the documents ([hub] county; the
 * caller has checked it is one line).  Returns 0, or -1 after logging. */
int provision_county(const char *dir, int port, const char *county);

/* Makes an operator's browser certificate in dir, signed by the console CA
 * in ca_dir (tlscert_make_client: NAME.p12, NAME.p12.pass, NAME.crt), and
 * records its fingerprint in dir/NAME.cert, the operator's public cert,
 * which must exist (role, when not NULL, must be the one it names; the
 * certificate's O is the cert's role).  renew replaces a browser
 * certificate made before (its fingerprint in NAME.cert is replaced, so the
 * hub refuses the old one once it has the new NAME.cert).  pass_out, when
 * not NULL, gets the import passphrase (TLSCERT_PASS_LEN).  Returns 0, or
 * -1 after logging. */
int provision_browser(const char *dir, const char *name, const char *role, const char *ca_dir,
                      int renew, char *pass_out);

/* Makes a console in dir: its CURVE key (BASE.cert, BASE.cert_secret, kind
 * console, named name), its TLS server certificate signed by the CA in
 * ca_dir for hosts (tls.crt, tls.key; none: 127.0.0.1 and localhost), a
 * copy of the CA's certificate as ca.crt (the client CA it verifies
 * browsers against) and an empty run/.  Refuses to overwrite any of them.
 * Returns 0, or -1 after logging. */
int provision_console(const char *dir, const char *base, const char *name, const char *ca_dir,
                      const char *const *hosts, size_t nhosts);

/* The hub's machine alone (lianxi init --hub-only): in dir the hub's keys
 * (hub.cert, hub.cert_secret, hub.sign_secret), hub.conf, an empty key
 * directory keys/, the console CA console-ca/, and the registry and
 * calendar as copies unless installed under /usr/share/lianxi (then
 * hub.conf names those).  The hub listens on tcp://bind:port (units) and
 * port + 1 (control); port 0 is "*", chosen at start.  Nothing of a unit
 * or an operator.  The caller has checked dir is empty (or forced).
 * Returns 0, or -1 after logging. */
int provision_hub(const char *dir, const char *bind, int port, const char *county);

/* One unit's machine (lianxi unit-setup): in dir the unit's keys (UNIT.cert,
 * and UNIT.cert_secret and UNIT.sign_secret 0600), a copy of hub_cert as
 * hub.cert, adapter.conf naming endpoint, and drop/ done/ notices/
 * rejected/.  The caller has checked unit, endpoint and hub_cert.  Returns
 * 0, or -1 after logging. */
int provision_unit(const char *dir, const char *unit, const char *endpoint, const char *hub_cert);

/* 1 when dir is missing or empty, 0 when it holds something, -1 when it
 * cannot be read (errno set). */
int provision_dir_empty(const char *dir);

/* The directory holding categories.tsv and calendar/, or NULL. */
const char *provision_datadir(void);

#endif
