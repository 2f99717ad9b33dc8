/*
 * main.c: the duiding program: one binary that is both the CLI and the server.
 */
#include "cli/cli.h"

int main(int argc, char **argv)
{
    return cli_main(argc, argv);
}
