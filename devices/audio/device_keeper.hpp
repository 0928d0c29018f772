#pragma once
// Keeps the output device open for the whole session. Opening, watching and closing run on
// a device thread of their own, because opening can take seconds (the audio sink process
// enumerating ALSA, a JACK server that does not answer; see audio_output.hpp) and the
// control thread must never wait for it. A stop request ends an open attempt at once. A device that
// stops (USB DAC unplugged, JACK server gone, no callbacks for 2 s) is closed and reopened on a
// capped backoff: 1 s, 2 s, 4 s ... 30 s. A reopened device starts silent and fades the master
// volume back in. Thread: the constructor, destructor and getters are for the control thread.

#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <thread>

#include "units.hpp"

namespace haven::audio {

class AudioOutput;
class OutputRenderer;

class DeviceKeeper {
  public:
    struct Snapshot {
        bool ok = false;
        bool attempted = false;   // the first open attempt has finished
        std::string detail;       // what is open, or why nothing is
        int sample_rate = 0;      // of the device opened last
        std::uint64_t opens = 0;  // successful opens so far: a new value is a new stream
    };

    // `device` is audio.output: "none" (a real-time paced null sink, in this process), or
    // anything open_device_output takes, played by the audio sink process: "default"
    // (PortAudio's default device, or JACK's "system" when that default is a JACK device), a
    // JACK client name (e.g. "system", played through libjack directly), or a PortAudio
    // device name. `volume`
    // is the master volume to fade back in to after a reopen, over `resume_fade`.
    DeviceKeeper(std::string device, OutputRenderer& renderer, const std::atomic<double>& volume,
                 Millis resume_fade);
    ~DeviceKeeper();  // closes the device on its thread, ending an open attempt in progress
    DeviceKeeper(const DeviceKeeper&) = delete;
    DeviceKeeper& operator=(const DeviceKeeper&) = delete;

    Snapshot snapshot() const;
    // Waits up to `timeout` for the first open attempt, then returns the snapshot.
    Snapshot wait_first_attempt(Millis timeout) const;

    // The wait before the next attempt after `failures` failed ones since the device was
    // last open: 1 s, 2 s, 4 s, 8 s, 16 s, then 30 s.
    static Millis backoff(int failures);

  private:
    void run(const std::stop_token& stop);
    void fade_in_from_silence(int sample_rate);
    std::unique_ptr<AudioOutput> try_open(const std::stop_token& stop, std::string& error);
    static void close(std::unique_ptr<AudioOutput> output);
    void publish(bool ok, std::string detail, int rate, bool opened);

    const std::string device_;
    OutputRenderer& renderer_;
    const std::atomic<double>& volume_;
    const Millis resume_fade_;

    mutable std::mutex mutex_;
    mutable std::condition_variable changed_;
    Snapshot shown_;       // guarded by mutex_
    std::jthread thread_;  // last: started after everything it uses
};

}  // namespace haven::audio
