// Turning the session's state into device effects: resolved scenes and music volume.
#include <algorithm>

#include "session_state.hpp"

namespace haven::engine {

Millis gentle(Millis fade) {
    return std::max(fade, minimum_fade);
}

double clamp_volume(const Session& s, double volume) {
    return std::clamp(volume, 0.0, std::clamp(s.config->audio.max_volume, 0.0, 100.0));
}

std::string_view to_string(AssistLevel level) {
    switch (level) {
        case AssistLevel::none:
            return "none";
        case AssistLevel::calm:
            return "calm";
        case AssistLevel::emergency:
            return "emergency";
    }
    return "none";
}

// Emergency fades the music to 0 rather than stopping it, so that clearing brings the
// session's music back where it was.
double playing_volume(const Session& s) {
    switch (s.assist_level) {
        case AssistLevel::none:
            return s.volume;
        case AssistLevel::calm:
            return std::min(s.volume, s.config->assist.duck_music_to);
        case AssistLevel::emergency:
            return 0;
    }
    return s.volume;
}

SceneEffect scene_effect(const Session& s, const std::string& scene_id, double offset,
                         Millis fade) {
    SceneEffect effect{scene_id, {}, gentle(fade)};
    if (const auto* scene = s.config->find_scene(scene_id)) {
        for (const auto& [light, target] : scene->lights) {
            auto resolved = target;
            resolved.level = std::clamp(target.level + offset, 0.0, 100.0);
            effect.targets.emplace(light, resolved);
        }
    }
    return effect;
}

SceneEffect phase_scene_effect(const Session& s, Millis fade) {
    return scene_effect(s, s.scene, s.lights_offset, fade);
}

std::optional<std::string> assist_scene_id(const Session& s) {
    switch (s.assist_level) {
        case AssistLevel::none:
            return std::nullopt;
        case AssistLevel::calm:
            return s.config->assist.scene;
        case AssistLevel::emergency:
            return s.config->assist.emergency.scene;
    }
    return std::nullopt;
}

// Callers pass gentle() fades: even the emergency level is never a hard cut, and since the
// loader caps its fade at 1 s, emergency light arrives in exactly minimum_fade.
SceneEffect assist_scene_effect(const Session& s, Millis fade) {
    return scene_effect(s, assist_scene_id(s).value_or(s.scene), 0, fade);
}

}  // namespace haven::engine
