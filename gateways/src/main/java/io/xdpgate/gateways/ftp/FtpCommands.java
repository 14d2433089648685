package io.xdpgate.gateways.ftp;

import java.util.List;
import java.util.Set;

/**
 * The FTP commands the gateway knows: RFC 959, 775's X-forms, 2228 and 4217 (security), 2389
 * (FEAT, OPTS), 2428 (EPRT, EPSV), 2640 (LANG), 3659 (MDTM, SIZE, MLST, MLSD), 7151 (HOST). Any
 * other verb is refused as unrecognized; of these only the config's {@code allowCommands} reach
 * the server.
 */
final class FtpCommands {
    static final List<String> KNOWN = List.of("USER", "PASS", "ACCT", "CWD", "CDUP", "SMNT", "REIN", "QUIT", "PORT",
            "PASV", "TYPE", "STRU", "MODE", "RETR", "STOR", "STOU", "APPE", "ALLO", "REST", "RNFR", "RNTO", "ABOR",
            "DELE", "RMD", "MKD", "PWD", "LIST", "NLST", "SITE", "SYST", "STAT", "HELP", "NOOP", "XCWD", "XCUP", "XPWD",
            "XMKD", "XRMD", "AUTH", "ADAT", "PBSZ", "PROT", "CCC", "FEAT", "OPTS", "EPRT", "EPSV", "LANG", "MDTM", "SIZE",
            "MLST", "MLSD", "HOST");

    /**
     * Allowed unless the config says otherwise: all but SITE (server-specific, SITE EXEC runs
     * programs), SMNT and REIN, and the security commands (after AUTH the control connection is
     * encrypted and the gateway can no longer see which data connections to expect).
     */
    static final Set<String> DEFAULT_ALLOWED;

    static {
        Set<String> s = new java.util.LinkedHashSet<>(KNOWN);
        s.removeAll(List.of("SITE", "SMNT", "REIN", "AUTH", "ADAT", "PBSZ", "PROT", "CCC"));
        DEFAULT_ALLOWED = Set.copyOf(s);
    }

    private FtpCommands() {
    }
}
