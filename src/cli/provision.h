/* provision.h — lianxi init (a whole county on one machine) and keygen. */
#ifndef LX_PROVISION_H
#define LX_PROVISION_H

/* Creates a county in dir: hub, nine units, operators, configs.  port 0
 * means ephemeral ports (the hub publishes them in hub/run/).  Returns 0,
 * or -1 after logging. */
int provision_county(const char *dir, int port);

/* The directory holding categories.tsv and calendar/, or NULL. */
const char *provision_datadir(void);

#endif
