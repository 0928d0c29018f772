#include "child_process.hpp"

#include <fcntl.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <csignal>
#include <cstdio>
#include <stdexcept>

extern char** environ;

namespace haven::bench {

ChildProcess::ChildProcess(const std::vector<std::string>& argv, const std::string& log_file,
                           std::string marker)
    : marker_(std::move(marker)) {
    int fds[2];
    if (pipe2(fds, O_CLOEXEC) != 0) throw std::runtime_error("pipe failed");
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_adddup2(&actions, fds[1], 1);
    posix_spawn_file_actions_adddup2(&actions, fds[1], 2);
    std::vector<char*> args;
    for (const auto& a : argv)
        args.push_back(const_cast<char*>(a.c_str()));
    args.push_back(nullptr);
    started_ = Clock::now();
    const int rc = posix_spawn(&pid_, args[0], &actions, nullptr, args.data(), environ);
    posix_spawn_file_actions_destroy(&actions);
    close(fds[1]);
    if (rc != 0) {
        close(fds[0]);
        throw std::runtime_error("cannot start " + argv[0]);
    }
    reader_ = std::thread([this, fd = fds[0], log_file] { read_output(fd, log_file); });
}

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
    if (reaped_ || pid_ <= 0) return status_;
    kill(pid_, SIGTERM);
    for (int i = 0; i < 500; ++i) {
        if (waitpid(pid_, &status_, WNOHANG) == pid_) {
            reaped_ = true;
            return status_;
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    kill(pid_, SIGKILL);
    waitpid(pid_, &status_, 0);
    reaped_ = true;
    return status_;
}

}  // namespace haven::bench
