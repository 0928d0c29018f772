#include "spawned_process.hpp"

#include <fcntl.h>
#include <spawn.h>
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

// Where stdout and stderr go, as spawn file actions; owns them.
class ChildFiles {
  public:
    ChildFiles() { posix_spawn_file_actions_init(&actions_); }
    ~ChildFiles() { posix_spawn_file_actions_destroy(&actions_); }
    ChildFiles(const ChildFiles&) = delete;
    ChildFiles& operator=(const ChildFiles&) = delete;

    void stdin_from_null() {
        posix_spawn_file_actions_addopen(&actions_, STDIN_FILENO, "/dev/null", O_RDONLY, 0);
    }
    void to_file(int fd, const std::filesystem::path& file) {
        posix_spawn_file_actions_addopen(&actions_, fd, file.c_str(), O_WRONLY | O_CREAT | O_APPEND,
                                         0644);
    }
    void same_as_stdout(int fd) { posix_spawn_file_actions_adddup2(&actions_, STDOUT_FILENO, fd); }
    // Both pipe ends are close-on-exec in this process; dup2 gives the child a plain copy.
    void to_pipe(int fd, int write_end) {
        posix_spawn_file_actions_adddup2(&actions_, write_end, fd);
    }
    const posix_spawn_file_actions_t* get() const { return &actions_; }

  private:
    posix_spawn_file_actions_t actions_;
};

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

    ChildFiles files;
    files.stdin_from_null();
    const auto log = log_file_.empty() ? std::filesystem::path("/dev/null") : log_file_;
    int pipe_ends[2] = {-1, -1};
    if (options.pipe != SpawnOptions::Pipe::none) {
        if (::pipe2(pipe_ends, O_CLOEXEC) != 0) throw std::runtime_error("pipe2 failed");
        files.to_pipe(STDOUT_FILENO, pipe_ends[1]);
    } else {
        files.to_file(STDOUT_FILENO, log);
    }
    if (options.pipe == SpawnOptions::Pipe::stdout_only) {
        files.to_file(STDERR_FILENO, log);
    } else {
        files.same_as_stdout(STDERR_FILENO);
    }
    const int rc = posix_spawnp(&pid_, args[0], files.get(), nullptr, args.data(), env.data());
    if (pipe_ends[1] >= 0) ::close(pipe_ends[1]);
    if (rc != 0) {
        if (pipe_ends[0] >= 0) ::close(pipe_ends[0]);
        pid_ = -1;
        throw std::runtime_error("cannot start " + argv[0] + ": " + std::strerror(rc));
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
