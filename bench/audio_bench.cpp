// Audio: CPU per second of playback and peak RSS of the whole daemon while it plays a
// playlist into JACK's dummy backend (libjack, or PortAudio's JACK backend in older trees), with a
// `music_next` cue every few seconds so crossfades (and the 44.1 -> 48 kHz resampler) run
// throughout. An idle stretch first gives the daemon's CPU with no music, for comparison. CPU comes
// from /proc/<pid>/stat, which keeps the time of threads that have ended. The sound device is
// played by the daemon's haven-audio-sink child (see docs/architecture.md): its CPU and
// memory are reported beside the daemon's, and counted in the totals.

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <stdexcept>
#include <string>

#include "bench_commands.hpp"
#include "bench_support.hpp"
#include "child_process.hpp"
#include "probe_client.hpp"

namespace haven::bench {

namespace {

// The daemon's audio sink: the child of `daemon` named haven-audio-sink (0 when none).
pid_t audio_sink_of(pid_t daemon) {
    std::error_code ec;
    for (const auto& entry : std::filesystem::directory_iterator("/proc", ec)) {
        std::ifstream stat(entry.path() / "stat");
        std::string pid, name, state;
        long parent = 0;
        if (stat >> pid >> name >> state >> parent && parent == daemon &&
            name == "(haven-audio-sin)")  // comm is cut at 15 characters
            return static_cast<pid_t>(std::stol(pid));
    }
    return 0;
}

}  // namespace

int run_audio_bench(const Args& args) {
    const int port = std::stoi(args.text("port"));
    const int seconds = args.number("seconds", 20);
    const int next_every = args.number("next-every", 6);
    const std::string logs = args.text("log-dir", "/tmp");
    const std::string label = args.text("label", "audio");

    ChildProcess haven({args.text("haven"), "run", "--config", args.text("config"), "--state-dir",
                        args.text("state-dir")},
                       logs + "/haven-" + label + ".log", "haven ready");
    if (!haven.wait_for_marker(std::chrono::seconds(15)))
        throw std::runtime_error("haven did not log 'haven ready'");
    ProbeClient probe("bench-audio-probe", port);
    probe.subscribe("haven/bench/state", 1);
    probe.drain(std::chrono::seconds(1));

    const double idle_cpu_before = process_stat_cpu_seconds(haven.pid());
    const auto idle_start = Clock::now();
    probe.drain(std::chrono::seconds(5));
    const double idle_cpu = (process_stat_cpu_seconds(haven.pid()) - idle_cpu_before) /
                            std::chrono::duration<double>(Clock::now() - idle_start).count();

    probe.publish("haven/bench/cmd/start", R"({"template":"bench"})", 1);
    probe.drain(std::chrono::seconds(2));  // the player opens the stream and decodes ahead
    const pid_t sink = audio_sink_of(haven.pid());
    const double cpu_before = process_stat_cpu_seconds(haven.pid());
    const double sink_cpu_before = sink ? process_stat_cpu_seconds(sink) : 0;
    const auto start = Clock::now();
    std::string last_state;
    for (int s = 0; s < seconds; ++s) {
        if (next_every > 0 && s > 0 && s % next_every == 0)
            probe.publish("haven/bench/cmd/music_next", "", 1);
        probe.wait_for(
            [&](const Arrival& a) {
                if (a.topic == "haven/bench/state") last_state = a.payload;
                return false;
            },
            std::chrono::seconds(1));
    }
    const double wall = std::chrono::duration<double>(Clock::now() - start).count();
    const double cpu = process_stat_cpu_seconds(haven.pid()) - cpu_before;
    const double sink_cpu = sink ? process_stat_cpu_seconds(sink) - sink_cpu_before : 0;
    const long sink_peak_kb = sink ? process_peak_rss_kb(sink) : 0;
    const std::string sink_parts = sink ? process_rss_breakdown(sink) : "no sink process";
    const long peak_kb = process_peak_rss_kb(haven.pid());
    const long rss_kb = process_rss_kb(haven.pid());
    const std::string rss_parts = process_rss_breakdown(haven.pid());
    const long threads = process_threads(haven.pid());

    std::printf("# audio (%s): %.1f s of playback, %s; target < 2%% of a core, < 25 MB RSS\n",
                label.c_str(), wall,
                next_every > 0 ? ("music_next every " + std::to_string(next_every) + " s").c_str()
                               : "no music_next (one track, no crossfade)");
    std::printf("daemon CPU idle (no session):   %6.2f %% of one core\n", idle_cpu * 100);
    std::printf("daemon CPU while playing:       %6.2f %% of one core (%.1f ms CPU per s)\n",
                cpu / wall * 100, cpu / wall * 1e3);
    std::printf("daemon RSS now / peak (VmHWM):  %.1f MB / %.1f MB (now: %s; %ld threads)\n",
                rss_kb / 1024.0, peak_kb / 1024.0, rss_parts.c_str(), threads);
    std::printf("audio sink CPU while playing:   %6.2f %% of one core (%.1f ms CPU per s)\n",
                sink_cpu / wall * 100, sink_cpu / wall * 1e3);
    std::printf("audio sink peak RSS (VmHWM):    %.1f MB (now: %s)\n", sink_peak_kb / 1024.0,
                sink_parts.c_str());
    std::printf("daemon + sink CPU while playing: %5.2f %% of one core\n",
                (cpu + sink_cpu) / wall * 100);
    const auto music = last_state.find("\"music\"");
    std::printf("last state's music: %s\n",
                music == std::string::npos ? "(none)" : last_state.substr(music, 160).c_str());
    return 0;
}

}  // namespace haven::bench
