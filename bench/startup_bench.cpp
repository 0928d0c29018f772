// Start-up: from spawning `haven run` to its "haven ready" log line (logged after sd_notify
// READY=1) and to its first retained state on the broker. Each run gets a fresh state
// directory, and the retained state is cleared first so only this run's state counts.

#include <cstdio>
#include <filesystem>
#include <stdexcept>

#include "bench_commands.hpp"
#include "bench_support.hpp"
#include "child_process.hpp"
#include "probe_client.hpp"

namespace haven::bench {

int run_startup_bench(const Args& args) {
    const int port = std::stoi(args.text("port"));
    const int runs = args.number("runs", 20);
    const std::string logs = args.text("log-dir", "/tmp");
    const std::filesystem::path state_root = args.text("state-dir");
    const std::string state_topic = "haven/bench/state";

    ProbeClient probe("bench-startup-probe", port);
    std::vector<double> ready_us, state_us;
    int missing = 0;
    for (int run = 0; run < runs; ++run) {
        probe.publish(state_topic, "", 1, true);  // an empty retained message clears it
        probe.subscribe(state_topic, 1);
        probe.drain(std::chrono::milliseconds(100));
        const auto dir = state_root / ("startup-" + std::to_string(run));
        std::filesystem::create_directories(dir);
        ChildProcess haven({args.text("haven"), "run", "--config", args.text("config"),
                            "--state-dir", dir.string()},
                           logs + "/haven-startup.log", "haven ready");
        Clock::time_point state_at;
        const bool got_state = probe.wait_for(
            [&](const Arrival& a) {
                if (a.topic != state_topic || a.payload.empty()) return false;
                state_at = a.at;
                return true;
            },
            std::chrono::seconds(10));
        const auto ready_at = haven.wait_for_marker(std::chrono::seconds(10));
        if (!ready_at || !got_state) {
            ++missing;
        } else {
            ready_us.push_back(micros_between(haven.started_at(), *ready_at));
            state_us.push_back(micros_between(haven.started_at(), state_at));
        }
        haven.stop();
        probe.publish(state_topic, "", 1, true);
    }
    std::printf("# start-up, %d runs (fresh state dir each), target < 200 ms\n", runs);
    std::printf("%s\n",
                format_summary("spawn -> 'haven ready'", summarize(ready_us), 1e-3, "ms").c_str());
    std::printf(
        "%s\n",
        format_summary("spawn -> first retained state", summarize(state_us), 1e-3, "ms").c_str());
    if (missing) std::printf("runs without ready or state within 10 s: %d\n", missing);
    return missing ? 1 : 0;
}

}  // namespace haven::bench
