// Cue -> reaction: a probe presses a zigbee2mqtt button and times what comes back, one press
// in flight. Two processes in one run, so ratios hold on a noisy machine:
//   floor   floor_echo republishes a fixed payload per message (the least a client can do)
//   haven   the press reaches the engine; each round times both the first light command on the
//           light's /set topic (the reaction the room feels; devices never wait for the disk)
//           and the `cue` event on <prefix>/<room>/events (published only once the journal
//           has the cue on disk, so it carries a commit)
// Floor and Haven rounds alternate in blocks; CPU per reaction is each process's
// /proc/<pid>/stat time over its own blocks divided by its rounds.

#include <cstdio>
#include <map>
#include <memory>
#include <optional>
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
    std::map<std::string, double> cpu_by_thread;  // thread name -> seconds
    int timeouts = 0;
};

double cpu_per(const Samples& s, double seconds) {
    return s.latency_us.empty() ? 0 : seconds / static_cast<double>(s.latency_us.size());
}
double cpu_per(const Samples& s) {
    return cpu_per(s, s.cpu_seconds);
}
double thread_cpu_per(const Samples& s, const std::string& thread) {
    auto it = s.cpu_by_thread.find(thread);
    return it == s.cpu_by_thread.end() ? 0 : cpu_per(s, it->second);
}

