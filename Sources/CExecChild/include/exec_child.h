#ifndef MTOBS_EXEC_CHILD_H
#define MTOBS_EXEC_CHILD_H

/// The argument that turns a process started from the mtobs binary into the exec helper:
/// `BINARY --mtobs-exec-child PARENT_PID PROGRAM [ARGUMENTS…]`.
const char *mtobs_exec_child_marker(void);

/// 1 when this binary carries the helper (Linux with glibc), 0 when children must be started directly.
int mtobs_exec_child_available(void);

/// Sets the death signal and execs PROGRAM when `argv` is `ANY --mtobs-exec-child PARENT_PID
/// PROGRAM [ARGUMENTS…]`; returns when it is not (and does nothing where the helper is unavailable).
void mtobs_exec_child_main(int argc, char **argv);

/// The signal a child receives when the thread that started it ends.
int mtobs_exec_child_death_signal(void);

#endif
