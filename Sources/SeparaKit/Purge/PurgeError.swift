/// Why `separa purge` did nothing. Messages never contain a value from a record or a key file; a case code
/// the caller typed may be named (it is pseudonymous, and the caller already has it).
public enum PurgeError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The workspace has a key file, and no passphrase was given to open it. Nothing was changed.
    case passphraseRequired(path: String)
    /// No record, registry row, key-file entry or waiting identity slip carries the code (display form).
    /// Nothing was changed.
    case notFound(code: String)
    /// A sealed file in `keys/inbox/` or `keys/held/` does not open with the key file's secret key, or does
    /// not hold entries. Nothing was changed.
    case sealedFileUnreadable(path: String)

    public var description: String {
        switch self {
        case .passphraseRequired(let path):
            return "\(path) exists: purge needs its passphrase to remove people from it; nothing was changed"
        case .notFound(let code):
            return
                "\(code) is not in the store, the key file or the inbox (already erased, or mistyped? check the paper); nothing was changed"
        case .sealedFileUnreadable(let path):
            return
                "\(path) does not open with the key file's secret key (damaged, or sealed for another workspace); move it aside and run purge again; nothing was changed"
        }
    }
}
