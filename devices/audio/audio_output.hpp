#pragma once
// Where the rendered stream goes: a JACK client (jack_output.cpp), a PortAudio device
// (portaudio_output.cpp), or a null sink that consumes the stream at real-time pace without a
// device (audio.output: none, and tests).
// Thread: the device thread (DeviceKeeper) opens, watches and closes; PortAudio is not
// thread-safe, so every call into it stays on that one thread. The output calls
// OutputRenderer::render from its own (real-time) thread.

#include <memory>
#include <string>

namespace haven::audio {

class OutputRenderer;

class AudioOutput {
  public:
    virtual ~AudioOutput() = default;
    virtual int sample_rate() const = 0;
    // False once the device reported an error or the stream stopped on its own.
    virtual bool healthy() const = 0;
    // For a lost output whose closing may block (a frozen JACK server): from return on,
    // the callback never touches the renderer again (it plays silence), so the output may
    // be destroyed on another thread while a new one renders. False when unsupported:
    // then it must be destroyed on the device thread (PortAudio is not thread-safe).
    virtual bool detach_from_renderer() noexcept { return false; }
};

// Opens and starts a stereo float stream on the named device ("default", an exact PortAudio
// device name, or a unique part of one). Returns null and sets `error` when unavailable.
std::unique_ptr<AudioOutput> open_portaudio_output(const std::string& device,
                                                   OutputRenderer& renderer, std::string& error);

// Plays through a JACK client of our own, connected to the playback ports of the JACK
// client named `target` (e.g. "system"). Returns null and sets `error` when there is no
// JACK server or no such client. healthy() turns false when the server shuts down.
std::unique_ptr<AudioOutput> open_jack_output(const std::string& target, OutputRenderer& renderer,
                                              std::string& error);

// Pulls `renderer` at `sample_rate` in 1024-frame blocks from a thread of its own.
std::unique_ptr<AudioOutput> open_null_output(OutputRenderer& renderer, int sample_rate);

}  // namespace haven::audio
