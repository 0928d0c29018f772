#pragma once
// The benchmarks haven_bench runs; each prints its figures to stdout and returns an exit code.

#include <map>
#include <string>

namespace haven::bench {

// --key value pairs from the command line.
class Args {
  public:
    Args(int argc, char** argv, int first);
    std::string text(const std::string& key) const;  // throws if missing
    std::string text(const std::string& key, const std::string& fallback) const;
    int number(const std::string& key, int fallback) const;

  private:
    std::map<std::string, std::string> values_;
};

int run_reaction_bench(const Args& args);
int run_startup_bench(const Args& args);
int run_audio_bench(const Args& args);
int run_timeline_bench(const Args& args);
int run_soak_bench(const Args& args);

}  // namespace haven::bench
