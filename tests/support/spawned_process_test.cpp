// SpawnedProcess against real /bin/sh children: exit codes, death by signal, timeouts, the
// log file, the pipe, and that nothing outlives the object.
#include "spawned_process.hpp"

#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <csignal>
#include <memory>
#include <stdexcept>
#include <thread>

#include "temp_dir.hpp"

namespace haven::test {
namespace {

using namespace std::chrono_literals;

SpawnedProcess shell(const std::string& script, SpawnOptions options = {}) {
    return SpawnedProcess({"/bin/sh", "-c", script}, std::move(options));
}

// After reaping, the pid is no child of ours (a zombie would still be one).
bool reaped(pid_t pid) {
    return ::waitpid(pid, nullptr, WNOHANG) == -1 && errno == ECHILD;
}

TEST(SpawnedProcess, ReportsTheExitStatus) {
    struct Case {
        const char* script;
        int code;
    };
    for (const Case& c : {Case{"exit 0", 0}, Case{"exit 3", 3}, Case{"exit 255", 255}}) {
        auto child = shell(c.script);
        EXPECT_EQ(child.wait_exit(5s), c.code) << c.script;
        EXPECT_FALSE(child.running()) << c.script;
        EXPECT_EQ(child.exit_code(), c.code) << c.script;
        EXPECT_TRUE(reaped(child.pid())) << c.script;
    }
}

TEST(SpawnedProcess, DeathBySignalIs128PlusTheSignal) {
    auto self_terminated = shell("kill -TERM $$; sleep 5");
    EXPECT_EQ(self_terminated.wait_exit(5s), 128 + SIGTERM);

    auto killed = shell("exec sleep 30");
    killed.signal(SIGKILL);
    EXPECT_EQ(killed.wait_exit(5s), 128 + SIGKILL);
}

TEST(SpawnedProcess, WaitGivesUpAfterTheTimeoutAndLeavesTheChildRunning) {
    auto child = shell("exec sleep 30");
    const auto start = std::chrono::steady_clock::now();
    EXPECT_EQ(child.wait_exit(200ms), std::nullopt);
    EXPECT_GE(std::chrono::steady_clock::now() - start, 200ms);
    EXPECT_TRUE(child.running());
    EXPECT_EQ(::kill(child.pid(), 0), 0);
    EXPECT_EQ(child.exit_code(), std::nullopt);
    EXPECT_EQ(child.kill_hard(), 128 + SIGKILL);
}

TEST(SpawnedProcess, TerminateEscalatesToSigkillWhenSigtermIsIgnored) {
    auto polite = shell("exec sleep 30");
    EXPECT_EQ(polite.terminate(5s), 128 + SIGTERM);

    // An ignored signal stays ignored across exec: this sleep does not die of SIGTERM.
    auto stubborn = shell("trap '' TERM; exec sleep 30");
    std::this_thread::sleep_for(100ms);  // the trap is set before sleep starts
    const auto start = std::chrono::steady_clock::now();
    EXPECT_EQ(stubborn.terminate(300ms), 128 + SIGKILL);
    EXPECT_GE(std::chrono::steady_clock::now() - start, 300ms);
}

TEST(SpawnedProcess, AppendsStdoutAndStderrToTheLogFile) {
    TempDir dir("spawn-test");
    const auto log = dir / "child.log";
    auto first = shell("echo out; echo err >&2; exit 0", {.log_file = log});
    ASSERT_EQ(first.wait_exit(5s), 0);
    auto second = shell("echo again", {.log_file = log});
    ASSERT_EQ(second.wait_exit(5s), 0);
    EXPECT_EQ(second.log(), "out\nerr\nagain\n");
    EXPECT_EQ(second.log_file(), log);
}

TEST(SpawnedProcess, AddsExtraEnvironmentAndKeepsTheRest) {
    TempDir dir("spawn-test");
    ::setenv("HAVEN_SPAWN_TEST_INHERITED", "kept", 1);
    auto child = shell("echo \"$HAVEN_SPAWN_TEST_EXTRA $HAVEN_SPAWN_TEST_INHERITED\"",
                       {.extra_env = {"HAVEN_SPAWN_TEST_EXTRA=added"}, .log_file = dir / "log"});
    ASSERT_EQ(child.wait_exit(5s), 0);
    ::unsetenv("HAVEN_SPAWN_TEST_INHERITED");
    EXPECT_EQ(child.log(), "added kept\n");
}

std::string read_all_and_close(int fd) {
    std::string text;
    char buffer[256];
    for (ssize_t n; (n = ::read(fd, buffer, sizeof buffer)) > 0;)
        text.append(buffer, static_cast<std::size_t>(n));
    ::close(fd);
    return text;
}

TEST(SpawnedProcess, PipesOutputToTheCallerWhenAsked) {
    auto child = shell("echo out; echo err >&2", {.pipe = SpawnOptions::Pipe::stdout_and_stderr});
    const int fd = child.take_output();
    ASSERT_GE(fd, 0);
    EXPECT_EQ(child.take_output(), -1);  // handed over once
    EXPECT_EQ(read_all_and_close(fd), "out\nerr\n");
    EXPECT_EQ(child.wait_exit(5s), 0);
}

TEST(SpawnedProcess, PipesStdoutAloneWithStderrInTheLog) {
    TempDir dir("spawn-test");
    auto child = shell("echo out; echo err >&2",
                       {.log_file = dir / "log", .pipe = SpawnOptions::Pipe::stdout_only});
    EXPECT_EQ(read_all_and_close(child.take_output()), "out\n");
    EXPECT_EQ(child.wait_exit(5s), 0);
    EXPECT_EQ(child.log(), "err\n");
}

TEST(SpawnedProcess, WithoutAPipeThereIsNoOutputToTake) {
    auto child = shell("exit 0");
    EXPECT_EQ(child.take_output(), -1);
}

TEST(SpawnedProcess, StdinIsEmptyNotTheTests) {
    // This test's stdin holds a line for a moment; the child must not see it.
    int pipe_ends[2];
    ASSERT_EQ(::pipe(pipe_ends), 0);
    ASSERT_EQ(::write(pipe_ends[1], "leaked\n", 7), 7);
    ::close(pipe_ends[1]);
    const int saved_stdin = ::dup(STDIN_FILENO);
    ::dup2(pipe_ends[0], STDIN_FILENO);
    ::close(pipe_ends[0]);
    TempDir dir("spawn-test");
    auto child = shell("cat; echo end", {.log_file = dir / "log"});
    ::dup2(saved_stdin, STDIN_FILENO);
    ::close(saved_stdin);
    ASSERT_EQ(child.wait_exit(5s), 0);
    EXPECT_EQ(child.log(), "end\n");
}

TEST(SpawnedProcess, TheDestructorKillsAndReapsARunningChild) {
    auto child = std::make_unique<SpawnedProcess>(std::vector<std::string>{"sleep", "30"});
    const pid_t pid = child->pid();
    ASSERT_EQ(::kill(pid, 0), 0);
    child.reset();
    EXPECT_TRUE(reaped(pid));
    EXPECT_EQ(::kill(pid, 0), -1);
}

// A test that aborts runs no destructor: its servers must die with it all the same.
TEST(SpawnedProcess, TheChildDiesWithATestThatAborts) {
    int pid_pipe[2];
    ASSERT_EQ(::pipe(pid_pipe), 0);
    const pid_t test = ::fork();
    ASSERT_GE(test, 0);
    if (test == 0) {  // the "test": starts a server, says its pid, and aborts
        SpawnedProcess server({"sleep", "60"});
        const pid_t pid = server.pid();
        (void)!::write(pid_pipe[1], &pid, sizeof pid);
        std::signal(SIGABRT, SIG_DFL);
        std::abort();
    }
    ::close(pid_pipe[1]);
    pid_t server = -1;
    ASSERT_EQ(::read(pid_pipe[0], &server, sizeof server), static_cast<ssize_t>(sizeof server));
    ::close(pid_pipe[0]);
    int status = 0;
    ASSERT_EQ(::waitpid(test, &status, 0), test);
    EXPECT_TRUE(WIFSIGNALED(status) && WTERMSIG(status) == SIGABRT);
    // The server was the dead test's child: init reaps it once the kernel has killed it.
    bool gone = false;
    for (int i = 0; i < 200 && !gone; ++i) {
        gone = ::kill(server, 0) != 0 && errno == ESRCH;
        if (!gone) std::this_thread::sleep_for(10ms);
    }
    EXPECT_TRUE(gone) << "sleep " << server << " outlived the test that started it";
    if (!gone) ::kill(server, SIGKILL);
}

TEST(SpawnedProcess, ThrowsWhenTheProgramCannotBeStarted) {
    EXPECT_THROW(SpawnedProcess({"/nonexistent/haven-no-such-binary"}), std::runtime_error);
    EXPECT_THROW(SpawnedProcess({"haven-no-such-binary-in-path"}), std::runtime_error);
}

TEST(ExitCodeOf, MapsWaitStatusesAsAShellDoes) {
    EXPECT_EQ(exit_code_of(0), 0);
    EXPECT_EQ(exit_code_of(7 << 8), 7);               // WIFEXITED, status 7
    EXPECT_EQ(exit_code_of(SIGKILL), 128 + SIGKILL);  // WIFSIGNALED
}

}  // namespace
}  // namespace haven::test
