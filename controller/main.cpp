// haven: the room daemon and its tools. Everything lives in libraries; this only hands
// the command line to the CLI.
#include "cli.hpp"

int main(int argc, char** argv) {
    return haven::cli::run(argc, argv);
}
