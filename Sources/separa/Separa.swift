import ArgumentParser
import SeparaKit

@main
struct Separa: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Pseudonymous case codes, coded paper forms and a locked key file for humanitarian service points.",
        discussion: """
            Identity (names, phones, anything from an identity slip) lives only on paper and in the locked
            key file; everything else is keyed by a case code. Commands find their workspace like git finds a
            repository: --workspace DIR, else the nearest folder upward holding separa.json.
            """ + "\n\n" + ExitStatus.summary,
        version: SeparaVersion.current,
        subcommands: [
            Init.self, Codes.self, TemplateCommand.self, Print.self, Card.self, Labels.self, TranscriptionCommand.self,
            IngestCommand.self, CompareCommand.self, Report.self, Rejoin.self, AgeCommand.self, Key.self, Audit.self,
            Purge.self,
        ]
    )
}
