#include "models/parallel/ranks.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <cstdint>
#include <cstdlib>
#include <iostream>

#ifdef TRIALTWIN_WITH_MPI
// MPI's C interface only (Open MPI's header otherwise brings its old C++ bindings along).
#define OMPI_SKIP_MPICXX 1
#define MPICH_SKIP_MPICXX 1
#include <mpi.h>
#endif

namespace parallel {
namespace {

int my_rank = 0;
int ranks = 1;
int original_stderr = STDERR_FILENO;

#ifdef TRIALTWIN_WITH_MPI
bool mpi_started = false;

// Whether a launcher started this process as one of several ranks: Open MPI's mpirun, or a
// PMI/PMIx launcher (Slurm's srun, MPICH's hydra). A program started by hand stays one process
// and never touches MPI (an MPI "singleton" would start helper daemons for nothing).
bool launched_as_rank() {
    for (const char* name : {"OMPI_COMM_WORLD_SIZE", "PMIX_RANK", "PMI_RANK", "PMI_SIZE"}) {
        if (std::getenv(name)) return true;
    }
    return false;
}

// Waits for `request` without spinning a core: a rank that waits (for rank 0 writing the file,
// for a slower rank's share) leaves the machine's cores to the ranks and threads still working.
// (Open MPI's blocking calls poll at full speed; 2 ranks of 1 thread took 20 % longer than 1 of
// 2 threads until they waited this way.)
void wait_politely(MPI_Request& request) {
    for (;;) {
        int done = 0;
        MPI_Test(&request, &done, MPI_STATUS_IGNORE);
        if (done) return;
        ::usleep(200);
    }
}

void stop_mpi() {
    if (!mpi_started) return;
    mpi_started = false;
    // Every rank here before any leaves (MPI_Finalize's own wait would spin).
    MPI_Request all_here;
    MPI_Ibarrier(MPI_COMM_WORLD, &all_here);
    wait_politely(all_here);
    MPI_Finalize();
}

void send(const void* data, int count, MPI_Datatype type, int to, int tag) {
    MPI_Request request;
    MPI_Isend(data, count, type, to, tag, MPI_COMM_WORLD, &request);
    wait_politely(request);
}
void receive(void* data, int count, MPI_Datatype type, int from, int tag) {
    MPI_Request request;
    MPI_Irecv(data, count, type, from, tag, MPI_COMM_WORLD, &request);
    wait_politely(request);
}
void broadcast(void* data, int count, MPI_Datatype type) {
    MPI_Request request;
    MPI_Ibcast(data, count, type, 0, MPI_COMM_WORLD, &request);
    wait_politely(request);
}

// MPI counts in int: bytes go in pieces of at most this.
constexpr std::size_t piece = std::size_t{1} << 30;
constexpr int tag_size = 1;
constexpr int tag_bytes = 2;
#endif

}  // namespace

void start_ranks(int& argc, char**& argv) {
#ifdef TRIALTWIN_WITH_MPI
    if (!launched_as_rank()) return;
    int provided = 0;
    // Only the thread that called main talks to MPI; worker threads simulate.
    if (MPI_Init_thread(&argc, &argv, MPI_THREAD_FUNNELED, &provided) != MPI_SUCCESS) {
        std::cerr << "trialtwin: MPI could not start\n";
        std::exit(1);
    }
    mpi_started = true;
    MPI_Comm_rank(MPI_COMM_WORLD, &my_rank);
    MPI_Comm_size(MPI_COMM_WORLD, &ranks);
    std::atexit(stop_mpi);
    if (my_rank != 0) {
        // Rank 0 speaks for the run; the others keep their standard error for `fatal` only.
        original_stderr = ::dup(STDERR_FILENO);
        const int null = ::open("/dev/null", O_WRONLY);
        if (null >= 0) {
            ::dup2(null, STDOUT_FILENO);
            ::dup2(null, STDERR_FILENO);
            ::close(null);
        }
    }
#else
    (void)argc;
    (void)argv;
#endif
}

int rank() {
    return my_rank;
}
int rank_count() {
    return ranks;
}

std::vector<std::string> gather_to_root(const std::string& mine) {
    std::vector<std::string> all;
    if (ranks == 1) {
        all.push_back(mine);
        return all;
    }
#ifdef TRIALTWIN_WITH_MPI
    if (my_rank != 0) {
        std::uint64_t size = mine.size();
        send(&size, 1, MPI_UINT64_T, 0, tag_size);
        for (std::size_t at = 0; at < mine.size(); at += piece) {
            const int n = static_cast<int>(std::min(piece, mine.size() - at));
            send(mine.data() + at, n, MPI_BYTE, 0, tag_bytes);
        }
        return all;
    }
    all.resize(ranks);
    all[0] = mine;
    for (int from = 1; from < ranks; ++from) {
        std::uint64_t size = 0;
        receive(&size, 1, MPI_UINT64_T, from, tag_size);
        all[from].resize(size);
        for (std::size_t at = 0; at < size; at += piece) {
            const int n = static_cast<int>(std::min<std::size_t>(piece, size - at));
            receive(all[from].data() + at, n, MPI_BYTE, from, tag_bytes);
        }
    }
#endif
    return all;
}

std::string root_says(const std::string& mine) {
    if (ranks == 1) return mine;
    std::string said = my_rank == 0 ? mine : std::string();
#ifdef TRIALTWIN_WITH_MPI
    std::uint64_t size = said.size();
    broadcast(&size, 1, MPI_UINT64_T);
    said.resize(size);
    for (std::size_t at = 0; at < size; at += piece) {
        const int n = static_cast<int>(std::min<std::size_t>(piece, size - at));
        broadcast(said.data() + at, n, MPI_BYTE);
    }
#endif
    return said;
}

void fatal(const std::string& what, int exit_code) {
    std::string line = ranks > 1 ? "trialtwin (rank " + std::to_string(my_rank) + " of " +
                                       std::to_string(ranks) + "): " + what + "\n"
                                 : "trialtwin: " + what + "\n";
    std::cout.flush();
    [[maybe_unused]] const ssize_t written = ::write(original_stderr, line.data(), line.size());
#ifdef TRIALTWIN_WITH_MPI
    if (mpi_started) MPI_Abort(MPI_COMM_WORLD, exit_code);
#endif
    std::_Exit(exit_code);
}

}  // namespace parallel
