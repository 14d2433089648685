package io.xdpgate.controlplane.cli;

import picocli.CommandLine.Command;

/** {@code xdpgate policy get|apply|validate}. */
@Command(name = "policy", description = "Show, check or replace the policy.",
        subcommands = {PolicyGetCommand.class, PolicyApplyCommand.class, PolicyValidateCommand.class})
final class PolicyCommand {
}
