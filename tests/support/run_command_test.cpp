// run_command against real /bin/sh commands: stdout and stderr apart, exit codes, arguments
// passed as they are, and a hanging command killed at its timeout.
#include "run_command.hpp"

#include <gtest/gtest.h>

#include <stdexcept>

namespace haven::test {
namespace {

using namespace std::chrono_literals;

TEST(RunCommand, SeparatesStdoutFromStderrAndReportsTheExitCode) {
    const auto result = run_command({"/bin/sh", "-c", "echo out; echo err >&2; exit 4"});
    EXPECT_EQ(result.exit_code, 4);
    EXPECT_EQ(result.out, "out\n");
    EXPECT_EQ(result.err, "err\n");
}

TEST(RunCommand, PassesArgumentsWithoutAShell) {
    const auto result = run_command({"printf", "%s|", "it's", "a b", "$HOME"});
    EXPECT_EQ(result.exit_code, 0);
    EXPECT_EQ(result.out, "it's|a b|$HOME|");
}

TEST(RunCommand, KillsACommandThatOutlivesItsTimeout) {
    const auto start = std::chrono::steady_clock::now();
    EXPECT_THROW(run_command({"sleep", "30"}, 300ms), std::runtime_error);
    EXPECT_LT(std::chrono::steady_clock::now() - start, 5s);
}

TEST(RunCommand, ThrowsWhenTheCommandDoesNotExist) {
    EXPECT_THROW(run_command({"haven-no-such-command"}), std::runtime_error);
}

}  // namespace
}  // namespace haven::test
