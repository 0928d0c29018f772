#include "audio_output.hpp"

namespace haven::audio {

// A name that is a JACK client goes to JACK directly; anything else to PortAudio.
// "default" is PortAudio's default device, unless that is a JACK one (PortAudio's JACK
// backend cannot survive a server restart): then JACK's "system" client, directly.
std::unique_ptr<AudioOutput> open_device_output(const std::string& device, FrameSource& source,
                                                std::string& error) {
    const bool by_default = device == "default";
    std::string jack_error;
    if (!by_default) {
        if (auto output = open_jack_output(device, source, jack_error)) return output;
    }
    std::string portaudio_error;
    if (auto output = open_portaudio_output(device, source, portaudio_error)) return output;
    if (by_default) {
        if (auto output = open_jack_output("system", source, jack_error)) return output;
    }
    error = jack_error.empty() ? portaudio_error : portaudio_error + "; " + jack_error;
    return nullptr;
}

}  // namespace haven::audio
