#pragma once
// The real `haven` binary as a child process, for fault drills: start it, signal it (SIGKILL
// mid-session, SIGHUP, SIGTERM), wait for it to exit, read its memory use and its log.
// stdout and stderr go to one log file so a failing test can show what the daemon said.

#include <chrono>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "spawned_process.hpp"

namespace haven::test {

class DaemonProcess {
  public:
    // Starts `binary args...`; throws when it cannot be spawned. Output is appended to
    // `log_file`, so a restarted daemon's log follows its predecessor's. `extra_env`
    // ("NAME=value") is added to this process's environment for the child only.
    DaemonProcess(const std::filesystem::path& binary, std::vector<std::string> args,
                  std::filesystem::path log_file, std::vector<std::string> extra_env = {});
    ~DaemonProcess();  // SIGKILLs and reaps a daemon still running
    DaemonProcess(const DaemonProcess&) = delete;
    DaemonProcess& operator=(const DaemonProcess&) = delete;

    pid_t pid() const { return process_.pid(); }
    bool running() { return process_.running(); }  // false once it has exited (reaps it)
    void signal(int signal_number) { process_.signal(signal_number); }
    // SIGKILL and reap: the daemon vanishes with no chance to clean up.
    void kill_hard() { process_.kill_hard(); }

    // The exit code (128 + N for death by signal N), or nothing if it is still running when
    // the timeout passes.
    std::optional<int> wait_exit(std::chrono::milliseconds timeout) {
        return process_.wait_exit(timeout);
    }

    // Resident set size from /proc/<pid>/status (VmRSS), in KiB; 0 when unavailable.
    long rss_kib() const;
    std::string log() const { return process_.log(); }

  private:
    SpawnedProcess process_;
};

// Runs `binary args...` to completion and returns its stdout (throws on a non-zero exit).
std::string run_to_completion(const std::filesystem::path& binary,
                              const std::vector<std::string>& args);

}  // namespace haven::test
