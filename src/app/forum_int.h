/* What the forum's use cases (forum.c) and the restoring of an export
 * (forum_import.c) share. */
#ifndef CDG_APP_FORUM_INT_H
#define CDG_APP_FORUM_INT_H

/* The stakeholder groups an organisation belongs to, NULL-terminated. */
extern const char *const forum_groups[];

#endif
