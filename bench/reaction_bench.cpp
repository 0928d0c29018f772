// Cue -> reaction: a probe presses a zigbee2mqtt button and times what comes back, one press
// in flight. Three paths in one run, so ratios hold on a noisy machine:
//   floor        floor_echo republishes a fixed payload per message (the least a client can do)
//   haven cue    the press reaches the engine and its `cue` event is published
//   haven light  the press reaches the engine and the first light command is published
// Floor and Haven-cue rounds alternate in blocks; CPU per reaction is each process's
// /proc/<pid>/stat time over its own blocks divided by its rounds.

#include <cstdio>
#include <memory>
#include <stdexcept>

#include "bench_commands.hpp"
#include "bench_support.hpp"
#include "child_process.hpp"
#include "probe_client.hpp"

namespace haven::bench {

namespace {

const std::string kButton = "zigbee2mqtt/bench/button";
const std::string kLightSet = "zigbee2mqtt/bench/light/set";
const std::string kEvents = "haven/bench/events";
const std::string kStart = "haven/bench/cmd/start";

std::string floor_in(int qos) {
    return "bench/floor/q" + std::to_string(qos) + "/in";
}
std::string floor_out(int qos) {
    return "bench/floor/q" + std::to_string(qos) + "/out";
}

bool is_cue_event(const Arrival& a) {
    return a.topic == kEvents && a.payload.find("\"type\":\"cue\"") != std::string::npos;
}

// Alternating presses: lights_up then lights_down, so the level always moves.
class Presses {
  public:
    std::string next() {
        return (up_ = !up_) ? R"({"action":"single"})" : R"({"action":"double"})";
    }

