#ifndef MTOBS_CLIBGIT2_SHIM_H
#define MTOBS_CLIBGIT2_SHIM_H
#include <git2.h>
#endif