// The floor: one message in, one out.
void floor_round(ProbeClient& probe, int qos, Samples* out) {
    const auto sent = Clock::now();
    probe.publish(floor_in(qos), "press", qos);
    Clock::time_point at;
    const bool ok = probe.wait_for(
        [&](const Arrival& a) {
            if (a.topic != floor_out(qos)) return false;
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

// Haven: one press, timed until both its first light command and its cue event are back.
struct HavenRound {
    Samples light;
    Samples event;
    int strays = 0;  // messages already waiting before a press: counted, never timed
};

void haven_round(ProbeClient& probe, Presses& presses, int qos, HavenRound* out) {
    const int strays = probe.poll();
    const auto sent = Clock::now();
    probe.publish(kButton, presses.next(), qos);
    std::optional<Clock::time_point> light_at, event_at;
    probe.wait_for(
        [&](const Arrival& a) {
            if (!light_at && a.topic == kLightSet) light_at = a.at;
            if (!event_at && is_cue_event(a)) event_at = a.at;
            return light_at && event_at;
        },
        std::chrono::seconds(2));
    if (!out) return;
    out->strays += strays;
    auto note = [&](Samples& s, const std::optional<Clock::time_point>& at) {
        if (at)
            s.latency_us.push_back(micros_between(sent, *at));
        else
            ++s.timeouts;
    };
    note(out->light, light_at);
    note(out->event, event_at);
}

void print_path(const std::string& label, const Samples& s) {
    std::printf("%s\n", format_summary(label, summarize(s.latency_us)).c_str());
    std::printf("%-34s cpu/reaction=%.1f us  timeouts=%d\n", "", cpu_per(s) * 1e6, s.timeouts);
    if (s.cpu_by_thread.empty()) return;
    std::printf("%-34s   by thread:", "");
    for (const auto& [thread, seconds] : s.cpu_by_thread)
        std::printf(" %s %.1f us", thread.c_str(), cpu_per(s, seconds) * 1e6);
    std::printf("\n");
}

void print_ratio(const std::string& what, const Samples& haven, const Samples& floor,
                 bool with_cpu) {
    const auto f = summarize(floor.latency_us);
    const auto h = summarize(haven.latency_us);
    if (f.p50 <= 0 || f.p99 <= 0) return;
    std::printf("ratio %-33s p50 %.2fx (target <=1.5x)  p99 %.2fx (target <=2x)", what.c_str(),
                h.p50 / f.p50, h.p99 / f.p99);
    if (with_cpu && cpu_per(floor) > 0) {
        std::printf("  cpu %.2fx (target <=3x)", cpu_per(haven) / cpu_per(floor));
        // The reaction itself runs on the control loop ("haven"); the journal writer's commit
        // is off that thread (and the floor keeps no journal), so it is shown apart too.
        if (const double loop = thread_cpu_per(haven, "haven"); loop > 0)
            std::printf("  control loop alone %.2fx", loop / cpu_per(floor));
    }
    std::printf("\n");
}

}  // namespace

int run_reaction_bench(const Args& args) {
    const int port = std::stoi(args.text("port"));
    const int rounds = args.number("rounds", 2000);
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
                        logs + "/floor-q0.log", "floor ready");
    ChildProcess floor1({args.text("floor"), std::to_string(port), floor_in(1), floor_out(1), "1"},
                        logs + "/floor-q1.log", "floor ready");
    if (!floor0.wait_for_marker(std::chrono::seconds(5)) ||
        !floor1.wait_for_marker(std::chrono::seconds(5)))
        throw std::runtime_error("floor_echo did not start (see " + logs + "/floor-q*.log)");

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
        "# cue -> reaction, one press in flight, %d rounds per process and QoS after %d warm-up;\n"
        "# floor and haven alternate in blocks of %d\n",
        rounds, warmup, block_size);
    for (int qos : {0, 1}) {
        probe.subscribe(kEvents, qos);
        probe.subscribe(kLightSet, qos);
        probe.subscribe(floor_out(qos), qos);
        const pid_t floor_pid = qos == 0 ? floor0.pid() : floor1.pid();
        // The floor client's first SUBSCRIBE may still be in flight: press until it answers.
        while (!probe.wait_for([&](const Arrival& a) { return a.topic == floor_out(qos); },
                               std::chrono::milliseconds(200)))
            probe.publish(floor_in(qos), "press", qos);
        for (int i = 0; i < warmup; ++i) {
            floor_round(probe, qos, nullptr);
            haven_round(probe, presses, qos, nullptr);
        }
        probe.drain(std::chrono::milliseconds(300));
        Samples floor;
        HavenRound h;
        for (int done = 0; done < rounds; done += block_size) {
            const int n = std::min(block_size, rounds - done);
            double before = process_cpu_seconds(floor_pid);
            for (int i = 0; i < n; ++i)
                floor_round(probe, qos, &floor);
            floor.cpu_seconds += process_cpu_seconds(floor_pid) - before;
            before = process_cpu_seconds(haven.pid());
            const auto threads_before = thread_cpu_seconds(haven.pid());
            for (int i = 0; i < n; ++i)
                haven_round(probe, presses, qos, &h);
            const double used = process_cpu_seconds(haven.pid()) - before;
            // One press yields both figures, so both carry the whole CPU of the press.
            h.light.cpu_seconds += used;
            h.event.cpu_seconds += used;
            for (const auto& [thread, seconds] : thread_cpu_seconds(haven.pid())) {
                const auto was = threads_before.find(thread);
                const double spent = seconds - (was == threads_before.end() ? 0.0 : was->second);
                h.light.cpu_by_thread[thread] += spent;
                h.event.cpu_by_thread[thread] += spent;
            }
        }
        probe.drain(std::chrono::milliseconds(1500));

        const std::string q = " qos" + std::to_string(qos);
        print_path("floor echo" + q, floor);
        print_path("haven button->light command" + q, h.light);
        print_path("haven button->cue event" + q, h.event);
        if (h.strays) std::printf("stray messages before a press (not timed): %d\n", h.strays);
        print_ratio("haven light / floor" + q + ":", h.light, floor, true);
        print_ratio("haven cue event / floor" + q + ":", h.event, floor, false);
        std::fflush(stdout);
    }
    std::printf("haven peak RSS after reaction bench: %ld kB\n", process_peak_rss_kb(haven.pid()));
    return 0;
}

}  // namespace haven::bench
