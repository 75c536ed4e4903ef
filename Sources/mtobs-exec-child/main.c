// The parent-death exec helper as its own tiny executable: `mtobs-exec-child --mtobs-exec-child
// PARENT PROGRAM ARGS…` does what the mtobs binary does when started that way (CExecChild), in
// about a millisecond instead of the ten it takes to start the whole mtobs binary again.
#include "exec_child.h"

#include <stdio.h>

int main(int argc, char **argv) {
    mtobs_exec_child_main(argc, argv);
    fprintf(stderr, "usage: mtobs-exec-child %s PARENT_PID PROGRAM [ARGUMENTS...] (started by mtobs)\n",
            mtobs_exec_child_marker());
    return 64;
}
