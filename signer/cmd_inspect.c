/* placeholder until the command lands in this session */
#include "cli.h"
int cmd_inspect(int argc, char **argv)
{
    (void)argc;
    (void)argv;
    cli_error("inspect: not built yet");
    return FWS_EXIT_IO;
}
