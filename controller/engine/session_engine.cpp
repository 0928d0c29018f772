// SessionEngine: session lifecycle, debounce and the order of work within one call.
#include "session_engine.hpp"

#include "record_type.hpp"
#include "session_state.hpp"

namespace haven::engine {

std::string source_text(const CommandSource& source) {
    std::string text{to_string(source.kind)};
    if (!source.id.empty()) text += ":" + source.id;
    return text;
}

SessionEngine::SessionEngine(std::shared_ptr<const config::RoomConfig> config)
    : config_(std::move(config)) {}
SessionEngine::~SessionEngine() = default;
SessionEngine::SessionEngine(SessionEngine&&) noexcept = default;
SessionEngine& SessionEngine::operator=(SessionEngine&&) noexcept = default;

void SessionEngine::set_config(std::shared_ptr<const config::RoomConfig> config) {
    config_ = std::move(config);
}

bool SessionEngine::session_open() const {
    return session_ != nullptr;
}

namespace {

std::optional<std::string> check_start(const config::RoomConfig* config, const Command& command,
                                       std::string_view session_id) {
    if (session_id.empty()) return "start needs a session id";
    if (config == nullptr) return "no room config is loaded";
    const auto* found = config->find_template(command.argument);
    if (found == nullptr) return "no template named '" + command.argument + "'";
    if (found->phases.empty()) return "template '" + command.argument + "' has no phases";
    return std::nullopt;
}

}  // namespace

Outcome SessionEngine::handle(const Command& command, const CommandSource& source, EngineTime now,
                              std::string_view new_session_id) {
    Outcome outcome = advance(now);
    if (session_) now = session_->clocks.at;  // time never runs backwards
    Emitter out{outcome};
    const std::string from = source_text(source);

    // Identical cues from one source closer than the debounce are accidental double presses.
    const std::string debounce_key = from + "|" + format_cue(command);
    const Millis debounce = config_ ? config_->cues.debounce : Millis{1000};
    std::optional<std::string> reason;
    if (auto last = last_accepted_cue_.find(debounce_key);
        last != last_accepted_cue_.end() && now - last->second < debounce) {
        reason = "duplicate cue within debounce";
    } else if (command.kind == CommandKind::start) {
        if (session_) {
            reason = "a session is already open";
        } else if (!(reason = check_start(config_.get(), command, new_session_id))) {
            last_accepted_cue_.clear();  // a replayed session starts from the same blank slate
            session_ = std::make_unique<Session>();
            auto& s = *session_;
            s.config = config_;
            s.plan = *config_->find_template(command.argument);
            s.id = new_session_id;
            s.started_at = now;
            s.clocks.at = now;
            s.reminders.resize(s.plan.reminders.size());
            outcome.records.push_back(Record{now,
                                             {{"type", to_string(RecordType::session_started)},
                                              {"session", s.id},
                                              {"template", s.plan.id},
                                              {"template_name", s.plan.name},
                                              {"source", from}}});
            enter_phase(s, 0, out);
        }
    } else if (!session_) {
        reason = "no session is open";
    } else {
        reason = apply_command(*session_, command, from, now, out);
        if (!reason && command.kind == CommandKind::end) session_.reset();
    }

    if (reason) {
        outcome.accepted = false;
        outcome.reason = *reason;
        outcome.records.push_back(Record{now,
                                         {{"type", to_string(RecordType::command_rejected)},
                                          {"command", std::string(to_string(command.kind))},
                                          {"cue", format_cue(command)},
                                          {"reason", *reason},
                                          {"source", from}}});
        return outcome;
    }
    last_accepted_cue_[debounce_key] = now;
    // Anything the command made due now (infusion_start ends an `until: infusion_start` phase).
    if (session_) advance_session(*session_, now, out);
    return outcome;
}

Outcome SessionEngine::advance(EngineTime now) {
    Outcome outcome;
    if (session_) {
        Emitter out{outcome};
        advance_session(*session_, now, out);
    }
    return outcome;
}

std::optional<EngineTime> SessionEngine::next_wake() const {
    if (!session_) return std::nullopt;
    auto next = next_event(*session_);
    if (next && *next < session_->clocks.at) next = session_->clocks.at;
    return next;
}

std::vector<Effect> SessionEngine::reassert(EngineTime /*now*/) const {
    std::vector<Effect> effects;
    if (!session_) return effects;
    const auto& s = *session_;
    if (s.assist_level != AssistLevel::none) {
        effects.push_back(assist_scene_effect(s, reassert_fade));
    } else if (!s.scene.empty()) {
        effects.push_back(phase_scene_effect(s, reassert_fade));
    }
    if (s.playlist) effects.push_back(MusicEffect{s.playlist, playing_volume(s), reassert_fade});
    return effects;
}

}  // namespace haven::engine
