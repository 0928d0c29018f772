// Soak: a time-scaled day of back-to-back sessions of the `soak` template (bench-templates.yaml)
// with a cue every couple of seconds of real time, sampling the daemon's resident set and open
// file descriptors as it goes. Reports first/last/max RSS and fds (flat is the target), the
// reminders the day should have raised against those that arrived (each is acknowledged, so a
// `reminder_missed` event is a failure too), reminder lateness across the whole day (drift), and
// the player's underrun count from the state document when the room plays music.

#include <dirent.h>

#include <algorithm>
#include <cstdio>
#include <cstring>
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

const std::string kLightSet = "zigbee2mqtt/bench/light/set";
const std::string kEvents = "haven/bench/events";
const std::string kState = "haven/bench/state";
const std::string kCmd = "haven/bench/cmd/";

struct ResourceSample {
    double at_s = 0;
    long rss_kb = 0;
    long anon_kb = 0;
    long fds = 0;
    long threads = 0;
};

long open_fds(pid_t pid) {
    long count = 0;
    if (DIR* dir = opendir(("/proc/" + std::to_string(pid) + "/fd").c_str())) {
        while (const dirent* entry = readdir(dir))
            if (entry->d_name[0] != '.') ++count;
        closedir(dir);
    }
    return count;
}

long status_kb(pid_t pid, const char* field) {
    FILE* in = std::fopen(("/proc/" + std::to_string(pid) + "/status").c_str(), "r");
    if (!in) return -1;
    char line[256];
    long value = -1;
    const std::size_t len = std::strlen(field);
    while (std::fgets(line, sizeof line, in))
        if (std::strncmp(line, field, len) == 0 && line[len] == ':')
            value = std::atol(line + len + 1);
    std::fclose(in);
    return value;
}

ResourceSample sample(pid_t pid, double at_s) {
    return {at_s, status_kb(pid, "VmRSS"), status_kb(pid, "RssAnon"), open_fds(pid),
            process_threads(pid)};
}

// The cues a therapist and a button send during a session, in turn; assist is always cleared
// by the next cue so phase scenes keep applying.
struct Cue {
    const char* command;
    const char* payload;
};
constexpr Cue kCues[] = {
    {"lights_up", ""},    {"lights_down", ""}, {"mark", R"({"text":"soak"})"}, {"assist", ""},
    {"assist_clear", ""}, {"music_next", ""},  {"volume", R"({"volume":40})"}};

}  // namespace

