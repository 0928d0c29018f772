#include <portaudio.h>

#include <atomic>
#include <string>

#include "audio_output.hpp"
#include "frame_source.hpp"

namespace haven::audio {
namespace {

// Finds a device with output channels: exact name first, then a unique substring.
PaDeviceIndex find_device(const std::string& name, std::string& error) {
    if (name.empty() || name == "default") {
        const PaDeviceIndex index = Pa_GetDefaultOutputDevice();
        if (index == paNoDevice) error = "no default output device";
        return index;
    }
    PaDeviceIndex partial = paNoDevice;
    int partial_matches = 0;
    for (PaDeviceIndex i = 0; i < Pa_GetDeviceCount(); ++i) {
        const PaDeviceInfo* info = Pa_GetDeviceInfo(i);
        if (!info || info->maxOutputChannels < kChannels) continue;
        const std::string device = info->name;
        if (device == name) return i;
        if (device.find(name) != std::string::npos) {
            partial = i;
            ++partial_matches;
        }
    }
    if (partial_matches == 1) return partial;
    error = partial_matches == 0 ? "no output device named '" + name + "'"
                                 : "output name '" + name + "' matches several devices";
    return paNoDevice;
}

class PortAudioOutput final : public AudioOutput {
  public:
    explicit PortAudioOutput(FrameSource& renderer) : renderer_(renderer) {}
    ~PortAudioOutput() override {
        if (stream_) {
            Pa_StopStream(stream_);
            Pa_CloseStream(stream_);
        }
        if (initialized_) Pa_Terminate();
    }

    bool open(const std::string& device, std::string& error) {
        PaError result = Pa_Initialize();
        if (result != paNoError) return fail(result, error);
        initialized_ = true;
        const PaDeviceIndex index = find_device(device, error);
        if (index == paNoDevice) return false;
        const PaDeviceInfo* info = Pa_GetDeviceInfo(index);
        // PortAudio's JACK backend hangs for 10 minutes stopping a stream after the server
        // died and aborts in Pa_Terminate: JACK is played through jack_output instead.
        const PaHostApiInfo* host = Pa_GetHostApiInfo(info->hostApi);
        if (host && host->type == paJACK) {
            error = std::string("'") + info->name + "' is a JACK device";
            return false;
        }
        PaStreamParameters output{};
        output.device = index;
        output.channelCount = kChannels;
        output.sampleFormat = paFloat32;
        output.suggestedLatency = info->defaultHighOutputLatency;
        rate_ = static_cast<int>(info->defaultSampleRate);
        result = Pa_OpenStream(&stream_, nullptr, &output, rate_, paFramesPerBufferUnspecified,
                               paNoFlag, &PortAudioOutput::callback, this);
        if (result != paNoError) return fail(result, error);
        Pa_SetStreamFinishedCallback(stream_, &PortAudioOutput::finished);
        result = Pa_StartStream(stream_);
        if (result != paNoError) return fail(result, error);
        return true;
    }

    int sample_rate() const override { return rate_; }
    bool healthy() const override {
        return healthy_.load(std::memory_order_relaxed) && stream_ &&
               Pa_IsStreamActive(stream_) == 1;
    }

  private:
    bool fail(PaError result, std::string& error) {
        error = Pa_GetErrorText(result);
        return false;
    }

    // The real-time callback: only the renderer's lock-free path.
    static int callback(const void*, void* output, unsigned long frames,
                        const PaStreamCallbackTimeInfo*, PaStreamCallbackFlags,
                        void* self) noexcept {
        static_cast<PortAudioOutput*>(self)->renderer_.render(static_cast<float*>(output), frames);
        return paContinue;
    }
    static void finished(void* self) noexcept {
        static_cast<PortAudioOutput*>(self)->healthy_.store(false, std::memory_order_relaxed);
    }

    FrameSource& renderer_;
    PaStream* stream_ = nullptr;
    bool initialized_ = false;
    int rate_ = 48000;
    std::atomic<bool> healthy_{true};
};

}  // namespace

std::unique_ptr<AudioOutput> open_portaudio_output(const std::string& device, FrameSource& renderer,
                                                   std::string& error) {
    auto output = std::make_unique<PortAudioOutput>(renderer);
    if (!output->open(device, error)) return nullptr;
    return output;
}

}  // namespace haven::audio
