// SIGTERM ends the real daemon within 2 s whatever its sound server is doing: playing, dead,
// frozen (SIGSTOP), or coming back while the daemon reopens its device. Each state on both
// output paths: "system" (libjack directly) and "default" (PortAudio's default device:
// ALSA through its JACK plugin when libasound2-plugins is installed, else JACK's "system").
// No audio sink process outlives the daemon.
#include <gtest/gtest.h>

#include <csignal>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <ostream>
#include <thread>

#include "jack_dummy_server.hpp"
#include "room_under_test.hpp"

namespace haven::test {
namespace {

using namespace std::chrono_literals;
using Clock = std::chrono::steady_clock;

// The requirement is 2 s; the drill holds the daemon to it on a busy machine, where a
// healthy shutdown takes a few hundred milliseconds.
constexpr auto kShutdownLimit = 2000ms;

enum class ServerState { alive, dead, frozen, restarting };

struct Case {
    std::string output;
    ServerState server;
};

std::string name_of(const Case& c) {
    static const char* states[] = {"Alive", "Dead", "Frozen", "Restarting"};
    return (c.output == "system" ? std::string("System") : std::string("Default")) +
           states[static_cast<int>(c.server)];
}
std::string param_name(const testing::TestParamInfo<Case>& info) {
    return name_of(info.param);
}
void PrintTo(const Case& c, std::ostream* out) {
    *out << name_of(c);
}

JsonTest audio_ok(bool ok) {
    return [=](const Json& s) { return s["audio"].is_object() && s["audio"]["device_ok"] == ok; };
}

// Audio sink processes started by `daemon`: their argv names it as --parent.
int sinks_of(pid_t daemon) {
    int found = 0;
    std::error_code ec;
    for (const auto& entry : std::filesystem::directory_iterator("/proc", ec)) {
        std::ifstream file(entry.path() / "cmdline");
        const std::string cmdline{std::istreambuf_iterator<char>(file), {}};
        const std::string parent = std::string("--parent") + '\0' + std::to_string(daemon) + '\0';
        if (cmdline.find("haven-audio-sink") != std::string::npos &&
            cmdline.find(parent) != std::string::npos)
            ++found;
    }
    return found;
}

class DaemonAudioShutdown : public testing::TestWithParam<Case> {};

TEST_P(DaemonAudioShutdown, SigtermEndsTheDaemonWithinTwoSeconds) {
    JackDummyServer jack;  // sets JACK_DEFAULT_SERVER for the daemon too
    ASSERT_TRUE(jack.ready()) << "jackd (jackd2) did not start";
    RoomOptions options;
    options.audio_output = GetParam().output;
    RoomUnderTest room(options);
    room.start_daemon();
    room.start_session();
    ASSERT_TRUE(room.wait_state(audio_ok(true), 15000ms)) << room.daemon_log();
    const pid_t daemon = room.daemon().pid();
    EXPECT_EQ(sinks_of(daemon), 1) << "one sink plays the device";

    switch (GetParam().server) {
        case ServerState::alive:
            break;
        case ServerState::dead:
            jack.stop(SIGKILL);
            ASSERT_TRUE(room.wait_state(audio_ok(false), 10000ms)) << room.daemon_log();
            break;
        case ServerState::frozen:
            // Lost by its silence after 2 s; the daemon then retries against a frozen server.
            jack.signal(SIGSTOP);
            ASSERT_TRUE(room.wait_state(audio_ok(false), 10000ms)) << room.daemon_log();
            std::this_thread::sleep_for(1500ms);  // a reopen attempt is under way
            break;
        case ServerState::restarting:
            jack.stop(SIGKILL);
            ASSERT_TRUE(room.wait_state(audio_ok(false), 10000ms)) << room.daemon_log();
            ASSERT_TRUE(jack.start());
            std::this_thread::sleep_for(800ms);  // the first retry comes 1 s after the loss
            break;
    }

    const auto asked = Clock::now();
    room.daemon().signal(SIGTERM);
    const auto code = room.daemon().wait_exit(kShutdownLimit);
    const auto took = std::chrono::duration<double>(Clock::now() - asked).count();
    jack.signal(SIGCONT);
    ASSERT_TRUE(code.has_value()) << "still running " << kShutdownLimit.count()
                                  << " ms after SIGTERM\n"
                                  << room.daemon_log();
    EXPECT_EQ(*code, 0) << room.daemon_log();
    std::printf("[ timing ] %s: exit %.3f s after SIGTERM\n", name_of(GetParam()).c_str(), took);
    // The sink dies with the daemon's device thread; the kernel may take a moment.
    for (int i = 0; i < 100 && sinks_of(daemon) > 0; ++i)
        std::this_thread::sleep_for(10ms);
    EXPECT_EQ(sinks_of(daemon), 0) << "an audio sink outlived the daemon";
}

INSTANTIATE_TEST_SUITE_P(
    EveryServerState, DaemonAudioShutdown,
    testing::Values(Case{"system", ServerState::alive}, Case{"system", ServerState::dead},
                    Case{"system", ServerState::frozen}, Case{"system", ServerState::restarting},
                    Case{"default", ServerState::alive}, Case{"default", ServerState::dead},
                    Case{"default", ServerState::frozen}, Case{"default", ServerState::restarting}),
    param_name);

}  // namespace
}  // namespace haven::test