int run_soak_bench(const Args& args) {
    const int port = std::stoi(args.text("port"));
    const double scale = std::stod(args.text("time-scale", "150"));
    const double hours = std::stod(args.text("hours", "24"));
    const int cue_every_ms = args.number("cue-every-ms", 2000);
    const double sample_every_s = args.number("sample-every-s", 5);
    const std::string haven_bin = args.text("haven");
    const std::string config = args.text("config");
    const std::string logs = args.text("log-dir", "/tmp");
    const std::string audio = args.text("audio", "unspecified");

    // Session script in engine seconds from its start: T0 at 5 min, infusion 40 min, `end`
    // two minutes after the last phase's planned end, then a minute's gap to the next session.
    const double t0_s = 300, infusion_s = 2400;
    const auto plan = read_session_plan(haven_bin, config, "soak", "5m", "40m");
    double last_end_s = 0;
    for (const auto& p : plan.phases)
        last_end_s = std::max(last_end_s, p.end_s);
    const double end_s = t0_s + last_end_s + 120, gap_s = 60;
    std::size_t reminders_per_session = 0;
    for (const auto& [id, at] : plan.reminder_at_s)
        reminders_per_session += at.size();
    const auto real = [scale](double engine_s) {
        return std::chrono::microseconds(static_cast<long>(engine_s * 1e6 / scale));
    };
    const double day_s = hours * 3600;

    ChildProcess haven({haven_bin, "run", "--config", config, "--state-dir", args.text("state-dir"),
                        "--time-scale", args.text("time-scale", "150")},
                       logs + "/haven-soak.log", "haven ready");
    if (!haven.wait_for_marker(std::chrono::seconds(15)))
        throw std::runtime_error("haven did not log 'haven ready'");
    ProbeClient probe("bench-soak-probe", port);
    probe.subscribe(kLightSet, 0);
    probe.subscribe(kEvents, 1);
    probe.subscribe(kState, 1);
    probe.drain(std::chrono::milliseconds(500));

    const auto run_start = Clock::now();
    const auto seconds_since = [&](Clock::time_point at) {
        return std::chrono::duration<double>(at - run_start).count();
    };
    std::vector<ResourceSample> samples{sample(haven.pid(), 0)};
    auto next_sample =
        run_start + std::chrono::milliseconds(static_cast<long>(sample_every_s * 1e3));
    LatenessSeries reminder_late("reminder alert (all sessions)");
    std::vector<double> t0_delay_us;  // how far each session's T0 reference trails our command
    int sessions = 0, alerts = 0, journaled = 0, missed_events = 0, rejected = 0, ended = 0;
    int cues_sent = 0;
    long underruns = 0;
    std::string music_state = "(none)";

    // Runs the probe until `until`, handling arrivals and taking resource samples.
    std::optional<Clock::time_point> session_t0;
    Clock::time_point infusion_sent{};
    std::map<std::string, int> alerts_this_session;
    auto pump = [&](Clock::time_point until) {
        while (Clock::now() < until) {
            probe.wait_for(
                [&](const Arrival& a) {
                    if (a.topic == kLightSet) {
                        if (!session_t0 && infusion_sent != Clock::time_point{} &&
                            a.at > infusion_sent) {
                            session_t0 = a.at;
                            t0_delay_us.push_back(micros_between(infusion_sent, a.at));
                        }
                        return false;
                    }
                    const auto json = nlohmann::json::parse(a.payload, nullptr, false);
                    if (json.is_discarded() || !json.is_object()) return false;
                    if (a.topic == kState) {
                        const auto& music = json.value("audio", nlohmann::json());
                        if (music.is_object()) {
                            underruns = std::max(underruns, music.value("underruns", 0L));
                            music_state = music.value("state", "?");
                        }
                        return false;
                    }
                    const auto type = json.value("type", "");
                    if (type == "reminder_due") ++journaled;
                    if (type == "reminder_missed") ++missed_events;
                    if (type == "command_rejected") ++rejected;
                    if (type == "session_ended") ++ended;
                    if (type == "alert" && json.value("kind", "") == "reminder_due") {
                        ++alerts;
                        for (const auto& [id, text] : plan.reminder_text) {
                            if (text != json.value("text", "")) continue;
                            const auto seq = ++alerts_this_session[id];
                            const auto& at = plan.reminder_at_s.at(id);
                            if (session_t0 && static_cast<std::size_t>(seq) <= at.size()) {
                                const auto due = *session_t0 + real(at[seq - 1]);
                                reminder_late.add(seconds_since(due), micros_between(due, a.at));
                            }
                            probe.publish(kCmd + "ack", R"({"reminder":")" + id + "\"}", 1);
                        }
                    }
                    return false;
                },
                std::chrono::milliseconds(50));
            if (Clock::now() >= next_sample) {
                samples.push_back(sample(haven.pid(), seconds_since(Clock::now())));
                next_sample += std::chrono::milliseconds(static_cast<long>(sample_every_s * 1e3));
            }
        }
    };

    const auto day_end = run_start + real(day_s);
    while (Clock::now() + real(end_s + gap_s) <= day_end) {
        const auto start = Clock::now();
        session_t0.reset();
        infusion_sent = {};
        alerts_this_session.clear();
        probe.publish(kCmd + "start", R"({"template":"soak"})", 1);
        ++sessions;
        pump(start + real(t0_s));
        infusion_sent = Clock::now();
        probe.publish(kCmd + "infusion_start", "", 1);
        auto next_cue = infusion_sent + std::chrono::seconds(1);
        const auto stop_at = start + real(t0_s + infusion_s);
        bool stopped = false;
        const auto end_at = start + real(end_s);
        std::size_t cue = 0;
        while (Clock::now() < end_at) {
            auto wake = std::min({next_cue, end_at, stopped ? end_at : stop_at});
            pump(wake);
            if (!stopped && Clock::now() >= stop_at) {
                probe.publish(kCmd + "infusion_stop", "", 1);
                stopped = true;
            }
            if (Clock::now() >= next_cue && Clock::now() + std::chrono::seconds(1) < end_at) {
                const auto& c = kCues[cue++ % std::size(kCues)];
                probe.publish(kCmd + c.command, c.payload, 1);
                ++cues_sent;
                next_cue += std::chrono::milliseconds(cue_every_ms);
            }
        }
        probe.publish(kCmd + "assist_clear", "", 1);  // refused (harmless) unless raised
        probe.publish(kCmd + "end", R"({"force":true})", 1);
        pump(end_at + real(gap_s));
    }
    pump(Clock::now() + std::chrono::seconds(1));
    samples.push_back(sample(haven.pid(), seconds_since(Clock::now())));
    const double wall_s = seconds_since(Clock::now());
    haven.stop();

    const int expected = sessions * static_cast<int>(reminders_per_session);
    std::printf(
        "# soak: %.1f h at --time-scale %g = %.0f s of real time; %d sessions of the "
        "'soak' template back to back, a cue every %d ms (%d sent); audio: %s\n",
        hours, scale, wall_s, sessions, cue_every_ms, cues_sent, audio.c_str());
    std::printf("# target: RSS and fd count flat, no underruns, no missed reminders\n");
    auto max_of = [&](auto field) {
        long m = 0;
        for (const auto& s : samples)
            m = std::max(m, field(s));
        return m;
    };
    const auto& first = samples.front();
    const auto& second = samples.size() > 1 ? samples[1] : samples.front();
    const auto& last = samples.back();
    std::printf("samples every %.0f s: %zu\n", sample_every_s, samples.size());
    std::printf(
        "VmRSS   at ready %7.1f MB  first sample in session %7.1f MB  last %7.1f MB  max %7.1f "
        "MB\n",
        first.rss_kb / 1024.0, second.rss_kb / 1024.0, last.rss_kb / 1024.0,
        max_of([](const ResourceSample& s) { return s.rss_kb; }) / 1024.0);
    std::printf(
        "RssAnon at ready %7.1f MB  first sample in session %7.1f MB  last %7.1f MB  max %7.1f "
        "MB\n",
        first.anon_kb / 1024.0, second.anon_kb / 1024.0, last.anon_kb / 1024.0,
        max_of([](const ResourceSample& s) { return s.anon_kb; }) / 1024.0);
    std::printf(
        "open fds at ready %ld  first sample in session %ld  last %ld  max %ld;  threads %ld -> "
        "%ld\n",
        first.fds, second.fds, last.fds, max_of([](const ResourceSample& s) { return s.fds; }),
        first.threads, last.threads);
    std::printf("over the day (every tenth of the samples): t_s rss_MB anon_MB fds\n ");
    const std::size_t stride = std::max<std::size_t>(1, samples.size() / 10);
    for (std::size_t i = 0; i < samples.size(); i += stride)
        std::printf(" [%.0f %.1f %.1f %ld]", samples[i].at_s, samples[i].rss_kb / 1024.0,
                    samples[i].anon_kb / 1024.0, samples[i].fds);
    std::printf("\n");
    std::printf(
        "reminders: expected %d (%zu per session), alerts %d, reminder_due events %d, "
        "reminder_missed events %d -> missed %d\n",
        expected, reminders_per_session, alerts, journaled, missed_events,
        std::max(0, expected - alerts) + missed_events);
    reminder_late.print();
    std::printf(
        "%s\n",
        format_summary("  T0 ref after infusion_start sent", summarize(t0_delay_us)).c_str());
    std::printf(
        "sessions ended %d of %d; commands rejected %d (assist_clear with no assist "
        "raised is expected to be)\n",
        ended, sessions, rejected);
    std::printf("music: last state '%s', underruns %ld (player's count in the state document)\n",
                music_state.c_str(), underruns);
    return 0;
}

}  // namespace haven::bench
