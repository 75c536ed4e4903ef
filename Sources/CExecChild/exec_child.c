// The exec helper that makes every child of mtobs die with it (PR_SET_PDEATHSIG).
//
// swift-subprocess has no pre-exec hook on Linux, and forking in Swift without exec is unsafe, so
// mtobs starts each child as `/proc/self/exe --mtobs-exec-child PARENT PROGRAM ARGS…`. This
// constructor runs in that new process before the Swift runtime does anything: it sets the death
// signal, makes sure the parent is still there, and execs PROGRAM in place (same pid, same process
// group, same descriptors). Being part of the binary itself means there is no second file to
// install, find or lose, and `/proc/self/exe` still works if mtobs is replaced while it runs.
// Starting the whole mtobs binary again costs about 10 ms per child (its relocations), so where
// the tiny `mtobs-exec-child` executable (Sources/mtobs-exec-child, the same code) is installed
// beside it, mtobs uses that instead (ParentDeathSignal.swift).
//
// The death signal is SIGTERM rather than SIGKILL: it reaches only the direct child, and tools
// such as skaffold and helm stop their own children when told to terminate; a SIGKILL would orphan
// them. mtobs's own teardown (TERM, then KILL to the whole group) remains the first line.
#include "exec_child.h"

#include <signal.h>

static const char marker[] = "--mtobs-exec-child";

const char *mtobs_exec_child_marker(void) { return marker; }

int mtobs_exec_child_death_signal(void) { return SIGTERM; }

#if defined(__linux__) && defined(__GLIBC__)

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <unistd.h>

extern char **environ;

int mtobs_exec_child_available(void) { return 1; }

void mtobs_exec_child_main(int argc, char **argv) {
    if (argc < 4 || argv == NULL || argv[1] == NULL || strcmp(argv[1], marker) != 0) {
        return;
    }
    char *end = NULL;
    errno = 0;
    long parent = strtol(argv[2], &end, 10);
    if (errno != 0 || end == argv[2] || *end != '\0' || parent <= 1) {
        fprintf(stderr, "mtobs: %s needs the parent's process id, got '%s'\n", marker, argv[2]);
        _exit(127);
    }
    if (prctl(PR_SET_PDEATHSIG, SIGTERM) != 0) {
        fprintf(stderr, "mtobs: cannot set the parent-death signal: %s\n", strerror(errno));
        _exit(127);
    }
    // mtobs may have ended between the fork and the prctl; then no signal will ever come.
    if (getppid() != (pid_t)parent) {
        raise(SIGTERM);
        _exit(128 + SIGTERM);
    }
    execve(argv[3], &argv[3], environ);
    int error = errno;
    fprintf(stderr, "mtobs: cannot run %s: %s\n", argv[3], strerror(error));
    _exit(error == ENOENT ? 127 : 126);
}

// glibc passes (argc, argv, envp) to the constructors of the main program.
__attribute__((constructor)) static void mtobs_exec_child(int argc, char **argv, char **envp) {
    (void)envp;
    mtobs_exec_child_main(argc, argv);
}

#else

void mtobs_exec_child_main(int argc, char **argv) {
    (void)argc;
    (void)argv;
}

int mtobs_exec_child_available(void) { return 0; }

#endif
