// haven-audio-sink: the process that owns the sound device for the daemon (see
// audio_output.hpp for why). It maps the shared ring the daemon passes as --channel-fd,
// opens --output with PortAudio or libjack, and plays what the daemon writes into the ring
// (silence on underrun). It reports `playing`, `failed` or `lost` in the ring's header and
// never closes its device: when the device fails it exits at once (_exit: no Pa_Terminate,
// whose JACK host API aborts after a server died), and the daemon ends it with SIGKILL.
// It dies with the daemon's device thread (PR_SET_PDEATHSIG).
//
// Usage (the daemon's, not a person's):
//   haven-audio-sink --channel-fd N --output NAME --parent PID [--log-level LEVEL]
#include <alsa/asoundlib.h>
#include <jack/jack.h>
#include <spdlog/sinks/stdout_sinks.h>
#include <spdlog/spdlog.h>
#include <sys/prctl.h>
#include <unistd.h>

#include <chrono>
#include <csignal>
#include <cstdarg>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <map>
#include <string>
#include <thread>

#include "audio_output.hpp"
#include "sink_channel.hpp"

namespace {

using namespace haven::audio;

constexpr auto kWatchEvery = std::chrono::milliseconds{50};

// ALSA's own complaints (83 lines of "ALSA lib ..." while PortAudio probes every PCM of a
// machine without a sound card) go to the log at debug level instead of stderr. ALSA may
// call this from PortAudio's stream thread too; below debug level it returns at once.
void alsa_error(const char* file, int line, const char* function, int error, const char* format,
                ...) {
    if (!spdlog::should_log(spdlog::level::debug)) return;
    char text[512];
    va_list args;
    va_start(args, format);
    std::vsnprintf(text, sizeof text, format, args);
    va_end(args);
    spdlog::debug("ALSA {}:{} ({}) {}{}{}", file, line, function, text, error ? ": " : "",
                  error ? snd_strerror(error) : "");
}

// libjack prints to stderr on every failed connect (PortAudio probing JACK, ALSA's JACK
// plugin, our own client), and the daemon retries for as long as a server stays away: its
// reasons reach the log through the error the sink reports. Debug level, as ALSA's.
void jack_message(const char* text) {
    if (spdlog::should_log(spdlog::level::debug)) spdlog::debug("JACK {}", text);
}

void setup_logging(const std::string& level) {
    auto logger = std::make_shared<spdlog::logger>(
        "haven-audio-sink", std::make_shared<spdlog::sinks::stderr_sink_mt>());
    // The daemon's format, so the sink's lines read as the daemon's in the journal.
    logger->set_pattern(std::getenv("JOURNAL_STREAM") ? "%l: audio sink: %v"
                                                      : "%Y-%m-%d %H:%M:%S.%e %l: audio sink: %v");
    logger->set_level(spdlog::level::from_str(level));
    logger->flush_on(spdlog::level::debug);
    spdlog::set_default_logger(std::move(logger));
}

[[noreturn]] void end(SinkShared& shared, SinkState state, const std::string& why, int code) {
    const auto size = std::min(why.size(), sizeof shared.error - 1);
    std::memcpy(shared.error, why.data(), size);
    shared.error[size] = '\0';
    shared.state.store(state);
    std::_Exit(code);  // no destructors, no atexit: nothing may close the device
}

}  // namespace

int main(int argc, char** argv) {
    std::map<std::string, std::string> options{{"--log-level", "info"}};
    for (int i = 1; i + 1 < argc; i += 2)
        options[argv[i]] = argv[i + 1];
    const auto parent = std::strtol(options["--parent"].c_str(), nullptr, 10);
    // Dies with the daemon, even one killed with SIGKILL; and if it died before this line,
    // the parent is no longer the one named.
    ::prctl(PR_SET_PDEATHSIG, SIGKILL);
    if (parent <= 0 || ::getppid() != parent) return 2;
    const int fd = std::atoi(options["--channel-fd"].c_str());
    SinkShared* shared = fd > 0 ? map_sink_channel(fd) : nullptr;
    if (!shared || options["--output"].empty()) {
        std::fprintf(stderr, "haven-audio-sink: started by the daemon only\n");
        return 2;
    }
    setup_logging(options["--log-level"]);
    snd_lib_error_set_handler(&alsa_error);
    jack_set_error_function(&jack_message);
    jack_set_info_function(&jack_message);

    SinkRingReader reader(*shared);
    std::string error;
    const auto output = open_device_output(options["--output"], reader, error);
    if (!output) end(*shared, SinkState::failed, error, 1);
    shared->sample_rate.store(output->sample_rate());
    shared->state.store(SinkState::playing);
    while (output->healthy())
        std::this_thread::sleep_for(kWatchEvery);
    end(*shared, SinkState::lost, "stream stopped", 3);
}
