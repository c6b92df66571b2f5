#include "cli.hpp"

int main(int argc, char** argv) {
    return concbench::cli_main(argc, argv);
}
