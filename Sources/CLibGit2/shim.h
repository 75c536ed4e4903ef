#ifndef MTOBS_CLIBGIT2_SHIM_H
#define MTOBS_CLIBGIT2_SHIM_H
// The system's git2.h; on macOS, Homebrew's prefixes, which the compiler does not search itself.
#if __has_include(<git2.h>)
#include <git2.h>
#elif __has_include("/opt/homebrew/include/git2.h")
#include "/opt/homebrew/include/git2.h"
#elif __has_include("/usr/local/include/git2.h")
#include "/usr/local/include/git2.h"
#else
#error "git2.h not found: install libgit2's headers (Debian/Ubuntu: apt install libgit2-dev; macOS: brew install libgit2)"
#endif

/// git_libgit2_opts is C-variadic, which Swift can neither call nor hold as a typed function
/// pointer; this calls the address mtobs looked up (`opts`) with fixed arguments.
/// Turns libgit2's owner check (the "safe.directory" rule that rejects repositories owned by
/// another user) on or off. mtobs turns it off only around read-only metadata reads.
static inline int mtobs_git_set_owner_validation(void *opts, int enabled) {
  return ((int (*)(int, ...))opts)(GIT_OPT_SET_OWNER_VALIDATION, enabled);
}
#endif
