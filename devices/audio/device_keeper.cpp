#include "device_keeper.hpp"

#include <pthread.h>
#include <spdlog/spdlog.h>

#include <algorithm>
#include <chrono>
#include <thread>

#include "audio_output.hpp"
#include "output_renderer.hpp"

namespace haven::audio {
namespace {

using Clock = std::chrono::steady_clock;
constexpr int kNullSinkRate = 48000;
constexpr Millis kMaxBackoff{30000};
// A stream that is open but whose callback has not run for this long is lost too: some
// backends stall instead of reporting an error.
constexpr Millis kStallLimit{2000};
constexpr Millis kWatchInterval{100};

std::uint32_t frames_at(Millis duration, int rate) {
    const auto count = duration.count() * static_cast<long long>(rate) / 1000;
    return static_cast<std::uint32_t>(std::clamp<long long>(count, 0, 0xFFFFFFF0));
}

}  // namespace

Millis DeviceKeeper::backoff(int failures) {
    if (failures >= 5) return kMaxBackoff;
    return std::min(Millis{1000} * (1 << std::max(failures, 0)), kMaxBackoff);
}

DeviceKeeper::DeviceKeeper(std::string device, OutputRenderer& renderer,
                           const std::atomic<double>& volume, Millis resume_fade)
    : device_(std::move(device)), renderer_(renderer), volume_(volume), resume_fade_(resume_fade) {
    thread_ = std::jthread([this](std::stop_token stop) {
        pthread_setname_np(pthread_self(), "haven-audiodev");
        run(stop);
    });
}

DeviceKeeper::~DeviceKeeper() {
    thread_.request_stop();
    changed_.notify_all();
    if (thread_.joinable()) thread_.join();
}

DeviceKeeper::Snapshot DeviceKeeper::snapshot() const {
    std::lock_guard lock(mutex_);
    return shown_;
}

DeviceKeeper::Snapshot DeviceKeeper::wait_first_attempt(Millis timeout) const {
    std::unique_lock lock(mutex_);
    changed_.wait_for(lock, timeout, [&] { return shown_.attempted; });
    return shown_;
}

void DeviceKeeper::publish(bool ok, std::string detail, int rate, bool opened) {
    {
        std::lock_guard lock(mutex_);
        shown_.ok = ok;
        shown_.attempted = true;
        shown_.detail = std::move(detail);
        if (rate > 0) shown_.sample_rate = rate;
        if (opened) ++shown_.opens;
    }
    changed_.notify_all();
}

// Every real device is played by the audio sink process, which the daemon can always kill:
// only the null sink runs in this process.
std::unique_ptr<AudioOutput> DeviceKeeper::try_open(const std::stop_token& stop,
                                                    std::string& error) {
    if (device_ == "none") return open_null_output(renderer_, kNullSinkRate);
    return open_sink_output(device_, renderer_, stop, error);
}

// An output that says its closing may block is cut off from the renderer and closed on a
// thread of its own, so this thread can go on retrying. The sink and null outputs close
// here, in bounded time.
void DeviceKeeper::close(std::unique_ptr<AudioOutput> output) {
    if (output && output->detach_from_renderer()) {
        std::thread([lost = std::move(output)]() mutable { lost.reset(); }).detach();
    }
}

// The renderer keeps one ramp request, the latest. The control thread sets the volume, then
// asks for its ramp: one set between our reading the volume and our request would be undone
// by it, and the music would come back at the old volume. Ask again until the volume asked
// for is still the room's.
void DeviceKeeper::fade_in_from_silence(int sample_rate) {
    for (double volume = volume_.load();;) {
        renderer_.request_ramp_from_silence(volume, frames_at(resume_fade_, sample_rate));
        const double now = volume_.load();
        if (now == volume) return;
        volume = now;
    }
}

void DeviceKeeper::run(const std::stop_token& stop) {
    std::unique_ptr<AudioOutput> output;
    int failures = 0;
    bool ever_opened = false;
    std::string last_error;
    auto next_attempt = Clock::now();
    std::uint64_t last_callbacks = 0;
    auto last_progress = Clock::now();

    while (!stop.stop_requested()) {
        const auto now = Clock::now();
        if (!output && now >= next_attempt) {
            // A reopened device must not resume at full volume: the listener has heard
            // silence since the loss. Set before the stream starts, so the first callback
            // takes it.
            if (ever_opened) fade_in_from_silence(48000);
            std::string error;
            output = try_open(stop, error);
            if (!output && stop.stop_requested()) break;  // cut short: not a device failure
            if (output) {
                if (ever_opened) {
                    // The rate is known only now: redo the fade with the right length.
                    fade_in_from_silence(output->sample_rate());
                }
                ever_opened = true;
                failures = 0;
                last_error.clear();
                last_callbacks = renderer_.callbacks();
                last_progress = Clock::now();
                spdlog::info("music: output '{}' open at {} Hz", device_, output->sample_rate());
                publish(true, "output '" + device_ + "' open", output->sample_rate(), true);
            } else {
                const Millis wait = backoff(failures++);  // 1 s, 2 s, 4 s ... 30 s
                next_attempt = Clock::now() + wait;
                // Log each new reason once, not every retry of a device that stays away.
                if (error != last_error) {
                    spdlog::warn(
                        "music: cannot open audio output '{}': {}; retrying, backing "
                        "off up to {} s",
                        device_, error, kMaxBackoff.count() / 1000);
                    last_error = error;
                }
                publish(false, "output '" + device_ + "' unavailable: " + error, 0, false);
            }
        } else if (output) {
            const auto callbacks = renderer_.callbacks();
            if (callbacks != last_callbacks) {
                last_callbacks = callbacks;
                last_progress = now;
            }
            const bool stalled = now - last_progress > kStallLimit;
            if (!output->healthy() || stalled) {
                const std::string why = stalled ? "no audio callbacks for 2 s" : "stream stopped";
                spdlog::error("music: output '{}' lost ({}); reopening with backoff", device_, why);
                // Reported before closing: closing a client of a frozen server blocks.
                publish(false, "output '" + device_ + "' lost: " + why, 0, false);
                close(std::move(output));
                // The first retry comes after 1 s; failures go on from there (2 s, 4 s ...).
                next_attempt = Clock::now() + backoff(0);
                failures = 1;
            }
        }
        std::unique_lock lock(mutex_);
        changed_.wait_for(lock, kWatchInterval, [&] { return stop.stop_requested(); });
    }
    // A device that plays closes after its last fade is heard; a lost one closes at once.
    close(std::move(output));
}

}  // namespace haven::audio
