#ifndef MTOBS_CLIBGIT2_SHIM_H
#define MTOBS_CLIBGIT2_SHIM_H
#include <git2.h>

/// git_libgit2_opts is C-variadic, which Swift cannot call; this fixes its arguments.
/// Turns off libgit2's owner check (the "safe.directory" rule that rejects repositories owned by
/// another user). Only the build-time metadata reader calls it; mtobs itself keeps the check.
static inline int mtobs_git_disable_owner_validation(void) {
  return git_libgit2_opts(GIT_OPT_SET_OWNER_VALIDATION, 0);
}
#endif
