#ifndef MTOBS_CLIBGIT2_SHIM_H
#define MTOBS_CLIBGIT2_SHIM_H
#include <git2.h>

/// git_libgit2_opts is C-variadic, which Swift cannot call; this fixes its arguments.
/// Turns libgit2's owner check (the "safe.directory" rule that rejects repositories owned by
/// another user) on or off. mtobs turns it off only around read-only metadata reads.
static inline int mtobs_git_set_owner_validation(int enabled) {
  return git_libgit2_opts(GIT_OPT_SET_OWNER_VALIDATION, enabled);
}
#endif
