// The wall panel's view of the room: what each hook answers, and the tech's tests of a light
// and the audio (never while a patient is in the chair).
#include <filesystem>

#include "daemon_impl.hpp"
#include "report.hpp"
#include "secret_file.hpp"

namespace haven::daemon {
namespace {

std::filesystem::path www_root() {
    if (const char* over = std::getenv("HAVEN_WWW")) return over;
    std::error_code ec;
    if (std::filesystem::is_directory(HAVEN_WWW_SOURCE, ec)) return HAVEN_WWW_SOURCE;
    return HAVEN_WWW_INSTALLED;
}

// The tech page's button table. Asked for on demand (GET /api/tech), never pushed: last-seen
// times change with every battery report and would make every MQTT state publish a new one.
nlohmann::json buttons_json(const buttons::ButtonRouter& router) {
    nlohmann::json all = nlohmann::json::array();
    for (const auto& b : router.status())
        all.push_back({{"id", b.id},
                       {"driver", b.driver},
                       {"available", b.available ? nlohmann::json(*b.available) : nullptr},
                       {"last_seen", b.last_seen ? nlohmann::json(journal::format_utc(*b.last_seen))
                                                 : nullptr}});
    return all;
}

}  // namespace

void RoomDaemon::Impl::start_panel() {
    panel::PanelOptions o{
        .address = config->panel.address,
        .port = config->panel.port,
        .therapist_pin = config::read_secret_file(config->panel.therapist_pin_file).value_or(""),
        .tech_pin = config::read_secret_file(config->panel.tech_pin_file).value_or(""),
        .www_root = www_root(),
        .allowed_hosts = config->panel.allowed_hosts};
    if (const auto& tls = config->panel.tls) o.tls = panel::PanelTls{tls->cert_file, tls->key_file};
    panel::PanelHooks hooks;
    hooks.state = [this] { return state(); };
    hooks.command = [this](const Command& c, const CommandSource& s, Reply reply) {
        pipeline.submit(c, s, std::move(reply));
    };
    hooks.tech_status = [this] {
        nlohmann::json events = nlohmann::json::array();
        for (const auto& e : broadcaster.recent_events())
            events.push_back(e);
        return nlohmann::json{
            {"lights", lights.levels_json()},
            {"buttons", buttons_json(buttons)},
            {"audio", music ? music->status_json() : nlohmann::json(nullptr)},
            {"mqtt",
             {{"connected", mqtt && mqtt->connected()},
              {"broker", config->mqtt.host + ":" + std::to_string(config->mqtt.port)}}},
            {"config",
             {{"file", options.config_file.string()},
              {"room", config->room.id},
              {"lights", config->lights.size()},
              {"scenes", config->scenes.size()},
              {"templates", config->templates.size()},
              {"errors", last_config_errors}}},
            {"events", events},
            {"version", options.version},
        };
    };
    hooks.test_light = [this](const std::string& light,
                              double level) -> std::optional<std::string> {
        // Never while a patient is in the chair: a test flash would be abrupt.
        if (pipeline.engine().session_open())
            return "a session is running; lights follow the session";
        if (!config->lights.contains(light)) return "no light named " + light + " in the config";
        lights.fade_to("test", {{light, config::LightTarget{.level = level}}}, Millis{1000});
        return std::nullopt;
    };
    hooks.test_tone = [this]() -> std::optional<std::string> {
        if (pipeline.engine().session_open())
            return "a session is running; the test tone would disturb it";
        if (!music) return "the room runs without an audio output";
        auto refused = music->play_test_tone();
        spdlog::info("audio: test tone from the tech page {}",
                     refused ? "refused: " + *refused : std::string{"playing"});
        return refused;
    };
    hooks.sessions = [this] {
        // Newest first, at most 200: a year of a busy room's sessions, one small table.
        constexpr std::size_t kMaxListed = 200;
        const auto all = journal->sessions();
        nlohmann::json list = nlohmann::json::array();
        for (auto it = all.rbegin(); it != all.rend() && list.size() < kMaxListed; ++it)
            list.push_back(journal::session_summary_json(*it));
        return list;
    };
    hooks.report = [this](const std::string& id,
                          const std::string& format) -> std::optional<std::string> {
        auto entries = journal->entries(id);
        if (entries.empty()) return std::nullopt;
        auto report = journal::build_report(entries);
        if (format == "csv") return journal::render_csv(report);
        if (format == "html") return journal::render_html(report);
        return journal::render_json(report);
    };
    panel = std::make_unique<panel::PanelServer>(io, std::move(o), std::move(hooks));
    panel->start();
}

}  // namespace haven::daemon
