#pragma once
// A short command run to completion (sqlite3, jack_lsp, `haven report`), its stdout captured:
// a SpawnedProcess, so no shell parses the arguments and a command that hangs is killed.

#include <chrono>
#include <string>
#include <vector>

namespace haven::test {

struct CommandOutput {
    int exit_code = -1;  // 128 + N after death by signal N
    std::string out;     // stdout
    std::string err;     // stderr
};

// Runs `argv` (argv[0] looked up in PATH when it has no '/'); throws std::runtime_error when
// it cannot be started or has not exited within `timeout` (it is killed then).
CommandOutput run_command(std::vector<std::string> argv,
                          std::chrono::milliseconds timeout = std::chrono::seconds(60));

}  // namespace haven::test
