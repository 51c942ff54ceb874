import Foundation
import SeparaKit

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Passphrases for the CLI: from the terminal without echo, or from a file; never from the command line
/// (where other users could read it in the process list and the shell would keep it in its history).
enum Passphrase {
    /// Why no passphrase could be had.
    struct Failure: Error, CustomStringConvertible {
        let description: String
    }

    /// The terminal's settings while echo is off, restored on Ctrl-C.
    nonisolated(unsafe) private static var savedTerminal: termios?
    nonisolated(unsafe) private static var terminalDescriptor: Int32 = -1

    /// Asks on the terminal (`/dev/tty`, so that standard input can carry a file) with echo off.
    /// The corresponding C functions are `open`, `tcgetattr`, `tcsetattr` and `read`.
    static func ask(_ prompt: String) throws -> AgePassphrase {
        let fd = open("/dev/tty", O_RDWR | O_CLOEXEC)
        guard fd >= 0 else {
            throw Failure(description: "no terminal to ask for the passphrase on; use --passphrase-file FILE")
        }
        defer { close(fd) }
        var settings = termios()
        let canSilence = tcgetattr(fd, &settings) == 0
        if canSilence {
            savedTerminal = settings
            terminalDescriptor = fd
            signal(SIGINT) { _ in
                if var saved = Passphrase.savedTerminal {
                    _ = tcsetattr(Passphrase.terminalDescriptor, TCSAFLUSH, &saved)
                }
                _exit(130)
            }
            var silent = settings
            silent.c_lflag &= ~tcflag_t(ECHO)
            silent.c_lflag |= tcflag_t(ECHONL)
            _ = tcsetattr(fd, TCSAFLUSH, &silent)
        }
        defer {
            if canSilence {
                _ = tcsetattr(fd, TCSAFLUSH, &settings)
                savedTerminal = nil
                signal(SIGINT, SIG_DFL)
            }
        }
        let promptBytes = Array(prompt.utf8)
        _ = promptBytes.withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }

        var bytes: [UInt8] = []
        var byte: UInt8 = 0
        while true {
            let count = read(fd, &byte, 1)
            if count < 0 && errno == EINTR { continue }
            if count <= 0 || byte == 0x0A { break }
            bytes.append(byte)
        }
        if bytes.last == 0x0D { bytes.removeLast() }
        defer { for i in bytes.indices { bytes[i] = 0 } }
        do {
            return try AgePassphrase(bytes: bytes)
        } catch {
            throw Failure(description: "the passphrase is empty; nothing was done")
        }
    }

    /// Asks twice for a new passphrase and fails when the two differ.
    static func askNew() throws -> AgePassphrase {
        let first = try ask("Enter passphrase: ")
        let second = try ask("Confirm passphrase: ")
        guard first == second else {
            throw Failure(description: "the two passphrases differ; nothing was done")
        }
        return first
    }
}
