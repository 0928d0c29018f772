// Timeline precision: how late the daemon's scheduled events reach MQTT against their schedule.
// One time-scaled session of the `timeline` template (bench/bench-templates.yaml); the schedule
// comes from `haven plan --json`. Lateness is arrival at the probe minus the due time, where due
// = T0 + planned offset / time scale and T0 is the arrival of the first light command after the
// probe sent `infusion_start` (that command leaves in the same loop turn the session's T0 is
// taken, over the same path as everything measured, so the broker hop cancels out).
// Measured: the light command of each phase change; every fade step after it, against the rig's
// fixed grid (phase start + k * 250 ms, devices/lights/light_rig.hpp kStepInterval); reminder
// alerts (published at once); and, separately, what waits on other work: the state document
// (posted after the loop turn) and the phase_entered / reminder_due events, which the daemon
// publishes only once their journal records are durable (controller/daemon/daemon_commands.cpp).
// Run with the other core busy: bench/run.sh starts stress-ng --cpu 1 around it.

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <map>
#include <nlohmann/json.hpp>
#include <optional>
#include <stdexcept>

#include "bench_commands.hpp"
#include "child_process.hpp"
#include "lateness.hpp"
#include "probe_client.hpp"
#include "session_plan_reader.hpp"

namespace haven::bench {

namespace {

constexpr double kStepMs = 250.0;  // LightRig's kStepInterval
const std::string kLightSet = "zigbee2mqtt/bench/light/set";
const std::string kEvents = "haven/bench/events";
const std::string kState = "haven/bench/state";

struct TimelineSeries {
    LatenessSeries phase_light{"phase change: light command"};
    LatenessSeries fade_step{"fade step (vs 250 ms grid)"};
    LatenessSeries reminder_alert{"reminder: alert event"};
    LatenessSeries state{"phase change: state document"};
    LatenessSeries phase_event{"phase_entered event (journaled)"};
    LatenessSeries reminder_event{"reminder_due event (journaled)"};
    LatenessSeries fade_slip{"fade: last step - first step"};
    int unmatched = 0;
};

// The latest phase due at or before `offset_ms` (+ half a step, so a slightly early step still
// belongs to its phase); -1 before the first.
int phase_at(const PlannedSchedule& plan, double scale, double offset_ms) {
    int found = -1;
    for (std::size_t i = 0; i < plan.phases.size(); ++i)
        if (plan.phases[i].start_s >= 0 &&
            plan.phases[i].start_s * 1000.0 / scale <= offset_ms + kStepMs / 2)
            found = static_cast<int>(i);
    return found;
}

void analyse(const std::vector<Arrival>& arrivals, Clock::time_point t0,
             const PlannedSchedule& plan, double scale, double horizon_ms, TimelineSeries& out) {
    auto offset_ms = [&](Clock::time_point at) { return micros_between(t0, at) / 1000.0; };
    std::map<std::string, int> alerts_seen;  // reminder id -> alerts so far (alerts carry no seq)
    std::map<int, std::pair<double, double>> fade_ends;  // phase -> (first step, last step) late
    std::string last_state_phase;
    bool first_light = true;
    for (const auto& a : arrivals) {
        const double at_ms = offset_ms(a.at);
        if (a.topic == kLightSet) {
            if (first_light) {  // the reference itself
                first_light = false;
                continue;
            }
            const int i = phase_at(plan, scale, at_ms);
            if (i < 0) {
                ++out.unmatched;
                continue;
            }
            const double phase_ms = plan.phases[i].start_s * 1000.0 / scale;
            const double fade_ms = std::floor(plan.phases[i].fade_s * 1000.0 / scale);
            const double within = at_ms - phase_ms;
            const double k = std::round(within / kStepMs);
            const double due_ms = phase_ms + std::min(k * kStepMs, fade_ms);
            const double late_us = (at_ms - due_ms) * 1000.0;
            if (k == 0) {
                out.phase_light.add(due_ms / 1000.0, late_us);
            } else if (k * kStepMs <= fade_ms + kStepMs / 2) {
                out.fade_step.add(due_ms / 1000.0, late_us);
                auto [it, fresh] = fade_ends.try_emplace(i, late_us, late_us);
                if (!fresh) it->second.second = late_us;
            } else {
                ++out.unmatched;
            }
            continue;
        }
        const auto json = nlohmann::json::parse(a.payload, nullptr, false);
        if (json.is_discarded() || !json.is_object()) continue;
        if (a.topic == kState) {
            const auto& session = json.value("session", nlohmann::json());
            if (!session.is_object() || !session.contains("phase")) continue;
            const auto phase = session.at("phase").get<std::string>();
            if (phase == last_state_phase) continue;
            last_state_phase = phase;
            for (const auto& p : plan.phases)
                if (p.id == phase && p.start_s >= 0)
                    out.state.add(p.start_s / scale, (at_ms - p.start_s * 1000.0 / scale) * 1000.0);
            continue;
        }
        const auto type = json.value("type", "");
        double due_s = -1;
        LatenessSeries* series = nullptr;
        if (type == "phase_entered") {
            for (const auto& p : plan.phases)
                if (p.id == json.value("phase", "") && p.start_s >= 0) due_s = p.start_s;
            series = &out.phase_event;
        } else if (type == "reminder_due") {
            const auto& at = plan.reminder_at_s.at(json.value("reminder", ""));
            const auto seq = json.value("seq", 0);
            if (seq >= 1 && static_cast<std::size_t>(seq) <= at.size()) due_s = at[seq - 1];
            series = &out.reminder_event;
        } else if (type == "alert" && json.value("kind", "") == "reminder_due") {
            for (const auto& [id, text] : plan.reminder_text) {
                if (text != json.value("text", "")) continue;
                const auto seq = ++alerts_seen[id];
                const auto& at = plan.reminder_at_s.at(id);
                if (static_cast<std::size_t>(seq) <= at.size()) due_s = at[seq - 1];
            }
            series = &out.reminder_alert;
        }
        if (!series) continue;
        if (due_s < 0 || due_s * 1000.0 / scale > horizon_ms + 1500) {
            ++out.unmatched;
            continue;
        }
        series->add(due_s / scale, (at_ms - due_s * 1000.0 / scale) * 1000.0);
    }
    for (const auto& [phase, ends] : fade_ends)
        out.fade_slip.add(plan.phases[phase].start_s / scale, ends.second - ends.first);
}

}  // namespace

int run_timeline_bench(const Args& args) {
    const int port = std::stoi(args.text("port"));
    const double scale = std::stod(args.text("time-scale", "60"));
    const std::string haven_bin = args.text("haven");
    const std::string config = args.text("config");
    const std::string logs = args.text("log-dir", "/tmp");
    const std::string load = args.text("load", "unspecified");
    const auto plan = read_session_plan(haven_bin, config, "timeline", "10m");

    double horizon_s = 0;  // the end of the last phase's fade, engine seconds from T0
    for (const auto& p : plan.phases)
        horizon_s = std::max(horizon_s, p.start_s + p.fade_s);
    const double horizon_ms = horizon_s * 1000.0 / scale;

    ChildProcess haven({haven_bin, "run", "--config", config, "--state-dir", args.text("state-dir"),
                        "--time-scale", args.text("time-scale", "60")},
                       logs + "/haven-timeline.log", "haven ready");
    if (!haven.wait_for_marker(std::chrono::seconds(15)))
        throw std::runtime_error("haven did not log 'haven ready'");
    ProbeClient probe("bench-timeline-probe", port);
    probe.subscribe(kLightSet, 0);
    probe.subscribe(kEvents, 1);
    probe.subscribe(kState, 1);
    probe.drain(std::chrono::seconds(1));
    probe.publish("haven/bench/cmd/start", R"({"template":"timeline"})", 1);
    probe.drain(std::chrono::milliseconds(1500));  // the arrival scene's short fade ends

    const auto sent = Clock::now();
    probe.publish("haven/bench/cmd/infusion_start", "", 1);
    std::vector<Arrival> arrivals;
    std::optional<Clock::time_point> t0;
    const auto until = sent + std::chrono::milliseconds(static_cast<long>(horizon_ms) + 2500);
    while (Clock::now() < until) {
        probe.wait_for(
            [&](const Arrival& a) {
                if (!t0 && a.topic == kLightSet) t0 = a.at;
                if (t0) arrivals.push_back(a);
                return false;
            },
            std::chrono::milliseconds(200));
    }
    probe.publish("haven/bench/cmd/end", R"({"force":true})", 1);
    probe.drain(std::chrono::milliseconds(300));
    const long rss_kb = process_rss_kb(haven.pid());
    haven.stop();
    if (!t0) throw std::runtime_error("no light command after infusion_start");

    TimelineSeries series;
    analyse(arrivals, *t0, plan, scale, horizon_ms, series);
    std::printf("# timeline precision: template 'timeline', --time-scale %g, %.0f s of session\n",
                scale, horizon_ms / 1000.0);
    std::printf(
        "# lateness = arrival at the probe - (T0 + planned offset / scale); target p99 < 2 ms\n");
    std::printf(
        "# T0 = first light command after infusion_start, %.1f us after the probe sent it\n",
        micros_between(sent, *t0));
    std::printf("# other load: %s\n", load.c_str());
    std::printf("sent at once (effects, before the journal):\n");
    series.phase_light.print();
    series.fade_step.print();
    series.reminder_alert.print();
    std::printf("after the loop turn (state) or the journal commit (events):\n");
    series.state.print();
    series.phase_event.print();
    series.reminder_event.print();
    std::printf("within each fade (slip of its last step against its first):\n");
    series.fade_slip.print();
    std::size_t expected = 0;
    for (const auto& [id, at] : plan.reminder_at_s)
        for (double t : at)
            if (t * 1000.0 / scale <= horizon_ms + 1500) ++expected;
    std::printf(
        "reminders due in the window %zu, alerts %zu, reminder_due events %zu; phases %zu\n",
        expected, series.reminder_alert.size(), series.reminder_event.size(),
        series.phase_light.size());
    std::printf("arrivals not matched to a scheduled event: %d; daemon RSS at the end %.1f MB\n",
                series.unmatched, rss_kb / 1024.0);
    return 0;
}

}  // namespace haven::bench
