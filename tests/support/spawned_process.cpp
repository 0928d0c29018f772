#include "spawned_process.hpp"

#include <fcntl.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <csignal>
#include <cstring>
#include <fstream>
#include <sstream>
#include <stdexcept>
#include <thread>
#include <utility>

extern char** environ;

namespace haven::test {
namespace {

std::vector<char*> pointers_to(std::vector<std::string>& strings) {
    std::vector<char*> pointers;
    for (auto& s : strings)
        pointers.push_back(s.data());
    return pointers;
}

// Puts `path` (opened with `flags`) on `target`. Async-signal-safe: runs after fork.
bool open_onto(int target, const char* path, int flags) {
    const int fd = ::open(path, flags, 0644);
    if (fd < 0) return false;
    if (fd == target) return true;
    const bool ok = ::dup2(fd, target) == target;
    ::close(fd);
    return ok;
}

// The child between fork and exec: only async-signal-safe calls. It dies with the thread
// that started it (PR_SET_PDEATHSIG), even when the test is killed or aborts; if that
// thread is gone already, the child is no longer the parent's and gives up. An exec error
// goes back through `report` (close-on-exec: end of file means the exec worked).
[[noreturn]] void become_child(pid_t parent, char* const* args, char* const* env, const char* log,
                               SpawnOptions::Pipe pipe, int pipe_write, int report) {
    int error = 0;
    const auto fail = [&] {
        error = errno != 0 ? errno : ECHILD;  // ECHILD: the parent had gone
        (void)!::write(report, &error, sizeof error);
        ::_exit(127);
    };
    if (::prctl(PR_SET_PDEATHSIG, SIGKILL) != 0 || ::getppid() != parent) fail();
    if (!open_onto(STDIN_FILENO, "/dev/null", O_RDONLY)) fail();
    constexpr int kLogFlags = O_WRONLY | O_CREAT | O_APPEND;
    if (pipe != SpawnOptions::Pipe::none) {
        if (::dup2(pipe_write, STDOUT_FILENO) != STDOUT_FILENO) fail();
    } else if (!open_onto(STDOUT_FILENO, log, kLogFlags)) {
        fail();
    }
    if (pipe == SpawnOptions::Pipe::stdout_only) {
        if (!open_onto(STDERR_FILENO, log, kLogFlags)) fail();
    } else if (::dup2(STDOUT_FILENO, STDERR_FILENO) != STDERR_FILENO) {
        fail();
    }
    // The signal mask and dispositions a test may have changed are not the child's.
    sigset_t none;
    sigemptyset(&none);
    ::sigprocmask(SIG_SETMASK, &none, nullptr);
    ::execvpe(args[0], args, env);
    fail();
    ::_exit(127);
}

}  // namespace

int exit_code_of(int wait_status) {
    if (WIFEXITED(wait_status)) return WEXITSTATUS(wait_status);
    if (WIFSIGNALED(wait_status)) return 128 + WTERMSIG(wait_status);
    return -1;
}

SpawnedProcess::SpawnedProcess(std::vector<std::string> argv, SpawnOptions options)
    : log_file_(std::move(options.log_file)) {
    if (argv.empty()) throw std::invalid_argument("SpawnedProcess: empty argv");
    auto args = pointers_to(argv);
    args.push_back(nullptr);
    auto env = pointers_to(options.extra_env);
    for (char** e = environ; *e != nullptr; ++e)
        env.push_back(*e);
    env.push_back(nullptr);

    const auto log = log_file_.empty() ? std::filesystem::path("/dev/null") : log_file_;
    int pipe_ends[2] = {-1, -1};
    if (options.pipe != SpawnOptions::Pipe::none && ::pipe2(pipe_ends, O_CLOEXEC) != 0)
        throw std::runtime_error("pipe2 failed");
    int report[2] = {-1, -1};
    if (::pipe2(report, O_CLOEXEC) != 0) throw std::runtime_error("pipe2 failed");
    const pid_t parent = ::getpid();
    pid_ = ::fork();
    if (pid_ == 0) {
        become_child(parent, args.data(), env.data(), log.c_str(), options.pipe, pipe_ends[1],
                     report[1]);
    }
    const int fork_error = errno;
    ::close(report[1]);
    if (pipe_ends[1] >= 0) ::close(pipe_ends[1]);
    int exec_error = pid_ < 0 ? fork_error : 0;
    if (pid_ > 0) {
        while (::read(report[0], &exec_error, sizeof exec_error) < 0 && errno == EINTR) {
        }
    }
    ::close(report[0]);
    if (exec_error != 0) {
        if (pid_ > 0) ::waitpid(pid_, nullptr, 0);
        if (pipe_ends[0] >= 0) ::close(pipe_ends[0]);
        pid_ = -1;
        throw std::runtime_error("cannot start " + argv[0] + ": " + std::strerror(exec_error));
    }
    output_fd_ = pipe_ends[0];
}

SpawnedProcess::~SpawnedProcess() {
    kill_hard();
    if (output_fd_ >= 0) ::close(output_fd_);
}

void SpawnedProcess::reaped(int wait_status) {
    exit_code_ = exit_code_of(wait_status);
}

bool SpawnedProcess::running() {
    if (exit_code_) return false;
    int status = 0;
    const pid_t waited = ::waitpid(pid_, &status, WNOHANG);
    if (waited == pid_) {
        reaped(status);
        return false;
    }
    if (waited < 0 && errno == ECHILD) {  // reaped by someone else: gone all the same
        exit_code_ = -1;
        return false;
    }
    return true;
}

void SpawnedProcess::signal(int signal_number) {
    // Until it is reaped the pid stays ours, even if the child has exited already. Never
    // kill(-1): that would signal every process this user may signal.
    if (!exit_code_ && pid_ > 0) ::kill(pid_, signal_number);
}

std::optional<int> SpawnedProcess::wait_exit(std::chrono::milliseconds timeout) {
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    while (running()) {
        if (std::chrono::steady_clock::now() >= deadline) return std::nullopt;
        std::this_thread::sleep_for(std::chrono::milliseconds{5});
    }
    return exit_code_;
}

int SpawnedProcess::wait_exit() {
    if (exit_code_) return *exit_code_;
    int status = 0;
    while (::waitpid(pid_, &status, 0) != pid_) {
        if (errno == EINTR) continue;
        exit_code_ = -1;  // not ours to reap (ECHILD): nothing left to wait for
        return *exit_code_;
    }
    reaped(status);
    return *exit_code_;
}

int SpawnedProcess::kill_hard() {
    signal(SIGKILL);
    return wait_exit();
}

int SpawnedProcess::terminate(std::chrono::milliseconds grace) {
    signal(SIGTERM);
    if (auto code = wait_exit(grace)) return *code;
    return kill_hard();
}

int SpawnedProcess::take_output() {
    return std::exchange(output_fd_, -1);
}

std::string SpawnedProcess::log() const {
    std::ifstream in{log_file_};
    std::stringstream text;
    text << in.rdbuf();
    return text.str();
}

}  // namespace haven::test
