#include "run_command.hpp"

#include <poll.h>
#include <unistd.h>

#include <cerrno>
#include <stdexcept>

#include "spawned_process.hpp"
#include "temp_dir.hpp"

namespace haven::test {
namespace {

using Clock = std::chrono::steady_clock;

// Everything `fd` delivers until end of file; false when `deadline` passes first.
bool read_until_eof(int fd, Clock::time_point deadline, std::string& text) {
    char buffer[4096];
    while (true) {
        const auto left = std::chrono::ceil<std::chrono::milliseconds>(deadline - Clock::now());
        if (left.count() <= 0) return false;
        pollfd ready{.fd = fd, .events = POLLIN, .revents = 0};
        const int n = ::poll(&ready, 1, static_cast<int>(left.count()));
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) return false;
        const ssize_t got = ::read(fd, buffer, sizeof buffer);
        if (got < 0 && errno == EINTR) continue;
        if (got <= 0) return true;
        text.append(buffer, static_cast<std::size_t>(got));
    }
}

}  // namespace

CommandOutput run_command(std::vector<std::string> argv, std::chrono::milliseconds timeout) {
    const auto deadline = Clock::now() + timeout;
    const std::string name = argv.front();
    TempDir dir("command");
    SpawnedProcess command(std::move(argv),
                           {.log_file = dir / "stderr", .pipe = SpawnOptions::Pipe::stdout_only});
    CommandOutput result;
    const int fd = command.take_output();
    const bool complete = read_until_eof(fd, deadline, result.out);
    ::close(fd);
    const auto code = complete ? command.wait_exit(std::chrono::ceil<std::chrono::milliseconds>(
                                     deadline - Clock::now()))
                               : std::nullopt;
    if (!code)
        throw std::runtime_error(name + " did not finish within " +
                                 std::to_string(timeout.count()) + " ms");
    result.exit_code = *code;
    result.err = command.log();
    return result;
}

}  // namespace haven::test