  private:
    bool up_ = false;
};

struct Samples {
    std::vector<double> latency_us;
    double cpu_seconds = 0;
    int timeouts = 0;
};

// One press, timed until `arrived` matches; adds to `out` unless this is warm-up.
void one_round(ProbeClient& probe, const std::string& topic, const std::string& payload, int qos,
               const std::function<bool(const Arrival&)>& arrived, Samples* out) {
    const auto sent = Clock::now();
    probe.publish(topic, payload, qos);
    Clock::time_point at;
    const bool ok = probe.wait_for(
        [&](const Arrival& a) {
            if (!arrived(a)) return false;
            at = a.at;
            return true;
        },
        std::chrono::seconds(2));
    if (!out) return;
    if (!ok) {
        ++out->timeouts;
        return;
    }
    out->latency_us.push_back(micros_between(sent, at));
}

void block(ProbeClient& probe, pid_t pid, int rounds, Samples& out,
           const std::function<void(Samples*)>& round) {
    const double cpu_before = process_cpu_seconds(pid);
    for (int i = 0; i < rounds; ++i)
        round(&out);
    out.cpu_seconds += process_cpu_seconds(pid) - cpu_before;
    (void)probe;
}

void print_path(const std::string& label, const Samples& s) {
    std::printf("%s\n", format_summary(label, summarize(s.latency_us)).c_str());
    const double per =
        s.latency_us.empty() ? 0 : s.cpu_seconds / static_cast<double>(s.latency_us.size());
    std::printf("%-34s cpu/reaction=%.1f us  timeouts=%d\n", "", per * 1e6, s.timeouts);
}

double cpu_per(const Samples& s) {
    return s.latency_us.empty() ? 0 : s.cpu_seconds / static_cast<double>(s.latency_us.size());
}

}  // namespace

int run_reaction_bench(const Args& args) {
    const int port = std::stoi(args.text("port"));
    const int rounds = args.number("rounds", 2000);
    const int light_rounds = args.number("light-rounds", 200);
    const int warmup = args.number("warmup", 200);
    const int block_size = 250;
    const std::string logs = args.text("log-dir", "/tmp");

    ChildProcess haven({args.text("haven"), "run", "--config", args.text("config"), "--state-dir",
                        args.text("state-dir")},
                       logs + "/haven-reaction.log", "haven ready");
    if (!haven.wait_for_marker(std::chrono::seconds(15)))
        throw std::runtime_error("haven did not log 'haven ready' (see " + logs +
                                 "/haven-reaction.log)");
    ChildProcess floor0({args.text("floor"), std::to_string(port), floor_in(0), floor_out(0), "0"},
                        logs + "/floor.log", "floor ready");
    ChildProcess floor1({args.text("floor"), std::to_string(port), floor_in(1), floor_out(1), "1"},
                        logs + "/floor.log", "floor ready");
    floor0.wait_for_marker(std::chrono::seconds(5));
    floor1.wait_for_marker(std::chrono::seconds(5));

    ProbeClient probe("bench-probe", port);
    probe.subscribe(kEvents, 1);
    probe.subscribe(kLightSet, 1);
    // A session must be open with a scene showing before lights_up/lights_down do anything.
    probe.publish(kStart, R"({"template":"bench"})", 1);
    if (!probe.wait_for([](const Arrival& a) { return a.topic == kLightSet; },
                        std::chrono::seconds(10)))
        throw std::runtime_error("no light command after starting the bench session");
    probe.drain(std::chrono::milliseconds(1500));  // let the opening fade finish

    Presses presses;
    std::printf(
        "# cue -> reaction, one press in flight, %d rounds per path and QoS after %d warm-up\n",
        rounds, warmup);
    for (int qos : {0, 1}) {
        probe.subscribe(kEvents, qos);
        probe.subscribe(kLightSet, qos);
        probe.subscribe(floor_out(qos), qos);
        const pid_t floor_pid = qos == 0 ? floor0.pid() : floor1.pid();
        auto floor_round = [&](Samples* out) {
            one_round(
                probe, floor_in(qos), "press", qos,
                [&](const Arrival& a) { return a.topic == floor_out(qos); }, out);
        };
        auto cue_round = [&](Samples* out) {
            one_round(probe, kButton, presses.next(), qos, is_cue_event, out);
        };
        // The floor client's first SUBSCRIBE may still be in flight: press until it answers.
        while (!probe.wait_for([&](const Arrival& a) { return a.topic == floor_out(qos); },
                               std::chrono::milliseconds(200)))
            probe.publish(floor_in(qos), "press", qos);
        for (int i = 0; i < warmup; ++i) {
            floor_round(nullptr);
            cue_round(nullptr);
        }
        Samples floor, cue;
        for (int done = 0; done < rounds; done += block_size) {
            const int n = std::min(block_size, rounds - done);
            block(probe, floor_pid, n, floor, floor_round);
            block(probe, haven.pid(), n, cue, cue_round);
        }
        probe.drain(std::chrono::milliseconds(1500));
        // The light path: the first step of the cue's fade. The engine gives every cue a fade
        // of at least 1 s and the light rig sends a fade's first step one step interval
        // (250 ms) after it starts, so this is ~250 ms by design; the lateness over that is
        // printed too.
        Samples light;
        const double light_cpu_before = process_cpu_seconds(haven.pid());
        for (int i = 0; i < light_rounds; ++i) {
            one_round(
                probe, kButton, presses.next(), qos,
                [](const Arrival& a) { return a.topic == kLightSet; }, &light);
        }
        light.cpu_seconds = process_cpu_seconds(haven.pid()) - light_cpu_before;
        probe.drain(std::chrono::milliseconds(1500));

        const std::string q = " qos" + std::to_string(qos);
        print_path("floor echo" + q, floor);
        print_path("haven button->cue event" + q, cue);
        print_path("haven button->light command" + q, light);
        std::vector<double> late;
        for (double us : light.latency_us)
            late.push_back(us - 250000.0);
        std::printf(
            "%s\n",
            format_summary("  light lateness over 250ms step" + q, summarize(late)).c_str());
        const auto f = summarize(floor.latency_us);
        const auto c = summarize(cue.latency_us);
        if (f.p50 > 0 && f.p99 > 0 && cpu_per(floor) > 0) {
            std::printf(
                "ratio haven cue / floor%s: p50 %.2fx (target <=1.5x)  p99 %.2fx (target <=2x)  "
                "cpu %.2fx (target <=3x)\n",
                q.c_str(), c.p50 / f.p50, c.p99 / f.p99, cpu_per(cue) / cpu_per(floor));
        }
        std::fflush(stdout);
    }
    std::printf("haven peak RSS after reaction bench: %ld kB\n", process_peak_rss_kb(haven.pid()));
    return 0;
}

}  // namespace haven::bench
