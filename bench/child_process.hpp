#pragma once
// A child process (the daemon or the floor client) whose merged stdout/stderr is copied to a
// log file while a reader thread notes when a marker line (e.g. "haven ready") first appears.
// Started, signalled and reaped by the tests' SpawnedProcess (tests/support); the output
// comes through its pipe, so the marker is timed when the child writes it.

#include <atomic>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "bench_support.hpp"
#include "spawned_process.hpp"

namespace haven::bench {

class ChildProcess {
  public:
    // Starts argv[0] with argv; throws std::runtime_error if it cannot be started.
    ChildProcess(const std::vector<std::string>& argv, const std::string& log_file,
                 std::string marker = "");
    ~ChildProcess();  // SIGTERM, then SIGKILL after 5 s
    ChildProcess(const ChildProcess&) = delete;
    ChildProcess& operator=(const ChildProcess&) = delete;

    pid_t pid() const { return process_.pid(); }
    Clock::time_point started_at() const { return started_; }
    // When the marker line was read, waiting up to `timeout`; nothing if it never came.
    std::optional<Clock::time_point> wait_for_marker(std::chrono::milliseconds timeout);
    // Stops the process; returns its exit code (128 + N after death by signal N).
    int stop();

  private:
    void read_output(int fd, std::string log_file);

    Clock::time_point started_;
    std::string marker_;
    test::SpawnedProcess process_;
    std::thread reader_;
    std::mutex mutex_;
    std::optional<Clock::time_point> marker_at_;
    std::atomic<bool> eof_{false};
};

}  // namespace haven::bench
