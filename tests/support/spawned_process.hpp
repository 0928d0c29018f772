#pragma once
// The one way tests and benchmarks start a child process (mosquitto, jackd, `haven run`, a
// floor client): argv, extra environment, stdout and stderr together in a log file (or a pipe
// for a caller that must see each line as it is written), signals, a wait with a timeout,
// and a destructor that SIGKILLs and reaps whatever is still running, so a failing test
// leaves no process behind.
//
// The child stays in the test's process group: a ctest run interrupted with Ctrl-C takes
// its brokers and servers with it. And it dies with the thread that started it
// (PR_SET_PDEATHSIG, SIGKILL): a test that aborts, segfaults or is SIGKILLed leaves no
// jackd or mosquitto behind. So start long-lived servers from a thread that outlives them
// (the test's own). Its stdin is /dev/null.
//
// Not thread-safe: one thread owns a SpawnedProcess.

#include <sys/types.h>

#include <chrono>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

namespace haven::test {

struct SpawnOptions {
    // "NAME=value", ahead of this process's environment (getenv() takes the first of a name).
    std::vector<std::string> extra_env;
    // stdout and stderr are appended to this file (created if missing); empty: /dev/null.
    std::filesystem::path log_file;
    // What goes into a pipe, read through take_output(), instead of the log file.
    enum class Pipe { none, stdout_only, stdout_and_stderr };
    Pipe pipe = Pipe::none;
};

class SpawnedProcess {
  public:
    // Starts argv[0] (looked up in PATH when it has no '/'); throws std::runtime_error when
    // it cannot be started.
    explicit SpawnedProcess(std::vector<std::string> argv, SpawnOptions options = {});
    ~SpawnedProcess();  // SIGKILLs and reaps a child still running
    SpawnedProcess(const SpawnedProcess&) = delete;
    SpawnedProcess& operator=(const SpawnedProcess&) = delete;

    pid_t pid() const { return pid_; }  // still the child's pid after it was reaped
    bool running();                     // false once it has exited (reaps it)
    // The exit code once reaped: its status, or 128 + N after death by signal N.
    std::optional<int> exit_code() const { return exit_code_; }

    void signal(int signal_number);  // nothing once reaped
    // The exit code, or nothing if it is still running when the timeout passes.
    std::optional<int> wait_exit(std::chrono::milliseconds timeout);
    int wait_exit();  // as long as it takes
    int kill_hard();  // SIGKILL and reap: no chance to clean up
    // SIGTERM, and SIGKILL if it has not exited after `grace`.
    int terminate(std::chrono::milliseconds grace);

    // With a pipe: its read end, which the caller now reads and closes
    // (-1 when taken already or not piped). End of file once the child and everything
    // it started have exited.
    int take_output();
    const std::filesystem::path& log_file() const { return log_file_; }
    std::string log() const;  // the log file's text so far

  private:
    void reaped(int wait_status);

    pid_t pid_ = -1;
    std::optional<int> exit_code_;
    std::filesystem::path log_file_;
    int output_fd_ = -1;
};

// 128 + N for death by signal N, as a shell reports it.
int exit_code_of(int wait_status);

}  // namespace haven::test
