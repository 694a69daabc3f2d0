#pragma once
// The processes of one run: MPI ranks, when the program was launched by mpirun or srun and
// built with MPI; otherwise one process, rank 0 of 1, exactly as without MPI.
//
// Every rank runs the same command on the same inputs in step. Each simulates its share of the
// replications (the runner's), rank 0 gathers them and alone writes files and prints; the
// other ranks' standard output and error go to /dev/null once the ranks have started, except
// for what `fatal` says. Collective calls (gather_to_root, root_says, end_together) must be
// made by every rank in the same order.

#include <string>
#include <vector>

namespace parallel {

// Starts MPI if this process is one of several ranks (else does nothing), silences the output
// of ranks other than 0, and stops MPI at exit. Call first thing in main.
void start_ranks(int& argc, char**& argv);

int rank();
int rank_count();
inline bool is_root() {
    return rank() == 0;
}

// Every rank's bytes, at rank 0 in rank order (element k from rank k); elsewhere empty. Any
// size (sent in pieces below MPI's 2 GB message limit).
std::vector<std::string> gather_to_root(const std::string& mine);

// Rank 0's bytes (its `mine`), on every rank.
std::string root_says(const std::string& mine);

// A rank that cannot go on in step with the others: writes "trialtwin (rank K of N): what" to
// the process's original standard error and ends every rank with `exit_code` (MPI_Abort). One
// process: writes "trialtwin: what" and exits.
[[noreturn]] void fatal(const std::string& what, int exit_code);

}  // namespace parallel
