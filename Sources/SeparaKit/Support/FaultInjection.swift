import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// Named points where a test can kill the process, to prove that a kill there leaves nothing half done.
///
/// Set `SEPARA_FAULT` to a point's name and the process sends itself SIGKILL when it reaches it — as a
/// power cut would, with no cleanup. Unset (always, in production), a point costs one dictionary lookup.
public enum FaultInjection {
    /// The environment variable that names the point to die at.
    public static let variable = "SEPARA_FAULT"

    private static let armed = ProcessInfo.processInfo.environment[variable]

    /// Dies here when `SEPARA_FAULT` names `name`. The corresponding C function is `kill`.
    public static func point(_ name: String) {
        guard let armed, armed == name else { return }
        kill(getpid(), SIGKILL)
    }
}
