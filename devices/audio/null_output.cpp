#include <pthread.h>

#include <atomic>
#include <chrono>
#include <thread>
#include <vector>

#include "audio_output.hpp"
#include "output_renderer.hpp"

namespace haven::audio {
namespace {

class NullOutput final : public AudioOutput {
  public:
    NullOutput(OutputRenderer& renderer, int rate) : rate_(rate) {
        thread_ = std::jthread([this, &renderer](std::stop_token stop) {
            pthread_setname_np(pthread_self(), "haven-nullout");
            run(renderer, stop);
        });
    }
    int sample_rate() const override { return rate_; }
    bool healthy() const override { return true; }

  private:
    static constexpr std::size_t kBlockFrames = 1024;

    // Paced by the clock like a sound card, so the decoder's lead and the fades behave as
    // they would with a device.
    void run(OutputRenderer& renderer, const std::stop_token& stop) const {
        std::vector<float> block(kBlockFrames * kChannels);
        const auto period =
            std::chrono::duration<double>(static_cast<double>(kBlockFrames) / rate_);
        auto deadline = std::chrono::steady_clock::now();
        while (!stop.stop_requested()) {
            renderer.render(block.data(), kBlockFrames);
            deadline += std::chrono::duration_cast<std::chrono::steady_clock::duration>(period);
            std::this_thread::sleep_until(deadline);
        }
    }

    int rate_;
    std::jthread thread_;  // last member: joined before the others are destroyed
};

}  // namespace

std::unique_ptr<AudioOutput> open_null_output(OutputRenderer& renderer, int sample_rate) {
    return std::make_unique<NullOutput>(renderer, sample_rate);
}

}  // namespace haven::audio
