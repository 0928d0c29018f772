#include "daemon_process.hpp"

#include <fcntl.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <array>
#include <csignal>
#include <cstdio>
#include <fstream>
#include <sstream>
#include <stdexcept>
#include <thread>

extern char** environ;

namespace haven::test {
namespace {

int exit_code_of(int status) {
    if (WIFEXITED(status)) return WEXITSTATUS(status);
    if (WIFSIGNALED(status)) return 128 + WTERMSIG(status);
    return -1;
}

std::vector<char*> argv_of(const std::filesystem::path& binary, std::vector<std::string>& args) {
    args.insert(args.begin(), binary.string());
    std::vector<char*> argv;
    for (auto& arg : args)
        argv.push_back(arg.data());
    argv.push_back(nullptr);
    return argv;
}

}  // namespace

DaemonProcess::DaemonProcess(const std::filesystem::path& binary, std::vector<std::string> args,
                             std::filesystem::path log_file, std::vector<std::string> extra_env)
    : log_file_(std::move(log_file)) {
    auto argv = argv_of(binary, args);
    // The extra variables come first: getenv() takes the first of a name.
    std::vector<char*> envp;
    for (auto& e : extra_env)
        envp.push_back(e.data());
    for (char** e = environ; *e != nullptr; ++e)
        envp.push_back(*e);
    envp.push_back(nullptr);
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_addopen(&actions, STDIN_FILENO, "/dev/null", O_RDONLY, 0);
    posix_spawn_file_actions_addopen(&actions, STDOUT_FILENO, log_file_.c_str(),
                                     O_WRONLY | O_CREAT | O_APPEND, 0644);
    posix_spawn_file_actions_adddup2(&actions, STDOUT_FILENO, STDERR_FILENO);
    const int rc = posix_spawn(&pid_, argv[0], &actions, nullptr, argv.data(), envp.data());
    posix_spawn_file_actions_destroy(&actions);
    if (rc != 0) {
        pid_ = -1;
        throw std::runtime_error("cannot start " + binary.string() + ": " + std::to_string(rc));
    }
}

DaemonProcess::~DaemonProcess() {
    if (pid_ > 0 && !exit_code_) kill_hard();
}

bool DaemonProcess::running() {
    if (exit_code_) return false;
    int status = 0;
    if (::waitpid(pid_, &status, WNOHANG) == pid_) {
        exit_code_ = exit_code_of(status);
        return false;
    }
    return true;
}

void DaemonProcess::signal(int signal_number) {
    if (running()) ::kill(pid_, signal_number);
}

void DaemonProcess::kill_hard() {
    if (exit_code_) return;
    ::kill(pid_, SIGKILL);
    int status = 0;
    if (::waitpid(pid_, &status, 0) == pid_) exit_code_ = exit_code_of(status);
}

std::optional<int> DaemonProcess::wait_exit(std::chrono::milliseconds timeout) {
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    while (running()) {
        if (std::chrono::steady_clock::now() >= deadline) return std::nullopt;
        std::this_thread::sleep_for(std::chrono::milliseconds{10});
    }
    return exit_code_;
}

long DaemonProcess::rss_kib() const {
    std::ifstream status{"/proc/" + std::to_string(pid_) + "/status"};
    std::string line;
    while (std::getline(status, line)) {
        if (line.starts_with("VmRSS:")) return std::stol(line.substr(6));
    }
    return 0;
}

std::string DaemonProcess::log() const {
    std::ifstream in{log_file_};
    std::stringstream text;
    text << in.rdbuf();
    return text.str();
}

std::string run_to_completion(const std::filesystem::path& binary,
                              const std::vector<std::string>& args) {
    std::string command = binary.string();
    for (const auto& arg : args)
        command += " '" + arg + "'";  // test-made arguments: no quotes inside
    FILE* pipe = ::popen(command.c_str(), "r");
    if (pipe == nullptr) throw std::runtime_error("cannot run " + command);
    std::string out;
    std::array<char, 4096> buffer{};
    while (auto n = std::fread(buffer.data(), 1, buffer.size(), pipe))
        out.append(buffer.data(), n);
    const int status = ::pclose(pipe);
    if (status != 0)
        throw std::runtime_error(command + " failed (" + std::to_string(status) + "): " + out);
    return out;
}

}  // namespace haven::test
