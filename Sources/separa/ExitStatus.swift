import ArgumentParser

/// Separa's exit statuses: each number means one thing, whichever command ends with it.
enum ExitStatus: Int32, CaseIterable {
    /// Done, everything was accepted.
    case success = 0
    /// Not done: an error, or nothing to act on (no such code, nothing matched); the message says why.
    case failure = 1
    /// Finished, but some items were not accepted: rows rejected, entries held, codes invalid, files that
    /// differ, breaks in the audit log. The output lists each one.
    case partial = 2
    /// Finished, and no item was accepted (every row rejected).
    case noneAccepted = 3
    /// The key file stayed locked: wrong passphrase. Nothing was read or written.
    case locked = 4
    /// Bad usage: an unknown option, a missing argument, options that exclude each other.
    case usage = 64

    /// Ends the command with this status.
    var exit: ExitCode { ExitCode(rawValue) }

    /// One line per status, for `separa --help` and the README.
    static let summary: String = """
        Exit status (the same for every command):
          0  success
          1  failure, or nothing to act on; the message says why
          2  finished, but some items were not accepted (each is listed)
          3  finished, and no item was accepted
          4  wrong passphrase: the key file stayed locked, nothing was written
          64 bad usage
        """
}
