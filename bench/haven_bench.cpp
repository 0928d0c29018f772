// haven_bench reaction|startup|audio|timeline|soak --port P --haven BIN --config ROOM.yaml ...
// Normally run by bench/run.sh, which starts the broker and writes the room file.

#include <cstdio>
#include <exception>
#include <stdexcept>

#include "bench_commands.hpp"

namespace haven::bench {

Args::Args(int argc, char** argv, int first) {
    for (int i = first; i + 1 < argc; i += 2) {
        std::string key = argv[i];
        if (key.rfind("--", 0) != 0) throw std::runtime_error("expected --key value, got " + key);
        values_[key.substr(2)] = argv[i + 1];
    }
}

std::string Args::text(const std::string& key) const {
    auto it = values_.find(key);
    if (it == values_.end()) throw std::runtime_error("missing --" + key);
    return it->second;
}

std::string Args::text(const std::string& key, const std::string& fallback) const {
    auto it = values_.find(key);
    return it == values_.end() ? fallback : it->second;
}

int Args::number(const std::string& key, int fallback) const {
    auto it = values_.find(key);
    return it == values_.end() ? fallback : std::stoi(it->second);
}

}  // namespace haven::bench

int main(int argc, char** argv) {
    using namespace haven::bench;
    if (argc < 2) {
        std::fprintf(
            stderr,
            "usage: haven_bench reaction|startup|audio|timeline|soak --port P --haven BIN ...\n");
        return 2;
    }
    try {
        const std::string which = argv[1];
        Args args(argc, argv, 2);
        if (which == "reaction") return run_reaction_bench(args);
        if (which == "startup") return run_startup_bench(args);
        if (which == "audio") return run_audio_bench(args);
        if (which == "timeline") return run_timeline_bench(args);
        if (which == "soak") return run_soak_bench(args);
        std::fprintf(stderr, "haven_bench: unknown benchmark '%s'\n", which.c_str());
    } catch (const std::exception& e) {
        std::fprintf(stderr, "haven_bench: %s\n", e.what());
        return 1;
    }
    return 2;
}
