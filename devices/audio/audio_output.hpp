#pragma once
// Where the rendered stream goes. In the daemon: the audio sink process (sink_output.cpp),
// or a null sink that consumes the stream at real-time pace without a device
// (audio.output: none, and tests). In the sink process (audio_sink_main.cpp): a JACK client
// (jack_output.cpp) or a PortAudio device (portaudio_output.cpp), chosen by
// open_device_output.
//
// Why a process of its own: PortAudio and libjack cannot be made safe in the daemon. After
// the sound server dies, PortAudio's JACK host API aborts the process in Pa_Terminate
// (an assert on jack_deactivate), and Pa_StopStream/Pa_CloseStream can block forever
// joining a stream thread stuck in ALSA's jack or pulse plugin. A sink process can be
// killed with SIGKILL at any time; the daemon never calls into either library.
//
// Thread: the device thread (DeviceKeeper) opens, watches and closes. The output pulls its
// FrameSource from its own (real-time) thread.

#include <memory>
#include <stop_token>
#include <string>

namespace haven::audio {

class FrameSource;
class OutputRenderer;

class AudioOutput {
  public:
    virtual ~AudioOutput() = default;
    virtual int sample_rate() const = 0;
    // False once the device reported an error or the stream stopped on its own.
    virtual bool healthy() const = 0;
    // For a lost output whose closing may block: from return on, the output never touches
    // its source again, so it may be destroyed on another thread while a new one renders.
    // False when unsupported: then it is destroyed on the device thread.
    virtual bool detach_from_renderer() noexcept { return false; }
};

// Daemon side. Starts the audio sink process for audio.output `device` (anything but
// "none") and waits until it plays, fails, or `stop` is requested. Returns null and sets
// `error` when the device cannot be opened.
std::unique_ptr<AudioOutput> open_sink_output(const std::string& device, OutputRenderer& renderer,
                                              const std::stop_token& stop, std::string& error);

// Pulls `renderer` at `sample_rate` in 1024-frame blocks from a thread of its own.
std::unique_ptr<AudioOutput> open_null_output(OutputRenderer& renderer, int sample_rate);

// Sink side. A name that is a JACK client ("system") is played through libjack directly;
// anything else through PortAudio ("default", an exact device name, or a unique part of
// one). "default" whose PortAudio device is a JACK one plays to JACK's "system" directly.
std::unique_ptr<AudioOutput> open_device_output(const std::string& device, FrameSource& source,
                                                std::string& error);

// Opens and starts a stereo float stream on the named PortAudio device. Refuses JACK host
// API devices (see jack_output.cpp). Null and `error` when unavailable.
std::unique_ptr<AudioOutput> open_portaudio_output(const std::string& device, FrameSource& source,
                                                   std::string& error);

// Plays through a JACK client of our own, connected to the playback ports of the JACK
// client named `target` (e.g. "system"). Null and `error` when there is no JACK server or
// no such client. healthy() turns false when the server shuts down.
std::unique_ptr<AudioOutput> open_jack_output(const std::string& target, FrameSource& source,
                                              std::string& error);

}  // namespace haven::audio
