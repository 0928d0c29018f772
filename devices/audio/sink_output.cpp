// The daemon's side of the audio sink process (see audio_output.hpp for why it exists):
// start `haven-audio-sink` with a fresh shared ring, wait until it plays, keep its ring
// about 0.1 s ahead from a pump thread, and SIGKILL it when it is lost or closed. Nothing
// here calls into PortAudio or libjack, so nothing here can hang on or abort with a dead,
// frozen or restarting sound server.
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <spawn.h>
#include <spdlog/spdlog.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <thread>
#include <vector>

#include "audio_output.hpp"
#include "output_renderer.hpp"
#include "sink_channel.hpp"

extern char** environ;

namespace haven::audio {
namespace {

using namespace std::chrono_literals;
using Clock = std::chrono::steady_clock;

// The fd the sink finds its channel on (audio_sink_main.cpp reads --channel-fd).
constexpr int kChannelFdInSink = 3;
// ALSA enumerating every card, or a JACK server slow to answer, can take seconds.
constexpr auto kOpenLimit = 10s;
// What the pump keeps in the shared ring, and how often it tops it up: enough to ride out
// a busy machine, short enough that the fade before a close is heard before the kill.
constexpr auto kLead = 120ms;
constexpr auto kPumpEvery = 10ms;
constexpr std::size_t kPumpBlockFrames = 1024;
// A healthy sink gets this long to play what is in its ring when the output closes.
constexpr auto kDrainLimit = 300ms;

// HAVEN_AUDIO_SINK, else beside this executable (installed), else where the build put it.
std::string sink_program() {
    if (const char* path = std::getenv("HAVEN_AUDIO_SINK"); path && *path) return path;
    std::error_code ec;
    const auto self = std::filesystem::read_symlink("/proc/self/exe", ec);
    if (!ec) {
        const auto beside = self.parent_path() / "haven-audio-sink";
        if (std::filesystem::exists(beside, ec)) return beside;
    }
    return HAVEN_AUDIO_SINK_BUILT;
}

class SinkOutput final : public AudioOutput {
  public:
    explicit SinkOutput(OutputRenderer& renderer) : renderer_(renderer) {}
    ~SinkOutput() override {
        const bool playing = pump_.joinable() && healthy();
        if (playing) drain();
        pump_ = {};  // joins: the pump never blocks
        if (pid_ > 0) {
            // Never a polite stop: closing a stream of a dead server can hang or abort.
            ::kill(pid_, SIGKILL);
            reap(0);
        }
    }
    SinkOutput(const SinkOutput&) = delete;
    SinkOutput& operator=(const SinkOutput&) = delete;

    bool open(const std::string& device, const std::stop_token& stop, std::string& error);

    int sample_rate() const override { return rate_; }
    bool healthy() const override {
        return !exited() && channel_.shared().state.load() == SinkState::playing;
    }

  private:
    bool spawn(const std::string& device, std::string& error);
    bool wait_until_open(const std::stop_token& stop, std::string& error);
    void pump(const std::stop_token& stop) noexcept;
    void drain() const;
    bool reap(int options) const;
    bool exited() const { return pid_ <= 0 || reap(WNOHANG); }

    OutputRenderer& renderer_;
    mutable SinkChannel channel_;
    mutable pid_t pid_ = -1;  // -1 once reaped
    int rate_ = 48000;
    std::jthread pump_;  // last: stopped before the channel goes
};

bool SinkOutput::reap(int options) const {
    int status = 0;
    pid_t waited = 0;
    do {
        waited = ::waitpid(pid_, &status, options);
    } while (waited < 0 && errno == EINTR);
    if (waited == 0) return false;
    pid_ = -1;
    return true;
}

bool SinkOutput::spawn(const std::string& device, std::string& error) {
    // dup2 onto the same number would leave it close-on-exec: move it off 3 first.
    int fd = channel_.fd();
    int moved = -1;
    if (fd == kChannelFdInSink) fd = moved = ::fcntl(fd, F_DUPFD_CLOEXEC, 10);
    posix_spawn_file_actions_t files;
    posix_spawn_file_actions_init(&files);
    posix_spawn_file_actions_adddup2(&files, fd, kChannelFdInSink);
    const std::string program = sink_program();
    const auto level = spdlog::level::to_string_view(spdlog::get_level());
    std::vector<std::string> args{program,
                                  "--channel-fd",
                                  std::to_string(kChannelFdInSink),
                                  "--output",
                                  device,
                                  "--parent",
                                  std::to_string(::getpid()),
                                  "--log-level",
                                  std::string(level.data(), level.size())};
    std::vector<char*> argv;
    for (auto& arg : args)
        argv.push_back(arg.data());
    argv.push_back(nullptr);
    const int rc = posix_spawn(&pid_, program.c_str(), &files, nullptr, argv.data(), environ);
    posix_spawn_file_actions_destroy(&files);
    if (moved >= 0) ::close(moved);
    if (rc != 0) {
        pid_ = -1;
        error = "cannot start " + program + ": " + std::strerror(rc);
        return false;
    }
    return true;
}

bool SinkOutput::wait_until_open(const std::stop_token& stop, std::string& error) {
    const auto deadline = Clock::now() + kOpenLimit;
    auto& shared = channel_.shared();
    for (;;) {
        const SinkState state = shared.state.load();
        if (state == SinkState::playing) return true;
        if (state == SinkState::failed) {
            error.assign(shared.error, strnlen(shared.error, sizeof shared.error));
            return false;
        }
        if (exited()) {
            error = "the audio sink process exited while opening the device";
            return false;
        }
        if (stop.stop_requested()) {
            error = "stopping";
            return false;
        }
        if (Clock::now() > deadline) {
            error = "the device did not open within 10 s";
            return false;
        }
        std::this_thread::sleep_for(10ms);
    }
}

bool SinkOutput::open(const std::string& device, const std::stop_token& stop, std::string& error) {
    if (!spawn(device, error) || !wait_until_open(stop, error)) return false;
    rate_ = channel_.shared().sample_rate.load();
    pump_ = std::jthread([this](std::stop_token pump_stop) {
        pthread_setname_np(pthread_self(), "haven-audiopump");
        pump(pump_stop);
    });
    return true;
}

// Tops the ring up to kLead in blocks, as a device callback would pull them: a sink that
// stops draining (a frozen server) stops the renderer's callbacks, which DeviceKeeper sees.
void SinkOutput::pump(const std::stop_token& stop) noexcept {
    const auto lead_frames = static_cast<std::size_t>(rate_ * kLead.count() / 1000);
    while (!stop.stop_requested()) {
        for (std::size_t lead = channel_.lead(); lead < lead_frames; lead = channel_.lead())
            channel_.fill_from(renderer_, std::min(kPumpBlockFrames, lead_frames - lead));
        std::this_thread::sleep_for(kPumpEvery);
    }
}

void SinkOutput::drain() const {
    const auto& shared = channel_.shared();
    const std::uint64_t end = shared.written.load();
    const auto deadline = Clock::now() + kDrainLimit;
    while (shared.read.load() < end && Clock::now() < deadline)
        std::this_thread::sleep_for(5ms);
}

}  // namespace

std::unique_ptr<AudioOutput> open_sink_output(const std::string& device, OutputRenderer& renderer,
                                              const std::stop_token& stop, std::string& error) {
    try {
        auto output = std::make_unique<SinkOutput>(renderer);
        if (!output->open(device, stop, error)) return nullptr;
        return output;
    } catch (const std::exception& e) {  // no memfd: as good as no device, and retried
        error = e.what();
        return nullptr;
    }
}

}  // namespace haven::audio
