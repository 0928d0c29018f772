#include "child_process.hpp"

#include <unistd.h>

#include <cstdio>

namespace haven::bench {

ChildProcess::ChildProcess(const std::vector<std::string>& argv, const std::string& log_file,
                           std::string marker)
    : started_(Clock::now()),
      marker_(std::move(marker)),
      process_(argv, {.pipe = test::SpawnOptions::Pipe::stdout_and_stderr}),
      reader_([this, fd = process_.take_output(), log_file] { read_output(fd, log_file); }) {}

ChildProcess::~ChildProcess() {
    stop();
    if (reader_.joinable()) reader_.join();
}

void ChildProcess::read_output(int fd, std::string log_file) {
    FILE* log = std::fopen(log_file.c_str(), "a");
    std::string pending;
    char buffer[4096];
    ssize_t n;
    while ((n = read(fd, buffer, sizeof buffer)) > 0) {
        const auto at = Clock::now();
        if (log) std::fwrite(buffer, 1, static_cast<std::size_t>(n), log);
        pending.append(buffer, static_cast<std::size_t>(n));
        if (!marker_.empty() && pending.find(marker_) != std::string::npos) {
            std::lock_guard lock(mutex_);
            if (!marker_at_) marker_at_ = at;
        }
        // Keep only the unfinished line so a marker split across reads is still found.
        if (auto nl = pending.rfind('\n'); nl != std::string::npos) pending.erase(0, nl + 1);
    }
    if (log) std::fclose(log);
    close(fd);
    eof_ = true;
}

std::optional<Clock::time_point> ChildProcess::wait_for_marker(std::chrono::milliseconds timeout) {
    const auto deadline = Clock::now() + timeout;
    while (Clock::now() < deadline) {
        {
            std::lock_guard lock(mutex_);
            if (marker_at_) return marker_at_;
        }
        if (eof_) break;
        std::this_thread::sleep_for(std::chrono::microseconds(200));
    }
    std::lock_guard lock(mutex_);
    return marker_at_;
}

int ChildProcess::stop() {
    return process_.terminate(std::chrono::seconds(5));
}

}  // namespace haven::bench
