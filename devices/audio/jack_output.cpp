// A JACK client of our own instead of PortAudio's JACK host API, because that one cannot
// survive the server going away (PortAudio 19.6, Debian): after a server shutdown
// Pa_StopStream/Pa_AbortStream/Pa_CloseStream wait 10 minutes for a process thread that
// no longer exists, and Pa_Terminate aborts the process on an assert in jack_deactivate.
// libjack itself closes a client of a dead server in well under a second.
#include <jack/jack.h>

#include <algorithm>
#include <array>
#include <atomic>
#include <string>
#include <thread>
#include <vector>

#include "audio_output.hpp"
#include "frame_source.hpp"

namespace haven::audio {
namespace {

constexpr const char* kClientName = "haven";
// Interleaved scratch for one render call; longer JACK periods are rendered in slices.
constexpr std::size_t kScratchFrames = 4096;

// The playback ports ("system:playback_1", ...) of the JACK client named `target`.
std::vector<std::string> playback_ports(jack_client_t* client, const std::string& target) {
    std::vector<std::string> found;
    const char** ports = jack_get_ports(client, nullptr, JACK_DEFAULT_AUDIO_TYPE, JackPortIsInput);
    if (!ports) return found;
    const std::string prefix = target + ":";
    for (const char** port = ports; *port; ++port) {
        if (std::string_view(*port).starts_with(prefix)) found.emplace_back(*port);
    }
    jack_free(ports);
    std::sort(found.begin(), found.end());  // playback_1 before playback_2
    return found;
}

class JackOutput final : public AudioOutput {
  public:
    explicit JackOutput(FrameSource& renderer)
        : renderer_(renderer), scratch_(kScratchFrames * kChannels) {}
    ~JackOutput() override {
        if (!client_) return;
        // After a server shutdown deactivate fails at once; close still frees the client.
        if (healthy()) jack_deactivate(client_);
        jack_client_close(client_);
    }
    JackOutput(const JackOutput&) = delete;
    JackOutput& operator=(const JackOutput&) = delete;

    bool open(const std::string& target, std::string& error) {
        jack_status_t status{};
        client_ = jack_client_open(kClientName, JackNoStartServer, &status);
        if (!client_) {
            error = "no JACK server";
            return false;
        }
        const auto targets = playback_ports(client_, target);
        if (targets.empty()) {
            error = "JACK has no client '" + target + "' with playback ports";
            return false;
        }
        for (int c = 0; c < kChannels; ++c) {
            const std::string name = "out_" + std::to_string(c + 1);
            ports_[c] = jack_port_register(client_, name.c_str(), JACK_DEFAULT_AUDIO_TYPE,
                                           JackPortIsOutput, 0);
            if (!ports_[c]) {
                error = "cannot register JACK port " + name;
                return false;
            }
        }
        jack_set_process_callback(client_, &JackOutput::process, this);
        jack_on_shutdown(client_, &JackOutput::shutdown, this);
        rate_ = static_cast<int>(jack_get_sample_rate(client_));
        if (jack_activate(client_) != 0) {
            error = "cannot activate the JACK client";
            return false;
        }
        // A mono target gets both channels on its one port.
        for (int c = 0; c < kChannels; ++c) {
            const auto& to = targets[std::min<std::size_t>(c, targets.size() - 1)];
            if (jack_connect(client_, jack_port_name(ports_[c]), to.c_str()) != 0) {
                error = "cannot connect to " + to;
                return false;
            }
        }
        return true;
    }

    int sample_rate() const override { return rate_; }
    bool healthy() const override { return alive_.load(std::memory_order_acquire); }

    // Dekker-style with process(): both sides store their flag, then read the other's
    // (sequentially consistent), so either the callback sees `detached_` or we see it busy
    // and wait for it to leave. A callback never blocks, so the wait is one period at most.
    bool detach_from_renderer() noexcept override {
        detached_.store(true);
        while (in_callback_.load())
            std::this_thread::yield();
        return true;
    }

  private:
    // The real-time callback: the renderer's lock-free path, then de-interleave.
    static int process(jack_nframes_t frames, void* self) noexcept {
        auto& out = *static_cast<JackOutput*>(self);
        std::array<float*, kChannels> buffers{};
        for (int c = 0; c < kChannels; ++c)
            buffers[c] = static_cast<float*>(jack_port_get_buffer(out.ports_[c], frames));
        out.in_callback_.store(true);
        if (out.detached_.load()) {
            out.in_callback_.store(false);
            for (int c = 0; c < kChannels; ++c)
                std::fill_n(buffers[c], frames, 0.0f);
            return 0;
        }
        for (std::size_t done = 0; done < frames;) {
            const std::size_t n = std::min<std::size_t>(kScratchFrames, frames - done);
            out.renderer_.render(out.scratch_.data(), n);
            for (std::size_t f = 0; f < n; ++f)
                for (int c = 0; c < kChannels; ++c)
                    buffers[c][done + f] = out.scratch_[f * kChannels + c];
            done += n;
        }
        out.in_callback_.store(false);
        return 0;
    }
    static void shutdown(void* self) noexcept {
        static_cast<JackOutput*>(self)->alive_.store(false, std::memory_order_release);
    }

    FrameSource& renderer_;
    std::vector<float> scratch_;  // sized once, before the callback can run
    jack_client_t* client_ = nullptr;
    std::array<jack_port_t*, kChannels> ports_{};
    int rate_ = 48000;
    std::atomic<bool> alive_{true};
    std::atomic<bool> detached_{false};
    std::atomic<bool> in_callback_{false};
};

}  // namespace

std::unique_ptr<AudioOutput> open_jack_output(const std::string& target, FrameSource& renderer,
                                              std::string& error) {
    auto output = std::make_unique<JackOutput>(renderer);
    if (!output->open(target, error)) return nullptr;
    return output;
}

}  // namespace haven::audio
